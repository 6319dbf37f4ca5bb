import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { toFetchHandler } from '../../src/adapters/fetch.js';
import { toNodeHandler } from '../../src/adapters/node.js';
import { hostTenantLocator, ScimServer, StaticTenantResolver } from '../../src/index.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';

function scim(): ScimServer {
  return new ScimServer({ tenantResolver: new StaticTenantResolver([{ id: 't', token: 'tok' }]) });
}

describe('Fetch API adapter', () => {
  it('round-trips a create and a filtered list with absolute locations', async () => {
    const handler = toFetchHandler(scim());
    const created = await handler(
      new Request('https://scim.example.com/scim/v2/Users', {
        method: 'POST',
        headers: { authorization: 'Bearer tok', 'content-type': 'application/scim+json' },
        body: JSON.stringify({ schemas: [USER], userName: 'fetch user' }),
      }),
    );
    expect(created.status).toBe(201);
    const body = (await created.json()) as { id: string; meta: { location: string } };
    expect(body.meta.location).toBe(`https://scim.example.com/scim/v2/Users/${body.id}`);
    const list = await handler(
      new Request('https://scim.example.com/scim/v2/Users?filter=userName+eq+%22fetch+user%22', { headers: { authorization: 'Bearer tok' } }),
    );
    expect(((await list.json()) as { totalResults: number }).totalResults).toBe(1);
  });

  it('stops reading an oversized body and answers 413', async () => {
    const handler = toFetchHandler(scim(), { maxBodyBytes: 100 });
    const r = await handler(
      new Request('http://localhost/scim/v2/Users', { method: 'POST', headers: { authorization: 'Bearer tok' }, body: 'x'.repeat(1000) }),
    );
    expect(r.status).toBe(413);
    expect(((await r.json()) as { status: string }).status).toBe('413');
  });

  it('answers 204 and 304 without a body', async () => {
    const handler = toFetchHandler(scim());
    const c = await handler(
      new Request('http://localhost/scim/v2/Users', {
        method: 'POST',
        headers: { authorization: 'Bearer tok', 'content-type': 'application/scim+json' },
        body: JSON.stringify({ schemas: [USER], userName: 'x' }),
      }),
    );
    const { id } = (await c.json()) as { id: string };
    const nm = await handler(
      new Request(`http://localhost/scim/v2/Users/${id}`, { headers: { authorization: 'Bearer tok', 'if-none-match': c.headers.get('etag') as string } }),
    );
    expect(nm.status).toBe(304);
    expect(await nm.text()).toBe('');
    const del = await handler(new Request(`http://localhost/scim/v2/Users/${id}`, { method: 'DELETE', headers: { authorization: 'Bearer tok' } }));
    expect(del.status).toBe(204);
  });

  it('locates a tenant by host from the request URL when the Request carries no Host header', async () => {
    // A Request built in code (tests, app.request()-style calls, some runtimes) has its host only in the URL.
    const server = new ScimServer({
      tenantResolver: new StaticTenantResolver([{ id: 'acme', token: 'tok' }]),
      locator: hostTenantLocator({ domain: 'scim.example.com' }),
    });
    const handler = toFetchHandler(server);
    const request = new Request('https://acme.scim.example.com/scim/v2/Users', { headers: { authorization: 'Bearer tok' } });
    expect(request.headers.get('host')).toBeNull();
    const r = await handler(request);
    expect(r.status).toBe(200);
    const other = await handler(new Request('https://globex.scim.example.com/scim/v2/Users', { headers: { authorization: 'Bearer tok' } }));
    expect(other.status).toBe(401);
  });
});

describe('node:http adapter', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  async function listen(maxBodyBytes?: number): Promise<string> {
    server = createServer(toNodeHandler(scim(), maxBodyBytes !== undefined ? { maxBodyBytes } : {}));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
    return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
  }

  it('serves SCIM over a real socket', async () => {
    const origin = await listen();
    const r = await fetch(`${origin}/scim/v2/Users`, {
      method: 'POST',
      headers: { authorization: 'Bearer tok', 'content-type': 'application/json' },
      body: JSON.stringify({ schemas: [USER], userName: 'node' }),
    });
    expect(r.status).toBe(201);
    const body = (await r.json()) as { id: string; meta: { location: string } };
    expect(body.meta.location).toBe(`${origin}/scim/v2/Users/${body.id}`);
    expect(r.headers.get('etag')).toBe('W/"1"');
  });

  it('answers 413 for an oversized body', async () => {
    const origin = await listen(64);
    const r = await fetch(`${origin}/scim/v2/Users`, { method: 'POST', headers: { authorization: 'Bearer tok' }, body: 'y'.repeat(10_000) });
    expect(r.status).toBe(413);
  });
});
