// SCIM and MCP side by side: the MCP handler takes the ScimServer's resolver and operation handler,
// so a tenant's token means the same tenant on both, with the same limits, cursors and audit trail.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ScimServer, StaticTenantResolver } from 'scim-server';
import { toNodeHandler } from 'scim-server/node';
import { ScimMcpHttpHandler } from 'scim-server/mcp';

const resolver = new StaticTenantResolver([
  { id: 'acme', token: 'acme-token' },
  { id: 'globex', token: 'globex-token' },
]);
const scim = new ScimServer({ tenantResolver: resolver });
const mcp = new ScimMcpHttpHandler(scim.operations, { tenantResolver: resolver, scimBaseUrl: 'https://scim.example.com/scim/v2' });

const scimHandler = toNodeHandler(scim);
const server = createServer((req, res) => (req.url?.startsWith('/mcp') ? mcp.node(req, res) : scimHandler(req, res)));
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

// An agent of acme, over Streamable HTTP with acme's token.
const agent = new Client({ name: 'access-review', version: '1.0.0' });
await agent.connect(new StreamableHTTPClientTransport(new URL(`${origin}/mcp`), { requestInit: { headers: { Authorization: 'Bearer acme-token' } } }));
await agent.callTool({ name: 'create_user', arguments: { userName: 'bjensen' } });

// Acme's SCIM client sees what the agent made; globex's sees nothing of it.
const list = (token: string) => fetch(`${origin}/scim/v2/Users`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.json());
assert.equal((await list('acme-token')).totalResults, 1);
assert.equal((await list('globex-token')).totalResults, 0);

// No token, no MCP: refused before any tool can run.
const anonymous = await fetch(`${origin}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
assert.equal(anonymous.status, 401);

await agent.close();
await mcp.close();
server.close();
console.log('MCP over HTTP beside SCIM: ok');
