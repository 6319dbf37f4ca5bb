/**
 * PostgreSQL storage, memory vs PGlite vs PostgreSQL, side by side: loading users, `userName eq`,
 * a value-path filter, a sorted page, a cursor page deep into the table against the first page,
 * adding one member to a large group, the same users spread over many tenants, and strict tenants
 * (a schema each). Row names say the storage and the scale.
 *
 * Scale (defaults are the full run): PG_BENCH_USERS (1,000,000, memory and PostgreSQL),
 * PG_BENCH_PGLITE_USERS (100,000), PG_BENCH_TENANT_SIZE (100 users per tenant in the spread run),
 * PG_BENCH_STRICT (1,000 strict tenants; PGlite 100), PG_BENCH_GROUP (100,000 members).
 * PostgreSQL is $BENCH_DATABASE_URL, or a throwaway cluster when the server binaries are here.
 */
import type { BenchResult } from './harness.js';
import { rate, time } from './harness.js';
import { cursorPages, lcg, memberAdd, sortedPage, strictTenants, userNameEq, valuePath } from './postgres-scenarios.js';
import { benchUser, memorySubject, pgliteSubject, postgresSubject, type Subject, tenant, USER } from './postgres-subjects.js';

const USERS = Number(process.env.PG_BENCH_USERS ?? 1_000_000);
const PGLITE_USERS = Number(process.env.PG_BENCH_PGLITE_USERS ?? 100_000);
const TENANT_SIZE = Number(process.env.PG_BENCH_TENANT_SIZE ?? 100);
const STRICT = Number(process.env.PG_BENCH_STRICT ?? 1000);
const GROUP = Number(process.env.PG_BENCH_GROUP ?? 100_000);

const fmt = (n: number) => n.toLocaleString('en-US');

