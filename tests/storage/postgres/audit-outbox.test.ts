/**
 * The audit trail as durable data: with `auditOutbox`, PostgresStorage writes each change's audit
 * events in the change's own transaction, PostgresAuditLog's sink writes every other event, and
 * each event is exactly one row of its tenant's trail, read back in order with paging and pruned
 * by a retention policy.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuditEvent, callbackAuditSink, ScimServer, StaticTenantResolver } from '../../../src/index.js';
import { type AuditLogEntry, openPGlite, PostgresAuditLog, PostgresStorage, type SqlClient } from '../../../src/storage/postgres/index.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const TENANTS = ['shared', 'standard', 'strict'] as const;

interface Setup {
  client: SqlClient;
  log: PostgresAuditLog;
  scim: ScimServer;
  seen: AuditEvent[];
}

async function setup(outbox: boolean): Promise<Setup> {
  const client = await openPGlite();
  const storage = new PostgresStorage(client, { auditOutbox: outbox });
  await storage.migrate();
  const log = new PostgresAuditLog(client);
  const seen: AuditEvent[] = [];
  const resolver = new StaticTenantResolver(
    TENANTS.map((level) => ({ id: level, token: `${level}-token`, isolationLevel: level, permissions: { maxUsers: 3 } })),
  );
  await resolver.whenReady();
  const scim = new ScimServer({ tenantResolver: resolver, storage, audit: [log.sink(), callbackAuditSink((e) => void seen.push(e))] });
  return { client, log, scim, seen };
}

async function call(s: Setup, tenant: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const r = await s.scim.handle({
    method,
    path: `/scim/v2${path}`,
    headers: { authorization: `Bearer ${tenant}-token`, 'content-type': 'application/scim+json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: r.status, body: (r.body ?? {}) as Record<string, unknown> };
}

/** Creates, replaces, patches (deactivating), deletes a member, and fails and is refused on the way. */
async function workload(s: Setup, tenant: string): Promise<{ users: string[]; group: string }> {
  const users: string[] = [];
  for (let i = 0; i < 3; i++) {
    const r = await call(s, tenant, 'POST', '/Users', { schemas: [USER], userName: `u${i}` });
    expect(r.status).toBe(201);
    users.push(String(r.body.id));
  }
  expect((await call(s, tenant, 'POST', '/Users', { schemas: [USER], userName: 'u0' })).status).toBe(409);
  const group = await call(s, tenant, 'POST', '/Groups', { schemas: [GROUP], displayName: 'g', members: users.map((value) => ({ value })) });
  expect(group.status).toBe(201);
  const [u0, u1] = users as [string, string];
  expect((await call(s, tenant, 'PUT', `/Users/${u0}`, { schemas: [USER], userName: 'u0', displayName: 'Zero' })).status).toBe(200);
  expect((await call(s, tenant, 'PATCH', `/Users/${u0}`, { schemas: [PATCH], Operations: [{ op: 'replace', path: 'active', value: false }] })).status).toBe(
    200,
  );
  expect((await call(s, tenant, 'PUT', `/Users/${u0}`, { schemas: [USER], userName: 'u0' }, { 'if-match': 'W/"1"' })).status).toBe(412);
  expect((await call(s, tenant, 'DELETE', `/Users/${u1}`)).status).toBe(204);
  expect((await call(s, tenant, 'POST', '/Users', { schemas: [USER], userName: 'u3' })).status).toBe(201);
  expect((await call(s, tenant, 'POST', '/Users', { schemas: [USER], userName: 'u4' })).status).toBe(403);
  return { users, group: String(group.body.id) };
}

/** JSON with keys in order at every level (jsonb keeps its own key order). */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

async function readAll(log: PostgresAuditLog, tenant: string, limit = 1000): Promise<AuditLogEntry[]> {
  const out: AuditLogEntry[] = [];
  let after = 0;
  for (;;) {
    const page = await log.read(tenant, { after, limit });
    out.push(...page.entries);
    if (page.next === undefined) return out;
    after = page.next;
  }
}

/** Every stored change of a resource, by resource: its versions in sequence order. */
function versionsByResource(entries: readonly AuditLogEntry[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const { event } of entries) {
    if (event.outcome !== 'success' || event.resourceId === undefined || event.version === undefined) continue;
    const key = `${event.resourceType}/${event.resourceId}`;
    out.set(key, [...(out.get(key) ?? []), event.version]);
  }
  return out;
}

