import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');

function run(script: string, env: Record<string, string> = {}): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(tsx, [script], { cwd: root, env: { ...process.env, ...env } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => resolve({ code, out }));
  });
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
  }, 60_000);
});

describe('examples/http-server.ts over real HTTP', () => {
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) c.kill('SIGKILL');
  });

  async function start(env: Record<string, string>): Promise<string> {
    const child = spawn(tsx, ['examples/http-server.ts'], { cwd: root, env: { ...process.env, PORT: '0', SCIM_MAX_REQUESTS: '60', ...env } });
    children.push(child);
    return new Promise((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 30_000);
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)\/scim\/v2/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1] as string);
        }
      });
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      child.on('exit', () => reject(new Error(`server exited: ${out}`)));
    });
  }

  it('isolates tenants read from $SCIM_TENANTS and refuses unknown tokens', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scim-tenants-'));
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
});
