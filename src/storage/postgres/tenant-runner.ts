import type { TenantContext } from '../../tenant/tenant-context.js';
import { LATEST_VERSION } from './migrations.js';
import { versionOf } from './migrate.js';
import { bypassingRole, enterTenantScope } from './row-level-security.js';
import type { SqlClient, SqlQueryable } from './sql-client.js';
import { clientError, isRetryable } from './sql-errors.js';
import type { StorageNames } from './storage-names.js';
import { type Placement, StalePlacement, type TenantPlacements } from './tenant-placements.js';
import { tenantConfigurationError } from './tenant-configuration-error.js';

/** Attempts of a write that lost to a deadlock, a serialization failure or a registry change. */
const MAX_ATTEMPTS = 8;

function pause(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
}

/**
 * Runs a tenant's reads and writes where its data lives: writes in one transaction that confirms
 * the tenant's placement first; everything of a `standard` tenant inside a transaction scoped by
 * row-level security. A write the database rolled back because of a deadlock or a serialization
 * failure runs again; a database error caused by a request's values becomes a 400.
 */
export class TenantRunner {
  private ready: Promise<void> | undefined;
  private rlsChecked: Promise<void> | undefined;

  constructor(
    private readonly client: SqlClient,
    private readonly names: StorageNames,
    private readonly placements: TenantPlacements,
  ) {}

  /** Reads in the tenant's placement, or returns `empty` when the tenant holds nothing yet. */
  async read<T>(tenant: TenantContext, empty: () => T, work: (q: SqlQueryable, placement: Placement) => Promise<T>): Promise<T> {
    await this.whenMigrated();
    const placement = await this.placements.find(tenant);
    if (!placement) return empty();
    try {
      if (!placement.rls) return await work(this.client, placement);
      return await this.client.transaction(async (tx) => {
        await this.scope(tx, tenant.tenantId);
        return work(tx, placement);
      });
    } catch (error) {
      throw clientError(error, 'query');
    }
  }

  /** Writes in one transaction in the tenant's placement, registering the tenant on its first write. */
  async write<T>(tenant: TenantContext, work: (tx: SqlQueryable, placement: Placement) => Promise<T>): Promise<T> {
    await this.whenMigrated();
    for (let attempt = 1; ; attempt++) {
      const placement = await this.placements.ensure(tenant);
      try {
        return await this.client.transaction(async (tx) => {
          await this.placements.confirm(tx, tenant.tenantId, placement);
          if (placement.rls) await this.scope(tx, tenant.tenantId);
          return work(tx, placement);
        });
      } catch (error) {
        const again = error instanceof StalePlacement || isRetryable(error);
        if (!again || attempt >= MAX_ATTEMPTS) throw clientError(error, 'write');
        await pause(attempt);
      }
    }
  }

  /** Enters a standard tenant's row-level security scope, checking once that it binds the role. */
  private async scope(tx: SqlQueryable, tenantId: string): Promise<void> {
    await enterTenantScope(tx, this.names, tenantId);
    this.rlsChecked ??= bypassingRole(tx, tenantId).then((role) => {
      if (role !== undefined) {
        throw tenantConfigurationError(
          undefined,
          `row-level security does not bind role "${role}" (a superuser or BYPASSRLS role), so standard isolation cannot be enforced`,
        );
      }
    });
    try {
      await this.rlsChecked;
    } catch (error) {
      this.rlsChecked = undefined;
      throw error;
    }
  }

  /** Checks once that `migrate()` has brought the database to this version of the storage. */
  private whenMigrated(): Promise<void> {
    this.ready ??= versionOf(this.client, this.names).then((version) => {
      if (version < LATEST_VERSION) {
        this.ready = undefined;
        throw tenantConfigurationError(undefined, `the database is at schema version ${version}, this storage needs ${LATEST_VERSION}: run migrate()`);
      }
    });
    return this.ready;
  }

  /** Marks the database as migrated (after this process migrated it). */
  migrated(): void {
    this.ready = Promise.resolve();
  }
}
