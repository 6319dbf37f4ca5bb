/**
 * Silo isolation on PostgreSQL: `TenantRoutedStorage` with a `PostgresStorage` per database, as
 * docs/storage.md describes it. Each tenant's rows are in its own database and nowhere else.
 */
import { describe, expect, it } from 'vitest';
import type { ResourceTypeModel } from '../../../src/schema/membership.js';
import { SchemaRegistry } from '../../../src/schema/schema-registry.js';
import { openPGlite, PostgresStorage, type SqlClient } from '../../../src/storage/postgres/index.js';
import { TenantRoutedStorage } from '../../../src/storage/tenant-routed-storage.js';
import type { TenantContext } from '../../../src/tenant/tenant-context.js';

const USER = new SchemaRegistry().model('User') as ResourceTypeModel;
const tenant = (tenantId: string): TenantContext => ({ tenantId, isolationLevel: 'standard', permissions: {}, baseUrl: '' });

describe('silo: a PostgreSQL database per tenant through TenantRoutedStorage', () => {
  it('keeps each tenant’s rows in its own database only', async () => {
    const databases = new Map<string, { client: SqlClient; storage: PostgresStorage }>();
    for (const id of ['silo-a', 'silo-b']) {
      const client = await openPGlite();
      const storage = new PostgresStorage(client);
      await storage.migrate();
      databases.set(id, { client, storage });
    }
    const routed = new TenantRoutedStorage((t) => {
      const db = databases.get(t.tenantId);
      if (!db) throw new Error(`no database for ${t.tenantId}`);
      return db.storage;
    });
    try {
      const a = await routed.create(tenant('silo-a'), USER, { schemas: [], userName: 'same-name' });
      const b = await routed.create(tenant('silo-b'), USER, { schemas: [], userName: 'same-name' });
      expect(await routed.get(tenant('silo-b'), USER, a.id)).toBeNull();
      for (const [id, own] of [
        ['silo-a', a.id],
        ['silo-b', b.id],
      ] as const) {
        const client = databases.get(id)?.client as SqlClient;
        const rows = (await client.query('SELECT tenant_id, id FROM scim_standard.scim_resources')).rows;
        expect(rows).toEqual([{ tenant_id: id, id: own }]);
      }
      await routed.dropTenant('silo-a');
      expect((await databases.get('silo-a')?.client.query('SELECT count(*)::int AS n FROM scim_standard.scim_resources'))?.rows).toEqual([{ n: 0 }]);
      expect(await routed.get(tenant('silo-b'), USER, b.id)).not.toBeNull();
    } finally {
      for (const { storage } of databases.values()) await storage.close();
    }
  }, 60_000);
});
