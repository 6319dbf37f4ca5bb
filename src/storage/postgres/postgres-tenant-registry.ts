import { ConfigurationError } from '../../tenant/configuration-error.js';
import { hashToken } from '../../tenant/token-hash.js';
import { migrate, type MigrationReport } from './migrate.js';
import {
  checkRegistryChanges,
  checkRegistryDefinition,
  checkRegistryId,
  type RegistryTenantChanges,
  type RegistryTenantDefinition,
} from './registry-definition.js';
import { type RegistryTenant, readSnapshot, type SnapshotTenant } from './registry-snapshot.js';
import { type RegistryTables, registryTables } from './registry-tables.js';
import { checkLabel, newLabel, newToken } from './registry-token.js';
import type { SqlClient, SqlQueryable } from './sql-client.js';
import { type StorageNameOptions, storageNames } from './storage-names.js';

/** A token just issued: the only time the registry ever shows it. */
export interface IssuedToken {
  readonly tenantId: string;
  /** The token's label, which names it from now on (listings, `revokeToken`, audit events). */
  readonly label: string;
  /** The bearer token. Hand it to the tenant's identity provider; the registry keeps only its digest. */
  readonly token: string;
}

/** What a rotation did. */
export interface RotatedToken extends IssuedToken {
  /** When the tenant's earlier tokens stop being accepted (now, for an overlap of 0). */
  readonly previousValidUntil: Date;
  /** Labels of the earlier tokens that the overlap applies to. */
  readonly previousLabels: readonly string[];
}

/** Options of {@link PostgresTenantRegistry.issueToken} and {@link PostgresTenantRegistry.addTenant}. */
export interface IssueTokenOptions {
  /** The token's label; by default `tok-` and 8 random hex digits. */
  label?: string;
}

/** Options of {@link PostgresTenantRegistry.rotateToken}. */
export interface RotateTokenOptions extends IssueTokenOptions {
  /** Seconds the earlier tokens stay valid after the new one is issued. Defaults to 86,400 (one day); 0 ends them at once. */
  overlapSeconds?: number;
}

/** Default overlap of a rotation: a day to move the identity provider to the new token. */
export const DEFAULT_OVERLAP_SECONDS = 86_400;

function withoutDigests(tenant: SnapshotTenant): RegistryTenant {
  return { ...tenant, tokens: tenant.tokens.map(({ digest: _digest, ...token }) => token) };
}

function unknownTenant(id: string): ConfigurationError {
  return new ConfigurationError('id', 'names no tenant of the registry', id);
}

/**
 * The tenant registry in PostgreSQL, written through this API (or the `scim-server tenants`
 * command) by any process, read by every process's {@link PostgresTenantResolver}. Tenants,
 * their settings and their tokens' SHA-256 digests (never the tokens) live in tables that
 * `migrate()` creates; every change commits in one transaction and notifies the resolvers.
 *
 * Definitions are checked as {@link StaticTenantResolver} checks them: an unknown key or a value of
 * the wrong type is a {@link ConfigurationError} naming the tenant and the key, and nothing is written.
 *
 * ```ts
 * const registry = new PostgresTenantRegistry(client);
 * const { token } = await registry.addTenant({ id: 'acme', permissions: { maxUsers: 500 } });
 * const next = await registry.rotateToken('acme', { overlapSeconds: 3600 });
 * ```
 */
export class PostgresTenantRegistry {
  private readonly tables: RegistryTables;

  /**
   * @param client - a client of the database (the same one the storage uses, or another).
   * @param options - the schema name, when the storage uses another than `scim`.
   */
  constructor(
    private readonly client: SqlClient,
    private readonly options: StorageNameOptions = {},
  ) {
    this.tables = registryTables(storageNames(options));
  }

  /** Creates or upgrades the tables (the storage's {@link migrate}: one migration history for both). */
  migrate(): Promise<MigrationReport> {
    return migrate(this.client, this.options);
  }

