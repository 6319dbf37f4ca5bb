/**
 * Four ScimServer processes on one database, tenants from the PostgreSQL registry, rate limits
 * shared through it. Two processes learn of changes by notification only (their polling is 10
 * minutes apart), two by polling only (every second, notifications off): a change made through
 * another process (this one) is in force on each within its bound. Four processes together never
 * grant more than the tenant's rate limit.
 */
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connectPostgres, PostgresTenantRegistry, PostgresTenantResolver, pgPoolClient, type SqlClient } from '../../../src/storage/postgres/index.js';
import { describePostgresServer, freshDatabase } from '../../helpers/postgres-server.js';
import { readyOrigin, type Started, start } from '../../helpers/processes.js';

const root = join(import.meta.dirname, '..', '..', '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');

/** The polling workers' interval: the documented bound when notifications are off or lost. */
const POLL_MS = 1000;
/** Time a check itself may take on a loaded machine (one HTTP request, one reload), added to the bound. */
const SLACK_MS = 1000;
/** The listening workers poll every 10 minutes: within this, only a notification can have told them. */
const NOTIFIED_WITHIN_MS = 5000;

interface Worker {
  name: string;
  listens: boolean;
  process: Started;
  origin: string;
}

function startWorker(name: string, env: Record<string, string>, listens: boolean): Promise<Worker> {
  const worker = start(tsx, [join(import.meta.dirname, 'fixtures', 'registry-worker.ts')], {
    cwd: root,
    env: { ...process.env, ...env, WORKER_NAME: name, REGISTRY_LISTEN: listens ? '1' : '0', REGISTRY_POLL_MS: String(listens ? 600_000 : POLL_MS) },
  });
  return readyOrigin(worker, name).then((origin) => ({ name, listens, process: worker, origin }));
}

async function status(w: Worker, token: string): Promise<number> {
  const r = await fetch(`${w.origin}/scim/v2/Users?count=0`, { headers: { authorization: `Bearer ${token}` } });
  await r.arrayBuffer();
  return r.status;
}

