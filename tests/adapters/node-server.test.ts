import { connect, type AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { applyNodeServerLimits, createNodeServer, DEFAULT_NODE_SERVER_LIMITS, nodeServerLimits } from '../../src/adapters/node.js';
import { ScimServer, StaticTenantResolver } from '../../src/index.js';

const scim = () => new ScimServer({ tenantResolver: new StaticTenantResolver([{ id: 't', token: 'tok' }]) });

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
});

async function listen(server: Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return (server.address() as AddressInfo).port;
}

/** Opens a connection, writes `text`, and resolves with what came back once the server closes it (or after `waitMs`). */
function exchange(port: number, text: string, waitMs: number): Promise<{ reply: string; closedAfterMs: number | undefined }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ reply, closedAfterMs: undefined });
    }, waitMs);
    socket.on('data', (d) => (reply += d.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ reply, closedAfterMs: Date.now() - started });
    });
    socket.write(text);
  });
}

describe('createNodeServer', () => {
  it('sets the documented defaults on the node:http server', () => {
    const server = createNodeServer(scim());
    servers.push(server);
    expect(DEFAULT_NODE_SERVER_LIMITS).toEqual({
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 5_000,
      idleTimeoutMs: 30_000,
      maxHeaderBytes: 16_384,
      maxConnections: 1_024,
    });
    expect(server.headersTimeout).toBe(10_000);
    expect(server.requestTimeout).toBe(30_000);
    expect(server.keepAliveTimeout).toBe(5_000);
    expect(server.timeout).toBe(30_000);
    expect(server.maxConnections).toBe(1_024);
    expect((server as unknown as { maxHeaderSize: number }).maxHeaderSize).toBe(16_384);
  });

  it('refuses a limit that is not a positive integer, naming the key, and headers given longer than the whole request', () => {
    expect(() => nodeServerLimits({ headersTimeoutMs: 0 })).toThrow(/headersTimeoutMs must be a positive integer/);
    expect(() => nodeServerLimits({ maxConnections: 1.5 })).toThrow(/maxConnections/);
    expect(() => nodeServerLimits({ idleTimeoutMs: '10' as unknown as number })).toThrow(/idleTimeoutMs/);
    expect(() => nodeServerLimits({ headersTimeoutMs: 5_000, requestTimeoutMs: 1_000 })).toThrow(
      /headersTimeoutMs \(5000\) must not be above requestTimeoutMs/,
    );
    expect(() => createNodeServer(scim(), { maxHeaderBytes: -1 })).toThrow(/maxHeaderBytes/);
  });

  it('answers 431 to headers beyond maxHeaderBytes', async () => {
    const port = await listen(createNodeServer(scim(), { maxHeaderBytes: 2_048 }));
    const { reply } = await exchange(port, `GET /scim/v2/Users HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(4_000)}\r\n\r\n`, 3_000);
    expect(reply).toMatch(/^HTTP\/1\.1 431 /);
  });

  it('closes a connection whose headers do not arrive within headersTimeoutMs, and one whose body does not within requestTimeoutMs', async () => {
    const port = await listen(createNodeServer(scim(), { headersTimeoutMs: 600, requestTimeoutMs: 1_200 }));
    const [headers, body] = await Promise.all([
      exchange(port, 'POST /scim/v2/Users HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer tok\r\n', 6_000),
      exchange(port, 'POST /scim/v2/Users HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer tok\r\nContent-Length: 100\r\n\r\n{"sch', 6_000),
    ]);
    expect(headers.closedAfterMs).toBeGreaterThanOrEqual(600);
    expect(headers.closedAfterMs).toBeLessThan(4_000);
    expect(body.closedAfterMs).toBeGreaterThanOrEqual(1_200);
    expect(body.closedAfterMs).toBeLessThan(5_000);
    for (const reply of [headers.reply, body.reply]) expect(reply === '' || reply.startsWith('HTTP/1.1 408 ')).toBe(true);
  });

  it('closes a silent connection after idleTimeoutMs, and turns away connections beyond maxConnections', async () => {
    const port = await listen(createNodeServer(scim(), { idleTimeoutMs: 500, maxConnections: 2 }));
    const silent = exchange(port, '', 5_000);
    const second = exchange(port, '', 5_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const third = await exchange(port, 'GET /scim/v2/Users HTTP/1.1\r\nHost: x\r\n\r\n', 2_000);
    expect(third.reply).toBe('');
    expect(third.closedAfterMs).toBeLessThan(1_000);
    const first = await silent;
    expect(first.closedAfterMs).toBeGreaterThanOrEqual(450);
    expect(first.closedAfterMs).toBeLessThan(4_000);
    await second;
  });

  it('applyNodeServerLimits sets the limits on a server made elsewhere', async () => {
    const { createServer } = await import('node:http');
    const server = createServer();
    servers.push(server);
    const applied = applyNodeServerLimits(server, { requestTimeoutMs: 20_000 });
    expect(applied.requestTimeoutMs).toBe(20_000);
    expect(server.requestTimeout).toBe(20_000);
    expect(server.headersTimeout).toBe(10_000);
    expect(server.maxConnections).toBe(1_024);
  });
});
