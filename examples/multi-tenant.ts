/**
 * Three customer organisations on one SCIM server, with real isolation between them.
 *
 *   npx tsx examples/multi-tenant.ts
 *
 * Runs without a socket: every request goes through `server.handle()`, exactly as an HTTP adapter
 * would send it. Shows quotas, permissions, a rate limit, a trial that expires, a tenant's own base
 * URL and schema extension, removing a tenant, and the audit trail; then every organisation tries
 * every endpoint on the others' resources. Prints a report and exits non-zero if any check fails.
 */
import {
  ScimServer,
  StaticTenantResolver,
  TokenBucketRateLimiter,
  basePathLocator,
  callbackAuditSink,
  functionLocator,
  pathTenantLocator,
  type AuditEvent,
  type ScimResponse,
} from '../src/index.js';
import { demoTenants } from './demo-tenants.js';

const DAY = 24 * 60 * 60 * 1000;
let clock = new Date();
const tenants = demoTenants(clock);
const token: Record<string, string> = Object.fromEntries(tenants.map((t) => [t.id, t.token as string]));
const names: Record<string, string> = {
  'enterprise-a': 'Enterprise Customer A',
  'startup-b': 'Startup Customer B',
  'trial-c': 'Trial Customer C',
};

const resolver = new StaticTenantResolver(tenants);
const audit: AuditEvent[] = [];
const plain = basePathLocator('/scim/v2');
const perTenant = pathTenantLocator('/tenants/{tenantId}/scim/v2');
const server = new ScimServer({
  tenantResolver: resolver,
  // Each tenant may use /scim/v2 or its own /tenants/{id}/scim/v2; the token must match the URL.
  locator: functionLocator((input) => perTenant.locate(input) ?? plain.locate(input)),
  rateLimiter: new TokenBucketRateLimiter({ now: () => clock.getTime() }),
  audit: callbackAuditSink((event) => void audit.push(event)),
  now: () => clock,
});

// Enterprise A provisions an attribute of its own, which no other tenant knows about.
const ACME_EXT = 'urn:example:params:scim:schemas:extension:enterprise-a:2.0:User';
server.schemas.addTenantExtension('enterprise-a', 'User', {
  id: ACME_EXT,
  name: 'EnterpriseAUser',
  attributes: [
    {
      name: 'costCenter',
      type: 'string',
      multiValued: false,
      required: false,
      caseExact: false,
      mutability: 'readWrite',
      returned: 'default',
      uniqueness: 'none',
    },
  ],
});

type Body = Record<string, unknown>;

async function call(tenant: string, method: string, path: string, body?: unknown, query?: Record<string, string>, base = '/scim/v2'): Promise<ScimResponse> {
  return server.handle({
    method,
    path: `${base}${path}`,
    headers: { authorization: `Bearer ${token[tenant]}`, 'content-type': 'application/scim+json' },
    ...(query ? { query } : {}),
    ...(body !== undefined ? { body } : {}),
  });
}

function user(userName: string, given: string, family: string): Body {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    userName,
    name: { givenName: given, familyName: family },
    emails: [{ value: userName, type: 'work', primary: true }],
    active: true,
  };
}

function detail(r: ScimResponse): string {
  const b = r.body as Body | undefined;
  return typeof b?.detail === 'string' ? b.detail : '';
}

/**
 * An id, shortened for the report to its last 8 characters: ids are time-ordered UUIDs (version 7)
 * whose first characters are the creation time, the same for everything made in the same minute;
 * the random end tells them apart.
 */
const shortId = (id: unknown) => `…${String(id).slice(-8)}`;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

const lines: string[] = [];
function say(text = ''): void {
  lines.push(text);
  console.log(text);
}

let checks = 0;
const failures: string[] = [];
/** Records a check; prints it unless `quiet` (the isolation sweep prints one summary per pair). */
function check(ok: boolean, what: string, quiet = false): void {
  checks++;
  if (!ok) failures.push(what);
  if (!quiet || !ok) say(`    ${ok ? 'ok  ' : 'FAIL'} ${what}`);
}

const ids: Record<string, { users: string[]; groups: string[]; userNames: string[] }> = {};

say('scim-server: three customer organisations on one server');
say('='.repeat(60));

