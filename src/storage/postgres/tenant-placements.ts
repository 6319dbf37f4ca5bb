import type { IsolationLevel } from '../../tenant/isolation-level.js';
import type { TenantContext } from '../../tenant/tenant-context.js';
import { isolationLevelChanged } from '../isolation-change.js';
import { LATEST_VERSION, MIGRATIONS } from './migrations.js';
import type { SqlClient, SqlQueryable } from './sql-client.js';
import { enterTenantScope, leaveRole } from './row-level-security.js';
import { ident, qualified, type StorageNames, strictSchemaName } from './storage-names.js';
import { TABLE_NAMES, type TableSet, tableSet } from './table-set.js';
import { tenantConfigurationError } from './tenant-configuration-error.js';

/** Where one tenant's data lives. */
export interface Placement {
  readonly level: IsolationLevel;
  readonly tables: TableSet;
  /** True when row-level security guards the tables (the `standard` schema). */
  readonly rls: boolean;
}

/** A write found the tenant registry changed under a cached placement; run it again. */
export class StalePlacement extends Error {
  constructor(tenantId: string) {
    super(`The placement of tenant ${tenantId} changed`);
    this.name = 'StalePlacement';
  }
}

/** How long a process trusts a cached placement for reads (writes always confirm it). */
const CACHE_MS = 30_000;
const MAX_TENANT_ID_BYTES = 256;

interface RegistryRow {
  isolation_level: IsolationLevel;
  schema_name: string;
}

/**
 * The tenant registry (`<schema>.scim_tenants`): which isolation level, and so which schema, holds
 * each tenant's data. A tenant is registered by its first write, at the level its context names;
 * a `strict` tenant's schema is created then, with the tables of every migration.
 *
 * Reads trust a cached placement for a few seconds; every write transaction confirms the registry
 * row (and share-locks it, so a concurrent `dropTenant` or level change waits for the write).
 */
export class TenantPlacements {
  private readonly cache = new Map<string, { placement: Placement; until: number }>();
  private readonly registry: string;

  constructor(
    private readonly client: SqlClient,
    private readonly names: StorageNames,
  ) {
    this.registry = qualified(names.meta, 'scim_tenants');
  }

  /** The placement of the tenant's data, or `undefined` when it has none yet. */
  async find(tenant: TenantContext): Promise<Placement | undefined> {
    checkTenantId(tenant.tenantId);
    const cached = this.cache.get(tenant.tenantId);
    if (cached && cached.placement.level === tenant.isolationLevel && cached.until > Date.now()) return cached.placement;
    const { rows } = await this.client.query(`SELECT isolation_level, schema_name FROM ${this.registry} WHERE tenant_id = $1`, [tenant.tenantId]);
    const row = rows[0] as RegistryRow | undefined;
    if (!row) return this.forget(tenant.tenantId);
    if (row.isolation_level !== tenant.isolationLevel) {
      if (await this.holdsData(this.client, tenant.tenantId, this.placementOf(row))) {
        throw isolationLevelChanged(tenant.tenantId, row.isolation_level, tenant.isolationLevel);
      }
      return undefined;
    }
    return this.remember(tenant.tenantId, this.placementOf(row));
  }

  /** The placement of the tenant's data, registering the tenant (and creating its schema) if needed. */
  async ensure(tenant: TenantContext): Promise<Placement> {
    return (await this.find(tenant)) ?? this.register(tenant);
  }

  /**
   * Inside a write transaction: share-locks the tenant's registry row and checks that it still
   * names `placement`.
   *
   * @throws StalePlacement when it does not (the caller forgets the placement and runs again).
   */
  async confirm(tx: SqlQueryable, tenantId: string, placement: Placement): Promise<void> {
    const { rows } = await tx.query(`SELECT isolation_level, schema_name FROM ${this.registry} WHERE tenant_id = $1 FOR SHARE`, [tenantId]);
    const row = rows[0] as RegistryRow | undefined;
    if (!row || row.isolation_level !== placement.level || row.schema_name !== placement.tables.schema) {
      this.forget(tenantId);
      throw new StalePlacement(tenantId);
    }
  }

  /** Forgets a cached placement. */
  forget(tenantId: string): undefined {
    this.cache.delete(tenantId);
    return undefined;
  }