/** Milliseconds from now until `w` answers `expected` for `token`, checked every 10 ms (at most 20 s). */
async function timeUntil(w: Worker, token: string, expected: number, since: number): Promise<number> {
  for (;;) {
    if ((await status(w, token)) === expected) return Date.now() - since;
    if (Date.now() - since > 20_000) throw new Error(`${w.name} never answered ${expected}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Every worker's time until it answers `expected`, each checked against its bound. */
async function propagation(workers: Worker[], token: string, expected: number, since: number, what: string): Promise<void> {
  const times = await Promise.all(workers.map((w) => timeUntil(w, token, expected, since)));
  console.log(`${what}: ${workers.map((w, i) => `${w.name} ${times[i]} ms`).join(', ')}`);
  workers.forEach((w, i) => {
    expect(times[i], `${w.name}: ${what}`).toBeLessThanOrEqual(w.listens ? NOTIFIED_WITHIN_MS : POLL_MS + SLACK_MS);
  });
}

describePostgresServer('tenant registry and rate limits across four processes', () => {
  const workers: Worker[] = [];
  let db: { url: string; drop: () => Promise<void> } | undefined;
  let client: SqlClient | undefined;
  let registry: PostgresTenantRegistry;

  beforeAll(async () => {
    db = await freshDatabase('registry');
    client = await connectPostgres(db.url, { max: 2 });
    registry = new PostgresTenantRegistry(client);
    await registry.migrate();
    const env = { DATABASE_URL: db.url };
    const plan: [string, boolean][] = [
      ['notified-0', true],
      ['notified-1', true],
      ['polling-0', false],
      ['polling-1', false],
    ];
    workers.push(...(await Promise.all(plan.map(([name, listens]) => startWorker(name, env, listens)))));
  }, 120_000);

  afterAll(async () => {
    for (const w of workers) w.process.stop();
    await client?.close?.();
    await db?.drop();
  });

  it('a tenant added, a token rotated and a token revoked through one process are in force on every other within the bound', async () => {
    let since = Date.now();
    const first = await registry.addTenant({ id: 'fleet' }, { label: 'first' });
    await propagation(workers, first.token, 200, since, 'tenant added');

    since = Date.now();
    const second = await registry.rotateToken('fleet', { overlapSeconds: 3600, label: 'second' });
    await propagation(workers, second.token, 200, since, 'token rotated (new token accepted)');
    for (const w of workers) expect(await status(w, first.token), `${w.name}: the old token within the overlap`).toBe(200);

    since = Date.now();
    expect(await registry.revokeToken('fleet', 'first')).toBe(true);
    await propagation(workers, first.token, 401, since, 'token revoked');

    since = Date.now();
    await registry.suspendTenant('fleet');
    await propagation(workers, second.token, 403, since, 'tenant suspended');
    since = Date.now();
    await registry.resumeTenant('fleet');
    await propagation(workers, second.token, 200, since, 'tenant resumed');
  }, 120_000);

  it('four processes together never grant more than the tenant’s rate limit over a fixed window', async () => {
    const limit = { requestsPerSecond: 5, burst: 10 };
    const since = Date.now();
    const { token } = await registry.addTenant({ id: 'limited', permissions: { rateLimit: limit } });
    await Promise.all(workers.map((w) => timeUntil(w, token, 200, since)));
    // The probes above took tokens; start the window with a full bucket.
    await client?.query('DELETE FROM scim.scim_rate_buckets WHERE tenant_id = $1', ['limited']);
    const counts = new Map<number, number>();
    const windowMs = 3000;
    const begin = Date.now();
    const hammer = async (w: Worker) => {
      while (Date.now() - begin < windowMs) {
        const s = await status(w, token);
        counts.set(s, (counts.get(s) ?? 0) + 1);
      }
    };
    await Promise.all(workers.flatMap((w) => [hammer(w), hammer(w), hammer(w), hammer(w)]));
    const elapsedSeconds = (Date.now() - begin) / 1000;
    const granted = counts.get(200) ?? 0;
    const allowed = limit.burst + limit.requestsPerSecond * elapsedSeconds;
    console.log(
      `rate limit: ${granted} granted, ${counts.get(429) ?? 0} refused over ${elapsedSeconds.toFixed(2)} s by 4 processes; the limit allows ${allowed.toFixed(1)}`,
    );
    expect([...counts.keys()].sort()).toEqual([200, 429]);
    expect(granted).toBeGreaterThan(0);
    expect(granted).toBeLessThanOrEqual(Math.floor(allowed));
    // Each process limiting on its own would have granted about four times as many.
    expect(counts.get(429)).toBeGreaterThan(granted);
  }, 120_000);

  it('over a pg.Pool built by the caller, the subscription holds one of its connections and notifications arrive', async () => {
    const pool = new pg.Pool({ connectionString: db?.url, max: 3, application_name: 'own-pool' });
    const resolver = await PostgresTenantResolver.open(pgPoolClient(pool), { pollIntervalMs: 600_000 });
    try {
      expect(resolver.listening).toBe(true);
      expect(pool.totalCount - pool.idleCount).toBe(1); // the LISTEN connection, checked out
      const { token } = await registry.addTenant({ id: 'own-pool' });
      const end = Date.now() + NOTIFIED_WITHIN_MS;
      const input = { token, headers: {}, path: '/', baseUrl: '', requestId: 'x' };
      while (!(await resolver.resolve(input)) && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 10));
      expect((await resolver.resolve(input))?.tenantId).toBe('own-pool');
    } finally {
      await resolver.close();
      await pool.end();
    }
  }, 60_000);

  it('a resolver whose LISTEN connection is terminated listens again at its next poll, and polling covers the gap', async () => {
    const url = db?.url as string;
    const own = await connectPostgres(url, { max: 2, applicationName: 'listen-loss' });
    const errors: unknown[] = [];
    const resolver = await PostgresTenantResolver.open(own, { pollIntervalMs: 200, onError: (e) => errors.push(e) });
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      expect(resolver.listening).toBe(true);
      const killed = await admin.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'listen-loss' AND query LIKE 'LISTEN%'",
      );
      expect(killed.rows).toHaveLength(1);
      const { token } = await registry.addTenant({ id: 'after-loss' });
      const end = Date.now() + 10_000;
      while ((!resolver.listening || !(await resolver.resolve({ token, headers: {}, path: '/', baseUrl: '', requestId: 'x' }))) && Date.now() < end) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(resolver.listening).toBe(true);
      expect((await resolver.resolve({ token, headers: {}, path: '/', baseUrl: '', requestId: 'x' }))?.tenantId).toBe('after-loss');
      expect(errors.length).toBeGreaterThan(0);
    } finally {
      await admin.end();
      await resolver.close();
      await own.close?.();
    }
  }, 60_000);
});
