/**
 * The example server on each storage it can pick from the environment: the same HTTP checks pass
 * on memory, on PGlite in a directory ($SCIM_DATA_DIR) and on PostgreSQL ($DATABASE_URL), and the
 * persistent ones serve the same users, groups, versions and ETags after a restart.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describePostgresServer, freshDatabase, POSTGRES_URL } from '../helpers/postgres-server.js';
import { runToEnd, type Started, start as startProcess } from '../helpers/processes.js';
import { MIGRATIONS } from '../../src/storage/postgres/migrations.js';

const root = join(import.meta.dirname, '..', '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const dirs: string[] = [];

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tenantsFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'scim-example-tenants-'));
  dirs.push(dir);
  const file = join(dir, 'tenants.json');
  const tenants = [
    { id: 'acme', token: 'acme-token', isolationLevel: 'standard' },
    { id: 'globex', token: 'globex-token', isolationLevel: 'strict' },
    { id: 'initech', token: 'initech-token', isolationLevel: 'shared' },
  ];
  writeFileSync(file, JSON.stringify({ tenants }));
  return file;
}

interface Server {
  origin: string;
  output: string;
  process: Started;
}

function start(env: Record<string, string>): Promise<Server> {
  // One process (node with tsx's loader, no tsx wrapper process), so the signal and the exit code are the server's own.
  const server = startProcess(process.execPath, ['--import', 'tsx', 'examples/http-server.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '0', SCIM_MAX_REQUESTS: '', ...env },
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${server.output()}`)), 60_000);
    server.child.stdout?.on('data', () => {
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)\/scim\/v2/.exec(server.stdout());
      if (m) {
        clearTimeout(timer);
        resolve({ origin: m[1] as string, output: server.output(), process: server });
      }
    });
    void server.exited.then(() => reject(new Error(`server exited: ${server.output()}`)));
  });
}

/** Stops a server the way an operator does (SIGTERM) and waits for it to exit. */
async function stop(server: Server): Promise<number | string> {
  server.process.signal('SIGTERM');
  const code = await server.process.exited;
  server.process.stop();
  return code;
}

