import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toFetchHandler } from '../../src/adapters/fetch.js';
import { toNodeHandler } from '../../src/adapters/node.js';
import { type Body, errorOf, PATCH_OP, testServer, USER_SCHEMA } from '../helpers/scim-client.js';

const id = (body: Body): string => body.id as string;

describe('HEAD', () => {
  it('answers like GET without a body, over both adapters', async () => {
    const { server, as } = testServer();
    const user = await as('a').createUser('heady');
    const http: Server = createServer(toNodeHandler(server));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', () => resolve()));
    const origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    const fetchHandler = toFetchHandler(server);
    try {
      for (const path of [`/scim/v2/Users/${id(user)}`, '/scim/v2/Users?filter=userName+eq+%22heady%22', '/scim/v2/Users/nobody', '/scim/v2/Schemas']) {
        const viaNode = [await fetch(`${origin}${path}`, { headers: { authorization: 'Bearer token-a' } })];
        viaNode.push(await fetch(`${origin}${path}`, { method: 'HEAD', headers: { authorization: 'Bearer token-a' } }));
        const viaFetch = [
          await fetchHandler(new Request(`${origin}${path}`, { headers: { authorization: 'Bearer token-a' } })),
          await fetchHandler(new Request(`${origin}${path}`, { method: 'HEAD', headers: { authorization: 'Bearer token-a' } })),
        ];
        for (const [get, head] of [viaNode, viaFetch]) {
          if (!get || !head) throw new Error('missing response');
          expect(head.status, path).toBe(get.status);
          expect(await head.text(), path).toBe('');
          expect((await get.text()).length, path).toBeGreaterThan(0);
          expect(head.headers.get('content-type'), path).toBe(get.headers.get('content-type'));
          expect(head.headers.get('etag'), path).toBe(get.headers.get('etag'));
          expect(head.headers.get('x-request-id'), path).toMatch(/^[0-9a-f-]{36}$/);
        }
      }
    } finally {
      await new Promise<void>((resolve) => http.close(() => resolve()));
    }
  });
});

describe('If-None-Match on writes (RFC 9110 §13.1.2)', () => {
  it('"*" on PUT, PATCH or DELETE of an existing resource is 412 and changes nothing', async () => {
    const { as } = testServer();
    const a = as('a');
    const user = await a.createUser('kept');
    const path = `/Users/${id(user)}`;
    const attempts = [
      await a.put(path, { schemas: [USER_SCHEMA], userName: 'changed' }, { 'if-none-match': '*' }),
      await a.patch(path, [{ op: 'replace', path: 'userName', value: 'changed' }], { 'if-none-match': '*' }),
      await a.delete(path, { 'if-none-match': '*' }),
    ];
    for (const r of attempts) {
      expect(r.status).toBe(412);
      expect(errorOf(r).status).toBe('412');
    }
    const after = await a.get(path);
    expect((after.body as { userName: string }).userName).toBe('kept');
    expect(after.headers.ETag).toBe('W/"1"');
  });

  it('a tag that matches the current version is 412; one that does not lets the write through', async () => {
    const { as } = testServer();
    const a = as('a');
    const user = await a.createUser('tagged');
    const path = `/Users/${id(user)}`;
    expect((await a.put(path, { schemas: [USER_SCHEMA], userName: 'x' }, { 'if-none-match': 'W/"1"' })).status).toBe(412);
    expect((await a.patch(path, [{ op: 'replace', path: 'displayName', value: 'x' }], { 'if-none-match': 'W/"7", W/"1"' })).status).toBe(412);
    const put = await a.put(path, { schemas: [USER_SCHEMA], userName: 'tagged', displayName: 'ok' }, { 'if-none-match': 'W/"7"' });
    expect(put.status).toBe(200);
    expect(put.headers.ETag).toBe('W/"2"');
    const patched = await a.request(
      'PATCH',
      path,
      { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'displayName', value: 'ok2' }] },
      { headers: { 'if-none-match': 'W/"1"' } },
    );
    expect(patched.status).toBe(200);
    expect((await a.delete(path, { 'if-none-match': 'W/"1"' })).status).toBe(204);
  });

  it('"*" on a resource that does not exist is the 404 the write would be anyway', async () => {
    const { as } = testServer();
    expect((await as('a').put('/Users/nobody', { schemas: [USER_SCHEMA], userName: 'x' }, { 'if-none-match': '*' })).status).toBe(404);
  });

  it('GET keeps answering 304 for a matching If-None-Match', async () => {
    const { as } = testServer();
    const a = as('a');
    const user = await a.createUser('cached');
    expect((await a.get(`/Users/${id(user)}`, undefined, { 'if-none-match': 'W/"1"' })).status).toBe(304);
    expect((await a.get(`/Users/${id(user)}`, undefined, { 'if-none-match': '*' })).status).toBe(304);
  });
});

