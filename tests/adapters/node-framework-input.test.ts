/**
 * The node adapter behind what frameworks do to a request before it arrives: a mount prefix stripped
 * from `req.url`, a body already read by a parser (as an object, text, bytes or `rawBody`), or left
 * for the adapter to read. Each case runs on a real socket, most of them in a real Express 5 app.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, describe, expect, it } from 'vitest';
import { toNodeHandler } from '../../src/adapters/node.js';
import { ScimServer, StaticTenantResolver } from '../../src/index.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
type Body = { id: string; userName: string; meta: { location: string }; Resources?: Body[]; totalResults?: number; detail?: string };

const servers: Server[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

function scim(basePath = '/scim/v2'): ScimServer {
  return new ScimServer({ tenantResolver: new StaticTenantResolver([{ id: 't', token: 'tok' }]), basePath });
}

async function listen(listener: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer(listener);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function call(url: string, method: string, body?: string, contentType = 'application/scim+json'): Promise<{ status: number; body: Body }> {
  const r = await fetch(url, {
    method,
    headers: { authorization: 'Bearer tok', ...(body !== undefined ? { 'content-type': contentType } : {}) },
    ...(body !== undefined ? { body } : {}),
  });
  const text = await r.text();
  return { status: r.status, body: (text ? JSON.parse(text) : undefined) as Body };
}

const user = (userName: string) => JSON.stringify({ schemas: [USER], userName });

describe('Express 5, mounted under a prefix, with express.json() in front', () => {
  async function app(): Promise<string> {
    const a = express();
    a.use(express.json());
    a.use('/scim/v2', toNodeHandler(scim()));
    return listen(a);
  }

  it('serves JSON bodies express.json() parsed and SCIM bodies it left in the stream, with correct locations', async () => {
    const origin = await app();
    const parsed = await call(`${origin}/scim/v2/Users`, 'POST', user('parsed'), 'application/json');
    expect(parsed.status).toBe(201);
    expect(parsed.body.meta.location).toBe(`${origin}/scim/v2/Users/${parsed.body.id}`);
    const streamed = await call(`${origin}/scim/v2/Users`, 'POST', user('streamed'), 'application/scim+json');
    expect(streamed.status).toBe(201);
    expect(streamed.body.meta.location).toBe(`${origin}/scim/v2/Users/${streamed.body.id}`);

    const got = await call(parsed.body.meta.location, 'GET');
    expect(got.status).toBe(200);
    expect(got.body.meta.location).toBe(parsed.body.meta.location);
    const patch = JSON.stringify({ schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'userName', value: 'renamed' }] });
    for (const contentType of ['application/json', 'application/scim+json']) {
      const patched = await call(parsed.body.meta.location, 'PATCH', patch, contentType);
      expect(patched.status).toBe(200);
      expect(patched.body.userName).toBe('renamed');
      expect(patched.body.meta.location).toBe(parsed.body.meta.location);
    }
    const put = await call(streamed.body.meta.location, 'PUT', user('replaced'), 'application/json');
    expect(put.status).toBe(200);
    expect(put.body.meta.location).toBe(streamed.body.meta.location);
  });

  it('filters with the query of the original URL, not the one Express rewrote', async () => {
    const origin = await app();
    await call(`${origin}/scim/v2/Users`, 'POST', user('alice'), 'application/json');
    await call(`${origin}/scim/v2/Users`, 'POST', user('bob'), 'application/json');
    const list = await call(`${origin}/scim/v2/Users?filter=userName+eq+%22bob%22`, 'GET');
    expect(list.status).toBe(200);
    expect(list.body.totalResults).toBe(1);
    const [bob] = list.body.Resources ?? [];
    expect(bob?.meta.location).toBe(`${origin}/scim/v2/Users/${bob?.id}`);
  });

  it('serves a server whose base path spans two nested mounts', async () => {
    const router = express.Router();
    router.use('/scim/v2', toNodeHandler(scim('/api/scim/v2')));
    const a = express();
    a.use(express.json());
    a.use('/api', router);
    const origin = await listen(a);
    const created = await call(`${origin}/api/scim/v2/Users`, 'POST', user('nested'), 'application/json');
    expect(created.status).toBe(201);
    expect(created.body.meta.location).toBe(`${origin}/api/scim/v2/Users/${created.body.id}`);
    expect((await call(created.body.meta.location, 'GET')).status).toBe(200);
  });

  it('never answers with a location outside the mount: a server that does not know the prefix answers 404', async () => {
    const a = express();
    a.use(express.json());
    a.use('/api', toNodeHandler(scim('/scim/v2')));
    const origin = await listen(a);
    const r = await call(`${origin}/api/scim/v2/Users`, 'POST', user('lost'), 'application/json');
    expect(r.status).toBe(404);
  });

  it('treats an empty application/json body as empty, not as the {} express.json() makes of it', async () => {
    const origin = await app();
    const r = await call(`${origin}/scim/v2/Users`, 'POST', '', 'application/json');
    const direct = await scim().handle({ method: 'POST', path: '/scim/v2/Users', headers: { authorization: 'Bearer tok' } });
    expect(r.status).toBe(400);
    expect(r.body.detail).toBe((direct.body as Body).detail);
  });
});

describe('bodies other parsers leave', () => {
  it('takes text from express.text(), bytes from express.raw() and rawBody from a verify hook', async () => {
    const handler = toNodeHandler(scim());
    const a = express();
    a.use('/text/scim/v2', express.text({ type: '*/*' }), (req, res) => handler(Object.assign(req, { originalUrl: req.originalUrl.slice(5) }), res));
    a.use('/raw/scim/v2', express.raw({ type: '*/*' }), (req, res) => handler(Object.assign(req, { originalUrl: req.originalUrl.slice(4) }), res));
    a.use('/verify/scim/v2', express.json({ type: '*/*', verify: (req, _res, buf) => Object.assign(req, { rawBody: buf }) }), (req, res) =>
      handler(Object.assign(req, { originalUrl: req.originalUrl.slice(7), body: 'not what the client sent' }), res),
    );
    const origin = await listen(a);
    for (const kind of ['text', 'raw', 'verify']) {
      const r = await call(`${origin}/${kind}/scim/v2/Users`, 'POST', user(`via-${kind}`));
      expect(r.status, kind).toBe(201);
      expect(r.body.userName).toBe(`via-${kind}`);
    }
  });

  it('reads the stream when a parser set req.body without reading it (as Express 4 does)', async () => {
    const handler = toNodeHandler(scim());
    const origin = await listen((req, res) => handler(Object.assign(req, { body: {} }), res));
    const r = await call(`${origin}/scim/v2/Users`, 'POST', user('from-stream'));
    expect(r.status).toBe(201);
    expect(r.body.userName).toBe('from-stream');
  });

  it('says so when a parser consumed the body and kept nothing of it', async () => {
    const handler = toNodeHandler(scim());
    const origin = await listen((req, res) => {
      req.resume();
      req.on('end', () => handler(req, res));
    });
    const r = await call(`${origin}/scim/v2/Users`, 'POST', user('lost'));
    expect(r.status).toBe(500);
    expect(r.body.detail).toMatch(/read before the SCIM handler/);
  });

  it('refuses a parsed body larger than the limit like a read one', async () => {
    const handler = toNodeHandler(scim(), { maxBodyBytes: 64 });
    const origin = await listen((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => handler(Object.assign(req, { rawBody: Buffer.concat(chunks) }), res));
    });
    const r = await call(`${origin}/scim/v2/Users`, 'POST', user('x'.repeat(100)));
    expect(r.status).toBe(413);
  });
});
