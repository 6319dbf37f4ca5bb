/**
 * The roles row-level security depends on: an application that connects as a role that is not a
 * superuser migrates and serves standard tenants by switching to the RLS role; an RLS role that
 * bypasses row-level security is refused rather than trusted.
 */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { isScimError } from '../../../src/error/scim-error.js';
import type { ResourceTypeModel } from '../../../src/schema/membership.js';
import { SchemaRegistry } from '../../../src/schema/schema-registry.js';
import { connectPostgres, openPGlite, PostgresStorage } from '../../../src/storage/postgres/index.js';
import type { TenantContext } from '../../../src/tenant/tenant-context.js';
import { describePostgresServer, freshDatabase, POSTGRES_URL } from '../../helpers/postgres-server.js';

const USER = new SchemaRegistry().model('User') as ResourceTypeModel;
const standard: TenantContext = { tenantId: 'std', isolationLevel: 'standard', permissions: {}, baseUrl: '' };
const shared: TenantContext = { tenantId: 'sh', isolationLevel: 'shared', permissions: {}, baseUrl: '' };

describe('an RLS role that bypasses row-level security', () => {
  it('is refused with a 503 naming the role, for standard tenants only', async () => {
    const client = await openPGlite();
    try {
      await client.query('CREATE ROLE scim_bypasser NOLOGIN BYPASSRLS');
      const storage = new PostgresStorage(client, { rlsRole: 'scim_bypasser' });
      await storage.migrate();
      expect((await storage.create(shared, USER, { schemas: [], userName: 'fine' })).userName).toBe('fine');
      const err = await storage.create(standard, USER, { schemas: [], userName: 'refused' }).catch((e: unknown) => e);
      expect(isScimError(err) && err.status === 503 && err.detail.includes('role "scim_bypasser"')).toBe(true);
      const read = await storage.count(standard, USER).catch((e: unknown) => e);
      expect(isScimError(read) && read.status === 503).toBe(true);
      expect(await storage.count(shared, USER)).toBe(1);
    } finally {
      await client.close?.();
    }
  }, 60_000);
});

describePostgresServer('an application role that is not a superuser', () => {
  it('migrates, joins the RLS role and serves standard tenants under row-level security', async () => {
    const db = await freshDatabase('roles');
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    const role = `scim_owner_${Math.random().toString(36).slice(2, 8)}`;
    try {
      await admin.query(`CREATE ROLE ${role} LOGIN CREATEROLE NOSUPERUSER`);
      await admin.query(`ALTER DATABASE ${new URL(db.url).pathname.slice(1)} OWNER TO ${role}`);
      const url = new URL(db.url);
      url.username = role;
      const rlsRole = `${role}_rls`;
      const client = await connectPostgres(url.toString(), { max: 2 });
      const storage = new PostgresStorage(client, { rlsRole });
      try {
        await storage.migrate();
        const member = await client.query(
          'SELECT pg_has_role(current_user, $1, $2) AS member, (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS su',
          [rlsRole, 'MEMBER'],
        );
        expect(member.rows[0]).toEqual({ member: true, su: false });
        const u = await storage.create(standard, USER, { schemas: [], userName: 'owned' });
        expect((await storage.get(standard, USER, u.id))?.userName).toBe('owned');
        const plain = await client.query('SELECT count(*)::int AS n FROM scim_standard.scim_resources');
        expect(plain.rows[0]?.n, 'the owner is bound too (FORCE ROW LEVEL SECURITY): no tenant setting, no rows').toBe(0);
      } finally {
        await storage.close();
      }
    } finally {
      await db.drop();
      await admin.query(`DROP ROLE IF EXISTS ${role}_rls`).catch(() => undefined);
      await admin.query(`DROP ROLE IF EXISTS ${role}`).catch(() => undefined);
      await admin.end();
    }
  }, 60_000);
});
