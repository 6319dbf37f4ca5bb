/**
 * The storages the PostgreSQL bench compares, each with its own way to fill a table quickly and to
 * find the cursor position of the n-th row: memory (the API), PGlite and PostgreSQL (multi-row
 * INSERTs through bench/postgres-loader.ts).
 */
import { findPostgresBin, startPostgresCluster } from '../tests/helpers/postgres-cluster.js';
import { SchemaRegistry } from '../src/schema/schema-registry.js';
import type { ResourceTypeModel } from '../src/schema/membership.js';
import type { ScimObject } from '../src/schema/types.js';
import { USER_SCHEMA_URI } from '../src/schema/user-schema.js';
import { InMemoryStorage, type StorageProvider } from '../src/storage/index.js';
import { afterPosition } from '../src/storage/postgres/keyset-position.js';
import { connectPostgres, openPGlite, PostgresStorage, type SqlClient } from '../src/storage/postgres/index.js';
import type { TenantContext } from '../src/tenant/tenant-context.js';
import { bulkLoadUsers } from './postgres-loader.js';

const registry = new SchemaRegistry();
/** The User and Group models a server would pass. */
export const USER = registry.model('User') as ResourceTypeModel;
export const GROUP = registry.model('Group') as ResourceTypeModel;

/** The i-th user of a load: a small, realistic body with a unique userName. */
export function benchUser(prefix: string, i: number): ScimObject {
  const userName = `${prefix}${i}@example.com`;
  return {
    schemas: [USER_SCHEMA_URI],
    userName,
    externalId: `00u${prefix}${i.toString(36)}`,
    name: { givenName: 'Bench', familyName: `User${i}` },
    displayName: `Bench User${i}`,
    emails: [{ value: userName, type: 'work', primary: true }],
    active: true,
  };
}

export function tenant(tenantId: string, isolationLevel: TenantContext['isolationLevel'] = 'standard'): TenantContext {
  return { tenantId, isolationLevel, permissions: {}, baseUrl: `https://bench.example/${tenantId}` };
}

/** A storage under test. */
export interface Subject {
  readonly label: string;
  readonly storage: StorageProvider;
  /** Users in the one-tenant load. */
  readonly users: number;
  /** Strict tenants to create. */
  readonly strictTenants: number;
  /** How the one-tenant load is done, for the notes. */
  readonly loader: string;
  /** Loads `perTenant` users into each tenant (pooled), user names `<prefix><i>@example.com`; returns their ids. */
  load(level: 'shared' | 'standard', tenants: readonly string[], perTenant: number, prefix: string): Promise<string[]>;
  /** The cursor position after the `offset`-th user (0-based) of a tenant, in the default order. */
  positionAt(t: TenantContext, offset: number): Promise<string>;
  close(): Promise<void>;
}

export function memorySubject(users: number, strictTenants: number): Subject {
  const storage = new InMemoryStorage();
  return {
    label: 'memory',
    storage,
    users,
    strictTenants,
    loader: 'storage.create, one at a time',
    async load(level, tenants, perTenant, prefix) {
      const ids: string[] = [];
      let i = 0;
      for (const id of tenants) {
        const t = tenant(id, level);
        for (let k = 0; k < perTenant; k++) ids.push((await storage.create(t, USER, benchUser(prefix, i++))).id);
      }
      return ids;
    },
    positionAt: async (_t, offset) => String(offset + 1),
    close: async () => {},
  };
}

function sqlSubject(label: string, client: SqlClient, storage: PostgresStorage, users: number, strictTenants: number): Subject {
  return {
    label,
    storage,
    users,
    strictTenants,
    loader: 'multi-row INSERT, 5,000 rows per statement',
    load: (level, tenants, perTenant, prefix) => bulkLoadUsers(client, USER, level, tenants, perTenant, (i) => benchUser(prefix, i)),
    async positionAt(t, offset) {
      const schema = t.isolationLevel === 'standard' ? 'scim_standard' : 'scim_shared';
      const { rows } = await client.query(
        `SELECT id FROM "${schema}".scim_resources WHERE tenant_id = $1 AND resource_type = 'User' ORDER BY id OFFSET $2 LIMIT 1`,
        [t.tenantId, offset],
      );
      return afterPosition(String(rows[0]?.id));
    },
    close: () => storage.close(),
  };
}

export async function pgliteSubject(users: number, strictTenants: number): Promise<Subject> {
  const client = await openPGlite();
  const storage = new PostgresStorage(client);
  await storage.migrate();
  return sqlSubject('PGlite', client, storage, users, strictTenants);
}

/** PostgreSQL at $BENCH_DATABASE_URL, or a throwaway cluster; `undefined` when neither is available. */
export async function postgresSubject(users: number, strictTenants: number): Promise<(Subject & { stopCluster(): void }) | undefined> {
  let url = process.env.BENCH_DATABASE_URL;
  let stopCluster = () => {};
  if (!url) {
    const bin = findPostgresBin();
    if (!bin) return undefined;
    const cluster = await startPostgresCluster(bin, 'scim-bench-pg');
    url = cluster.url;
    stopCluster = () => cluster.stop();
  }
  const client = await connectPostgres(url, { max: 4 });
  const storage = new PostgresStorage(client);
  await storage.migrate();
  return { ...sqlSubject('PostgreSQL', client, storage, users, strictTenants), stopCluster };
}
