// Tenants in PostgreSQL: added, rotated, suspended and revoked while the service runs, by any
// process; every process's resolver follows within its polling interval (at once when notified).
import assert from 'node:assert/strict';
import { ScimServer } from 'scim-server';
import { openPGlite, PostgresStorage, PostgresTenantRegistry, PostgresTenantResolver } from 'scim-server/postgres';

const client = await openPGlite(); // or: await connectPostgres(process.env.DATABASE_URL)
const registry = new PostgresTenantRegistry(client);
await registry.migrate(); // the storage's migrations: registry tables included

// Each process: a resolver reading the registry, refreshed on NOTIFY and by polling.
const tenantResolver = await PostgresTenantResolver.open(client, { pollIntervalMs: 2000 });
const scim = new ScimServer({ tenantResolver, storage: new PostgresStorage(client) });
const list = (token: string) => scim.handle({ method: 'GET', path: '/scim/v2/Users', headers: { authorization: `Bearer ${token}` } });

// The token is returned once; the registry keeps only its SHA-256 digest.
const { token } = await registry.addTenant({ id: 'acme', permissions: { maxUsers: 500 } }, { label: 'entra-2026' });
await tenantResolver.refresh(); // on another process: within pollIntervalMs, usually at once
assert.equal((await list(token)).status, 200);

// Rotation: the new token works at once, the old one for the overlap only.
const next = await registry.rotateToken('acme', { overlapSeconds: 3600 });
await tenantResolver.refresh();
assert.equal((await list(next.token)).status, 200);
assert.equal((await list(token)).status, 200); // still inside the overlap
await registry.revokeToken('acme', 'entra-2026'); // or end it now
await tenantResolver.refresh();
assert.equal((await list(token)).status, 401);

// Suspension: answered as an expired tenant is (403, expiresAt), data and tokens kept.
await registry.suspendTenant('acme');
await tenantResolver.refresh();
assert.equal((await list(next.token)).status, 403);
await registry.resumeTenant('acme');
await tenantResolver.refresh();
assert.equal((await list(next.token)).status, 200);

// Checked as StaticTenantResolver checks its definitions, naming the tenant and the key.
await assert.rejects(registry.addTenant({ id: 'typo', permissions: { maxUser: 5 } as never }), /tenant "typo": permissions.maxUser is not a permission; did you mean maxUsers\?/);
await tenantResolver.close();
await client.close?.();
console.log('tenant registry: ok');
