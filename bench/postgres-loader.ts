/**
 * Loads users straight into PostgresStorage's tables with multi-row INSERTs (arrays through
 * unnest, thousands of rows per statement), for benchmarks at a million rows: the API creates one
 * resource per transaction, which is what a SCIM client does but not how a bench fills a table.
 * Rows are built by the storage's own encoder, with the unique values and counts it would write.
 */
import { v7 as uuidv7 } from 'uuid';
import type { ResourceTypeModel } from '../src/schema/membership.js';
import type { ScimObject } from '../src/schema/types.js';
import { LATEST_VERSION } from '../src/storage/postgres/migrations.js';
import { encodeBody } from '../src/storage/postgres/resource-row.js';
import type { SqlClient } from '../src/storage/postgres/sql-client.js';
import { qualified, storageNames } from '../src/storage/postgres/storage-names.js';
import { tableSet } from '../src/storage/postgres/table-set.js';

const BATCH = 5000;
/** The unique-values key of a case-insensitive `userName`, as the storage writes it. */
const USER_NAME_KEY = JSON.stringify([false, 'userName']);

/** Registers pooled tenants at `level` (`shared` or `standard`), as their first write would. */
async function register(client: SqlClient, tenants: readonly string[], level: 'shared' | 'standard'): Promise<string> {
  const names = storageNames();
  const schema = level === 'shared' ? names.shared : names.standard;
  await client.query(
    `INSERT INTO ${qualified(names.meta, 'scim_tenants')} (tenant_id, isolation_level, schema_name, table_version)
SELECT t, $2, $3, $4 FROM unnest($1::text[]) AS t ON CONFLICT DO NOTHING`,
    [tenants, level, schema, LATEST_VERSION],
  );
  return schema;
}

/** One batch of users: `(tenant, body)` pairs, with their ids, in one transaction. */
async function insertBatch(
  client: SqlClient,
  names: ReturnType<typeof storageNames>,
  schema: string,
  type: ResourceTypeModel,
  rows: readonly [string, ScimObject][],
): Promise<string[]> {
  const t = tableSet(schema, names.meta);
  const ids = rows.map(() => uuidv7());
  const encoded = rows.map(([, body]) => encodeBody(body, type));
  await client.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO ${t.resources} (tenant_id, resource_type, id, version, created, last_modified, user_name_folded, external_id, display_name_folded, member_count, data)
SELECT x.t, $7, x.i, 1, date_trunc('milliseconds', now()), date_trunc('milliseconds', now()), x.u, x.e, x.d, 0, x.j::jsonb
FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS x(t, i, u, e, d, j)`,
      [
        rows.map(([tenant]) => tenant),
        ids,
        encoded.map((e) => e.userNameFolded),
        encoded.map((e) => e.externalId),
        encoded.map((e) => e.displayNameFolded),
        encoded.map((e) => e.data),
        type.name,
      ],
    );
    await tx.query(
      `INSERT INTO ${t.uniqueValues} (tenant_id, resource_type, key, value_hash, id)
SELECT x.t, $4, $5, encode(sha256(convert_to(x.v, 'UTF8')), 'hex'), x.i FROM unnest($1::text[], $2::text[], $3::text[]) AS x(t, i, v)`,
      [rows.map(([tenant]) => tenant), ids, encoded.map((e) => e.userNameFolded ?? ''), type.name, USER_NAME_KEY],
    );
  });
  return ids;
}

/**
 * Loads `perTenant` users into each tenant (pooled, at `level`), `user(i)` building the i-th body.
 * Returns the ids in load order.
 */
export async function bulkLoadUsers(
  client: SqlClient,
  type: ResourceTypeModel,
  level: 'shared' | 'standard',
  tenants: readonly string[],
  perTenant: number,
  user: (i: number) => ScimObject,
): Promise<string[]> {
  const schema = await register(client, tenants, level);
  const names = storageNames();
  const ids: string[] = [];
  let batch: [string, ScimObject][] = [];
  let i = 0;
  for (const tenant of tenants) {
    for (let k = 0; k < perTenant; k++) {
      batch.push([tenant, user(i++)]);
      if (batch.length >= BATCH) {
        ids.push(...(await insertBatch(client, names, schema, type, batch)));
        batch = [];
      }
    }
  }
  if (batch.length > 0) ids.push(...(await insertBatch(client, names, schema, type, batch)));
  const counts = tableSet(schema, names.meta).counts;
  await client.query(
    `INSERT INTO ${counts} AS c (tenant_id, resource_type, resources) SELECT t, $2, $3 FROM unnest($1::text[]) AS t
ON CONFLICT (tenant_id, resource_type) DO UPDATE SET resources = c.resources + EXCLUDED.resources`,
    [tenants, type.name, perTenant],
  );
  // As after any bulk load: statistics, and the visibility map and hint bits set once, so that the
  // measurements that follow neither pay for them nor meet autovacuum doing it.
  await client.query(`VACUUM (ANALYZE) ${tableSet(schema, names.meta).resources}`);
  await client.query(`VACUUM (ANALYZE) ${tableSet(schema, names.meta).uniqueValues}`);
  return ids;
}