async function call(origin: string, token: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const r = await fetch(`${origin}/scim/v2${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await r.text();
  return { status: r.status, etag: r.headers.get('etag'), body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}

/** A resource as a client sees it, with the server's origin left out (it changes on restart). */
type Seen = { status: number; etag: string | null; body: string };

async function look(origin: string, token: string, path: string): Promise<Seen> {
  const r = await call(origin, token, 'GET', path);
  return { status: r.status, etag: r.etag, body: JSON.stringify(r.body).replaceAll(origin, 'ORIGIN') };
}

/** The HTTP checks every storage must pass; returns what a restarted server must show again. */
async function exercise(origin: string): Promise<Map<string, Seen>> {
  const ids: string[] = [];
  for (const name of ['alice', 'bob', 'carol']) {
    const r = await call(origin, 'acme-token', 'POST', '/Users', {
      schemas: [USER],
      userName: name,
      emails: [{ value: `${name}@acme.example`, type: 'work' }],
    });
    expect(r.status).toBe(201);
    ids.push(String(r.body.id));
  }
  const [alice, bob, carol] = ids as [string, string, string];
  expect((await call(origin, 'acme-token', 'POST', '/Users', { schemas: [USER], userName: 'ALICE' })).status).toBe(409);
  const group = await call(origin, 'acme-token', 'POST', '/Groups', { schemas: [GROUP], displayName: 'Admins', members: [{ value: alice }, { value: bob }] });
  expect(group.status).toBe(201);
  const gid = String(group.body.id);
  const patched = await call(
    origin,
    'acme-token',
    'PATCH',
    `/Users/${bob}`,
    { schemas: [PATCH], Operations: [{ op: 'replace', path: 'nickName', value: 'Bobby' }] },
    {
      'if-match': 'W/"1"',
    },
  );
  expect([patched.status, patched.etag]).toEqual([200, 'W/"2"']);
  const stale = await call(
    origin,
    'acme-token',
    'PATCH',
    `/Users/${bob}`,
    { schemas: [PATCH], Operations: [{ op: 'replace', path: 'nickName', value: 'x' }] },
    {
      'if-match': 'W/"1"',
    },
  );
  expect(stale.status).toBe(412);
  const members = await call(origin, 'acme-token', 'PATCH', `/Groups/${gid}`, {
    schemas: [PATCH],
    Operations: [{ op: 'add', path: 'members', value: [{ value: carol }] }],
  });
  expect(members.status).toBe(204);
  const found = await call(origin, 'acme-token', 'GET', '/Users?filter=userName%20eq%20%22CAROL%22');
  expect((found.body.Resources as { id: string }[]).map((u) => u.id)).toEqual([carol]);
  expect(((await call(origin, 'acme-token', 'GET', `/Users/${carol}`)).body.groups as { value: string }[]).map((g) => g.value)).toEqual([gid]);
  const paged: string[] = [];
  let cursor = '';
  for (let i = 0; i < 5; i++) {
    const page = await call(origin, 'acme-token', 'GET', `/Users?count=2&cursor=${encodeURIComponent(cursor)}`);
    paged.push(...(page.body.Resources as { id: string }[]).map((u) => u.id));
    if (typeof page.body.nextCursor !== 'string') break;
    cursor = page.body.nextCursor;
  }
  expect(paged.sort()).toEqual([...ids].sort());
  expect((await call(origin, 'globex-token', 'GET', `/Users/${alice}`)).status).toBe(404);
  expect((await call(origin, 'initech-token', 'GET', '/Users')).body.totalResults).toBe(0);
  const other = await call(origin, 'globex-token', 'POST', '/Users', { schemas: [USER], userName: 'alice' });
  expect(other.status).toBe(201);
  expect((await call(origin, 'acme-token', 'DELETE', `/Users/${alice}`)).status).toBe(204);
  const seen = new Map<string, Seen>();
  for (const path of [`/Users/${bob}`, `/Users/${carol}`, `/Users/${alice}`, `/Groups/${gid}`])
    seen.set(`acme ${path}`, await look(origin, 'acme-token', path));
  seen.set(`globex /Users/${other.body.id}`, await look(origin, 'globex-token', `/Users/${other.body.id}`));
  expect(seen.get(`acme /Groups/${gid}`)?.etag).toBe('W/"3"');
  return seen;
}

async function restartKeeps(env: Record<string, string>, storageLine: RegExp): Promise<void> {
  const first = await start(env);
  expect(first.output).toMatch(storageLine);
  const seen = await exercise(first.origin);
  expect(await stop(first)).toBe(0);
  const second = await start(env);
  for (const [key, before] of seen) {
    const [tenant, path] = key.split(' ') as [string, string];
    expect(await look(second.origin, `${tenant}-token`, path), key).toEqual(before);
  }
  expect(await stop(second)).toBe(0);
}

describe('examples/http-server.ts on each storage', () => {
  it('in memory: passes the HTTP checks, and a restart starts empty', async () => {
    const env = { SCIM_TENANTS: tenantsFile(), DATABASE_URL: '', SCIM_DATA_DIR: '' };
    const first = await start(env);
    expect(first.output).toMatch(/^Storage: memory /m);
    const seen = await exercise(first.origin);
    expect(await stop(first)).toBe(0);
    const second = await start(env);
    for (const [key] of seen) {
      const [tenant, path] = key.split(' ') as [string, string];
      expect((await look(second.origin, `${tenant}-token`, path)).status).toBe(404);
    }
    expect(await stop(second)).toBe(0);
  }, 120_000);

  it('with SCIM_DATA_DIR (PGlite): passes the same checks and keeps users, groups, versions and ETags across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scim-example-data-'));
    dirs.push(dir);
    await restartKeeps({ SCIM_TENANTS: tenantsFile(), DATABASE_URL: '', SCIM_DATA_DIR: dir }, new RegExp(`^Storage: PGlite in ${dir}$`, 'm'));
  }, 120_000);
});

describePostgresServer('examples/http-server.ts with DATABASE_URL', () => {
  it('passes the same checks and keeps users, groups, versions and ETags across a restart', async () => {
    const db = await freshDatabase('example');
    try {
      await restartKeeps(
        { SCIM_TENANTS: tenantsFile(), DATABASE_URL: db.url, SCIM_DATA_DIR: '' },
        /^Storage: PostgreSQL at postgres:\/\/postgres@127\.0\.0\.1:\d+\/scim_example_/m,
      );
    } finally {
      await db.drop();
    }
  }, 120_000);
});

describe('examples/postgres.ts', () => {
  async function run(env: Record<string, string>): Promise<{ code: number | string; out: string }> {
    const { code, output } = await runToEnd(tsx, ['examples/postgres.ts'], { cwd: root, env: { ...process.env, ...env }, timeoutMs: 110_000 });
    return { code, out: output };
  }

  const applied = MIGRATIONS.map((m) => m.version)
    .sort((a, b) => a - b)
    .join(',');
  const line = (label: string) => new RegExp(`^${label}: migrations applied \\[${applied}\\]; POST 201 W/"1"; PATCH 200 W/"2"; userName eq finds 1$`, 'm');

  // With the run's PostgreSQL server the example uses all three; without one, PGlite only (and says so).
  it(`runs the same requests on PGlite in memory, in a directory${POSTGRES_URL ? ' and on a PostgreSQL server through pg' : ''}`, async () => {
    const db = POSTGRES_URL ? await freshDatabase('example_pg') : undefined;
    try {
      const { code, out } = await run({ DATABASE_URL: db?.url ?? '' });
      expect(out).toMatch(line('PGlite in memory'));
      expect(out).toMatch(line('PGlite in a directory'));
      if (db) expect(out).toMatch(line('PostgreSQL through pg'));
      else expect(out).toContain('PostgreSQL through pg: skipped');
      expect(code).toBe(0);
    } finally {
      await db?.drop();
    }
  }, 120_000);
});
