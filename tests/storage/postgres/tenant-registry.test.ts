/**
 * The tenant registry and its resolver on PGlite (one process): what a token resolves to, the
 * checks of what is written, rotation with an overlap, revocation, suspension answered as expiry,
 * notifications within the process, and a row written by hand that fails its checks.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScimServer } from '../../../src/index.js';
import { openPGlite, PostgresStorage, PostgresTenantRegistry, PostgresTenantResolver, type SqlClient } from '../../../src/storage/postgres/index.js';
import { ConfigurationError } from '../../../src/tenant/configuration-error.js';
import { StaticTenantResolver } from '../../../src/tenant/static-tenant-resolver.js';
import type { TenantResolutionInput } from '../../../src/tenant/tenant-resolver.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const input = (token: string, urlTenantId?: string): TenantResolutionInput => ({
  token,
  headers: {},
  path: '/scim/v2/Users',
  baseUrl: 'https://scim.example/scim/v2',
  requestId: 'r1',
  ...(urlTenantId !== undefined ? { urlTenantId } : {}),
});

function refusal(run: () => unknown): Promise<ConfigurationError> {
  return Promise.resolve()
    .then(run)
    .then(
      () => {
        throw new Error('expected a ConfigurationError');
      },
      (error: unknown) => {
        expect(error).toBeInstanceOf(ConfigurationError);
        return error as ConfigurationError;
      },
    );
}

async function until(condition: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('PostgresTenantRegistry and PostgresTenantResolver on PGlite', () => {
  let client: SqlClient;
  let registry: PostgresTenantRegistry;
  let resolver: PostgresTenantResolver;
  const errors: unknown[] = [];

  beforeAll(async () => {
    client = await openPGlite();
    registry = new PostgresTenantRegistry(client);
    await registry.migrate();
    // Polling far apart: what propagates here propagates by notification or by an explicit refresh.
    resolver = await PostgresTenantResolver.open(client, { pollIntervalMs: 600_000, onError: (e) => errors.push(e) });
  }, 60_000);

  afterAll(async () => {
    await resolver?.close();
    await client?.close?.();
  });

  it('a tenant added through the registry resolves by its token, with its settings; the registry keeps only the digest', async () => {
    const issued = await registry.addTenant(
      { id: 'acme', clientId: 'okta-acme', isolationLevel: 'shared', permissions: { maxUsers: 5 }, settings: { groupPatchResponse: 'resource' } },
      { label: 'okta-2026' },
    );
    expect(issued).toMatchObject({ tenantId: 'acme', label: 'okta-2026' });
    expect(issued.token).toMatch(/^scim_[A-Za-z0-9_-]{43}$/);
    await resolver.refresh();
    expect(await resolver.resolve(input(issued.token))).toEqual({
      tenantId: 'acme',
      clientId: 'okta-acme',
      credentialId: 'okta-2026',
      isolationLevel: 'shared',
      permissions: { maxUsers: 5 },
      baseUrl: 'https://scim.example/scim/v2',
      settings: { groupPatchResponse: 'resource' },
    });
    expect(await resolver.resolve(input(issued.token, 'other'))).toBeNull();
    expect(await resolver.resolve(input(`${issued.token}x`))).toBeNull();
    const stored = await client.query('SELECT * FROM scim.scim_registry_tokens WHERE tenant_id = $1', ['acme']);
    expect(stored.rows.map((r) => r.digest)).toEqual([createHash('sha256').update(issued.token).digest('hex')]);
    expect(JSON.stringify(stored.rows)).not.toContain(issued.token);
    const listed = await registry.listTenants();
    expect(listed.map((t) => [t.id, t.tokens.map((k) => k.label)])).toEqual([['acme', ['okta-2026']]]);
    expect(JSON.stringify(listed)).not.toMatch(/digest|scim_[A-Za-z0-9_-]{43}/);
  });

  it('checks what it is given as StaticTenantResolver does, naming the tenant and the key, and writes nothing then', async () => {
    expect((await refusal(() => registry.addTenant({ id: 'bad', permissions: { canDelet: false } as never }))).message).toBe(
      'tenant "bad": permissions.canDelet is not a permission; did you mean canDelete?',
    );
    expect((await refusal(() => registry.addTenant({ id: 'bad', settings: { groupPatchResponse: 'full' } as never }))).key).toBe('settings.groupPatchResponse');
    expect((await refusal(() => registry.addTenant({ id: 'bad', isolation: 'strict' } as never))).message).toContain('did you mean isolationLevel?');
    expect((await refusal(() => registry.addTenant({ id: 'acme' }))).message).toBe('tenant "acme": id is already a tenant of the registry');
    expect((await refusal(() => registry.updateTenant('acme', { isolationLevel: 'strict' } as never))).key).toBe('isolationLevel');
    expect((await refusal(() => registry.updateTenant('acme', { permissions: { maxUsers: -1 } }))).key).toBe('permissions.maxUsers');
    expect((await refusal(() => registry.updateTenant('nobody', { clientId: 'x' }))).message).toBe('tenant "nobody": id names no tenant of the registry');
    expect((await refusal(() => registry.rotateToken('acme', { overlapSeconds: -1 }))).key).toBe('overlapSeconds');
    expect((await refusal(() => registry.issueToken('acme', { label: 'okta-2026' }))).key).toBe('label');
    expect((await registry.listTenants()).map((t) => t.id)).toEqual(['acme']);
    expect((await registry.getTenant('acme'))?.tokens).toHaveLength(1);
  });

  it('a change reaches the resolver by notification, without polling', async () => {
    const before = resolver.revision;
    await registry.updateTenant('acme', { permissions: { maxUsers: 7 } });
    await until(() => resolver.revision !== before);
    expect(resolver.listening).toBe(true);
    expect(resolver.knownTenants().find((t) => t.id === 'acme')?.permissions).toEqual({ maxUsers: 7 });
  });

  it('rotation: the new token works at once, the old one until the overlap ends; a revoked token is refused', async () => {
    const first = await registry.addTenant({ id: 'rot' });
    const second = await registry.rotateToken('rot', { overlapSeconds: 3600, label: 'second' });
    expect(second.previousLabels).toEqual([first.label]);
    expect(second.previousValidUntil.getTime()).toBeGreaterThan(Date.now() + 3500_000);
    await resolver.refresh();
    expect((await resolver.resolve(input(first.token)))?.credentialId).toBe(first.label);
    expect((await resolver.resolve(input(second.token)))?.credentialId).toBe('second');
    const third = await registry.rotateToken('rot', { overlapSeconds: 0 });
    await resolver.refresh();
    expect(await resolver.resolve(input(first.token))).toBeNull();
    expect(await resolver.resolve(input(second.token))).toBeNull();
    expect((await resolver.resolve(input(third.token)))?.tenantId).toBe('rot');
    const spare = await registry.issueToken('rot', { label: 'spare' });
    expect(await registry.revokeToken('rot', 'spare')).toBe(true);
    expect(await registry.revokeToken('rot', 'spare')).toBe(false);
    await resolver.refresh();
    expect(await resolver.resolve(input(spare.token))).toBeNull();
    expect((await resolver.resolve(input(third.token)))?.tenantId).toBe('rot');
  });

  it('a suspended tenant gets the answer of an expired one; resumed, it works again; removed, it is unknown', async () => {
    const storage = new PostgresStorage(client);
    const { token } = await registry.addTenant({ id: 'sus' });
    const scim = new ScimServer({ tenantResolver: resolver, storage });
    const expired = new ScimServer({
      tenantResolver: new StaticTenantResolver([{ id: 'sus', token, permissions: { expiresAt: '2000-01-01T00:00:00Z' } }]),
      storage,
    });
    const post = (server: ScimServer) =>
      server.handle({ method: 'POST', path: '/scim/v2/Users', headers: { authorization: `Bearer ${token}` }, body: { schemas: [USER], userName: 'u' } });
    await resolver.refresh();
    expect((await post(scim)).status).toBe(201);
    await registry.suspendTenant('sus');
    await resolver.refresh();
    const refused = await post(scim);
    const reference = await post(expired);
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual(reference.body);
    await registry.resumeTenant('sus');
    await resolver.refresh();
    expect((await post(scim)).status).toBe(409); // in force again: the user exists
    expect(await registry.removeTenant('sus')).toBe(true);
    expect(await registry.removeTenant('sus')).toBe(false);
    await resolver.refresh();
    expect((await post(scim)).status).toBe(401);
  });

  it('a tenant whose stored permissions fail their checks (written by hand) is left out and reported, the others stay', async () => {
    const { token } = await registry.addTenant({ id: 'hand' });
    await client.query(`UPDATE scim.scim_registry_tenants SET permissions = '{"maxUser": 3}' WHERE tenant_id = 'hand'`);
    errors.length = 0;
    await resolver.refresh();
    expect(await resolver.resolve(input(token))).toBeNull();
    expect(errors).toHaveLength(1);
    expect((errors[0] as ConfigurationError).message).toBe('tenant "hand": permissions.maxUser is not a permission; did you mean maxUsers?');
    expect(resolver.knownTenants().map((t) => t.id)).toContain('acme');
  });

  it('while the database cannot be reached, the last copy stays in force and each failed poll is reported', async () => {
    const { token } = await registry.addTenant({ id: 'offline' });
    let reachable = true;
    const flaky: SqlClient = {
      query: (text, params) => (reachable ? client.query(text, params) : Promise.reject(new Error('connection refused'))),
      transaction: (work) => client.transaction(work),
    };
    const failures: unknown[] = [];
    const polling = await PostgresTenantResolver.open(flaky, { pollIntervalMs: 20, onError: (e) => failures.push(e) });
    try {
      reachable = false;
      const refused = () => failures.filter((e) => (e as Error).message === 'connection refused').length;
      await until(() => refused() >= 2);
      expect((await polling.resolve(input(token)))?.tenantId).toBe('offline');
      reachable = true;
      await registry.revokeToken('offline', (await registry.getTenant('offline'))?.tokens[0]?.label as string);
      await until(async () => (await polling.resolve(input(token))) === null);
    } finally {
      await polling.close();
    }
  });

  it('refuses options it does not know or cannot use, naming them', async () => {
    expect((await refusal(() => new PostgresTenantResolver(client, { pollIntervalMs: 5 }))).key).toBe('pollIntervalMs');
    expect((await refusal(() => new PostgresTenantResolver(client, { pollInterval: 50 } as never))).message).toContain('did you mean pollIntervalMs?');
  });
});
