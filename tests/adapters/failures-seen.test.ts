import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { toFetchHandler } from '../../src/adapters/fetch.js';
import { toNodeHandler } from '../../src/adapters/node.js';
import {
  callbackAuditSink,
  ScimServer,
  StandardResourceProvider,
  StaticTenantResolver,
  type AuditEvent,
  type ResourceProvider,
  type ScimServerOptions,
} from '../../src/index.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';

/** A User provider whose reads return a value JSON cannot serialise, so that writing the response fails. */
function unserialisable(server: () => ScimServer): ResourceProvider {
  let standard: StandardResourceProvider | undefined;
  const inner = (): StandardResourceProvider => {
    standard ??= new StandardResourceProvider({ resourceType: 'User', storage: server().storage, schemas: server().schemas });
    return standard;
  };
  return {
    resourceType: 'User',
    create: (t, b) => inner().create(t, b),
    get: async (t, id, o) => ({ ...(await inner().get(t, id, o)), nickName: 10n as unknown as string }),
    replace: (t, id, b, o) => inner().replace(t, id, b, o),
    patch: (t, id, b, o) => inner().patch(t, id, b, o),
    delete: (t, id, o) => inner().delete(t, id, o),
    list: (t, q) => inner().list(t, q),
  };
}

interface Reported {
  error: unknown;
  requestId: string;
}

function setup(options: Partial<ScimServerOptions> = {}): { scim: ScimServer; reported: Reported[]; events: AuditEvent[] } {
  const reported: Reported[] = [];
  const events: AuditEvent[] = [];
  const holder: { scim?: ScimServer } = {};
  const scim = new ScimServer({
    tenantResolver: new StaticTenantResolver([{ id: 't', token: 'tok' }]),
    providers: { User: unserialisable(() => holder.scim as ScimServer) },
    onError: (error, { requestId }) => void reported.push({ error, requestId }),
    audit: callbackAuditSink((e) => void events.push(e)),
    ...options,
  });
  holder.scim = scim;
  return { scim, reported, events };
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

async function listen(scim: ScimServer): Promise<string> {
  const server = createServer(toNodeHandler(scim));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('every failure is seen', () => {
  it('a response that cannot be serialised reaches onError with the request id, and the 500 carries X-Request-Id (node adapter)', async () => {
    const { scim, reported } = setup();
    const origin = await listen(scim);
    const created = await fetch(`${origin}/scim/v2/Users`, {
      method: 'POST',
      headers: { authorization: 'Bearer tok', 'content-type': 'application/scim+json' },
      body: JSON.stringify({ schemas: [USER], userName: 'big' }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const r = await fetch(`${origin}/scim/v2/Users/${id}`, { headers: { authorization: 'Bearer tok' } });
    expect(r.status).toBe(500);
    const requestId = r.headers.get('x-request-id');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const body = (await r.json()) as { status: string; detail: string };
    expect(body.status).toBe('500');
    expect(body.detail).toContain(requestId);
    expect(reported).toHaveLength(1);
    expect(reported[0]?.requestId).toBe(requestId);
    expect(String(reported[0]?.error)).toMatch(/BigInt/);
  });

  it('the same over the Fetch adapter, with the request id the client sent', async () => {
    const { scim, reported } = setup();
    const handler = toFetchHandler(scim);
    const created = await handler(
      new Request('http://localhost/scim/v2/Users', {
        method: 'POST',
        headers: { authorization: 'Bearer tok', 'content-type': 'application/scim+json' },
        body: JSON.stringify({ schemas: [USER], userName: 'big' }),
      }),
    );
    const { id } = (await created.json()) as { id: string };
    const r = await handler(new Request(`http://localhost/scim/v2/Users/${id}`, { headers: { authorization: 'Bearer tok', 'x-request-id': 'client-42' } }));
    expect(r.status).toBe(500);
    expect(r.headers.get('x-request-id')).toBe('client-42');
    expect(reported.map((x) => x.requestId)).toEqual(['client-42']);
  });

  it('onError defaults to one line on stderr naming the request id', async () => {
    const scim = new ScimServer({ tenantResolver: new StaticTenantResolver([{ id: 't', token: 'tok' }]) });
    const lines: unknown[][] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void lines.push(args);
    try {
      scim.reportError(new Error('boom'), { requestId: 'req-1' });
    } finally {
      console.error = original;
    }
    expect(lines).toHaveLength(1);
    expect(String(lines[0]?.[0])).toBe('scim-server: request req-1 failed:');
    expect(lines[0]?.[1]).toBeInstanceOf(Error);
  });

  it('every response of the node adapter carries X-Request-Id: refusals, 413, 400 and success', async () => {
    const { scim } = setup({ maxPayloadBytes: 200 });
    const origin = await listen(scim);
    const responses = [
      await fetch(`${origin}/scim/v2/Users`),
      await fetch(`${origin}/nowhere`, { headers: { authorization: 'Bearer tok' } }),
      await fetch(`${origin}/scim/v2/Users`, { method: 'POST', headers: { authorization: 'Bearer tok' }, body: 'x'.repeat(1000) }),
      await fetch(`${origin}/scim/v2/Users`, { method: 'POST', headers: { authorization: 'Bearer tok', 'content-type': 'text/plain' }, body: 'x' }),
      await fetch(`${origin}/scim/v2/Users`, { headers: { authorization: 'Bearer tok' } }),
    ];
    expect(responses.map((r) => r.status)).toEqual([401, 404, 413, 415, 200]);
    for (const r of responses) expect(r.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps a well-formed client request id, replaces any other, and the audit event says which it was', async () => {
    const { scim, events } = setup();
    const origin = await listen(scim);
    const post = (requestId: string | undefined, userName: string) =>
      fetch(`${origin}/scim/v2/Users`, {
        method: 'POST',
        headers: { authorization: 'Bearer tok', 'content-type': 'application/scim+json', ...(requestId !== undefined ? { 'x-request-id': requestId } : {}) },
        body: JSON.stringify({ schemas: [USER], userName }),
      });
    const kept = await post('abc-123:4.5_6', 'one');
    const tooLong = await post('x'.repeat(129), 'two');
    const odd = await post('a b"c', 'three');
    const none = await post(undefined, 'four');
    expect(kept.headers.get('x-request-id')).toBe('abc-123:4.5_6');
    for (const r of [tooLong, odd, none]) expect(r.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(events.map((e) => [e.requestId, e.requestIdSource])).toEqual([
      ['abc-123:4.5_6', 'client'],
      [tooLong.headers.get('x-request-id'), 'server'],
      [odd.headers.get('x-request-id'), 'server'],
      [none.headers.get('x-request-id'), 'server'],
    ]);
  });
});
