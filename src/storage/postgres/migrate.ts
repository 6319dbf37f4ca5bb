import { LATEST_VERSION, MIGRATIONS, type Migration } from './migrations.js';
import type { SqlClient, SqlQueryable } from './sql-client.js';
import { ident, qualified, type StorageNameOptions, type StorageNames, storageNames } from './storage-names.js';

/** What {@link migrate} did. */
export interface MigrationReport {
  /** The database's version before. */
  from: number;
  /** Its version after: {@link LATEST_VERSION}. */
  to: number;
  /** The versions applied by this call (empty when another process had already applied them). */
  applied: number[];
  /** Strict tenants' schemas upgraded by this call. */
  strictSchemas: number;
}

/** The database's migration version (0 when {@link migrate} never ran), for storages named by `options`. */
export async function schemaVersion(q: SqlQueryable, options: StorageNameOptions = {}): Promise<number> {
  return versionOf(q, storageNames(options));
}

/** {@link schemaVersion} for names already checked. */
export async function versionOf(q: SqlQueryable, names: StorageNames): Promise<number> {
  const { rows } = await q.query('SELECT to_regclass($1) IS NOT NULL AS present', [`${ident(names.meta)}.scim_migrations`]);
  if (!(rows[0] as { present: boolean } | undefined)?.present) return 0;
  const current = await q.query(`SELECT coalesce(max(version), 0)::integer AS version FROM ${qualified(names.meta, 'scim_migrations')}`);
  return Number((current.rows[0] as { version: unknown } | undefined)?.version ?? 0);
}

async function upgradeStrictSchemas(tx: SqlQueryable, names: StorageNames, migration: Migration): Promise<number> {
  const registry = qualified(names.meta, 'scim_tenants');
  const { rows } = await tx.query(`SELECT tenant_id, schema_name FROM ${registry} WHERE isolation_level = 'strict' AND table_version < $1 ORDER BY tenant_id`, [
    migration.version,
  ]);
  for (const row of rows as { tenant_id: string; schema_name: string }[]) {
    for (const statement of migration.tableSet(row.schema_name, { rls: false }, names)) await tx.query(statement);
    await tx.query(`UPDATE ${registry} SET table_version = $2 WHERE tenant_id = $1`, [row.tenant_id, migration.version]);
  }
  return rows.length;
}

async function apply(tx: SqlQueryable, names: StorageNames, migration: Migration): Promise<number> {
  for (const statement of migration.global(names)) await tx.query(statement);
  for (const statement of migration.tableSet(names.shared, { rls: false }, names)) await tx.query(statement);
  for (const statement of migration.tableSet(names.standard, { rls: true }, names)) await tx.query(statement);
  const strict = migration.version > 1 ? await upgradeStrictSchemas(tx, names, migration) : 0;
  await tx.query(`INSERT INTO ${qualified(names.meta, 'scim_migrations')} (version, name) VALUES ($1, $2)`, [migration.version, migration.name]);
  return strict;
}

/**
 * Creates or upgrades everything {@link PostgresStorage} keeps in the database, from versioned
 * migrations recorded in `<schema>.scim_migrations`: each runs once, in order, in one transaction
 * with the others, under an advisory lock. Running it again, or from several processes at once, is
 * safe: a second caller waits for the first, then finds nothing left to do.
 *
 * Run it as the role that should own the tables (for example at deploy time); the application may
 * connect as that role or as one granted their use (see docs/storage.md).
 */
export async function migrate(client: SqlClient, options: StorageNameOptions = {}): Promise<MigrationReport> {
  const names = storageNames(options);
  return client.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock(hashtextextended('scim-server migrate ' || $1, 0))", [names.meta]);
    await tx.query(`CREATE SCHEMA IF NOT EXISTS ${ident(names.meta)}`);
    await tx.query(
      `CREATE TABLE IF NOT EXISTS ${qualified(names.meta, 'scim_migrations')} (version integer PRIMARY KEY, name text NOT NULL, applied timestamptz NOT NULL DEFAULT now())`,
    );
    const from = await versionOf(tx, names);
    const done = new Set((await tx.query(`SELECT version FROM ${qualified(names.meta, 'scim_migrations')}`)).rows.map((row) => Number(row.version)));
    const report: MigrationReport = { from, to: Math.max(from, LATEST_VERSION), applied: [], strictSchemas: 0 };
    // Every step not yet recorded runs, in version order: a step released after a higher one still runs.
    for (const migration of [...MIGRATIONS].sort((a, b) => a.version - b.version)) {
      if (done.has(migration.version)) continue;
      report.strictSchemas += await apply(tx, names, migration);
      report.applied.push(migration.version);
    }
    return report;
  });
}
