import { v7 as uuidv7 } from 'uuid';
import { ScimError } from '../../error/scim-error.js';
import type { ResourceTypeModel } from '../../schema/membership.js';
import type { ScimObject, ScimResource } from '../../schema/types.js';
import type { TenantContext } from '../../tenant/tenant-context.js';
import { toMemberIds, toMemberRefs } from '../memory/member-refs.js';
import { memberLimitExceeded, quotaExceeded } from '../quota-errors.js';
import type {
  ChangeJournal,
  CreateOptions,
  DeleteOutcome,
  MemberChangeResult,
  MemberDelta,
  QueryResult,
  ReadOptions,
  StorageProvider,
  StorageQuery,
  WriteOptions,
} from '../storage-provider.js';
import { type MemberChange, type MemberRule, applyMemberChange, resolveMemberRefs } from './member-sql.js';
import { OutboxWrite } from './audit-outbox.js';
import { type MigrationReport, migrate } from './migrate.js';
import { emptyResult, queryResources } from './postgres-query.js';
import { countOf, releaseSlot, takeSlot } from './resource-counts.js';
import { decodeRow, encodeBody, type EncodedBody, type ResourceRow } from './resource-row.js';
import { NOW, resourceColumns } from './resource-select.js';
import type { SqlClient, SqlQueryable } from './sql-client.js';
import { storableText } from './storable-json.js';
import { type StorageNameOptions, type StorageNames, storageNames } from './storage-names.js';
import type { TableSet } from './table-set.js';
import { TenantPlacements } from './tenant-placements.js';
import { TenantRunner } from './tenant-runner.js';
import { claimUniqueValues, releaseUniqueValues } from './unique-sql.js';
import { expectedVersionNumber, versionTag } from './version-match.js';

/** Options of {@link PostgresStorage}. */
export interface PostgresStorageOptions extends StorageNameOptions {
  /**
   * Keep the audit events of every change in the change's own transaction (an outbox), in
   * `<schema>.scim_audit_events`: no change is committed without its events, and no event without
   * its change. Read them back, prune them and record the events that are not changes with
   * {@link PostgresAuditLog}; publish them with {@link ScimEventPublisher}. Default `false`.
   */
  auditOutbox?: boolean;
}

/** One resource of one tenant: what every statement about it is keyed by. */
interface Key {
  readonly tenantId: string;
  readonly type: string;
  readonly id: string;
}

const NO_OPTIONS: Readonly<Record<string, never>> = Object.freeze({});

function assertResourceType(type: ResourceTypeModel): void {
  if (typeof type !== 'object' || type === null || typeof type.name !== 'string' || type.name.length === 0 || !Array.isArray(type.memberOf)) {
    throw new TypeError('A resource type model (SchemaRegistry.model) is required');
  }
}

