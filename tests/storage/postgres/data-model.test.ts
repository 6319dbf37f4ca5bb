/**
 * The properties the data model promises: `tenant_id` leads every primary key, unique constraint
 * and index of every table a tenant's rows live in (what distributing by `tenant_id` needs), and a
 * backup taken with pg_dump restores into a database the storage serves unchanged.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ResourceTypeModel } from '../../../src/schema/membership.js';
import { SchemaRegistry } from '../../../src/schema/schema-registry.js';
import { connectPostgres, openPGlite, PostgresStorage } from '../../../src/storage/postgres/index.js';
import type { IsolationLevel } from '../../../src/tenant/isolation-level.js';
import type { TenantContext } from '../../../src/tenant/tenant-context.js';
import { findPostgresBin } from '../../helpers/postgres-cluster.js';
import { describePostgresServer, freshDatabase } from '../../helpers/postgres-server.js';
import { outputOf } from '../../helpers/processes.js';

const registry = new SchemaRegistry();
const USER = registry.model('User') as ResourceTypeModel;
const GROUP = registry.model('Group') as ResourceTypeModel;
const tenant = (tenantId: string, isolationLevel: IsolationLevel): TenantContext => ({ tenantId, isolationLevel, permissions: {}, baseUrl: '' });

describe('the data model', () => {
  it('puts tenant_id first in every key and index of the tables tenants’ rows live in', async () => {
    const client = await openPGlite();
    try {
      const storage = new PostgresStorage(client);
      await storage.migrate();
      await storage.create(tenant('s', 'strict'), USER, { schemas: [], userName: 'x' });
      const { rows } = await client.query(`
SELECT n.nspname AS schema, c.relname AS index, a.attname AS first_column, pg_get_indexdef(i.indexrelid) AS definition
FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
WHERE n.nspname LIKE 'scim\\_%' ORDER BY 1, 2`);
      const schemas = new Set(rows.map((r) => String(r.schema)));
      expect([...schemas].filter((s) => s.startsWith('scim_t_'))).toHaveLength(1);
      expect(schemas.has('scim_shared') && schemas.has('scim_standard')).toBe(true);
      // per placement: resources (primary key and 6 indexes), members (2), unique values (2), counts (1)
      expect(rows.length).toBe(3 * 12);
      for (const r of rows) expect(r.first_column, String(r.definition)).toBe('tenant_id');
    } finally {
      await client.close?.();
    }
  }, 60_000);
});

describePostgresServer('backups', () => {
  it('a pg_dump of the scim schemas restores into a database the storage serves unchanged', async () => {
    const bin = findPostgresBin() as string;
    const [from, to] = [await freshDatabase('backup_from'), await freshDatabase('backup_to')];
    const dir = mkdtempSync(join(tmpdir(), 'scim-dump-'));
    try {
      const source = new PostgresStorage(await connectPostgres(from.url, { max: 2 }));
      await source.migrate();
      const kept = [];
      for (const level of ['shared', 'standard', 'strict'] as const) {
        const t = tenant(`backup-${level}`, level);
        const u = await source.create(t, USER, { schemas: [], userName: `u-${level}` });
        const g = await source.create(t, GROUP, { schemas: [], displayName: `g-${level}`, members: [{ value: u.id }] });
        kept.push({ t, u: await source.get(t, USER, u.id), g: await source.get(t, GROUP, g.id) });
      }
      await source.close();
      const file = join(dir, 'scim.dump');
      await outputOf(join(bin, 'pg_dump'), ['--format=custom', '--schema=scim*', `--file=${file}`, from.url]);
      await outputOf(join(bin, 'pg_restore'), ['--exit-on-error', `--dbname=${to.url}`, file]);
      const restored = new PostgresStorage(await connectPostgres(to.url, { max: 2 }));
      expect((await restored.migrate()).applied).toEqual([]);
      for (const { t, u, g } of kept) {
        expect(await restored.get(t, USER, u?.id as string)).toEqual(u);
        expect(await restored.get(t, GROUP, g?.id as string)).toEqual(g);
      }
      await restored.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await from.drop();
      await to.drop();
    }
  }, 60_000);
});
