/**
 * The storages the PostgreSQL bench compares, each with its own way to fill a table quickly and to
 * find the cursor position of the n-th row: memory (the API), PGlite and PostgreSQL (multi-row
 * INSERTs through bench/postgres-loader.ts).
 */
import { findPostgresBin, startPostgresCluster } from '../tests/helpers/postgres-cluster.js';
import { SchemaRegistry } from '../src/schema/schema-registry.js';
import type { ResourceTypeModel } from '../src/schema/membership.js';
import type { ScimObject } from '../src/schema/types.js';
import { USER_SCHEMA, USER_SCHEMA_URI } from '../src/schema/user-schema.js';
import { createResourceSchema } from '../src/schema/resource-schema.js';
import { USER_RESOURCE_TYPE } from '../src/schema/resource-types.js';
import { InMemoryStorage, type StorageProvider } from '../src/storage/index.js';
import { connectPostgres, openPGlite, PostgresStorage, type SqlClient } from '../src/storage/postgres/index.js';
import type { TenantContext } from '../src/tenant/tenant-context.js';
import { bulkLoadUsers } from './postgres-loader.js';

const registry = new SchemaRegistry();
/** The User and Group models a server would pass. */
export const USER = registry.model('User') as ResourceTypeModel;
export const GROUP = registry.model('Group') as ResourceTypeModel;
const USERS_SCHEMA = createResourceSchema(USER_RESOURCE_TYPE, USER_SCHEMA);

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
      // Walks the cursor pages as a client would, 1,000 rows at a time, to the position after row `offset`.
      let position = '';
      for (let seen = 0; seen <= offset; ) {
        const take = Math.min(1000, offset + 1 - seen);
        const page = await storage.query(t, USER, { schema: USERS_SCHEMA, startIndex: 1, count: take, position, excludeMembers: true });
        seen += page.resources.length;
        if (!page.nextPosition) throw new Error(`no position after row ${seen}`);
        position = page.nextPosition;
      }
      return position;
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
