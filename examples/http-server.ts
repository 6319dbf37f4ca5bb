/**
 * A SCIM 2.0 server over node:http, multi-tenant by bearer token.
 *
 *   PORT=8080 SCIM_TENANTS=tenants.json npx tsx examples/http-server.ts
 *
 * - Listens on 127.0.0.1:$PORT (default 8080); the SCIM base URL is /scim/v2, and each tenant also
 *   has its own base URL /tenants/{tenantId}/scim/v2 (the token must belong to that tenant).
 * - $SCIM_TENANTS names a JSON file:
 *   {"tenants":[{"id":"acme","token":"secret-a","isolationLevel":"standard","permissions":{"maxUsers":2,"canDelete":false}}]}
 *   Each tenant may also have "tokens" (several, for rotation), "clientId", "settings"
 *   ({"patchTolerances": {...}, "groupPatchResponse": "resource"}), "permissions.rateLimit"
 *   ({"requestsPerSecond": 5, "burst": 10}) and "extensions": [{"resourceType": "User", "schema": <SCIM schema>}].
 *   Without it, the three demo tenants of examples/multi-tenant.ts are served and their tokens printed.
 *   A file that cannot be read or parsed (the message gives the line and column), or a definition
 *   with a mistake (a misspelt permission, a duplicate id, ...: the message names the tenant and the
 *   key), stops the server before it listens, with exit status 1.
 * - $SCIM_MAX_REQUESTS, when set, stops the server after that many requests (for scripted checks).
 * - Slow and idle clients are closed: headers must arrive within $SCIM_HEADERS_TIMEOUT_MS (default
 *   10000), a whole request within $SCIM_REQUEST_TIMEOUT_MS (30000); a keep-alive connection waits
 *   $SCIM_KEEP_ALIVE_TIMEOUT_MS (5000) for its next request, and any connection silent for
 *   $SCIM_IDLE_TIMEOUT_MS (30000) is closed. Headers are at most $SCIM_MAX_HEADER_BYTES (16384; more
 *   is 431), and at most $SCIM_MAX_CONNECTIONS (1024) connections are open at once. A request
 *   without a valid token is answered 401 before any of its body is read.
 * - $SCIM_AUDIT=1 writes the audit trail to stderr as JSON lines.
 * - GET /readyz, outside the SCIM base path, answers 200 while the server takes requests and 503
 *   once it is shutting down (for a load balancer's or Kubernetes' readiness probe).
 * - SIGTERM or SIGINT shut it down gracefully: it stops accepting connections, finishes the
 *   requests in flight (for at most $SCIM_SHUTDOWN_GRACE_MS, default 10000) and exits 0.
 * - Storage (examples/storage-from-env.ts): $DATABASE_URL → PostgreSQL, $SCIM_DATA_DIR → PGlite
 *   kept in that directory, neither → memory. It prints which. Several processes on one
 *   $DATABASE_URL must share $SCIM_CURSOR_SECRET, so a cursor one issues pages on the others.
 */
import {
  ScimServer,
  StaticTenantResolver,
  TokenBucketRateLimiter,
  basePathLocator,
  functionLocator,
  jsonLinesAuditSink,
  pathTenantLocator,
} from '../src/index.js';
import { createNodeServer, toNodeHandler } from '../src/adapters/node.js';
import { limitsFromEnv } from './node-limits-from-env.js';
import { storageFromEnv } from './storage-from-env.js';
import { addTenantExtensions, configureOrExit, loadTenants } from './tenants-file.js';

const store = await storageFromEnv();

// A mistake in the tenants file or the configuration stops here, naming it, with exit status 1.
const { scim, tenants, demo } = configureOrExit(() => {
  const { tenants, definitions, demo } = loadTenants();
  const plain = basePathLocator('/scim/v2');
  const perTenant = pathTenantLocator('/tenants/{tenantId}/scim/v2');
  const scim = new ScimServer({
    tenantResolver: new StaticTenantResolver(definitions),
    storage: store.storage,
    ...(process.env.SCIM_CURSOR_SECRET ? { cursorSecret: process.env.SCIM_CURSOR_SECRET } : {}),
    locator: functionLocator((input) => perTenant.locate(input) ?? plain.locate(input)),
    rateLimiter: new TokenBucketRateLimiter(),
    ...(process.env.SCIM_AUDIT === '1' ? { audit: jsonLinesAuditSink(process.stderr) } : {}),
    onError: (error, { requestId }) => console.error(`request ${requestId} failed:`, error),
  });
  addTenantExtensions(scim.schemas, tenants);
  return { scim, tenants, demo };
});

const port = Number(process.env.PORT ?? 8080);
const maxRequests = process.env.SCIM_MAX_REQUESTS ? Number(process.env.SCIM_MAX_REQUESTS) : Infinity;
let served = 0;
let shuttingDown = false;
const handler = toNodeHandler(scim);
const server = createNodeServer((req, res) => {
  if (req.url === '/readyz' && (req.method === 'GET' || req.method === 'HEAD')) {
    res.writeHead(shuttingDown ? 503 : 200, { 'Content-Type': 'application/json', ...(shuttingDown ? { Connection: 'close' } : {}) });
    res.end(JSON.stringify({ status: shuttingDown ? 'shutting down' : 'ready' }));
    return;
  }
  served++;
  // Once shutting down, a connection closes after its response instead of waiting for another request.
  if (shuttingDown) res.setHeader('Connection', 'close');
  res.on('finish', () => {
    if (served >= maxRequests) server.close(() => void store.close());
    // While shutting down, the connection this response leaves idle is closed too.
    if (shuttingDown) server.closeIdleConnections();
  });
  handler(req, res);
}, limitsFromEnv());

/** Stops accepting connections, lets the requests in flight finish, then exits 0. */
function shutDown(signal: string): void {
  if (shuttingDown) return;
  shuttingDown = true;
  console.log(`${signal}: shutting down, finishing requests in flight`);
  const grace = Number(process.env.SCIM_SHUTDOWN_GRACE_MS ?? 10_000);
  const deadline = setTimeout(() => {
    console.error(`requests still running after ${grace} ms: closing their connections`);
    server.closeAllConnections();
  }, grace);
  deadline.unref();
  server.close(() => {
    console.log('SCIM server stopped');
    store.close().finally(() => process.exit(0));
  });
  // Keep-alive connections with no request in flight close now; the others after their response.
  server.closeIdleConnections();
}
process.on('SIGTERM', () => shutDown('SIGTERM'));
process.on('SIGINT', () => shutDown('SIGINT'));

server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  console.log(`Storage: ${store.description}`);
  console.log(`SCIM server listening on http://127.0.0.1:${actual}/scim/v2`);
  console.log(`Each tenant also has its own base URL: http://127.0.0.1:${actual}/tenants/{tenantId}/scim/v2`);
  if (demo) {
    console.log('Demo tenants (Authorization: Bearer <token>):');
    for (const t of tenants) console.log(`  ${t.id.padEnd(14)} ${t.token}`);
    console.log('(trial-c is rate-limited to 1 request/s with a burst of 10.)');
  } else {
    console.log(`Tenants from ${process.env.SCIM_TENANTS}: ${tenants.map((t) => t.id).join(', ')}`);
  }
});