  /**
   * Adds a tenant and issues its first token, in one transaction.
   *
   * @throws ConfigurationError for a malformed definition or an id the registry already has.
   */
  async addTenant(definition: RegistryTenantDefinition, options: IssueTokenOptions = {}): Promise<IssuedToken> {
    checkRegistryDefinition(definition);
    const { id } = definition;
    const label = options.label ?? newLabel();
    checkLabel(label, id);
    return this.client.transaction(async (tx) => {
      const { rows } = await tx.query(
        `INSERT INTO ${this.tables.tenants} (tenant_id, client_id, isolation_level, permissions, settings)
VALUES ($1, $2, $3, $4::jsonb, $5::jsonb) ON CONFLICT (tenant_id) DO NOTHING RETURNING tenant_id`,
        [
          id,
          definition.clientId ?? null,
          definition.isolationLevel ?? 'standard',
          JSON.stringify(definition.permissions ?? {}),
          definition.settings === undefined ? null : JSON.stringify(definition.settings),
        ],
      );
      if (rows.length === 0) throw new ConfigurationError('id', 'is already a tenant of the registry', id);
      return this.insertToken(tx, id, label);
    });
  }

  /**
   * Changes a tenant's client id, permissions or settings (each given key replaces the value).
   *
   * @throws ConfigurationError for a malformed change, `isolationLevel`, or an unknown tenant.
   */
  async updateTenant(id: string, changes: RegistryTenantChanges): Promise<void> {
    checkRegistryChanges(id, changes);
    const sets: string[] = [];
    const params: unknown[] = [id];
    const set = (column: string, value: unknown, cast = '') => {
      params.push(value);
      sets.push(`${column} = $${params.length}${cast}`);
    };
    if (changes.clientId !== undefined) set('client_id', changes.clientId);
    if (changes.permissions !== undefined) set('permissions', JSON.stringify(changes.permissions), '::jsonb');
    if (changes.settings !== undefined) set('settings', changes.settings === null ? null : JSON.stringify(changes.settings), '::jsonb');
    const { rows } = await this.client.query(
      `UPDATE ${this.tables.tenants} SET ${[...sets, 'updated = now()'].join(', ')} WHERE tenant_id = $1 RETURNING tenant_id`,
      params,
    );
    if (rows.length === 0) throw unknownTenant(id);
  }

  /**
   * Suspends a tenant: every request of its tokens is refused as an expired tenant's is (403,
   * `expiresAt`), its data and tokens are kept. Suspending a suspended tenant keeps the first time.
   *
   * @throws ConfigurationError for an unknown tenant.
   */
  async suspendTenant(id: string): Promise<void> {
    await this.updateOne(id, 'suspended_at = coalesce(suspended_at, now()), updated = now()');
  }

  /** Ends a tenant's suspension. @throws ConfigurationError for an unknown tenant. */
  async resumeTenant(id: string): Promise<void> {
    await this.updateOne(id, 'suspended_at = NULL, updated = now()');
  }

  /**
   * Removes a tenant and its tokens from the registry. Its resources stay in the storage (delete
   * them first if they must go). Returns false when the registry had no such tenant.
   */
  async removeTenant(id: string): Promise<boolean> {
    checkRegistryId(id);
    const { rows } = await this.client.query(`DELETE FROM ${this.tables.tenants} WHERE tenant_id = $1 RETURNING tenant_id`, [id]);
    return rows.length > 0;
  }

  /**
   * Issues one more token for a tenant; its other tokens stay valid.
   *
   * @throws ConfigurationError for an unknown tenant or a label it already has.
   */
  async issueToken(id: string, options: IssueTokenOptions = {}): Promise<IssuedToken> {
    checkRegistryId(id);
    const label = options.label ?? newLabel();
    checkLabel(label, id);
    return this.client.transaction(async (tx) => {
      await this.lockTenant(tx, id);
      return this.insertToken(tx, id, label);
    });
  }

