/**
 * Four processes, each a ScimServer on its own port, one PostgreSQL database: compare-and-set,
 * quotas and cursors hold across processes, and a process killed in the middle of writes leaves no
 * partial resource behind while the others carry on.
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

interface Worker {
  name: string;
  process: Started;
  origin: string;
}

/** Starts one server process (in a process group of its own) and waits until it listens. */
function startWorker(name: string, env: Record<string, string>): Promise<Worker> {
  const worker = start(tsx, [join(import.meta.dirname, 'fixtures', 'scim-worker.ts')], { cwd: root, env: { ...process.env, ...env, WORKER_NAME: name } });
  return readyOrigin(worker, name).then((origin) => ({ name, process: worker, origin }));
}

async function call(w: Worker, token: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const r = await fetch(`${w.origin}/scim/v2${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await r.text();
  return { status: r.status, etag: r.headers.get('etag'), body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

describePostgresServer('four ScimServer processes on one database', () => {
  const workers: Worker[] = [];
  let db: { url: string; drop: () => Promise<void> } | undefined;

  beforeAll(async () => {
    db = await freshDatabase('multi');
    const env = { DATABASE_URL: db.url, SCIM_CURSOR_SECRET: 'a-secret-every-process-shares-0123456789' };
    workers.push(...(await Promise.all(['w0', 'w1', 'w2', 'victim'].map((n) => startWorker(n, env)))));
  }, 120_000);

  afterAll(async () => {
    for (const w of workers) w.process.stop();
    await db?.drop();
  });

  const live = () => workers.filter((w) => w.name !== 'victim');
  const anyOf = (i: number) => workers[i % workers.length] as Worker;

  it('concurrent If-Match PATCHes on one user: exactly one winner per version, and no lost update', async () => {
    const created = await call(anyOf(0), 'race-token', 'POST', '/Users', { schemas: [USER], userName: 'contested' });
    expect(created.status).toBe(201);
    const id = String(created.body.id);
    for (let round = 1; round <= 4; round++) {
      const attempts = Array.from({ length: 16 }, (_, i) =>
        call(
          anyOf(i),
          'race-token',
          'PATCH',
          `/Users/${id}`,
          { schemas: [PATCH], Operations: [{ op: 'replace', path: 'nickName', value: `r${round}-${i}` }] },
          {
            'if-match': `W/"${round}"`,
          },
        ),
      );
      const results = await Promise.all(attempts);
      const winners = results.filter((r) => r.status === 200);
      expect(winners).toHaveLength(1);
      expect(results.filter((r) => r.status === 412)).toHaveLength(15);
      const now = await call(anyOf(round), 'race-token', 'GET', `/Users/${id}`);
      expect(now.etag).toBe(`W/"${round + 1}"`);
      expect(now.body.nickName).toBe(winners[0]?.body.nickName);
    }
    const adds = Array.from({ length: 16 }, (_, i) =>
      call(anyOf(i), 'race-token', 'PATCH', `/Users/${id}`, {
        schemas: [PATCH],
        Operations: [{ op: 'add', path: 'emails', value: [{ value: `e${i}@example.com` }] }],
      }),
    );
    expect((await Promise.all(adds)).map((r) => r.status)).toEqual(Array(16).fill(200));
    const final = await call(anyOf(1), 'race-token', 'GET', `/Users/${id}`);
    expect(((final.body.emails as { value: string }[]) ?? []).map((e) => e.value).sort()).toEqual(
      Array.from({ length: 16 }, (_, i) => `e${i}@example.com`).sort(),
    );
    expect(final.etag).toBe(`W/"${5 + 16}"`);
  }, 120_000);

  it('creates racing for the last quota slots never exceed the quota', async () => {
    for (let i = 0; i < 25; i++) expect((await call(anyOf(i), 'quota-token', 'POST', '/Users', { schemas: [USER], userName: `pre${i}` })).status).toBe(201);
    const racing = await Promise.all(
      Array.from({ length: 40 }, (_, i) => call(anyOf(i), 'quota-token', 'POST', '/Users', { schemas: [USER], userName: `race${i}` })),
    );
    const statuses = racing.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(5);
    expect(statuses.filter((s) => s === 403)).toHaveLength(35);
    expect((await call(anyOf(2), 'quota-token', 'GET', '/Users?count=0')).body.totalResults).toBe(30);
  }, 120_000);

  it('a cursor minted by one process pages on the others', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) ids.push(String((await call(anyOf(i), 'pages-token', 'POST', '/Users', { schemas: [USER], userName: `page${i}` })).body.id));
    const seen: string[] = [];
    let cursor = '';
    for (let page = 0; page < 10; page++) {
      const r = await call(anyOf(page), 'pages-token', 'GET', `/Users?count=10&cursor=${encodeURIComponent(cursor)}`);
      expect(r.status).toBe(200);
      seen.push(...(r.body.Resources as { id: string }[]).map((x) => x.id));
      if (typeof r.body.nextCursor !== 'string') break;
      cursor = r.body.nextCursor;
    }
    expect(seen).toEqual([...ids].sort());
  }, 120_000);

  it('a process killed with SIGKILL in the middle of writes leaves no partial resource, and the others carry on', async () => {
    const victim = workers.find((w) => w.name === 'victim') as Worker;
    const [w0] = live() as [Worker];
    const users: string[] = [];
    for (let i = 0; i < 120; i++) users.push(String((await call(anyOf(i), 'crash-token', 'POST', '/Users', { schemas: [USER], userName: `c${i}` })).body.id));
    const group = await call(w0, 'crash-token', 'POST', '/Groups', {
      schemas: [GROUP],
      displayName: 'set-0',
      members: users.slice(0, 60).map((value) => ({ value })),
    });
    const gid = String(group.body.id);
    const writes: Promise<unknown>[] = [];
    let stop = false;
    let completed = 0;
    const pump = async (k: number) => {
      for (let n = k; !stop; n += 8) {
        const members = users.slice(n % 60, (n % 60) + 60).map((value) => ({ value }));
        await Promise.all([
          call(victim, 'crash-token', 'PUT', `/Groups/${gid}`, { schemas: [GROUP], displayName: `set-${n % 60}`, members }),
          call(victim, 'crash-token', 'POST', '/Groups', { schemas: [GROUP], displayName: `new-${n}`, members }),
        ])
          .then((rs) => {
            if (rs.every((r) => r.status === 200 || r.status === 201)) completed++;
          })
          .catch(() => undefined);
      }
    };
    for (let k = 0; k < 8; k++) writes.push(pump(k));
    const admin = new pg.Client({ connectionString: db?.url });
    await admin.connect();
    try {
      let inFlight = 0;
      const until = Date.now() + 60_000;
      while (completed < 4 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(completed, 'the victim completed writes before it was killed').toBeGreaterThanOrEqual(4);
      while (inFlight === 0 && Date.now() < until) {
        const r = await admin.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'victim' AND backend_xid IS NOT NULL");
        inFlight = Number(r.rows[0]?.n ?? 0);
      }
      expect(inFlight, 'the victim was writing when it was killed').toBeGreaterThan(0);
      victim.process.signal('SIGKILL');
      stop = true;
      await Promise.allSettled(writes);
      for (let i = 0; i < 100; i++) {
        const r = await admin.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'victim'");
        if (Number(r.rows[0]?.n) === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      await admin.end();
    }
    const now = await call(w0, 'crash-token', 'GET', `/Groups/${gid}`);
    const n = Number(/^set-(\d+)$/.exec(String(now.body.displayName))?.[1]);
    const expected = users.slice(n, n + 60).sort();
    expect(((now.body.members as { value: string }[]) ?? []).map((m) => m.value).sort()).toEqual(expected);
    const made = await call(w0, 'crash-token', 'GET', '/Groups?count=1000');
    const news = ((made.body.Resources as { displayName: string; members?: unknown[] }[]) ?? []).filter((g) => g.displayName.startsWith('new-'));
    expect(news.length).toBeGreaterThanOrEqual(4);
    for (const g of news) expect(g.members ?? []).toHaveLength(60);
    for (const w of live()) {
      const r = await call(w, 'crash-token', 'POST', '/Users', { schemas: [USER], userName: `after-${w.name}` });
      expect(r.status).toBe(201);
    }
    expect((await call(anyOf(0), 'crash-token', 'GET', '/Users?count=0')).body.totalResults).toBe(123);
  }, 120_000);
});
