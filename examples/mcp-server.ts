/**
 * Each tenant's SCIM directory as MCP tools for AI agents, over Streamable HTTP or stdio.
 *
 *   PORT=8090 SCIM_TENANTS=tenants.json npx tsx examples/mcp-server.ts            # Streamable HTTP
 *   SCIM_TENANTS=tenants.json SCIM_TENANT_TOKEN=secret-a npx tsx examples/mcp-server.ts --stdio
 *
 * - HTTP: listens on 127.0.0.1:$PORT (default 8090) at /mcp. Every request carries
 *   `Authorization: Bearer <tenant token>`; the token picks the tenant, exactly as on the SCIM
 *   server, and a session stays with the tenant that opened it. A missing or unknown token is a 401.
 * - stdio (`--stdio`): serves the one tenant of $SCIM_TENANT_TOKEN on stdin/stdout, as an MCP host
 *   launches a local server; a missing or unknown token stops it before anything is served (exit 1).
 *   Logs go to stderr, never stdout, which carries the protocol.
 * - $SCIM_TENANTS: the same tenants file as examples/http-server.ts (tokens, permissions, quotas,
 *   rate limits, schema extensions); without it, the three demo tenants of examples/multi-tenant.ts.
 * - Storage: the same choice as examples/http-server.ts, by the same code (examples/storage-from-env.ts):
 *   $DATABASE_URL → PostgreSQL, $SCIM_DATA_DIR → PGlite kept in that directory, neither → memory.
 *   On one $DATABASE_URL, this server and the SCIM server see the same directory: what the identity
 *   provider provisions is what the agents find. It prints which storage it uses (to stderr over stdio).
 * - $SCIM_BASE_URL: the public SCIM base URL that `meta.location` in tool results starts with.
 * - $SCIM_MCP_READ_ONLY=1: only the tools that read are exposed.
 * - $SCIM_AUDIT=1 writes the audit trail (each tool call that changes data or is refused, with the
 *   MCP client as the actor) to stderr as JSON lines.
 * - The HTTP server has the timeouts, header size limit and connection cap of examples/http-server.ts,
 *   set by the same variables ($SCIM_HEADERS_TIMEOUT_MS, $SCIM_IDLE_TIMEOUT_MS, $SCIM_MAX_CONNECTIONS, ...).
 * - SIGTERM or SIGINT close the sessions, the server and the storage, and exit 0; so does the end of
 *   stdin over stdio (the host closing the connection).
 */
import { ScimOperationHandler, StaticTenantResolver, TokenBucketRateLimiter, isScimError, jsonLinesAuditSink } from 'scim-server';
import { ScimMcpHttpHandler, connectScimMcpStdio } from 'scim-server/mcp';
import { createNodeServer } from 'scim-server/node';
import { limitsFromEnv } from './node-limits-from-env.js';
import { storageFromEnv } from './storage-from-env.js';
import { addTenantExtensions, configureOrExit, loadTenants } from './tenants-file.js';

const stdio = process.argv.includes('--stdio');
const store = await storageFromEnv();
// Over stdio, stdout carries the protocol: everything else goes to stderr.
(stdio ? console.error : console.log)(`Storage: ${store.description}`);

const { tenants, resolver, operations, demo } = configureOrExit(() => {
  const { tenants, definitions, demo } = loadTenants();
  const resolver = new StaticTenantResolver(definitions);
  const operations = new ScimOperationHandler({
    storage: store.storage,
    ...(process.env.SCIM_CURSOR_SECRET ? { cursorSecret: process.env.SCIM_CURSOR_SECRET } : {}),
    rateLimiter: new TokenBucketRateLimiter(),
    ...(process.env.SCIM_AUDIT === '1' ? { audit: jsonLinesAuditSink(process.stderr) } : {}),
    onError: (error, { requestId }) => console.error(`request ${requestId} failed:`, error),
  });
  addTenantExtensions(operations.schemas, tenants);
  for (const tenant of resolver.knownTenants()) operations.checkTenantConfiguration(tenant);
  return { tenants, resolver, operations, demo };
});

const scimBaseUrl = process.env.SCIM_BASE_URL ?? '';
const readOnly = process.env.SCIM_MCP_READ_ONLY === '1';
const onError = (error: unknown): void => console.error('MCP tool failed:', error);

/** Closes the storage (a PostgreSQL pool, or PGlite's files), then exits. */
const exit = (code: number): Promise<never> => store.close().finally(() => process.exit(code)) as Promise<never>;

if (stdio) {
  try {
    const server = await connectScimMcpStdio(operations, { tenantResolver: resolver, token: process.env.SCIM_TENANT_TOKEN, scimBaseUrl, readOnly, onError });
    console.error('SCIM MCP server on stdio');
    const stop = (): void => void server.close().finally(() => exit(0));
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    process.stdin.on('end', stop);
  } catch (error) {
    console.error(`Refused: ${isScimError(error) ? error.detail : String(error)}`);
    await exit(1);
  }
} else {
  const mcp = new ScimMcpHttpHandler(operations, { tenantResolver: resolver, scimBaseUrl, readOnly, onError });
  // The same timeouts, header limit and connection cap as the SCIM example server; the SSE streams
  // of MCP send a keep-alive comment every 15 s, within the 30 s idle timeout.
  const server = createNodeServer((req, res) => {
    if (new URL(req.url ?? '/', 'http://localhost').pathname === '/mcp') void mcp.node(req, res);
    else res.writeHead(404, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: 'The MCP endpoint is /mcp' }));
  }, limitsFromEnv());
  const stop = (signal: string): void => {
    console.log(`${signal}: closing MCP sessions`);
    server.close();
    void mcp.close().finally(() => exit(0));
    server.closeAllConnections();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  server.listen(Number(process.env.PORT ?? 8090), '127.0.0.1', () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : process.env.PORT;
    console.log(`SCIM MCP server listening on http://127.0.0.1:${port}/mcp`);
    if (demo) {
      console.log('Demo tenants (Authorization: Bearer <token>):');
      for (const t of tenants) console.log(`  ${t.id.padEnd(14)} ${t.token}`);
    } else {
      console.log(`Tenants from ${process.env.SCIM_TENANTS}: ${tenants.map((t) => t.id).join(', ')}`);
    }
  });
}