/** The member rule of a type that holds members, or a TypeError: only such a type has a member set. */
function memberRule(type: ResourceTypeModel): MemberRule {
  if (!type.members) throw new TypeError(`Resources of type ${type.name} hold no members`);
  return type.members;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function deltaChange(delta: MemberDelta): MemberChange {
  if (!isRecord(delta)) throw ScimError.badRequest('invalidValue', 'A member change must be an object');
  return {
    add: toMemberRefs(delta.add, 'members to add'),
    remove: toMemberIds(delta.remove, 'members to remove'),
    removeAll: delta.removeAll === true,
  };
}

/**
 * A {@link StorageProvider} over PostgreSQL: a server through `pg`, or PGlite in this process, with
 * the same SQL for both (see {@link SqlClient}). Many stateless processes can share one database.
 *
 * **Data.** One row per resource (JSONB, with columns and indexes for `userName`, `externalId`,
 * `displayName` and the `meta` timestamps), one row per group member, one row per unique value,
 * one count per tenant and type. `tenant_id` leads every key and index and every statement's WHERE.
 *
 * **Isolation.** `shared` tenants share tables, scoped by `tenant_id` in every statement; `standard`
 * tenants share other tables that row-level security also scopes, each transaction running as a
 * role that cannot bypass it, with the tenant in a transaction-local setting; a `strict` tenant gets
 * a schema of its own, created on its first write. A tenant whose level changes while it holds
 * data is refused with a 503 naming the tenant and both levels.
 *
 * **Writes** are single transactions: compare-and-set versions (`UPDATE ... WHERE version = $n`),
 * uniqueness by primary key, quotas through a locked count row, member references locked and
 * checked in the same transaction, so a write either happens whole or not at all, across processes.
 *
 * Call {@link PostgresStorage.migrate} (or {@link migrate}) once before use.
 */
export class PostgresStorage implements StorageProvider {
  private readonly names: StorageNames;
  private readonly placements: TenantPlacements;
  private readonly runner: TenantRunner;
  private readonly outbox: boolean;

  /**
   * @param client - The database: {@link pgPoolClient}, {@link pgliteClient}, or any {@link SqlClient}.
   * @param options - Schema and role names.
   * @throws TypeError naming the option when a name is not accepted.
   */
  constructor(
    readonly client: SqlClient,
    private readonly options: PostgresStorageOptions = {},
  ) {
    this.names = storageNames(options);
    if (options.auditOutbox !== undefined && typeof options.auditOutbox !== 'boolean') {
      throw new TypeError(`PostgresStorage option "auditOutbox" must be a boolean, got ${JSON.stringify(options.auditOutbox)}`);
    }
    this.outbox = options.auditOutbox === true;
    this.placements = new TenantPlacements(client, this.names);
    this.runner = new TenantRunner(client, this.names, this.placements);
  }

  /** Creates or upgrades the storage's tables (see {@link migrate}). */
  async migrate(): Promise<MigrationReport> {
    const report = await migrate(this.client, this.options);
    this.runner.migrated();
    return report;
  }

  /** The outbox step of one write: keeps `journal`'s entries when the outbox is on. */
  private outboxFor(journal: ChangeJournal | undefined): OutboxWrite {
    return new OutboxWrite(this.names, this.outbox ? journal : undefined);
  }

  /** Closes the client's connections. */
  async close(): Promise<void> {
    await this.client.close?.();
  }

  private async readOne(q: SqlQueryable, t: TableSet, type: ResourceTypeModel, key: Key, withMembers: boolean): Promise<ScimResource | null> {
    const params: unknown[] = [key.tenantId, key.type, key.id];
    const columns = resourceColumns(t, type, withMembers, params);
    const sql = `SELECT ${columns}\nFROM ${t.resources} r WHERE r.tenant_id = $1 AND r.resource_type = $2 AND r.id = $3`;
    const row = (await q.query(sql, params)).rows[0];
    return row ? decodeRow(row as unknown as ResourceRow, type) : null;
  }

  private async mustRead(q: SqlQueryable, t: TableSet, type: ResourceTypeModel, key: Key, withMembers: boolean): Promise<ScimResource> {
    const found = await this.readOne(q, t, type, key, withMembers);
    if (!found) throw ScimError.notFound(`${key.type} ${key.id} not found`);
    return found;
  }

  /** Why a conditional write found no row: 404 when the resource is absent, else 412. */
  private async missedWrite(q: SqlQueryable, t: TableSet, key: Key, expected: string | undefined): Promise<ScimError> {
    const { rows } = await q.query(`SELECT version::text AS version FROM ${t.resources} WHERE tenant_id = $1 AND resource_type = $2 AND id = $3`, [
      key.tenantId,
      key.type,
      key.id,
    ]);
    const row = rows[0] as { version: string } | undefined;
    if (!row) return ScimError.notFound(`${key.type} ${key.id} not found`);
    return ScimError.preconditionFailed(`Version ${expected} does not match the current version W/"${row.version}"`);
  }

  /**
   * Stores a new resource. Checks, in order: the body (400), member references (400), uniqueness
   * (409), the `maxCount` quota and the member limit (403), all in the transaction that inserts.
   */
  async create(tenant: TenantContext, type: ResourceTypeModel, body: ScimObject, options: CreateOptions = NO_OPTIONS): Promise<ScimResource> {
    assertResourceType(type);
    const encoded = encodeBody(body, type);
    const refs = type.members ? toMemberRefs(encoded.members, type.members.attribute) : [];
    const outbox = this.outboxFor(options.journal);
    const created = await this.runner.write(tenant, async (tx, { tables: t, rls }) => {
      const key: Key = { tenantId: tenant.tenantId, type: type.name, id: uuidv7() };
      const members = type.members ? await resolveMemberRefs(tx, t, key.tenantId, type.members, refs) : [];
      await claimUniqueValues(tx, t, key, options.unique);
      if (!(await takeSlot(tx, t, key.tenantId, key.type, options.maxCount))) throw quotaExceeded(options.quotaName, options.maxCount ?? 0);
      if (options.maxMembers !== undefined && members.length > options.maxMembers) throw memberLimitExceeded(options.maxMembers);
      await this.insertRow(tx, t, key, encoded, members.length);
      if (members.length > 0) await applyMemberChange(tx, t, key, { add: members, remove: [], removeAll: false });
      const resource = await this.mustRead(tx, t, type, key, true);
      await outbox.keep(tx, key.tenantId, rls, { resource });
      return resource;
    });
    outbox.committed();
    return created;
  }

  private async insertRow(tx: SqlQueryable, t: TableSet, key: Key, encoded: EncodedBody, memberCount: number): Promise<void> {
    await tx.query(
      `INSERT INTO ${t.resources} (tenant_id, resource_type, id, version, created, last_modified, user_name_folded, external_id, display_name_folded, member_count, data)
VALUES ($1, $2, $3, 1, ${NOW}, ${NOW}, $4, $5, $6, $7, $8::jsonb)`,
      [key.tenantId, key.type, key.id, encoded.userNameFolded, encoded.externalId, encoded.displayNameFolded, memberCount, encoded.data],
    );
  }

  /** The tenant's resource, or `null`; a container with its members unless `excludeMembers`. */
  async get(tenant: TenantContext, type: ResourceTypeModel, id: string, options: ReadOptions = NO_OPTIONS): Promise<ScimResource | null> {
    assertResourceType(type);
    if (typeof id !== 'string' || !storableText(id)) return null;
    const key: Key = { tenantId: tenant.tenantId, type: type.name, id };
    return this.runner.read(
      tenant,
      () => null,
      (q, { tables }) => this.readOne(q, tables, type, key, options.excludeMembers !== true),
    );
  }

  /**
   * Replaces a resource's attributes as one compare-and-set. Checks, in order: the body (400),
   * existence (404) and `expectedVersion` (412) in the `UPDATE` itself, member references (400),
   * uniqueness (409), the member limit (403).
   */
  async replace(tenant: TenantContext, type: ResourceTypeModel, id: string, body: ScimObject, options: WriteOptions = NO_OPTIONS): Promise<ScimResource> {
    assertResourceType(type);
    const encoded = encodeBody(body, type);
    const rule = type.members;
    let change: MemberChange | undefined;
    if (rule) {
      change = options.memberDelta ? deltaChange(options.memberDelta) : { add: toMemberRefs(encoded.members, rule.attribute), remove: [], removeAll: true };
    }
    if (typeof id !== 'string' || !storableText(id)) throw ScimError.notFound(`${type.name} ${id} not found`);
    const key: Key = { tenantId: tenant.tenantId, type: type.name, id };
    const outbox = this.outboxFor(options.journal);
    const replaced = await this.runner.write(tenant, async (tx, { tables: t, rls }) => {
      const memberCount = await this.updateRow(tx, t, key, encoded, options.expectedVersion);
      const members = rule && change ? await resolveMemberRefs(tx, t, key.tenantId, rule, change.add) : [];
      await releaseUniqueValues(tx, t, key);
      await claimUniqueValues(tx, t, key, options.unique);
      if (change) await this.changeMembers(tx, t, key, { ...change, add: members }, memberCount, options.maxMembers);
      const resource = await this.mustRead(tx, t, type, key, options.excludeMembers !== true);
      await outbox.keep(tx, key.tenantId, rls, { resource });
      return resource;
    });
    outbox.committed();
    return replaced;
  }

  /** The compare-and-set `UPDATE` of a replace; returns the member count before it. */
  private async updateRow(tx: SqlQueryable, t: TableSet, key: Key, encoded: EncodedBody, expected: string | undefined): Promise<number> {
    const { rows } = await tx.query(
      `UPDATE ${t.resources} SET data = $7::jsonb, user_name_folded = $4, external_id = $5, display_name_folded = $6, version = version + 1, last_modified = ${NOW}
WHERE tenant_id = $1 AND resource_type = $2 AND id = $3 AND ($8::bigint IS NULL OR version = $8::bigint) RETURNING member_count`,
      [key.tenantId, key.type, key.id, encoded.userNameFolded, encoded.externalId, encoded.displayNameFolded, encoded.data, expectedVersionNumber(expected)],
    );
    const row = rows[0] as { member_count: unknown } | undefined;
    if (!row) throw await this.missedWrite(tx, t, key, expected);
    return Number(row.member_count);
  }

  /** Applies a resolved member change to a locked container and checks the member limit; returns the net change. */
  private async changeMembers(tx: SqlQueryable, t: TableSet, key: Key, change: MemberChange, before: number, maxMembers: number | undefined) {
    const outcome = await applyMemberChange(tx, t, key, change);
    const size = before - outcome.removed.length + outcome.added.length;
    if (maxMembers !== undefined && outcome.added.length > 0 && size > maxMembers) throw memberLimitExceeded(maxMembers);
    if (size !== before) {
      await tx.query(`UPDATE ${t.resources} SET member_count = $4 WHERE tenant_id = $1 AND resource_type = $2 AND id = $3`, [
        key.tenantId,
        key.type,
        key.id,
        size,
      ]);
    }
    return outcome;
  }

  /**
   * Deletes a resource (404 when absent, 412 on a version mismatch) with its unique values, its own
   * member set, and its memberships: every container that listed it gets a new version, and is
   * in the outcome.
   */
  async delete(tenant: TenantContext, type: ResourceTypeModel, id: string, options: WriteOptions = NO_OPTIONS): Promise<DeleteOutcome> {
    assertResourceType(type);
    if (typeof id !== 'string' || !storableText(id)) throw ScimError.notFound(`${type.name} ${id} not found`);
    const key: Key = { tenantId: tenant.tenantId, type: type.name, id };
    const outbox = this.outboxFor(options.journal);
    const outcome = await this.runner.write(tenant, async (tx, { tables: t, rls }) => {
      const { rows } = await tx.query(
        `DELETE FROM ${t.resources} WHERE tenant_id = $1 AND resource_type = $2 AND id = $3 AND ($4::bigint IS NULL OR version = $4::bigint) RETURNING id`,
        [key.tenantId, key.type, key.id, expectedVersionNumber(options.expectedVersion)],
      );
      if (rows.length === 0) throw await this.missedWrite(tx, t, key, options.expectedVersion);
      await releaseUniqueValues(tx, t, key);
      if (type.members) {
        await tx.query(`DELETE FROM ${t.members} WHERE tenant_id = $1 AND container_type = $2 AND container_id = $3`, [key.tenantId, key.type, key.id]);
      }
      const changed = await tx.query(
        `WITH gone AS (DELETE FROM ${t.members} WHERE tenant_id = $1 AND member_id = $2 RETURNING container_type, container_id)
UPDATE ${t.resources} r SET version = r.version + 1, last_modified = ${NOW}, member_count = r.member_count - 1
FROM gone WHERE r.tenant_id = $1 AND r.resource_type = gone.container_type AND r.id = gone.container_id
RETURNING r.resource_type, r.id, r.version::text AS version`,
        [key.tenantId, key.id],
      );
      await releaseSlot(tx, t, key.tenantId, key.type);
      const containers = (changed.rows as { resource_type: string; id: string; version: string }[]).map((row) => ({
        resourceType: row.resource_type,
        id: row.id,
        version: versionTag(Number(row.version)),
      }));
      await outbox.keep(tx, key.tenantId, rls, { containers });
      return { containers };
    });
    outbox.committed();
    return outcome;
  }

  /**
   * One page of the tenant's resources of a type: filter, total and page in SQL.
   * A filter this storage cannot express is a 400 `invalidFilter`, even for a tenant with no data.
   */
  async query(tenant: TenantContext, type: ResourceTypeModel, query: StorageQuery): Promise<QueryResult> {
    assertResourceType(type);
    return this.runner.read(
      tenant,
      () => emptyResult(query, type),
      (q, { tables }) => queryResources(q, { tables, type, tenantId: tenant.tenantId }, query),
    );
  }

  /** How many resources of the type the tenant holds, from its count row. */
  async count(tenant: TenantContext, type: ResourceTypeModel): Promise<number> {
    assertResourceType(type);
    return this.runner.read(
      tenant,
      () => 0,
      (q, { tables }) => countOf(q, tables, tenant.tenantId, type.name),
    );
  }

  /**
   * Applies a member delta to a resource of a type that holds members, in time proportional to the
   * delta. Checks, in order: the resource (404), `expectedVersion` (412), member references (400),
   * the member limit (403). The version moves only when the set changed.
   */
  async updateMembers(
    tenant: TenantContext,
    type: ResourceTypeModel,
    id: string,
    delta: MemberDelta,
    options: WriteOptions = NO_OPTIONS,
  ): Promise<MemberChangeResult> {
    assertResourceType(type);
    const rule = memberRule(type);
    const change = deltaChange(delta);
    if (typeof id !== 'string' || !storableText(id)) throw ScimError.notFound(`${type.name} ${id} not found`);
    const key: Key = { tenantId: tenant.tenantId, type: type.name, id };
    const outbox = this.outboxFor(options.journal);
    const result = await this.runner.write(tenant, async (tx, { tables: t, rls }) => {
      const before = await this.lockContainer(tx, t, key, options.expectedVersion);
      const members = await resolveMemberRefs(tx, t, key.tenantId, rule, change.add);
      const outcome = await this.changeMembers(tx, t, key, { ...change, add: members }, before, options.maxMembers);
      if (outcome.added.length + outcome.removed.length > 0) {
        await tx.query(`UPDATE ${t.resources} SET version = version + 1, last_modified = ${NOW} WHERE tenant_id = $1 AND resource_type = $2 AND id = $3`, [
          key.tenantId,
          key.type,
          key.id,
        ]);
      }
      const resource = await this.mustRead(tx, t, type, key, false);
      await outbox.keep(tx, key.tenantId, rls, { resource });
      return { resource, added: outcome.added, removed: outcome.removed };
    });
    outbox.committed();
    return result;
  }

  /** Locks a container row for a member change (404, 412) and returns its member count. */
  private async lockContainer(tx: SqlQueryable, t: TableSet, key: Key, expected: string | undefined): Promise<number> {
    const { rows } = await tx.query(
      `SELECT version::text AS version, member_count FROM ${t.resources} WHERE tenant_id = $1 AND resource_type = $2 AND id = $3 FOR UPDATE`,
      [key.tenantId, key.type, key.id],
    );
    const row = rows[0] as { version: string; member_count: unknown } | undefined;
    if (!row) throw ScimError.notFound(`${key.type} ${key.id} not found`);
    const wanted = expectedVersionNumber(expected);
    if (wanted !== null && wanted !== Number(row.version)) {
      throw ScimError.preconditionFailed(`Version ${expected} does not match the current version W/"${row.version}"`);
    }
    return Number(row.member_count);
  }

  /** Deletes everything the tenant holds (its schema, when strict) and its registration. */
  async dropTenant(tenantId: string): Promise<void> {
    await this.placements.drop(tenantId);
  }
}