/** Runs a measurement, or says why it could not be made (a filter the storage cannot serve yet). */
async function attempt(fn: () => Promise<number>): Promise<{ ms: number; note?: string }> {
  try {
    return { ms: await fn() };
  } catch (error) {
    if (error instanceof Error && error.message.startsWith('bench: wrong answer')) throw error;
    return { ms: Number.NaN, note: `not measured: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** Users per second through the API (one create, one transaction), on a tenant of its own. */
async function createRate(s: Subject): Promise<number> {
  const t = tenant('bench-api');
  const n = 500;
  const start = performance.now();
  for (let i = 0; i < n; i++)
    await s.storage.create(t, USER, benchUser('api', i), { unique: [{ keys: ['userName'], value: `api${i}@example.com`, caseExact: false }] });
  return n / ((performance.now() - start) / 1000);
}

async function oneTenant(s: Subject, out: BenchResult[]): Promise<number> {
  const label = `${s.label}, ${fmt(s.users)} users`;
  const t = tenant('bench-one');
  const start = performance.now();
  const ids = await s.load('standard', [t.tenantId], s.users, 'user');
  const seconds = (performance.now() - start) / 1000;
  const api = await createRate(s);
  out.push(
    rate(`postgres bench: load, ${label}`, s.users / seconds, api, 'storage.create, one per transaction', 'users/s', `${s.loader}; ${seconds.toFixed(1)} s`),
  );
  const eq = await userNameEq(s, 2000, (r) => ({ t, i: Math.floor(r * s.users) }), 'user');
  out.push(time(`postgres bench: userName eq, ${label}`, eq, 2, 'target 2 ms', 'ms median', eq < 2 ? 'meets the target' : 'MISSES the target'));
  const vp = await attempt(() => valuePath(s, t, s.users, 'user'));
  const scan = s.label === 'memory' ? 'evaluated on every user' : 'a scan of the tenant: no index serves value filters';
  out.push(time(`postgres bench: emails[type eq "work" and value eq ...], ${label}`, vp.ms, eq, 'userName eq', 'ms median', vp.note ?? scan));
  const sorted = await attempt(() => sortedPage(s, t));
  const sortNote = s.label === 'memory' ? 'every user sorted' : 'the sort key computed for every row of the tenant, then the top 100';
  out.push(time(`postgres bench: sorted page of 100 (sortBy userName), ${label}`, sorted.ms, eq, 'userName eq', 'ms median', sorted.note ?? sortNote));
  // 90% into the table, leaving a full page after it even at a small smoke-test scale.
  const at = Math.min(Math.floor(s.users * 0.9), s.users - 101);
  const [first, deep] = (await cursorPages(s, t, ['', await s.positionAt(t, at)])) as [number, number];
  out.push(
    time(`postgres bench: cursor page of 100 at position ${fmt(at)}, ${label}`, deep, first, 'first page', 'ms median', 'target: ratio >= 0.5 (within 2x)'),
  );
  const size = Math.min(GROUP, s.users - 20);
  const big = await memberAdd(s, t, ids.slice(0, size), ids[s.users - 1] as string);
  const small = await memberAdd(s, t, ids.slice(size, size + 10), ids[s.users - 1] as string);
  out.push(
    time(
      `postgres bench: add one member to a ${fmt(size)}-member group, ${label}`,
      big,
      small,
      '10-member group',
      'ms median',
      big < 10 ? 'under the 10 ms target' : 'OVER the 10 ms target',
    ),
  );
  return eq;
}

async function spread(s: Subject, out: BenchResult[], oneTenantMs: number): Promise<void> {
  const count = Math.max(1, Math.floor(s.users / TENANT_SIZE));
  const tenants = Array.from({ length: count }, (_, i) => `spread-${i}`);
  await s.load('standard', tenants, TENANT_SIZE, 'spread');
  const ms = await userNameEq(
    s,
    2000,
    (r) => {
      const i = Math.floor(r * count * TENANT_SIZE);
      return { t: tenant(tenants[Math.floor(i / TENANT_SIZE)] as string, 'standard'), i };
    },
    'spread',
  );
  out.push(
    time(
      `postgres bench: userName eq, ${s.label}, ${fmt(count * TENANT_SIZE)} users over ${fmt(count)} tenants`,
      ms,
      oneTenantMs,
      'one tenant',
      'ms median',
      'target: ratio >= 0.67 (within 1.5x)',
    ),
  );
}

async function strict(s: Subject, out: BenchResult[], oneTenantMs: number): Promise<void> {
  const { msPerTenant, tenants } = await strictTenants(s, s.strictTenants);
  const random = lcg(3);
  const ms = await userNameEq(
    s,
    500,
    () => {
      const i = Math.floor(random() * tenants.length);
      return { t: tenants[i] as (typeof tenants)[number], i };
    },
    'strict',
  );
  const label = `${s.label}, ${fmt(s.strictTenants)} strict tenants`;
  out.push(time(`postgres bench: first write of a strict tenant (its schema), ${label}`, msPerTenant, oneTenantMs, 'userName eq, one tenant', 'ms per tenant'));
  out.push(time(`postgres bench: userName eq, ${label}`, ms, oneTenantMs, 'one pooled tenant', 'ms median'));
}

async function measure(s: Subject, out: BenchResult[]): Promise<void> {
  const eq = await oneTenant(s, out);
  await spread(s, out, eq);
  await strict(s, out, eq);
}

export async function run(): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  const memory = memorySubject(USERS, STRICT);
  await measure(memory, out);
  await memory.close();
  const lite = await pgliteSubject(PGLITE_USERS, Math.min(STRICT, 100));
  await measure(lite, out);
  await lite.close();
  const pg = await postgresSubject(USERS, STRICT);
  if (!pg) {
    console.warn('postgres bench: no PostgreSQL (set BENCH_DATABASE_URL or install the server binaries): its rows are NOT measured');
    return out;
  }
  try {
    await measure(pg, out);
  } finally {
    await pg.close();
    pg.stopCluster();
  }
  return out;
}
