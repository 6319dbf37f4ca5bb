// PostgresStorage on PGlite (PostgreSQL in this process; a pg.Pool works the same way): migrate once,
// then hand it to the server. A standard tenant's rows are guarded by row-level security as well.
import assert from 'node:assert/strict';
import { ScimServer, StaticTenantResolver } from 'scim-server';
import { openPGlite, PostgresStorage } from 'scim-server/postgres';

const client = await openPGlite(); // or: await connectPostgres(process.env.DATABASE_URL)
const storage = new PostgresStorage(client);
await storage.migrate(); // versioned, recorded in scim.scim_migrations, safe to run from many processes

const scim = new ScimServer({
  storage,
  cursorSecret: 'the same secret in every process of the deployment',
  tenantResolver: new StaticTenantResolver([{ id: 'shop', token: 'shop', isolationLevel: 'standard' }]),
});
const headers = { authorization: 'Bearer shop' };
const created = await scim.handle({ method: 'POST', path: '/scim/v2/Users', headers, body: { userName: 'ann@shop.example' } });
assert.equal(created.status, 201);

// Without the per-transaction tenant setting, the role the storage switches to sees no rows at all.
const seen = await client.transaction(async (tx) => {
  await tx.query("SELECT set_config('role', 'scim_rls', true)");
  return (await tx.query('SELECT count(*)::int AS n FROM scim_standard.scim_resources')).rows[0]?.n;
});
assert.equal(seen, 0);

// A tenant that holds data cannot silently move to another isolation level: 503, naming both.
const moved = new ScimServer({ storage, tenantResolver: new StaticTenantResolver([{ id: 'shop', token: 'shop', isolationLevel: 'strict' }]) });
const refused = await moved.handle({ method: 'GET', path: '/scim/v2/Users', headers });
assert.equal(refused.status, 503);
assert.match((refused.body as { detail: string }).detail, /Tenant "shop" holds data stored at isolation level "standard" but is now configured as "strict"/);
await storage.close();
console.log('postgres storage: ok');