  /**
   * Rotates a tenant's tokens: issues a new one and lets every earlier valid token run on for
   * `overlapSeconds` only (tokens whose validity ended already are deleted). One transaction.
   *
   * @throws ConfigurationError for an unknown tenant, a label it already has or a negative overlap.
   */
  async rotateToken(id: string, options: RotateTokenOptions = {}): Promise<RotatedToken> {
    checkRegistryId(id);
    const overlap = options.overlapSeconds ?? DEFAULT_OVERLAP_SECONDS;
    if (typeof overlap !== 'number' || !Number.isFinite(overlap) || overlap < 0) {
      throw new ConfigurationError('overlapSeconds', 'must be a number of seconds of at least 0', id);
    }
    const label = options.label ?? newLabel();
    checkLabel(label, id);
    return this.client.transaction(async (tx) => {
      await this.lockTenant(tx, id);
      await tx.query(`DELETE FROM ${this.tables.tokens} WHERE tenant_id = $1 AND valid_until <= now()`, [id]);
      const { rows } = await tx.query(
        `UPDATE ${this.tables.tokens} SET valid_until = least(coalesce(valid_until, 'infinity'), now() + make_interval(secs => $2::float8))
WHERE tenant_id = $1 RETURNING label, (extract(epoch FROM now() + make_interval(secs => $2::float8)) * 1000)::float8 AS until`,
        [id, overlap],
      );
      const issued = await this.insertToken(tx, id, label);
      const until = (rows[0] as { until: number } | undefined)?.until;
      return {
        ...issued,
        previousValidUntil: new Date(until === undefined ? Date.now() : Number(until)),
        previousLabels: (rows as { label: string }[]).map((r) => r.label),
      };
    });
  }

  /** Revokes one token of a tenant, by label: refused by every process within the resolvers' bound. */
  async revokeToken(id: string, label: string): Promise<boolean> {
    checkRegistryId(id);
    const { rows } = await this.client.query(`DELETE FROM ${this.tables.tokens} WHERE tenant_id = $1 AND label = $2 RETURNING label`, [id, label]);
    return rows.length > 0;
  }

  /** Every tenant with its tokens' labels and validity (never a token or a digest), ordered by id. */
  async listTenants(): Promise<RegistryTenant[]> {
    return (await readSnapshot(this.client, this.tables)).tenants.map(withoutDigests);
  }

  /** One tenant, or undefined. */
  async getTenant(id: string): Promise<RegistryTenant | undefined> {
    checkRegistryId(id);
    const tenant = (await readSnapshot(this.client, this.tables, id)).tenants[0];
    return tenant && withoutDigests(tenant);
  }

  private async updateOne(id: string, assignments: string): Promise<void> {
    checkRegistryId(id);
    const { rows } = await this.client.query(`UPDATE ${this.tables.tenants} SET ${assignments} WHERE tenant_id = $1 RETURNING tenant_id`, [id]);
    if (rows.length === 0) throw unknownTenant(id);
  }

  private async lockTenant(tx: SqlQueryable, id: string): Promise<void> {
    const { rows } = await tx.query(`SELECT tenant_id FROM ${this.tables.tenants} WHERE tenant_id = $1 FOR UPDATE`, [id]);
    if (rows.length === 0) throw unknownTenant(id);
  }

  private async insertToken(tx: SqlQueryable, id: string, label: string): Promise<IssuedToken> {
    const token = newToken();
    const { rows } = await tx.query(
      `INSERT INTO ${this.tables.tokens} (tenant_id, label, digest) VALUES ($1, $2, $3) ON CONFLICT (tenant_id, label) DO NOTHING RETURNING label`,
      [id, label, await hashToken(token)],
    );
    if (rows.length === 0) throw new ConfigurationError('label', `is already the label of a token of this tenant: ${JSON.stringify(label)}`, id);
    return { tenantId: id, label, token };
  }
}
