import { connect, type AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { toFetchHandler } from '../../src/adapters/fetch.js';
import { toNodeHandler } from '../../src/adapters/node.js';
import { ScimServer, StaticTenantResolver, type TenantDefinition } from '../../src/index.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const TENANTS: TenantDefinition[] = [
  { id: 'big', token: 'tok-big' },
  { id: 'small', token: 'tok-small', permissions: { maxPayloadBytes: 300 } },
];

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
});

async function listen(scim: ScimServer): Promise<number> {
  const server = createServer(toNodeHandler(scim));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return (server.address() as AddressInfo).port;
}

/**
 * Sends a request head announcing a body of `length` bytes and none of the body, then waits for the
 * server to answer and close the connection. Resolves with what it answered.
 */
function headOnly(port: number, head: string, length: number): Promise<{ text: string; closed: boolean; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
    let text = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ text, closed: false, ms: Date.now() - started });
    }, 5_000);
    socket.on('data', (d) => (text += d.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ text, closed: true, ms: Date.now() - started });
    });
    socket.write(`${head}Content-Type: application/scim+json\r\nContent-Length: ${length}\r\nHost: localhost\r\n\r\n`);
  });
}

describe('the node adapter authenticates before it reads a body', () => {
  it('answers 401 to a request without a valid credential at once, reading none of the body, and closes the connection', async () => {
    const scim = new ScimServer({ tenantResolver: new StaticTenantResolver(TENANTS), onError: () => undefined });
    const port = await listen(scim);
    for (const auth of ['', 'Authorization: Bearer wrong\r\n', 'Authorization: Basic dXNlcjpwdw==\r\n']) {
      const r = await headOnly(port, `POST /scim/v2/Users HTTP/1.1\r\n${auth}`, 1_000_000);
      expect(r.text).toMatch(/^HTTP\/1\.1 401 /);
      expect(r.text).toMatch(/\r\nConnection: close\r\n/i);
      expect(r.text).toMatch(/\r\nX-Request-Id: [0-9a-f-]{36}\r\n/i);
      expect(r.closed).toBe(true);
    }
  });

  it("applies the tenant's own maxPayloadBytes once the credential is known", async () => {
    const scim = new ScimServer({ tenantResolver: new StaticTenantResolver(TENANTS), onError: () => undefined });
    const port = await listen(scim);
    const small = await headOnly(port, 'POST /scim/v2/Users HTTP/1.1\r\nAuthorization: Bearer tok-small\r\n', 1000);
    expect(small.text).toMatch(/^HTTP\/1\.1 413 /);
    expect(small.text).toContain('exceeds 300 bytes');
    expect(small.closed).toBe(true);
    const body = JSON.stringify({ schemas: [USER], userName: 'x'.repeat(400) });
    const big = await fetch(`http://127.0.0.1:${port}/scim/v2/Users`, {
      method: 'POST',
      headers: { authorization: 'Bearer tok-big', 'content-type': 'application/scim+json' },
      body,
    });
    expect(big.status).toBe(201);
  });

  it('ScimServer.admit decides on the head alone, and handle reuses the admission without resolving again', async () => {
    let resolutions = 0;
    const resolver = new StaticTenantResolver(TENANTS);
    const scim = new ScimServer({
      tenantResolver: (input) => {
        resolutions++;
        return resolver.resolve(input);
      },
    });
    const head = { method: 'POST', path: '/scim/v2/Users', headers: { authorization: 'Bearer tok-small', 'content-type': 'application/scim+json' } };
    const admission = await scim.admit(head);
    expect(admission.response).toBeUndefined();
    expect(admission.maxBodyBytes).toBe(300);
    const created = await scim.handle({ ...head, body: JSON.stringify({ schemas: [USER], userName: 'once' }) }, admission);
    expect(created.status).toBe(201);
    expect(created.headers['X-Request-Id']).toBe(admission.requestId);
    expect(resolutions).toBe(1);

    const refused = await scim.admit({ method: 'POST', path: '/scim/v2/Users', headers: {} });
    expect(refused.response?.status).toBe(401);
    expect(refused.maxBodyBytes).toBe(0);
    expect((await scim.admit({ method: 'PUT', path: '/scim/v2/Users', headers: head.headers })).response?.status).toBe(405);
    expect((await scim.admit({ method: 'GET', path: '/scim/v2/Nowhere', headers: head.headers })).response?.status).toBe(404);
  });
});

describe('the Fetch adapter authenticates before it reads a body', () => {
  it('does not pull a byte of the body of a request it refuses', async () => {
    const scim = new ScimServer({ tenantResolver: new StaticTenantResolver(TENANTS) });
    const handler = toFetchHandler(scim);
    let pulls = 0;
    const body = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          pulls++;
          controller.enqueue(new Uint8Array(1024));
        },
      },
      { highWaterMark: 0 },
    );
    const r = await handler(new Request('http://localhost/scim/v2/Users', { method: 'POST', body, duplex: 'half' } as RequestInit));
    expect(r.status).toBe(401);
    expect(r.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(pulls).toBe(0);
  });

  it("stops at the tenant's maxPayloadBytes", async () => {
    const handler = toFetchHandler(new ScimServer({ tenantResolver: new StaticTenantResolver(TENANTS) }));
    const r = await handler(
      new Request('http://localhost/scim/v2/Users', { method: 'POST', headers: { authorization: 'Bearer tok-small' }, body: 'x'.repeat(1000) }),
    );
    expect(r.status).toBe(413);
    expect(((await r.json()) as { detail: string }).detail).toContain('300 bytes');
  });
});