  /**
   * Deletes everything the tenant holds and its registration: a `strict` tenant's schema is
   * dropped, a pooled tenant's rows deleted. Other tenants are untouched.
   */
  async drop(tenantId: string): Promise<void> {
    checkTenantId(tenantId);
    await this.client.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 8))', [tenantId]);
      const { rows } = await tx.query(`SELECT isolation_level, schema_name FROM ${this.registry} WHERE tenant_id = $1 FOR UPDATE`, [tenantId]);
      const row = rows[0] as RegistryRow | undefined;
      if (row) await this.clear(tx, tenantId, this.placementOf(row));
      await tx.query(`DELETE FROM ${this.registry} WHERE tenant_id = $1`, [tenantId]);
    });
    this.forget(tenantId);
  }

  private placementOf(row: RegistryRow): Placement {
    return { level: row.isolation_level, tables: tableSet(row.schema_name, this.names.meta), rls: row.isolation_level === 'standard' };
  }

  private remember(tenantId: string, placement: Placement): Placement {
    this.cache.set(tenantId, { placement, until: Date.now() + CACHE_MS });
    return placement;
  }

  /** True when the tenant holds at least one resource in `placement`. */
  private async holdsData(q: SqlClient | SqlQueryable, tenantId: string, placement: Placement): Promise<boolean> {
    const sql = `SELECT 1 FROM ${placement.tables.counts} WHERE tenant_id = $1 AND resources > 0 LIMIT 1`;
    if (!placement.rls) return (await q.query(sql, [tenantId])).rows.length > 0;
    const read = async (tx: SqlQueryable) => {
      await enterTenantScope(tx, this.names, tenantId);
      const holds = (await tx.query(sql, [tenantId])).rows.length > 0;
      await leaveRole(tx, tenantId);
      return holds;
    };
    return 'transaction' in q ? q.transaction(read) : read(q);
  }

  /** Registers the tenant at its context's level, under a per-tenant lock; moves it when it holds nothing elsewhere. */
  private async register(tenant: TenantContext): Promise<Placement> {
    const { tenantId, isolationLevel: level } = tenant;
    const schema = level === 'strict' ? await strictSchemaName(this.names, tenantId) : level === 'standard' ? this.names.standard : this.names.shared;
    const placement: Placement = { level, tables: tableSet(schema, this.names.meta), rls: level === 'standard' };
    await this.client.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 8))', [tenantId]);
      const { rows } = await tx.query(`SELECT isolation_level, schema_name FROM ${this.registry} WHERE tenant_id = $1 FOR UPDATE`, [tenantId]);
      const row = rows[0] as RegistryRow | undefined;
      if (row?.isolation_level === level) return;
      if (row) {
        const previous = this.placementOf(row);
        if (await this.holdsData(tx, tenantId, previous)) throw isolationLevelChanged(tenantId, row.isolation_level, level);
        await this.clear(tx, tenantId, previous);
        await tx.query(`DELETE FROM ${this.registry} WHERE tenant_id = $1`, [tenantId]);
      }
      if (level === 'strict') await this.createStrictSchema(tx, schema);
      await tx.query(`INSERT INTO ${this.registry} (tenant_id, isolation_level, schema_name, table_version) VALUES ($1, $2, $3, $4)`, [
        tenantId,
        level,
        schema,
        LATEST_VERSION,
      ]);
    });
    return this.remember(tenantId, placement);
  }

  private async createStrictSchema(tx: SqlQueryable, schema: string): Promise<void> {
    await tx.query(`CREATE SCHEMA IF NOT EXISTS ${ident(schema)}`);
    for (const migration of MIGRATIONS) {
      for (const statement of migration.tableSet(schema, { rls: false }, this.names)) await tx.query(statement);
    }
  }

  /** Deletes what the tenant holds in `placement` (its whole schema, when strict). */
  private async clear(tx: SqlQueryable, tenantId: string, placement: Placement): Promise<void> {
    if (placement.level === 'strict') {
      await tx.query(`DROP SCHEMA IF EXISTS ${ident(placement.tables.schema)} CASCADE`);
      return;
    }
    if (placement.rls) await enterTenantScope(tx, this.names, tenantId);
    for (const table of Object.values(TABLE_NAMES)) {
      await tx.query(`DELETE FROM ${qualified(placement.tables.schema, table)} WHERE tenant_id = $1`, [tenantId]);
    }
    if (placement.rls) await leaveRole(tx, tenantId);
  }
}

/**
 * A tenant id the storage can key rows by: a non-empty string PostgreSQL can hold, of at most 256
 * UTF-8 bytes (so every index entry stays within PostgreSQL's limits).
 */
function checkTenantId(tenantId: unknown): asserts tenantId is string {
  if (typeof tenantId !== 'string' || tenantId.length === 0) throw new TypeError('The tenant context has no tenant id');
  if (tenantId.includes('\u0000') || new TextEncoder().encode(tenantId).length > MAX_TENANT_ID_BYTES) {
    throw tenantConfigurationError(
      tenantId,
      `its id is longer than ${MAX_TENANT_ID_BYTES} UTF-8 bytes or holds a NUL character, which PostgreSQL cannot key rows by`,
    );
  }
}
