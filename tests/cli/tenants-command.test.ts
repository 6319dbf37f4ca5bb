/**
 * The `scim-server` command end to end: each step a process of its own (the command run by tsx
 * from the sources, as `npx scim-server` runs the build), against a throwaway database of the test
 * server; what it does is checked through the registry's own resolver.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connectPostgres, PostgresTenantResolver, type SqlClient } from '../../src/storage/postgres/index.js';
import { describePostgresServer, freshDatabase } from '../helpers/postgres-server.js';
import { type Finished, runToEnd } from '../helpers/processes.js';

const root = join(import.meta.dirname, '..', '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const TOKEN = /^scim_[A-Za-z0-9_-]{43}$/;

interface Run extends Finished {
  stderr: string;
}

describePostgresServer('the scim-server command', () => {
  let db: { url: string; drop: () => Promise<void> } | undefined;
  let client: SqlClient | undefined;

  async function cli(args: string[], env: Record<string, string | undefined> = { DATABASE_URL: db?.url }): Promise<Run> {
    const { DATABASE_URL: _omit, ...inherited } = process.env;
    const result = await runToEnd(tsx, [join(root, 'src', 'cli', 'main.ts'), ...args], { cwd: root, env: { ...inherited, ...env }, timeoutMs: 60_000 });
    return { ...result, stderr: result.output.replace(result.stdout, '') };
  }

  async function resolve(token: string) {
    const resolver = await PostgresTenantResolver.open(client as SqlClient, { listen: false });
    try {
      return await resolver.resolve({ token, headers: {}, path: '/scim/v2/Users', baseUrl: 'https://x/scim/v2', requestId: 'cli' });
    } finally {
      await resolver.close();
    }
  }

  beforeAll(async () => {
    db = await freshDatabase('cli');
    client = await connectPostgres(db.url, { max: 2 });
  }, 60_000);

  afterAll(async () => {
    await client?.close?.();
    await db?.drop();
  });

  it('without DATABASE_URL or with an unknown command: usage on standard error, exit code 2, nothing on standard output', async () => {
    const missing = await cli(['tenants', 'list'], {});
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toContain('DATABASE_URL is not set');
    expect(missing.stderr).toContain('Usage: scim-server <command>');
    const unknown = await cli(['tenants', 'frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command tenants frobnicate');
  }, 120_000);

  it('refuses to work on a database that is not migrated, then migrates it', async () => {
    const early = await cli(['tenants', 'list']);
    expect(early.code).toBe(1);
    expect(early.stderr).toContain('run scim-server migrate');
    const migrated = await cli(['migrate']);
    expect(migrated.code).toBe(0);
    expect(migrated.stderr).toMatch(/^Database at schema version \d+; applied 1, 2/);
  }, 120_000);

  it('add prints the token once, alone on standard output; list, rotate, suspend and remove do what they say', async () => {
    const added = await cli(['tenants', 'add', 'acme', '--isolation', 'shared', '--permissions', '{"maxUsers":2}', '--label', 'okta-1']);
    expect(added.code).toBe(0);
    const first = added.stdout.trim();
    expect(first).toMatch(TOKEN);
    expect(added.stderr).toContain('okta-1');
    expect(added.stderr).not.toContain(first);
    expect(await resolve(first)).toMatchObject({ tenantId: 'acme', credentialId: 'okta-1', isolationLevel: 'shared', permissions: { maxUsers: 2 } });

    const refused = await cli(['tenants', 'add', 'bad', '--permissions', '{"canDelet":false}']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain('tenant "bad": permissions.canDelet is not a permission; did you mean canDelete?');

    const rotated = await cli(['tenants', 'rotate', 'acme', '--overlap', '0', '--label', 'okta-2']);
    expect(rotated.code).toBe(0);
    const second = rotated.stdout.trim();
    expect(second).toMatch(TOKEN);
    expect(await resolve(first)).toBeNull();
    expect((await resolve(second))?.credentialId).toBe('okta-2');

    const listed = await cli(['tenants', 'list']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toBe('acme\tshared\tactive\tokta-2\n');
    expect(listed.output).not.toContain(second);

    expect((await cli(['tenants', 'suspend', 'acme'])).code).toBe(0);
    expect((await cli(['tenants', 'list'])).stdout).toMatch(/^acme\tshared\tsuspended since \d{4}-\d\d-\d\dT[^\t]+\tokta-2\n$/);
    expect((await resolve(second))?.permissions.expiresAt).toBeDefined();

    expect((await cli(['tenants', 'remove', 'acme'])).code).toBe(0);
    expect(await resolve(second)).toBeNull();
    const again = await cli(['tenants', 'remove', 'acme']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('the registry has no tenant acme');
  }, 180_000);
});