// 1. Each organisation provisions users and a group.
for (const t of tenants) {
  const p = t.permissions ?? {};
  say(
    `\n${names[t.id]} (${t.id}): isolation ${t.isolationLevel}, maxUsers ${p.maxUsers ?? '∞'}, maxGroups ${p.maxGroups ?? '∞'}` +
      `${p.canDelete === false ? ', no delete' : ''}${p.canUpdate === false ? ', no update' : ''}${p.expiresAt ? `, trial until ${String(p.expiresAt).slice(0, 10)}` : ''}`,
  );
  ids[t.id] = { users: [], groups: [], userNames: [] };
  const people =
    t.id === 'trial-c'
      ? [['carol@trial-c.example', 'Carol', 'Chen']]
      : [
          ['alice@example.com', 'Alice', 'Andersen'],
          [`bob@${t.id}.example`, 'Bob', 'Berg'],
        ];
  for (const [userName, given, family] of people) {
    const r = await call(t.id, 'POST', '/Users', user(userName as string, given as string, family as string));
    const b = r.body as Body;
    say(`  POST /Users ${userName} -> ${r.status}${r.status === 201 ? ` id ${shortId(b.id)}` : ` ${detail(r)}`}`);
    if (r.status === 201) {
      ids[t.id]!.users.push(b.id as string);
      ids[t.id]!.userNames.push(userName as string);
    }
  }
  const g = await call(t.id, 'POST', '/Groups', {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
    displayName: 'Engineering',
    members: ids[t.id]!.users.map((value) => ({ value })),
  });
  say(`  POST /Groups Engineering with ${ids[t.id]!.users.length} members -> ${g.status}${g.status === 201 ? '' : ` ${detail(g)}`}`);
  if (g.status === 201) ids[t.id]!.groups.push((g.body as Body).id as string);
}

// Enterprise A: its own base URL and its own schema extension.
say('\nEnterprise Customer A: its own base URL and schema extension');
{
  const r = await call(
    'enterprise-a',
    'POST',
    '/Users',
    {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ACME_EXT],
      userName: 'carl@enterprise-a.example',
      [ACME_EXT]: { costCenter: 'CC-4711' },
    },
    undefined,
    '/tenants/enterprise-a/scim/v2',
  );
  const b = r.body as Body;
  say(`  POST /tenants/enterprise-a/scim/v2/Users -> ${r.status}, location ${String((b.meta as Body).location).replace(String(b.id), '{id}')}`);
  if (r.status === 201) {
    ids['enterprise-a']!.users.push(b.id as string);
    ids['enterprise-a']!.userNames.push('carl@enterprise-a.example');
  }
  const found = await call('enterprise-a', 'GET', '/Users', undefined, { filter: `${ACME_EXT}:costCenter eq "CC-4711"` });
  say(`  filter on ${ACME_EXT.split(':').slice(-3).join(':')}:costCenter -> ${(found.body as Body).totalResults} user`);
  check((found.body as Body).totalResults === 1, 'A filters on its own extension attribute');
  const elsewhere = await call('startup-b', 'GET', `/Schemas/${ACME_EXT}`);
  check(elsewhere.status === 404, "A's extension is not in B's /Schemas");
  const wrongUrl = await call('startup-b', 'GET', '/Users', undefined, undefined, '/tenants/enterprise-a/scim/v2');
  say(`  B's token on A's URL -> ${wrongUrl.status}`);
  check(wrongUrl.status === 401 && !JSON.stringify(wrongUrl.body).includes('carl'), "B's token on A's URL is 401 with no data");
}

// 2. The same userName lives in two organisations.
say('\nThe same userName in two organisations');
{
  const a = await call('enterprise-a', 'GET', '/Users', undefined, { filter: 'userName eq "alice@example.com"' });
  const b = await call('startup-b', 'GET', '/Users', undefined, { filter: 'userName eq "alice@example.com"' });
  const ra = (a.body as Body).Resources as Body[];
  const rb = (b.body as Body).Resources as Body[];
  say(`  enterprise-a finds alice@example.com: ${ra.length} (id ${shortId(ra[0]?.id)})`);
  say(`  startup-b    finds alice@example.com: ${rb.length} (id ${shortId(rb[0]?.id)})`);
  check(ra.length === 1 && rb.length === 1 && ra[0]?.id !== rb[0]?.id, 'alice@example.com exists once in A and once in B, as two different resources');
}

