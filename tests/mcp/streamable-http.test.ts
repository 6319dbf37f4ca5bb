/**
 * The MCP scenarios over real Streamable HTTP on loopback (`ScimMcpHttpHandler.node` behind
 * node:http, the SDK's Client and StreamableHTTPClientTransport), and what only HTTP has: bearer
 * authentication of every request, sessions bound to their tenant, origins and session limits.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ScimMcpHttpHandler, type ScimMcpHttpOptions } from '../../src/mcp/index.js';
import { TOKENS, call, mcpFixture, ok, type McpFixture } from './mcp-fixture.js';
import { mcpScenarios } from './mcp-scenarios.js';

/** A node:http server on a free loopback port serving MCP at /mcp. */
async function listen(handler: ScimMcpHttpHandler): Promise<{ url: URL; server: Server }> {
  const server = createServer((req, res) => {
    if (req.url?.split('?')[0] === '/mcp') void handler.node(req, res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`), server };
}

async function stop(handler: ScimMcpHttpHandler, server: Server): Promise<void> {
  await handler.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

function clientTransport(url: URL, token: string | undefined, headers: Record<string, string> = {}): StreamableHTTPClientTransport {
  return new StreamableHTTPClientTransport(url, { requestInit: { headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers } } });
}

async function connect(url: URL, token: string, name = 'scenario-agent'): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const transport = clientTransport(url, token);
  const client = new Client({ name, version: '1.0.0' });
  await client.connect(transport);
  return { client, transport };
}

mcpScenarios('Streamable HTTP on loopback', async (fixture) => {
  const handler = new ScimMcpHttpHandler(fixture.operations, { tenantResolver: fixture.resolver });
  const { url, server } = await listen(handler);
  return {
    connect: async (token, clientName) => (await connect(url, token, clientName)).client,
    close: () => stop(handler, server),
  };
});

/** A raw JSON-RPC POST to the MCP endpoint. */
async function post(url: URL, body: unknown, headers: Record<string, string>): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body: JSON.stringify(body),
  });
}

const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};

describe('MCP over Streamable HTTP: authentication and sessions', () => {
  let fixture: McpFixture;
  let handler: ScimMcpHttpHandler;
  let url: URL;
  let server: Server | undefined;
  const clients: Client[] = [];
  const errors: unknown[] = [];

  async function start(options: Partial<ScimMcpHttpOptions> = {}): Promise<void> {
    handler = new ScimMcpHttpHandler(fixture.operations, { tenantResolver: fixture.resolver, onError: (e) => errors.push(e), ...options });
    ({ url, server } = await listen(handler));
  }

  beforeAll(async () => {
    fixture = await mcpFixture();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    if (server) await stop(handler, server);
    server = undefined;
    expect(errors).toEqual([]);
  });

  it('refuses a missing or unknown token with 401 before any tool runs, and the SDK client cannot connect', async () => {
    await start();
    for (const headers of [{}, { authorization: 'Bearer not-a-token' }, { authorization: `Basic ${btoa('acme:x')}` }]) {
      const res = await post(url, INITIALIZE, headers);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="mcp"');
      expect(await res.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32000, message: expect.stringMatching(/Authentication required/) } });
    }
    const before = fixture.events.length;
    const client = new Client({ name: 'intruder', version: '1' });
    await expect(client.connect(clientTransport(url, 'not-a-token'))).rejects.toThrow();
    // Only the refusal itself is recorded: on the operator's trail (the URL names no tenant), without the token.
    const refusals = fixture.events.slice(before);
    expect(refusals.length).toBeGreaterThan(0);
    for (const e of refusals) expect(e).toMatchObject({ tenantId: '', action: 'authenticate', outcome: 'refused', status: 401, reason: 'invalidCredential' });
    expect(JSON.stringify(refusals)).not.toContain('not-a-token');
    expect(handler.sessionCount).toBe(0);
  });

  it('answers an unauthenticated request before reading its body', async () => {
    await start();
    // Headers announce a megabyte; only a few bytes ever come. The 401 arrives anyway, and the connection is closed.
    const answer = await new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
      const req = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(1 << 20) } }, (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, connection: res.headers.connection });
      });
      req.on('error', reject);
      req.write('{"jsonrpc":');
    });
    expect(answer).toEqual({ status: 401, connection: 'close' });
  });

  it("binds a session to its tenant: another tenant's token with its id is refused, and so is no token", async () => {
    await start();
    const { client, transport } = await connect(url, TOKENS.acme);
    clients.push(client);
    await ok(client, 'create_user', { userName: 'session.alice' });
    const sessionId = transport.sessionId as string;
    expect(sessionId).toMatch(/^[0-9a-f-]{36}$/);
    const listTools = { jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} };
    const headers = { 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-06-18' };
    const foreign = await post(url, listTools, { ...headers, authorization: `Bearer ${TOKENS.globex}` });
    expect(foreign.status).toBe(404);
    expect(await foreign.text()).not.toContain('session.alice');
    const search = { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'search_users', arguments: {} } };
    const foreignCall = await post(url, search, { ...headers, authorization: `Bearer ${TOKENS.globex}` });
    expect(foreignCall.status).toBe(404);
    expect(await foreignCall.text()).not.toContain('session.alice');
    expect((await post(url, listTools, headers)).status).toBe(401);
    // The owner's own token still works on it.
    expect((await post(url, search, { ...headers, authorization: `Bearer ${TOKENS.acme}` })).status).toBe(200);
    const deleted = await fetch(url, { method: 'DELETE', headers: { ...headers, authorization: `Bearer ${TOKENS.globex}` } });
    expect(deleted.status).toBe(404);
    expect(handler.sessionCount).toBe(1);
  });

  it('authenticates every request: a token revoked or a permission changed mid-session counts at once', async () => {
    await start();
    await fixture.resolver.addToken('globex', 'globex-second-token');
    const { client } = await connect(url, 'globex-second-token');
    clients.push(client);
    await ok(client, 'create_user', { userName: 'midsession.one' });
    fixture.resolver.setPermissions('globex', { readOnly: true });
    const refused = await call(client, 'create_user', { userName: 'midsession.two' });
    expect(refused.error).toMatchObject({ status: 403 });
    fixture.resolver.setPermissions('globex', {});
    await fixture.resolver.revokeToken('globex', 'globex-second-token');
    await expect(client.callTool({ name: 'search_users', arguments: {} })).rejects.toThrow(/401|Authentication/);
  });

  it('refuses requests from an origin not allowed, and serves one that is', async () => {
    await start({ allowedOrigins: ['https://console.example.com'] });
    const evil = await post(url, INITIALIZE, { authorization: `Bearer ${TOKENS.acme}`, origin: 'https://evil.example' });
    expect(evil.status).toBe(403);
    const good = await post(url, INITIALIZE, { authorization: `Bearer ${TOKENS.acme}`, origin: 'https://console.example.com' });
    expect(good.status).toBe(200);
    expect(good.headers.get('mcp-session-id')).toBeTruthy();
    await good.body?.cancel();
  });

  it('exposes only the read tools to the tenants readOnly names, and refuses the others as unknown tools', async () => {
    await start({ readOnly: (tenant) => tenant.tenantId === 'globex' });
    const globex = await connect(url, TOKENS.globex);
    const acme = await connect(url, TOKENS.acme);
    clients.push(globex.client, acme.client);
    const names = async (c: Client) => (await c.listTools()).tools.map((t) => t.name);
    expect(await names(globex.client)).toEqual([
      'search_users',
      'get_user',
      'search_groups',
      'get_group',
      'describe_schemas',
      'describe_resource_types',
      'describe_service_provider_config',
    ]);
    expect(await names(acme.client)).toContain('create_user');
    const hidden = await call(globex.client, 'create_user', { userName: 'hidden' });
    expect(hidden.ok).toBe(false);
    expect(hidden.text).toMatch(/create_user not found/);
  });

  it("keeps each tenant to its share of sessions, closing the tenant's own oldest, never another's", async () => {
    await start({ maxSessionsPerTenant: 2, maxSessions: 3 });
    const other = await connect(url, TOKENS.globex);
    const first = await connect(url, TOKENS.acme);
    const second = await connect(url, TOKENS.acme);
    clients.push(other.client, second.client);
    expect(handler.sessionCount).toBe(3);
    const refused = await post(url, INITIALIZE, { authorization: `Bearer ${TOKENS.small}` });
    expect(refused.status).toBe(503);
    const third = await connect(url, TOKENS.acme);
    clients.push(third.client);
    expect(handler.sessionCount).toBe(3);
    await expect(first.client.listTools()).rejects.toThrow();
    await first.client.close();
    expect((await ok<{ totalResults: number }>(other.client, 'search_groups')).totalResults).toBeGreaterThanOrEqual(0);
    expect((await ok<{ totalResults: number }>(second.client, 'search_groups')).totalResults).toBeGreaterThanOrEqual(0);
  });

  it('serves the Fetch API directly, without a socket', async () => {
    handler = new ScimMcpHttpHandler(fixture.operations, { tenantResolver: fixture.resolver, scimBaseUrl: 'https://scim.example.com/scim/v2' });
    const unauthenticated = await handler.fetch(new Request('http://local/mcp', { method: 'POST', body: JSON.stringify(INITIALIZE) }));
    expect(unauthenticated.status).toBe(401);
    const init = await handler.fetch(
      new Request('http://local/mcp', {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKENS.acme}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify(INITIALIZE),
      }),
    );
    expect(init.status).toBe(200);
    expect(await init.text()).toContain('"serverInfo"');
    expect(handler.sessionCount).toBe(1);
    await handler.close();
    expect(handler.sessionCount).toBe(0);
  });

  it('refuses a body over maxBodyBytes with 413, and answers 500 when the resolver fails, telling onError', async () => {
    await start({ maxBodyBytes: 2048 });
    const big = await post(url, { ...INITIALIZE, params: { ...INITIALIZE.params, padding: 'x'.repeat(4096) } }, { authorization: `Bearer ${TOKENS.acme}` });
    expect(big.status).toBe(413);
    expect(handler.sessionCount).toBe(0);
    const failing = new ScimMcpHttpHandler(fixture.operations, {
      tenantResolver: () => Promise.reject(new Error('directory of tenants is down')),
      onError: (e) => errors.push(e),
    });
    const res = await failing.fetch(new Request('http://local/mcp', { method: 'POST', headers: { authorization: 'Bearer x' }, body: '{}' }));
    expect(res.status).toBe(500);
    expect(await res.text()).not.toContain('down');
    expect(errors.splice(0)).toEqual([expect.objectContaining({ message: 'directory of tenants is down' })]);
  });

  it('checks its options when they are given, naming the key', () => {
    const make = (options: unknown) => () => new ScimMcpHttpHandler(fixture.operations, options as ScimMcpHttpOptions);
    expect(make({})).toThrow(/tenantResolver/);
    expect(make({ tenantResolver: fixture.resolver, maxSesions: 3 })).toThrow(/unknown option maxSesions/);
    expect(make({ tenantResolver: fixture.resolver, maxSessions: 0 })).toThrow(/maxSessions must be a positive integer/);
    expect(make({ tenantResolver: fixture.resolver, allowedOrigins: 'https://x' })).toThrow(/allowedOrigins/);
  });
});