describe.each([true, false])('audit trail in PostgreSQL (PGlite), auditOutbox %s', (outbox) => {
  let s: Setup;
  beforeAll(async () => {
    s = await setup(outbox);
  }, 60_000);
  afterAll(async () => {
    await s?.client.close?.();
  });

  it('every event is exactly one row of its tenant, in sequence order without gaps, and changes carry their versions', async () => {
    const made = new Map<string, { users: string[]; group: string }>();
    for (const tenant of TENANTS) made.set(tenant, await workload(s, tenant));
    for (const tenant of TENANTS) {
      const entries = await readAll(s.log, tenant);
      const seen = s.seen.filter((e) => e.tenantId === tenant);
      expect(entries.map((e) => e.sequence)).toEqual(entries.map((_, i) => i + 1));
      // Exactly one row per event the server emitted, and the same event.
      expect(entries).toHaveLength(seen.length);
      const key = (e: object) => canonical({ ...e, sequence: undefined });
      expect(entries.map((e) => key(e.event)).sort()).toEqual(seen.map((e) => key(e)).sort());
      // With the outbox, every successful change reached the other sinks with its stored position.
      const changes = seen.filter((e) => e.outcome === 'success');
      if (outbox) for (const e of changes) expect(e.sequence, `${e.action} ${e.resourceId}`).toBeGreaterThan(0);
      else for (const e of seen) expect(e.sequence).toBeUndefined();
      expect(entries.filter((e) => e.event.outcome !== 'success').map((e) => [e.event.action, e.event.status])).toEqual([
        ['create', 409],
        ['replace', 412],
        ['create', 403],
      ]);
      const { users, group } = made.get(tenant) as { users: string[]; group: string };
      const versions = versionsByResource(entries);
      expect(versions.get(`User/${users[0]}`)).toEqual(['W/"1"', 'W/"2"', 'W/"3"']);
      expect(versions.get(`Group/${group}`)).toEqual(['W/"1"', 'W/"2"']);
      const lost = entries.find((e) => e.event.resourceId === group && e.event.causedBy);
      expect(lost?.event).toMatchObject({ action: 'members', causedBy: { action: 'delete', resourceId: users[1] } });
      const deactivated = entries.find((e) => e.event.action === 'patch');
      expect(deactivated?.event).toMatchObject({ resourceId: users[0], active: false, changed: ['active'] });
    }
  }, 60_000);

  it('pages through a tenant trail in order, and no page shows another tenant', async () => {
    const all = await readAll(s.log, 'standard');
    const paged = await readAll(s.log, 'standard', 2);
    expect(paged).toEqual(all);
    const first = await s.log.read('standard', { limit: 2 });
    expect(first.next).toBe(2);
    expect((await s.log.read('standard', { after: all.length })).entries).toEqual([]);
    expect(all.every((e) => e.event.tenantId === 'standard')).toBe(true);
    expect((await s.log.read('nobody')).entries).toEqual([]);
    await expect(s.log.read('standard', { limit: 0 })).rejects.toThrow(/"limit"/);
    await expect(s.log.read('standard', { after: -1 })).rejects.toThrow(/"after"/);
  });
});

describe('audit retention', () => {
  let s: Setup;
  beforeAll(async () => {
    s = await setup(true);
    for (const tenant of TENANTS) await workload(s, tenant);
  }, 60_000);
  afterAll(async () => {
    await s?.client.close?.();
  });

  it('keeps the N latest events of each tenant', async () => {
    const before = await readAll(s.log, 'shared');
    const deleted = await s.log.prune({ keep: 5 });
    for (const tenant of TENANTS) {
      const after = await readAll(s.log, tenant);
      expect(after.map((e) => e.sequence)).toEqual(before.slice(-5).map((e) => e.sequence));
    }
    expect(deleted).toBe(3 * (before.length - 5));
  });

  it('deletes events older than N days, configured on the log, and nothing newer', async () => {
    const log = new PostgresAuditLog(s.client, { retention: { days: 30 } });
    const kept = await readAll(log, 'strict');
    await s.client.query("UPDATE scim.scim_audit_events SET recorded = now() - interval '31 days' WHERE tenant_id = 'strict' AND sequence <= $1", [
      kept[1]?.sequence,
    ]);
    expect(await log.prune()).toBe(2);
    expect((await readAll(log, 'strict')).map((e) => e.sequence)).toEqual(kept.slice(2).map((e) => e.sequence));
    expect(await log.prune()).toBe(0);
  });

  it('refuses a retention policy it cannot apply, naming the key', () => {
    expect(() => new PostgresAuditLog(s.client, { retention: { days: 0 } })).toThrow(/"retention.days"/);
    expect(() => new PostgresAuditLog(s.client, { retention: { keep: 1.5 } })).toThrow(/"retention.keep"/);
    expect(() => new PostgresAuditLog(s.client, { retention: { dayz: 3 } as never })).toThrow(/"retention.dayz"/);
    expect(() => new PostgresStorage(s.client, { auditOutbox: 'yes' as never })).toThrow(/"auditOutbox"/);
  });
});