// 3. Startup B reaches its quota and may not delete.
say('\nStartup Customer B: quotas and permissions');
{
  const third = await call('startup-b', 'POST', '/Users', user('dave@startup-b.example', 'Dave', 'Dahl'));
  say(`  POST /Users dave (3rd of 3) -> ${third.status}`);
  if (third.status === 201) ids['startup-b']!.users.push((third.body as Body).id as string);
  const fourth = await call('startup-b', 'POST', '/Users', user('erin@startup-b.example', 'Erin', 'Eck'));
  say(`  POST /Users erin (4th)      -> ${fourth.status} ${detail(fourth)}`);
  check(fourth.status === 403 && detail(fourth).includes('maxUsers'), 'B is refused a 4th user, naming maxUsers');
  const del = await call('startup-b', 'DELETE', `/Users/${ids['startup-b']!.users[0]}`);
  say(`  DELETE /Users/{bob}         -> ${del.status} ${detail(del)}`);
  check(del.status === 403 && detail(del).includes('canDelete'), 'B is refused a delete, naming canDelete');
  const still = await call('startup-b', 'GET', `/Users/${ids['startup-b']!.users[0]}`);
  check(still.status === 200, 'the refused delete left the user in place');
}

// 4. Trial C: minimal access, then the trial ends.
say('\nTrial Customer C: restrictions and expiry');
{
  const patch = await call('trial-c', 'PATCH', `/Users/${ids['trial-c']!.users[0]}`, {
    schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
    Operations: [{ op: 'replace', path: 'active', value: false }],
  });
  say(`  PATCH /Users/{carol}        -> ${patch.status} ${detail(patch)}`);
  check(patch.status === 403, 'C may not update users');
  const group = await call('trial-c', 'GET', '/Groups');
  say(`  GET /Groups                 -> ${group.status}, ${(group.body as Body).totalResults} groups (maxGroups is 0)`);
  check(group.status === 200 && (group.body as Body).totalResults === 0, 'C could not create a group');
  const statuses: number[] = [];
  let retryAfter = '';
  for (let i = 0; i < 12; i++) {
    const r = await call('trial-c', 'GET', '/Users', undefined, { count: '1' });
    statuses.push(r.status);
    if (r.status === 429) retryAfter = r.headers['Retry-After'] ?? '';
  }
  say(`  12 quick GETs (rate limit 1/s, burst 10) -> ${statuses.join(' ')}, Retry-After ${retryAfter} s`);
  check(statuses.includes(429) && Number(retryAfter) >= 1, 'C is rate-limited with 429 and Retry-After');
  clock = new Date(clock.getTime() + 15 * DAY);
  say('  … 15 days later …');
  const after = await call('trial-c', 'GET', `/Users/${ids['trial-c']!.users[0]}`);
  say(`  GET /Users/{carol}          -> ${after.status} ${detail(after)}`);
  check(after.status === 403 && detail(after).includes('expiresAt'), 'C is refused everything after its trial expired');
  const list = await call('trial-c', 'GET', '/Users');
  check(list.status === 403 && !JSON.stringify(list.body).includes('carol'), 'the expired tenant sees no data');
}

