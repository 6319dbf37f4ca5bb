/**
 * Every change has exactly one audit row, also when the process making it is killed in the middle
 * of requests: a server process writing through the audit outbox is killed with SIGKILL while its
 * transactions are open, and afterwards each resource's stored versions are exactly its audit rows'
 * versions, every audit row of a change has its change, and each tenant's sequence has no gap.
 */
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describePostgresServer, freshDatabase } from '../../helpers/postgres-server.js';
import { readyOrigin, type Started, start } from '../../helpers/processes.js';

const root = join(import.meta.dirname, '..', '..', '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const TENANTS = [
  ['audit-shared', 'shared-token'],
  ['audit-standard', 'standard-token'],
  ['audit-strict', 'strict-token'],
] as const;

function startWorker(env: Record<string, string>): Promise<{ process: Started; origin: string }> {
  const worker = start(tsx, [join(import.meta.dirname, 'fixtures', 'audit-worker.ts')], { cwd: root, env: { ...process.env, ...env } });
  return readyOrigin(worker, 'the worker').then((origin) => ({ process: worker, origin }));
}

interface Row {
  tenant_id: string;
  sequence: string;
  event: { outcome: string; action: string; resourceType?: string; resourceId?: string; version?: string };
}

describePostgresServer('audit outbox through a SIGKILL', () => {
  let db: { url: string; drop: () => Promise<void> } | undefined;
  let victim: { process: Started; origin: string } | undefined;

  beforeAll(async () => {
    db = await freshDatabase('audit_kill');
    victim = await startWorker({ DATABASE_URL: db.url, WORKER_NAME: 'audit-victim' });
  }, 90_000);

  afterAll(async () => {
    victim?.process.stop();
    await db?.drop();
  });

  it('leaves exactly one audit row per committed change, no row without its change, and no gap', async () => {
    const { origin } = victim as { origin: string };
    const call = async (token: string, method: string, path: string, body?: unknown) => {
      const r = await fetch(`${origin}/scim/v2${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await r.text();
      return { status: r.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
    };
    let stop = false;
    let completed = 0;
    const pump = async (k: number) => {
      const [, token] = TENANTS[k % TENANTS.length] as readonly [string, string];
      let group: string | undefined;
      for (let n = 0; !stop; n++) {
        try {
          const made = await call(token, 'POST', '/Users', { schemas: [USER], userName: `p${k}-${n}` });
          const id = String(made.body.id);
          await call(token, 'POST', '/Users', { schemas: [USER], userName: `p${k}-${n}` }); // a conflict: a failed change
          await call(token, 'PUT', `/Users/${id}`, { schemas: [USER], userName: `p${k}-${n}`, displayName: `n${n}` });
          await call(token, 'PATCH', `/Users/${id}`, { schemas: [PATCH], Operations: [{ op: 'replace', path: 'active', value: n % 2 === 0 }] });
          if (group === undefined) group = String((await call(token, 'POST', '/Groups', { schemas: [GROUP], displayName: `g${k}` })).body.id);
          await call(token, 'PATCH', `/Groups/${group}`, { schemas: [PATCH], Operations: [{ op: 'add', path: 'members', value: [{ value: id }] }] });
          if (n % 3 === 0) await call(token, 'DELETE', `/Users/${id}`);
          completed++;
        } catch {
          // the process is gone
        }
      }
    };
    const pumps = Array.from({ length: 9 }, (_, k) => pump(k));
    const admin = new pg.Client({ connectionString: db?.url });
    await admin.connect();
    try {
      const until = Date.now() + 60_000;
      while (completed < 12 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(completed, 'the victim completed writes before it was killed').toBeGreaterThanOrEqual(12);
      let inFlight = 0;
      while (inFlight === 0 && Date.now() < until) {
        const r = await admin.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'audit-victim' AND backend_xid IS NOT NULL");
        inFlight = Number(r.rows[0]?.n ?? 0);
      }
      expect(inFlight, 'the victim was writing when it was killed').toBeGreaterThan(0);
      victim?.process.signal('SIGKILL');
      stop = true;
      await Promise.allSettled(pumps);
      for (let i = 0; i < 100; i++) {
        const r = await admin.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'audit-victim'");
        if (Number(r.rows[0]?.n) === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await checkTrail(admin);
    } finally {
      await admin.end();
    }
  }, 120_000);
});

/** The checks: resources against audit rows, for every tenant and placement. */
async function checkTrail(admin: pg.Client): Promise<void> {
  const schemas = (await admin.query('SELECT schema_name FROM scim.scim_tenants')).rows.map((r) => String(r.schema_name));
  const resources = new Map<string, number>();
  for (const schema of new Set(schemas)) {
    const { rows } = await admin.query(`SELECT tenant_id, resource_type, id, version::int AS version FROM "${schema}".scim_resources`);
    for (const r of rows) resources.set(`${r.tenant_id}/${r.resource_type}/${r.id}`, Number(r.version));
  }
  const rows = (await admin.query('SELECT e.tenant_id, e.sequence::text AS sequence, e.event FROM scim.scim_audit_events e ORDER BY e.tenant_id, e.sequence'))
    .rows as Row[];
  expect(rows.length).toBeGreaterThan(0);
  for (const [tenant] of TENANTS) {
    const sequences = rows.filter((r) => r.tenant_id === tenant).map((r) => Number(r.sequence));
    expect(sequences, `${tenant}: one sequence without gaps`).toEqual(sequences.map((_, i) => i + 1));
  }
  const changes = new Map<string, { versions: number[]; deleted: number }>();
  for (const { tenant_id, event } of rows) {
    if (event.outcome !== 'success' || event.resourceId === undefined) continue;
    const key = `${tenant_id}/${event.resourceType}/${event.resourceId}`;
    const entry = changes.get(key) ?? { versions: [], deleted: 0 };
    if (event.action === 'delete') entry.deleted++;
    else entry.versions.push(Number(/^W\/"(\d+)"$/.exec(event.version ?? '')?.[1]));
    changes.set(key, entry);
  }
  let checked = 0;
  for (const [key, version] of resources) {
    const entry = changes.get(key);
    // Every committed change of a resource has exactly one row: its versions 1..n, each once.
    expect(entry?.versions, key).toEqual(Array.from({ length: version }, (_, i) => i + 1));
    expect(entry?.deleted, key).toBe(0);
    checked++;
  }
  for (const [key, entry] of changes) {
    if (resources.has(key)) continue;
    // A row of a change whose resource is gone has its change: the resource was deleted, once, after its versions.
    expect(entry.deleted, `${key} has audit rows but no resource and no delete`).toBe(1);
    expect(entry.versions, key).toEqual(entry.versions.map((_, i) => i + 1));
  }
  expect(checked).toBeGreaterThan(12);
  const failed = rows.filter((r) => r.event.outcome === 'failed' && r.event.action === 'create');
  expect(failed.length, 'the conflicting creates are recorded as failures').toBeGreaterThan(0);
}