describe('request body charsets', () => {
  const user = JSON.stringify({ schemas: [USER_SCHEMA], userName: 'añob ✓ 𝄞' });
  const utf16le = (text: string, bom = false): Uint8Array => {
    const out = new Uint8Array((bom ? 2 : 0) + text.length * 2);
    if (bom) out.set([0xff, 0xfe]);
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      out[(bom ? 2 : 0) + 2 * i] = c & 0xff;
      out[(bom ? 2 : 0) + 2 * i + 1] = c >> 8;
    }
    return out;
  };
  const utf16be = (text: string, bom = false): Uint8Array => {
    const le = utf16le(text, bom);
    for (let i = 0; i < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1] as number, le[i] as number];
    return le;
  };

  let http: Server;
  let origin = '';
  let server: ReturnType<typeof testServer>['server'];
  beforeAll(async () => {
    server = testServer().server;
    http = createServer(toNodeHandler(server));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', () => resolve()));
    origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => http.close(() => resolve())));

  const post = (body: Uint8Array, contentType: string, userName: string) =>
    fetch(`${origin}/scim/v2/Users`, {
      method: 'POST',
      headers: { authorization: 'Bearer token-a', 'content-type': contentType },
      body: body.slice().buffer.slice(0) as ArrayBuffer,
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as { userName?: string; status?: string; detail?: string }, userName }));

  it('transcodes UTF-16 whose byte order is certain, over real HTTP', async () => {
    const cases = [
      [utf16le(user.replace('añob', 'le1')), 'application/scim+json; charset=utf-16le', 'le1'],
      [utf16be(user.replace('añob', 'be1')), 'application/scim+json; charset=UTF-16BE', 'be1'],
      [utf16le(user.replace('añob', 'bom1'), true), 'application/scim+json; charset="utf-16"', 'bom1'],
      [utf16be(user.replace('añob', 'bom2'), true), 'application/json;charset=utf-16', 'bom2'],
    ] as const;
    for (const [bytes, type, prefix] of cases) {
      const r = await post(bytes, type, prefix);
      expect(r.status, type).toBe(201);
      expect(r.body.userName, type).toBe(`${prefix} ✓ 𝄞`);
    }
  });

  it('refuses with 415 what it cannot decode for certain, instead of reading it as UTF-8', async () => {
    const cases = [
      [utf16le(user), 'application/scim+json; charset=utf-16'], // no byte order mark
      [new TextEncoder().encode(user), 'application/scim+json; charset=iso-8859-1'],
      [new TextEncoder().encode(user), 'application/scim+json; charset=shift_jis'],
      [new TextEncoder().encode(user), 'application/scim+json; charset=nonsense'],
    ] as const;
    for (const [bytes, type] of cases) {
      const r = await post(bytes, type, '');
      expect(r.status, type).toBe(415);
      expect(r.body.status).toBe('415');
      expect(r.body.detail).toMatch(/UTF-8/);
    }
    const list = await fetch(`${origin}/scim/v2/Users?filter=userName+sw+%22a%C3%B1ob%22`, { headers: { authorization: 'Bearer token-a' } });
    expect(((await list.json()) as { totalResults: number }).totalResults).toBe(0);
  });

  it('takes UTF-8 under its labels and US-ASCII as its subset; a byte outside ASCII is 400', async () => {
    const ascii = JSON.stringify({ schemas: [USER_SCHEMA], userName: 'plain-ascii' });
    expect((await post(new TextEncoder().encode(ascii), 'application/scim+json; charset=us-ascii', '')).status).toBe(201);
    expect((await post(new TextEncoder().encode(user.replace('añob', 'u8')), 'application/scim+json; charset=UTF8', '')).status).toBe(201);
    const r = await post(new TextEncoder().encode(user), 'application/scim+json; charset=us-ascii', '');
    expect(r.status).toBe(400);
    expect(r.body.detail).toMatch(/US-ASCII/);
  });

  it('a UTF-16 body that is not valid UTF-16 is 400 invalidSyntax', async () => {
    const broken = utf16le(user);
    broken.set([0x00, 0xd8, 0x41, 0x00], 10); // a lone high surrogate
    const r = await post(broken, 'application/scim+json; charset=utf-16le', '');
    expect(r.status).toBe(400);
    expect(r.body.detail).toMatch(/UTF-16LE/);
  });
});