// 5. Isolation: every tenant tries every endpoint on every other tenant's resources.
say('\nIsolation: each organisation against the others');
const live = ['enterprise-a', 'startup-b'];
for (const me of live) {
  for (const other of Object.keys(ids)) {
    if (other === me) continue;
    const theirs = ids[other]!;
    const before = checks;
    const failedBefore = failures.length;
    for (const id of theirs.users) {
      const get = await call(me, 'GET', `/Users/${id}`);
      check(get.status === 404, `${me} GET ${other}'s user -> 404 (got ${get.status})`, true);
      const put = await call(me, 'PUT', `/Users/${id}`, user('intruder@example.com', 'I', 'N'));
      check(put.status === 404, `${me} PUT ${other}'s user -> 404 (got ${put.status})`, true);
      const patch = await call(me, 'PATCH', `/Users/${id}`, {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [{ op: 'replace', path: 'active', value: false }],
      });
      check(patch.status === 404, `${me} PATCH ${other}'s user -> 404 (got ${patch.status})`, true);
      const del = await call(me, 'DELETE', `/Users/${id}`);
      check(del.status === 404 || (del.status === 403 && me === 'startup-b'), `${me} DELETE ${other}'s user -> refused (got ${del.status})`, true);
      const byId = await call(me, 'GET', '/Users', undefined, { filter: `id eq "${id}"` });
      check((byId.body as Body).totalResults === 0, `${me} filter id eq ${other}'s user -> 0 results`, true);
      const member = await call(me, 'POST', '/Groups', {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
        displayName: `steal-${id.slice(0, 6)}`,
        members: [{ value: id }],
      });
      check(member.status === 400 || member.status === 403, `${me} cannot make ${other}'s user a member (got ${member.status})`, true);
    }
    for (const id of theirs.groups) {
      const get = await call(me, 'GET', `/Groups/${id}`);
      check(get.status === 404, `${me} GET ${other}'s group -> 404 (got ${get.status})`, true);
      const patch = await call(me, 'PATCH', `/Groups/${id}`, {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [{ op: 'add', path: 'members', value: [{ value: ids[me]!.users[0] }] }],
      });
      check(patch.status === 404, `${me} PATCH ${other}'s group -> 404 (got ${patch.status})`, true);
    }
    for (const userName of theirs.userNames) {
      if (ids[me]!.userNames.includes(userName)) continue;
      const found = await call(me, 'GET', '/Users', undefined, { filter: `userName eq "${userName}"` });
      check((found.body as Body).totalResults === 0, `${me} filter userName eq ${other}'s ${userName} -> 0 results`, true);
    }
    const ran = checks - before;
    const bad = failures.length - failedBefore;
    say(
      `  ${me} -> ${other}'s ${plural(theirs.users.length, 'user')}, ${plural(theirs.groups.length, 'group')}: GET, PUT, PATCH, DELETE, filters, member references: ${bad === 0 ? `${ran} checks ok` : `${bad} of ${ran} FAILED`}`,
    );
  }
  const all = await call(me, 'GET', '/Users', undefined, { count: '200' });
  const listed = ((all.body as Body).Resources as Body[]).map((r) => r.id as string);
  const foreign = listed.filter((id) => !ids[me]!.users.includes(id));
  check(foreign.length === 0 && listed.length === ids[me]!.users.length, `${me} lists exactly its own ${ids[me]!.users.length} users`);
  const search = await call(me, 'POST', '/.search', { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], count: 200 });
  const found = ((search.body as Body).Resources as Body[]).map((r) => r.id as string);
  const own = [...ids[me]!.users, ...ids[me]!.groups];
  check(found.every((id) => own.includes(id)) && found.length === own.length, `${me} POST /.search returns only its own ${own.length} resources`);
}

// Nothing another tenant did changed A's data.
{
  const a = await call('enterprise-a', 'GET', `/Users/${ids['enterprise-a']!.users[0]}`);
  const b = a.body as Body;
  check(b.userName === 'alice@example.com' && b.active === true, "A's user is unchanged after the others' attempts");
  const g = await call('enterprise-a', 'GET', `/Groups/${ids['enterprise-a']!.groups[0]}`);
  const members = ((g.body as Body).members as Body[]).map((m) => m.value);
  check(members.length === 2 && members.every((m) => ids['enterprise-a']!.users.includes(m as string)), "A's group still has exactly its own 2 members");
}

// The trial ends for good: C is removed, with its data; A and B are untouched.
say('\nRemoving Trial Customer C');
{
  resolver.removeTenant('trial-c');
  await server.dropTenant('trial-c');
  const gone = await call('trial-c', 'GET', '/Users');
  say(`  C's token after removal -> ${gone.status}`);
  check(gone.status === 401, "C's token no longer works");
  const a = await call('enterprise-a', 'GET', '/Users', undefined, { count: '0' });
  const b = await call('startup-b', 'GET', '/Users', undefined, { count: '0' });
  check(
    (a.body as Body).totalResults === ids['enterprise-a']!.users.length && (b.body as Body).totalResults === ids['startup-b']!.users.length,
    'A and B keep all their users',
  );
}

say('\nAudit trail');
{
  const by = (outcome: string) => audit.filter((e) => e.outcome === outcome).length;
  say(`  ${audit.length} events: ${by('success')} changes, ${by('refused')} refusals by policy, ${by('failed')} failed changes (the isolation sweep)`);
  for (const e of audit.filter((x) => x.outcome === 'refused').slice(0, 4)) {
    say(`  ${e.tenantId.padEnd(13)} ${e.action.padEnd(7)} ${e.resourceType ?? ''} -> ${e.status} ${e.reason ?? ''}`);
  }
  check(
    audit.every((e) => !JSON.stringify(e).includes('demo-token')),
    'no token appears in any audit event',
  );
  check(
    audit.some((e) => e.reason === 'maxUsers') && audit.some((e) => e.reason === 'rateLimit') && audit.some((e) => e.reason === 'expiresAt'),
    'refusals are audited with the quota or permission that refused them',
  );
}

say('');
say('-'.repeat(60));
if (failures.length === 0) {
  say(`Isolation: all ${checks} checks passed.`);
} else {
  say(`Isolation: ${failures.length} of ${checks} checks FAILED:`);
  for (const f of failures) say(`  - ${f}`);
  process.exitCode = 1;
}
