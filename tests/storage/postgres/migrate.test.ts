import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isScimError } from '../../../src/error/scim-error.js';
import { connectPostgres, LATEST_VERSION, migrate, openPGlite, PostgresStorage } from '../../../src/storage/postgres/index.js';
import type { ResourceTypeModel } from '../../../src/schema/membership.js';
import { SchemaRegistry } from '../../../src/schema/schema-registry.js';
import type { TenantContext } from '../../../src/tenant/tenant-context.js';
import { describePostgresServer, freshDatabase } from '../../helpers/postgres-server.js';
import { MIGRATIONS } from '../../../src/storage/postgres/migrations.js';

/** Every version, in order: what a first migrate() applies. */
const ALL_VERSIONS = MIGRATIONS.map((m) => m.version).sort((a, b) => a - b);

const USER = new SchemaRegistry().model('User') as ResourceTypeModel;
const tenant: TenantContext = { tenantId: 'm', isolationLevel: 'standard', permissions: {}, baseUrl: '' };
const user = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'kept' };

describe('migrate on PGlite', () => {
  it('a storage refuses to work on a database migrate() has not prepared, naming what to do', async () => {
    const client = await openPGlite();
    try {
      const storage = new PostgresStorage(client);
      const err = await storage.get(tenant, USER, 'x').catch((e: unknown) => e);
      expect(isScimError(err) && err.status === 503 && /run migrate\(\)/.test(err.detail)).toBe(true);
      const first = await migrate(client);
      expect(first).toEqual({ from: 0, to: LATEST_VERSION, applied: ALL_VERSIONS, strictSchemas: 0 });
      expect(await storage.get(tenant, USER, 'x')).toBeNull();
      const again = await migrate(client);
      expect(again).toEqual({ from: LATEST_VERSION, to: LATEST_VERSION, applied: [], strictSchemas: 0 });
      const recorded = await client.query('SELECT version, name FROM scim.scim_migrations ORDER BY version');
      expect(recorded.rows.map((r) => r.version)).toEqual(ALL_VERSIONS);
    } finally {
      await client.close?.();
    }
  }, 60_000);

  it('runs a migration the database has not recorded even below its version, once', async () => {
    const client = await openPGlite();
    try {
      await migrate(client);
      // As if migration 2 had shipped after a later one had already been applied.
      await client.query('DROP TABLE scim.scim_registry_tokens, scim.scim_registry_tenants, scim.scim_registry_state, scim.scim_rate_buckets');
      await client.query('DROP FUNCTION scim.scim_registry_changed()');
      await client.query('DELETE FROM scim.scim_migrations WHERE version = 2');
      await client.query("INSERT INTO scim.scim_migrations (version, name) VALUES (99, 'later')");
      const report = await migrate(client);
      expect(report).toMatchObject({ from: 99, to: 99, applied: [2] });
      expect((await client.query('SELECT revision FROM scim.scim_registry_state')).rows).toHaveLength(1);
      expect((await migrate(client)).applied).toEqual([]);
    } finally {
      await client.close?.();
    }
  }, 60_000);

  it('rejects schema and role names it cannot use, naming the option', () => {
    const client = { query: async () => ({ rows: [] }), transaction: async () => undefined as never };
    expect(() => new PostgresStorage(client, { schema: 'Bad-Name' })).toThrow(/option "schema"/);
    expect(() => new PostgresStorage(client, { rlsRole: 'x"; DROP ROLE y' })).toThrow(/option "rlsRole"/);
    expect(() => new PostgresStorage(client, { schema: 'a'.repeat(21) })).toThrow(/option "schema"/);
  });

  it('PGlite in a directory keeps resources, versions and ETags across a restart, and a copy of the stopped directory opens the same', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scim-pglite-'));
    try {
      const first = new PostgresStorage(await openPGlite(dir));
      await first.migrate();
      const created = await first.create(tenant, USER, user);
      const replaced = await first.replace(tenant, USER, created.id, { ...user, nickName: 'twice' });
      await first.close();
      const second = new PostgresStorage(await openPGlite(dir));
      expect((await second.migrate()).applied).toEqual([]);
      expect(await second.get(tenant, USER, created.id)).toEqual(replaced);
      await second.close();
      const copy = `${dir}-copy`;
      cpSync(dir, copy, { recursive: true });
      try {
        const third = new PostgresStorage(await openPGlite(copy));
        expect(await third.get(tenant, USER, created.id)).toEqual(replaced);
        await third.close();
      } finally {
        rmSync(copy, { recursive: true, force: true });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describePostgresServer('migrate', () => {
  it('six connections migrating one database at once: one applies, the others find nothing to do', async () => {
    const db = await freshDatabase('migrate');
    const clients = await Promise.all(Array.from({ length: 6 }, () => connectPostgres(db.url, { max: 1 })));
    try {
      const reports = await Promise.all(clients.map((c) => migrate(c)));
      expect(reports.filter((r) => r.applied.length > 0)).toEqual([{ from: 0, to: LATEST_VERSION, applied: ALL_VERSIONS, strictSchemas: 0 }]);
      expect(reports.filter((r) => r.applied.length === 0)).toHaveLength(5);
      const storage = new PostgresStorage(clients[0]!);
      const created = await storage.create(tenant, USER, user);
      expect((await new PostgresStorage(clients[1]!).get(tenant, USER, created.id))?.userName).toBe('kept');
    } finally {
      for (const c of clients) await c.close?.();
      await db.drop();
    }
  });
});
