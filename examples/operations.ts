/**
 * The three organisations of the main example, driven through `ScimOperationHandler` only: no HTTP,
 * no paths, no headers, no tokens. This is how an MCP tool, a queue consumer, a command-line tool or
 * a test talks to scim-server when it already knows its tenant, and it gets every guarantee an HTTP
 * request gets: permissions, quotas, preconditions and the audit trail.
 *
 *   npx tsx examples/operations.ts
 *
 * Prints what happens and the audit events, and exits non-zero if any check fails.
 */
import {
  callbackAuditSink,
  GROUP_SCHEMA_URI,
  PATCH_OP_SCHEMA,
  ScimOperationHandler,
  TokenBucketRateLimiter,
  USER_SCHEMA_URI,
  type AuditEvent,
  type ScimOperationRequest,
  type ScimOperationResponse,
  type TenantContext,
} from 'scim-server';
import { demoTenants } from './demo-tenants.js';

const events: AuditEvent[] = [];
// Trial Customer C has a rate limit: the handler needs a limiter to enforce it (without one it
// would refuse to serve that tenant rather than let it through unlimited).
const operations = new ScimOperationHandler({ audit: callbackAuditSink((event) => void events.push(event)), rateLimiter: new TokenBucketRateLimiter() });

// The caller knows its tenants: here, the organisations of examples/multi-tenant.ts, each with its
// isolation level, permissions and quotas, and the base URL its resources' locations start with.
const tenants = new Map<string, TenantContext>(
  demoTenants().map((t) => [
    t.id,
    {
      tenantId: t.id,
      clientId: `${t.id}-sync-job`,
      isolationLevel: t.isolationLevel ?? 'standard',
      permissions: t.permissions ?? {},
      baseUrl: `https://scim.example.com/tenants/${t.id}/scim/v2`,
    },
  ]),
);

let checks = 0;
let failed = 0;
function check(ok: boolean, what: string): void {
  checks++;
  if (!ok) failed++;
  console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${what}`);
}

let sequence = 0;
/** Runs one operation for a tenant, with a request id of its own. */
function run(tenantId: string, request: Omit<ScimOperationRequest, 'tenant' | 'requestId'>): Promise<ScimOperationResponse> {
  const tenant = tenants.get(tenantId);
  if (!tenant) throw new Error(`unknown tenant ${tenantId}`);
  return operations.handle({ ...request, tenant, requestId: `job-${++sequence}` });
}

function idOf(r: ScimOperationResponse): string {
  if (r.kind !== 'resource') throw new Error(`expected a resource, got ${r.kind} ${r.status}`);
  return String(r.resource.id);
}

function refusal(r: ScimOperationResponse): string {
  return r.kind === 'error' ? `${r.status} ${r.error.reason ?? r.error.scimType ?? ''}: ${r.error.detail}` : `${r.status} (no refusal)`;
}

const user = (userName: string) => ({ schemas: [USER_SCHEMA_URI], userName });

console.log('Provisioning, as a sync job would:');
const alice = idOf(await run('enterprise-a', { operation: 'create', resourceType: 'User', data: user('alice') }));
const team = await run('enterprise-a', { operation: 'create', resourceType: 'Group', data: { schemas: [GROUP_SCHEMA_URI], displayName: 'Platform' } });
const added = await run('enterprise-a', {
  operation: 'patch',
  resourceType: 'Group',
  id: idOf(team),
  data: { schemas: [PATCH_OP_SCHEMA], Operations: [{ op: 'add', path: 'members', value: [{ value: alice }] }] },
});
check(added.kind === 'none' && added.status === 204, 'A adds alice to a group: 204, no body, the new version');
for (const name of ['bob', 'carla', 'dan']) await run('startup-b', { operation: 'create', resourceType: 'User', data: user(name) });
const carol = idOf(await run('trial-c', { operation: 'create', resourceType: 'User', data: user('carol') }));

console.log('A quota refusal:');
const fourth = await run('startup-b', { operation: 'create', resourceType: 'User', data: user('erin') });
check(fourth.status === 403 && refusal(fourth).includes('maxUsers'), `B's 4th user is refused: ${refusal(fourth)}`);

console.log('Permission refusals:');
const listed = await run('startup-b', { operation: 'list', resourceType: 'User', query: { filter: 'userName eq "bob"' } });
const bob = listed.kind === 'list' ? String(listed.list.Resources[0]?.id) : '';
const deleted = await run('startup-b', { operation: 'delete', resourceType: 'User', id: bob });
check(deleted.status === 403 && refusal(deleted).includes('canDelete'), `B may not delete: ${refusal(deleted)}`);
const renamed = await run('trial-c', { operation: 'replace', resourceType: 'User', id: carol, data: user('caroline') });
check(renamed.status === 403 && refusal(renamed).includes('canUpdate'), `C may not update: ${refusal(renamed)}`);

console.log('Preconditions:');
const stale = await run('enterprise-a', { operation: 'replace', resourceType: 'User', id: alice, data: user('alice.b'), ifMatch: 'W/"7"' });
check(stale.status === 412, `A's replace against a version it no longer has is refused: ${refusal(stale)}`);
const current = await run('enterprise-a', { operation: 'replace', resourceType: 'User', id: alice, data: user('alice.b'), ifMatch: 'W/"1"' });
check(current.kind === 'resource' && current.version === 'W/"2"', 'the same replace against the current version succeeds, now W/"2"');
const unchanged = await run('enterprise-a', { operation: 'get', resourceType: 'User', id: alice, ifNoneMatch: 'W/"2"' });
check(unchanged.status === 304, 'a read with the version the caller holds answers "not modified"');

console.log('Isolation:');
const foreign = await run('startup-b', { operation: 'get', resourceType: 'User', id: alice });
check(foreign.status === 404, "B reading A's user by id finds nothing (404)");
const everyone = await run('startup-b', { operation: 'search', query: { count: 50 } });
check(everyone.kind === 'list' && everyone.list.totalResults === 3, "a search across every type finds only B's 3 users");

console.log('The audit trail:');
for (const e of events) {
  console.log(
    `  ${e.requestId.padEnd(7)} ${e.tenantId.padEnd(13)} ${e.clientId?.padEnd(24)} ${e.action.padEnd(8)} ${e.outcome.padEnd(8)} ${e.status} ${e.reason ?? ''}`,
  );
}
const refused = events.filter((e) => e.outcome === 'refused').map((e) => e.reason);
check(JSON.stringify(refused) === JSON.stringify(['maxUsers', 'canDelete', 'canUpdate', 'If-Match']), `every refusal is an audit event: ${refused.join(', ')}`);
check(
  events.every((e) => e.clientId === `${e.tenantId}-sync-job`),
  'every event names the tenant and the client that acted',
);

console.log(failed === 0 ? `Operations: all ${checks} checks passed.` : `Operations: ${failed} of ${checks} checks FAILED.`);
if (failed > 0) process.exitCode = 1;
