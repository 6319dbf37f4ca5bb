import { request as httpRequest } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runToEnd, start as startProcess, type Started } from '../helpers/processes.js';

const root = join(import.meta.dirname, '..', '..');
/** Servers by the origin they listen on, for the tests that signal them. */
const started = new Map<string, Started>();
const tsx = join(root, 'node_modules', '.bin', 'tsx');
/** Tenants files the tests write, removed when the file's tests end. */
const scratch = mkdtempSync(join(tmpdir(), 'scim-tenants-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs an example to its end, in a process group of its own that is killed when it ends. */
async function run(script: string, env: Record<string, string> = {}): Promise<{ code: number | string; out: string }> {
  const { code, output } = await runToEnd(tsx, [script], { cwd: root, env: { ...process.env, ...env }, timeoutMs: 55_000 });
  return { code, out: output };
}

describe('examples/multi-tenant.ts', () => {
  it('runs, passes every isolation check and says so on its last line', async () => {
    const { code, out } = await run('examples/multi-tenant.ts');
    const last = out.trim().split('\n').at(-1) ?? '';
    expect(last).toMatch(/^Isolation: all \d+ checks passed\.$/);
    expect(Number(/all (\d+) checks/.exec(last)?.[1])).toBeGreaterThan(30);
    expect(code).toBe(0);
    expect(out).toContain('maxUsers');
    expect(out).toContain('canDelete');
    expect(out).toContain('expiresAt');
    // The ids it prints can be told apart (time-ordered ids share their first characters).
    const printed = [...out.matchAll(/POST \/Users \S+ -> 201 id (\S+)/g)].map((m) => m[1]);
    expect(printed.length).toBeGreaterThanOrEqual(5);
    expect(new Set(printed).size).toBe(printed.length);
  }, 60_000);
});

describe('the README beside the quick start', () => {
  it('says the in-memory store forgets everything on restart, and names the storage that does not', async () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const start = readme.indexOf('## Quick start');
    const quickStart = readme.slice(start, readme.indexOf('\n## ', start + 1)).replace(/\s+/g, ' ');
    expect(quickStart).toContain('forgets everything when the process stops');
    expect(quickStart).toContain('InMemoryStorage');
    expect(quickStart).toContain('`storage: new PostgresStorage(client)` from `scim-server/postgres`');
    // What it names exists where it says.
    const postgres = await import('../../src/storage/postgres/index.js');
    expect([typeof postgres.PostgresStorage, typeof postgres.connectPostgres, typeof postgres.openPGlite]).toEqual(['function', 'function', 'function']);
  });
});

describe('examples/http-server.ts with a broken tenants file', () => {
  const tenantsFile = (text: string): string => {
    const file = join(mkdtempSync(join(scratch, 'broken-')), 'tenants.json');
    writeFileSync(file, text);
    return file;
  };
  const serve = (file: string) => run('examples/http-server.ts', { PORT: '0', SCIM_TENANTS: file });

  it.each([
    ['cannot be read', () => join(tmpdir(), 'no-such-dir-4f1c', 'tenants.json'), (file: string) => `${file}: cannot be read (ENOENT)`],
    [
      'is not JSON',
      () => tenantsFile('{\n  "tenants": [\n    { "id": "acme", "token": "secret-a", },\n  ]\n}\n'),
      (file: string) => `${file}: not valid JSON at line 3, column 42`,
    ],
    [
      'misspells a permission',
      () => tenantsFile(JSON.stringify({ tenants: [{ id: 'acme', token: 'secret-a', permissions: { canDelet: false } }] })),
      (file: string) => `${file}: tenant "acme": permissions.canDelet is not a permission; did you mean canDelete?`,
    ],
    [
      'gives one tenant id twice',
      () =>
        tenantsFile(
          JSON.stringify({
            tenants: [
              { id: 'acme', token: 'secret-a' },
              { id: 'acme', token: 'secret-b' },
            ],
          }),
        ),
      (file: string) => `${file}: tenant "acme": id is given to two tenants`,
    ],
  ])(
    'exits 1 before listening when the file %s, saying so',
    async (_what, make, message) => {
      const file = make();
      const { code, out } = await serve(file);
      expect(out).toContain(message(file));
      expect(out).not.toContain('listening');
      expect(code).toBe(1);
    },
    60_000,
  );
});

describe('examples/http-server.ts over real HTTP', () => {
  /** Starts the server in a process group of its own (tsx and the node process it starts), killed after the tests at the latest. */
  async function start(env: Record<string, string>): Promise<string> {
    const server = startProcess(tsx, ['examples/http-server.ts'], { cwd: root, env: { ...process.env, PORT: '0', SCIM_MAX_REQUESTS: '60', ...env } });
    const deadline = Date.now() + 30_000;
    for (;;) {
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)\/scim\/v2/.exec(server.output());
      if (m) {
        started.set(m[1] as string, server);
        return m[1] as string;
      }
      if (server.child.exitCode !== null || Date.now() > deadline) throw new Error(`server did not start: ${server.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('isolates tenants read from $SCIM_TENANTS and refuses unknown tokens', async () => {
    const dir = mkdtempSync(join(scratch, 'served-'));
    const file = join(dir, 'tenants.json');
    writeFileSync(
      file,
      JSON.stringify({
        tenants: [
          { id: 'acme', token: 'secret-a', isolationLevel: 'standard', permissions: { maxUsers: 2, canDelete: false } },
          {
            id: 'globex',
            token: 'secret-g',
            isolationLevel: 'strict',
            extensions: [
              {
                resourceType: 'User',
                schema: {
                  id: 'urn:example:params:scim:schemas:extension:globex:2.0:User',
                  name: 'GlobexUser',
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
                },
              },
            ],
          },
        ],
      }),
    );
    const origin = await start({ SCIM_TENANTS: file });
    const call = (token: string | undefined, method: string, path: string, body?: unknown) =>
      fetch(`${origin}/scim/v2${path}`, {
        method,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/scim+json' },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    const created = await call('secret-a', 'POST', '/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'wile' });
    expect(created.status).toBe(201);
    expect(created.headers.get('content-type')).toMatch(/application\/scim\+json/);
    const user = (await created.json()) as { id: string; meta: { location: string } };
    expect(user.meta.location).toBe(`${origin}/scim/v2/Users/${user.id}`);
    expect(created.headers.get('location')).toBe(user.meta.location);

    const foreign = await call('secret-g', 'GET', `/Users/${user.id}`);
    expect(foreign.status).toBe(404);
    const foreignList = (await (await call('secret-g', 'GET', '/Users')).json()) as { totalResults: number; Resources: unknown[] };
    expect(foreignList.totalResults).toBe(0);
    expect(JSON.stringify(foreignList)).not.toContain(user.id);

    const own = await call('secret-a', 'GET', `/Users/${user.id}`);
    expect(own.status).toBe(200);
    const del = await call('secret-a', 'DELETE', `/Users/${user.id}`);
    expect(del.status).toBe(403);

    const ext = 'urn:example:params:scim:schemas:extension:globex:2.0:User';
    expect((await call('secret-g', 'GET', `/Schemas/${ext}`)).status).toBe(200);
    expect((await call('secret-a', 'GET', `/Schemas/${ext}`)).status).toBe(404);
    const perTenant = await fetch(`${origin}/tenants/acme/scim/v2/Users/${user.id}`, { headers: { authorization: 'Bearer secret-a' } });
    expect(perTenant.status).toBe(200);
    expect(((await perTenant.json()) as { meta: { location: string } }).meta.location).toBe(`${origin}/tenants/acme/scim/v2/Users/${user.id}`);
    const crossed = await fetch(`${origin}/tenants/acme/scim/v2/Users/${user.id}`, { headers: { authorization: 'Bearer secret-g' } });
    expect(crossed.status).toBe(401);

    for (const token of [undefined, 'wrong']) {
      const r = await call(token, 'GET', '/Users');
      expect(r.status).toBe(401);
      const body = (await r.json()) as { schemas: string[]; status: string };
      expect(body.schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:Error']);
      expect(body.status).toBe('401');
      expect(JSON.stringify(body)).not.toContain('wile');
    }
  }, 60_000);

  it('serves the demo tenants and prints their tokens without $SCIM_TENANTS', async () => {
    const origin = await start({ SCIM_TENANTS: '' });
    const r = await fetch(`${origin}/scim/v2/ServiceProviderConfig`, { headers: { authorization: 'Bearer demo-token-enterprise-a' } });
    expect(r.status).toBe(200);
    const spc = (await r.json()) as { patch: { supported: boolean } };
    expect(spc.patch.supported).toBe(true);
  }, 60_000);

  function childOf(origin: string): Started {
    const server = started.get(origin);
    if (!server) throw new Error(`no server for ${origin}`);
    return server;
  }

  function exited(server: Started): Promise<number | string> {
    return server.exited;
  }

  it('answers a readiness check outside the SCIM base path', async () => {
    const origin = await start({ SCIM_TENANTS: '' });
    const r = await fetch(`${origin}/readyz`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ status: 'ready' });
    // The SCIM base path is not where it lives, and it needs no token.
    expect((await fetch(`${origin}/scim/v2/readyz`)).status).toBe(401);
  }, 60_000);

  it('on SIGTERM stops accepting, finishes the request in flight and exits 0', async () => {
    const origin = await start({ SCIM_TENANTS: '' });
    const child = childOf(origin);
    const { port } = new URL(origin);
    const body = JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'in-flight' });
    // A create whose body arrives in two parts, the signal between them.
    const req = httpRequest({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/scim/v2/Users',
      headers: { authorization: 'Bearer demo-token-enterprise-a', 'content-type': 'application/scim+json', 'content-length': Buffer.byteLength(body) },
    });
    const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
      req.on('response', (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
    });
    req.write(body.slice(0, 10));
    await new Promise((resolve) => setTimeout(resolve, 300));
    child.signal('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const refused = await fetch(`${origin}/readyz`).then(
      () => false,
      () => true,
    );
    req.end(body.slice(10));
    expect(refused).toBe(true);
    const answered = await response;
    expect(answered.status).toBe(201);
    expect(JSON.parse(answered.body).userName).toBe('in-flight');
    expect(await exited(child)).toBe(0);
  }, 60_000);

  it('on SIGINT exits 0 when idle', async () => {
    const origin = await start({ SCIM_TENANTS: '' });
    const child = childOf(origin);
    expect((await fetch(`${origin}/readyz`)).status).toBe(200);
    child.signal('SIGINT');
    expect(await exited(child)).toBe(0);
  }, 60_000);
});
