import type { IsolationLevel } from '../../tenant/isolation-level.js';
import type { TenantPermissions } from '../../tenant/tenant-permissions.js';
import type { TenantSettings } from '../../tenant/tenant-settings.js';
import type { RegistryTables } from './registry-tables.js';
import type { SqlQueryable } from './sql-client.js';

/** One token of a registered tenant, as the registry keeps it: never the token itself. */
export interface RegistryToken {
  /** Names the token in listings and audit events (`credentialId`). */
  readonly label: string;
  /** When it was issued. */
  readonly created: Date;
  /** When it stops being accepted (set by a rotation's overlap), or undefined for no end. */
  readonly validUntil?: Date;
}

/** A registered tenant, as {@link PostgresTenantRegistry.listTenants} shows it. */
export interface RegistryTenant {
  readonly id: string;
  /** Client id reported in audit events. */
  readonly clientId: string;
  readonly isolationLevel: IsolationLevel;
  readonly permissions: TenantPermissions;
  readonly settings?: TenantSettings;
  /** When it was suspended, or undefined while it is active. */
  readonly suspendedAt?: Date;
  readonly created: Date;
  /** Its tokens, oldest first. */
  readonly tokens: readonly RegistryToken[];
}

/** A token with its digest, as resolvers match it. */
export interface SnapshotToken extends RegistryToken {
  readonly digest: string;
}

/** A tenant with its tokens' digests. */
export interface SnapshotTenant extends Omit<RegistryTenant, 'tokens'> {
  readonly tokens: readonly SnapshotToken[];
}

/** The whole registry at one revision, read by one statement. */
export interface RegistrySnapshot {
  /** The registry's revision (a decimal string: a `bigint` in the database). */
  readonly revision: string;
  /** The database's clock when the snapshot was read, in milliseconds. */
  readonly databaseNow: number;
  readonly tenants: readonly SnapshotTenant[];
}

const epochMs = (column: string) => `(extract(epoch FROM ${column}) * 1000)::float8`;

/** The statement that reads a snapshot: one statement, so one consistent view of both tables. */
function snapshotStatement(t: RegistryTables, where: string): string {
  const tokens = `coalesce((SELECT json_agg(json_build_object('label', k.label, 'digest', k.digest, 'created', ${epochMs('k.created')}, 'validUntil', ${epochMs(
    'k.valid_until',
  )}) ORDER BY k.created, k.label) FROM ${t.tokens} k WHERE k.tenant_id = r.tenant_id), '[]'::json)`;
  // The revision as a scalar subquery over one row: a join with the state table would make the
  // planner, without statistics on new tables, estimate enough rows to compile the query (JIT),
  // which costs hundreds of milliseconds on every read.
  return `SELECT (SELECT revision::text FROM ${t.state}) AS revision, ${epochMs('clock_timestamp()')} AS database_now,
  r.tenant_id, r.client_id, r.isolation_level, r.permissions, r.settings,
  ${epochMs('r.suspended_at')} AS suspended_at, ${epochMs('r.created')} AS created, ${tokens} AS tokens
FROM (VALUES (1)) AS one (n) LEFT JOIN ${t.tenants} r ON ${where}
ORDER BY r.tenant_id`;
}

interface SnapshotRow {
  revision: string;
  database_now: number | string;
  tenant_id: string | null;
  client_id: string | null;
  isolation_level: IsolationLevel;
  permissions: TenantPermissions;
  settings: TenantSettings | null;
  suspended_at: number | string | null;
  created: number | string;
  tokens: { label: string; digest: string; created: number | string; validUntil: number | string | null }[] | string;
}

const date = (ms: number | string) => new Date(Number(ms));

function tenantOf(row: SnapshotRow & { tenant_id: string }): SnapshotTenant {
  const tokens = typeof row.tokens === 'string' ? (JSON.parse(row.tokens) as Exclude<SnapshotRow['tokens'], string>) : row.tokens;
  return {
    id: row.tenant_id,
    clientId: row.client_id ?? row.tenant_id,
    isolationLevel: row.isolation_level,
    permissions: row.permissions ?? {},
    ...(row.settings !== null ? { settings: row.settings } : {}),
    ...(row.suspended_at !== null ? { suspendedAt: date(row.suspended_at) } : {}),
    created: date(row.created),
    tokens: tokens.map((k) => ({
      label: k.label,
      digest: k.digest,
      created: date(k.created),
      ...(k.validUntil !== null ? { validUntil: date(k.validUntil) } : {}),
    })),
  };
}

/** Reads the whole registry (or the one tenant `tenantId`) at one revision. */
export async function readSnapshot(q: SqlQueryable, tables: RegistryTables, tenantId?: string): Promise<RegistrySnapshot> {
  const { rows } =
    tenantId === undefined ? await q.query(snapshotStatement(tables, 'true')) : await q.query(snapshotStatement(tables, 'r.tenant_id = $1'), [tenantId]);
  const first = rows[0] as SnapshotRow | undefined;
  if (!first) throw new Error('the tenant registry has no state row: run migrate()');
  const tenants = (rows as unknown as SnapshotRow[]).filter((r): r is SnapshotRow & { tenant_id: string } => r.tenant_id !== null).map(tenantOf);
  return { revision: first.revision, databaseNow: Number(first.database_now), tenants };
}

/** The registry's current revision, in one cheap statement. */
export async function readRevision(q: SqlQueryable, tables: RegistryTables): Promise<string> {
  const { rows } = await q.query(`SELECT revision::text AS revision FROM ${tables.state}`);
  const row = rows[0] as { revision: string } | undefined;
  if (!row) throw new Error('the tenant registry has no state row: run migrate()');
  return row.revision;
}
