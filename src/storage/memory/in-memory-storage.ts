import { v7 as uuidv7 } from 'uuid';
import { ScimError } from '../../error/scim-error.js';
import type { ResourceTypeModel, ReverseMembership } from '../../schema/membership.js';
import type { ResourceMeta, ScimObject, ScimResource } from '../../schema/types.js';
import type { IsolationLevel } from '../../tenant/isolation-level.js';
import type { TenantContext } from '../../tenant/tenant-context.js';
import { isolationLevelChanged } from '../isolation-change.js';
import { memberLimitExceeded, quotaExceeded } from '../quota-errors.js';
import type {
  ContainerChange,
  CreateOptions,
  DeleteOutcome,
  MemberChangeResult,
  MemberDelta,
  MemberRef,
  MembershipRef,
  QueryResult,
  ReadOptions,
  StorageProvider,
  StorageQuery,
  UniqueConstraint,
  WriteOptions,
} from '../storage-provider.js';
import { frozenCopy, setOwn } from './frozen-copy.js';
import type { MemberPlan } from './member-index.js';
import { toMemberIds, toMemberRefs } from './member-refs.js';
import { runQuery } from './memory-query.js';
import type { ResourceTable } from './resource-table.js';
import { SchemaListInterner } from './schema-list-interner.js';
import { SharedStore } from './shared-store.js';
import { TenantStore } from './tenant-store.js';
import { versionMatches, versionNumber, versionTag } from './version-tag.js';
import { WriteClock } from './write-clock.js';
import { isObject } from '../../schema/json-object.js';

/** Counters of an {@link InMemoryStorage}, for inspection and tests; not part of the storage contract. */
export interface InMemoryStorageStats {
  /** Records the filter predicate was evaluated on by the most recent `query` (index narrowing shows here). */
  lastQueryEvaluated: number;
}

const NO_OPTIONS: Readonly<Record<string, never>> = Object.freeze({});

/**
 * Lower-cased keys of a body that storage maintains itself and never copies from the caller: `id`,
 * `meta`, `schemas`, the member attribute and the reverse attributes of the type.
 */
function reservedKeys(type: ResourceTypeModel): Set<string> {
  const keys = new Set(['id', 'meta', 'schemas']);
  if (type.members) keys.add(type.members.attribute.toLowerCase());
  for (const relation of type.memberOf) keys.add(relation.attribute.toLowerCase());
  return keys;
}

/** The attributes of a body that storage keeps: deep-frozen copies, reserved keys left out. */
function contentOf(body: unknown, type: ResourceTypeModel, interner: SchemaListInterner): { schemas: readonly string[]; attributes: ScimObject } {
  if (!isObject(body)) throw ScimError.badRequest('invalidSyntax', 'The resource must be a JSON object');
  const schemas = Array.isArray(body.schemas) ? body.schemas.filter((s): s is string => typeof s === 'string') : [];
  const reserved = reservedKeys(type);
  const attributes: ScimObject = {};
  for (const key of Object.keys(body)) {
    if (reserved.has(key.toLowerCase())) continue;
    const copied = frozenCopy(body[key], 1);
    if (copied !== undefined) setOwn(attributes, key, copied);
  }
  return { schemas: interner.intern(schemas), attributes };
}

/** The value of a body's `attribute`, whatever the case of the key. */
function attributeValue(body: ScimObject, attribute: string): unknown {
  const lower = attribute.toLowerCase();
  for (const key of Object.keys(body)) if (key.toLowerCase() === lower) return body[key];
  return undefined;
}

/** The member settings of a type, or a TypeError: only a type that holds members has a member set. */
function membersOfType(type: ResourceTypeModel): NonNullable<ResourceTypeModel['members']> {
  if (!type.members) throw new TypeError(`Resources of type ${type.name} hold no members`);
  return type.members;
}

function assemble(id: string, content: { schemas: readonly string[]; attributes: ScimObject }, meta: ResourceMeta): ScimResource {
  const record = { schemas: content.schemas, id, ...content.attributes, meta: Object.freeze(meta) } as ScimResource;
  return Object.freeze(record);
}

function assertResourceType(type: ResourceTypeModel): void {
  if (typeof type !== 'object' || type === null || typeof type.name !== 'string' || type.name.length === 0 || !Array.isArray(type.memberOf)) {
    throw new TypeError('A resource type model (SchemaRegistry.model) is required');
  }
}

function checkVersion(record: ScimResource, expected: string | undefined): void {
  if (expected !== undefined && !versionMatches(expected, record.meta.version)) {
    throw ScimError.preconditionFailed(`Version ${expected} does not match the current version ${record.meta.version}`);
  }
}

function checkUnique(table: ResourceTable | undefined, constraints: readonly UniqueConstraint[] | undefined, selfId?: string): void {
  if (!table || !constraints) return;
  for (const constraint of constraints) {
    if (table.conflict(constraint, selfId) !== undefined) {
      throw ScimError.uniqueness(`${constraint.keys.join('.')} "${constraint.value}" is already in use`);
    }
  }
}

function checkMaxMembers(plan: MemberPlan, maxMembers: number | undefined): void {
  if (maxMembers !== undefined && plan.add.length > 0 && plan.sizeAfter > maxMembers) {
    throw memberLimitExceeded(maxMembers);
  }
}

/** Distinct references of a new member set: the first reference of each id counts. */
function initialPlan(refs: readonly MemberRef[]): MemberPlan {
  const unique = new Map<string, MemberRef>();
  for (const ref of refs) if (!unique.has(ref.value)) unique.set(ref.value, ref);
  return { add: [...unique.values()], remove: [], sizeAfter: unique.size };
}

/**
 * The embedded default {@link StorageProvider}, and the executable specification of the storage
 * contract: everything lives in process memory and is gone when the process ends.
 *
 * **Isolation.** A `strict` tenant gets a store of its own, created on its first
 * write; `standard` and `shared` tenants live in one shared store partitioned by tenant id.
 * Every method reaches data only through the calling tenant's store, so one tenant's ids are
 * unknown (404) to every other tenant. A tenant's isolation level must not change while it holds
 * resources (drop it first); a mismatch is a 503 naming the tenant and both levels rather than a
 * silent split of its data.
 *
 * **Atomicity.** Every write checks its preconditions (version, uniqueness, quota, member limit,
 * member existence) and writes in one synchronous step with no `await` in between; JavaScript's
 * single thread makes that step atomic, so concurrent calls cannot interleave inside it.
 *
 * **Versions.** `meta.version` is `W/"n"`, n starting at 1 and growing by one on every change:
 * replace, member change, or losing a member to a delete. A User's derived `groups` are not covered
 * by its version (joining a group changes the group, not the user).
 *
 * **Immutability.** Records are stored deep-frozen and handed out as they are; a Group's `members`
 * or a User's `groups` are attached to a frozen shallow copy. Callers can therefore never change
 * stored state through a returned object, and reads cost no deep clone. Copy before editing.
 *
 * **Members.** The members of a resource whose type holds them (a Group) are a set kept beside the
 * resource (not in its body), with a reverse index from member id to container ids; the type's
 * {@link ResourceTypeModel} says which attribute shows them and which reverse attributes (a User's
 * `groups`) its members show. Only ids of the same tenant's resources of an allowed member type are
 * accepted (anything else is a 400 `invalidValue`), and deleting a resource takes it out of every
 * set, so no member or reverse reference ever points outside the tenant or at nothing.
 *
 * **Ids** are UUID v7 from a monotonic generator, so id order is creation order.
 */
export class InMemoryStorage implements StorageProvider {
  private readonly strictStores = new Map<string, TenantStore>();
  private readonly shared = new SharedStore();
  /** The level each tenant with a partition in the common store was last served at. */
  private readonly pooledLevels = new Map<string, IsolationLevel>();
  private readonly clock = new WriteClock();
  private readonly schemaLists = new SchemaListInterner();
  /** Counters for inspection and tests. */
  readonly stats: InMemoryStorageStats = { lastQueryEvaluated: 0 };

  /**
   * For inspection and tests: the store object a tenant's data lives in (its own for a `strict`
   * tenant, the common one for others), or `undefined` when the tenant holds nothing here.
   */
  storeOf(tenantId: string): object | undefined {
    const own = this.strictStores.get(tenantId);
    if (own) return own;
    return this.shared.has(tenantId) ? this.shared : undefined;
  }

  private storeFor(tenant: TenantContext, create: true): TenantStore;
  private storeFor(tenant: TenantContext, create: false): TenantStore | undefined;
  private storeFor(tenant: TenantContext, create: boolean): TenantStore | undefined {
    const id = tenant.tenantId;
    if (typeof id !== 'string' || id.length === 0) throw new TypeError('The tenant context has no tenant id');
    const level = tenant.isolationLevel;
    this.checkLevel(id, level);
    if (level === 'strict') {
      let store = this.strictStores.get(id);
      if (!store && create) {
        store = new TenantStore();
        this.strictStores.set(id, store);
      }
      return store;
    }
    const store = this.shared.partition(id, create);
    if (store) this.pooledLevels.set(id, level);
    return store;
  }

  /**
   * Refuses a tenant whose isolation level changed while it holds resources (503 naming the tenant
   * and both levels); a tenant that holds none simply starts again at its new level.
   */
  private checkLevel(tenantId: string, level: IsolationLevel): void {
    const strict = this.strictStores.get(tenantId);
    const pooled = this.shared.partition(tenantId);
    const current: IsolationLevel | undefined = strict ? 'strict' : pooled ? this.pooledLevels.get(tenantId) : undefined;
    if (current === undefined || current === level) return;
    if (!(strict ?? pooled)?.isEmpty()) throw isolationLevelChanged(tenantId, current, level);
    this.forget(tenantId);
  }

  private forget(tenantId: string): void {
    this.strictStores.delete(tenantId);
    this.shared.drop(tenantId);
    this.pooledLevels.delete(tenantId);
  }

  /** Checks that every member to add is a resource of this tenant of an allowed type and fills in a missing `type`. */
  private resolveAdded(store: TenantStore | undefined, container: ResourceTypeModel, refs: readonly MemberRef[]): MemberRef[] {
    const { attribute, memberTypes } = membersOfType(container);
    const allowed = new Set(memberTypes.map((t) => t.toLowerCase()));
    return refs.map((ref) => {
      const type = store?.typeOf(ref.value);
      if (type === undefined || !allowed.has(type.toLowerCase())) {
        throw ScimError.badRequest('invalidValue', `${attribute}: no ${memberTypes.join(' or ')} with id "${ref.value}"`);
      }
      return ref.type === undefined ? Object.freeze({ ...ref, type }) : ref;
    });
  }

  /** A new version of a stored record: same content, next version, new `lastModified`. */
  private bump(previous: ScimResource, now: string): ScimResource {
    const meta: ResourceMeta = {
      resourceType: previous.meta.resourceType,
      created: previous.meta.created,
      lastModified: now,
      version: versionTag(versionNumber(previous.meta.version) + 1),
    };
    return Object.freeze({ ...previous, meta: Object.freeze(meta) });
  }

  /** The stored record a write starts from: 404 when the tenant has no such resource, 412 on a version mismatch. */
  private current(tenant: TenantContext, type: ResourceTypeModel, id: string, expectedVersion: string | undefined) {
    const store = this.storeFor(tenant, false);
    const table = store?.table(type.name);
    const previous = table?.records.get(id);
    if (!store || !table || !previous) throw ScimError.notFound(`${type.name} ${id} not found`);
    checkVersion(previous, expectedVersion);
    return { store, table, previous };
  }

  /** What a read returns: the frozen record, or a frozen shallow copy with members and reverse attributes attached. */
  private materialise(store: TenantStore, type: ResourceTypeModel, record: ScimResource, excludeMembers: boolean): ScimResource {
    let out: ScimObject | undefined;
    if (type.members && !excludeMembers) {
      const members = store.members.membersOf(record.id);
      if (members.size > 0) out = { [type.members.attribute]: Object.freeze([...members.values()]) };
    }
    for (const relation of type.memberOf) {
      const refs = this.reverseRefs(store, record.id, relation);
      if (refs.length > 0) out = { ...out, [relation.attribute]: Object.freeze(refs) };
    }
    return out ? Object.freeze({ ...record, ...out }) : record;
  }

  /** The containers of one type that list `memberId`, with each one's current display value. */
  private reverseRefs(store: TenantStore, memberId: string, relation: ReverseMembership): MembershipRef[] {
    const ids = store.members.groupsOf(memberId);
    if (ids.size === 0) return [];
    const containers = store.table(relation.containerType);
    if (!containers) return [];
    const out: MembershipRef[] = [];
    for (const containerId of ids) {
      const container = containers.records.get(containerId);
      if (!container) continue;
      const ref: MembershipRef = { value: containerId, type: 'direct' };
      const display = container[relation.displayAttribute];
      if (typeof display === 'string') ref.display = display;
      out.push(Object.freeze(ref));
    }
    return out;
  }

  /**
   * Stores a new resource and returns it. Checks, in order: the body and its members (400),
   * uniqueness (409: a client such as Okta can then link the existing resource even when the tenant
   * is full), the `maxCount` quota and the member limit (403).
   */
  async create(tenant: TenantContext, type: ResourceTypeModel, body: ScimObject, options: CreateOptions = NO_OPTIONS): Promise<ScimResource> {
    assertResourceType(type);
    let store = this.storeFor(tenant, false);
    const content = contentOf(body, type, this.schemaLists);
    let plan: MemberPlan | undefined;
    if (type.members) {
      const attribute = type.members.attribute;
      plan = initialPlan(this.resolveAdded(store, type, toMemberRefs(attributeValue(body, attribute), attribute)));
    }
    let table = store?.table(type.name);
    checkUnique(table, options.unique);
    if (options.maxCount !== undefined && (table?.records.size ?? 0) >= options.maxCount) {
      throw quotaExceeded(options.quotaName, options.maxCount);
    }
    if (plan) checkMaxMembers(plan, options.maxMembers);

    store ??= this.storeFor(tenant, true);
    table ??= store.tableFor(type);
    const now = this.clock.now();
    const id = uuidv7();
    const record = assemble(id, content, { resourceType: type.name, created: now, lastModified: now, version: versionTag(1) });
    table.insert(record);
    if (plan && plan.add.length > 0) store.members.apply(id, plan);
    return this.materialise(store, type, record, false);
  }

  /**
   * The resource, or `null` when the tenant has no resource of this type with this id. It comes
   * with its members unless `excludeMembers`, and with its reverse attributes.
   */
  async get(tenant: TenantContext, type: ResourceTypeModel, id: string, options: ReadOptions = NO_OPTIONS): Promise<ScimResource | null> {
    assertResourceType(type);
    const store = this.storeFor(tenant, false);
    const record = store?.table(type.name)?.records.get(id);
    if (!store || !record) return null;
    return this.materialise(store, type, record, options.excludeMembers === true);
  }

  /**
   * Replaces a resource's attributes (its id and `meta.created` stay) and returns it with members
   * and reverse attributes attached. Checks, in order: existence (404), `expectedVersion` (412), the
   * body and its members (400), uniqueness against every other resource (409), the member limit
   * (403). A container's member set becomes the body's member attribute (none when absent), or, with
   * `memberDelta`, the current set changed by the delta. Always bumps the version.
   */
  async replace(tenant: TenantContext, type: ResourceTypeModel, id: string, body: ScimObject, options: WriteOptions = NO_OPTIONS): Promise<ScimResource> {
    assertResourceType(type);
    const { store, table, previous } = this.current(tenant, type, id, options.expectedVersion);
    const content = contentOf(body, type, this.schemaLists);
    let plan: MemberPlan | undefined;
    if (type.members) {
      const attribute = type.members.attribute;
      plan = options.memberDelta
        ? this.planDelta(store, id, options.memberDelta)
        : store.members.plan(id, { removeAll: true, add: toMemberRefs(attributeValue(body, attribute), attribute) });
      plan = { ...plan, add: this.resolveAdded(store, type, plan.add) };
    }
    checkUnique(table, options.unique, id);
    if (plan) checkMaxMembers(plan, options.maxMembers);

    const now = this.clock.now();
    const version = versionTag(versionNumber(previous.meta.version) + 1);
    const record = assemble(id, content, { resourceType: type.name, created: previous.meta.created, lastModified: now, version });
    table.update(previous, record);
    if (plan) store.members.apply(id, plan);
    return this.materialise(store, type, record, options.excludeMembers === true);
  }

  /**
   * Deletes a resource: 404 when absent, 412 on a version mismatch. The resource leaves every
   * member set that listed it (each such container gets a new version, and is in the outcome); its
   * own member set goes with it.
   */
  async delete(tenant: TenantContext, type: ResourceTypeModel, id: string, options: WriteOptions = NO_OPTIONS): Promise<DeleteOutcome> {
    assertResourceType(type);
    const { store, table, previous } = this.current(tenant, type, id, options.expectedVersion);
    table.delete(previous);
    const touched = store.members.forget(id);
    const changed: ContainerChange[] = [];
    const now = this.clock.now();
    for (const containerId of touched) {
      const containerType = store.typeOf(containerId);
      const containers = containerType === undefined ? undefined : store.table(containerType);
      const container = containers?.records.get(containerId);
      if (!containers || !container) continue;
      const bumped = this.bump(container, now);
      containers.update(container, bumped);
      changed.push({ resourceType: bumped.meta.resourceType, id: containerId, version: bumped.meta.version });
    }
    return { containers: changed };
  }

  /**
   * Filters, sorts and pages one resource type of the tenant. Equality on an indexed attribute
   * (`userName`, `externalId`, a Group's `displayName`) narrows the candidates through the index
   * before the full filter runs. Without `sort` the order is creation order. A filter the schema
   * cannot serve is a 400 `invalidFilter`.
   */
  async query(tenant: TenantContext, type: ResourceTypeModel, query: StorageQuery): Promise<QueryResult> {
    assertResourceType(type);
    const store = this.storeFor(tenant, false);
    const table = store?.table(type.name);
    const outcome = await runQuery(table, query, {
      materialise: store ? (record, full) => this.materialise(store, type, record, !full) : (record) => record,
      attachable: [...(type.members ? [type.members.attribute] : []), ...type.memberOf.map((r) => r.attribute)],
      excludeMembers: query.excludeMembers === true,
    });
    this.stats.lastQueryEvaluated = outcome.evaluated;
    const { evaluated: _evaluated, ...result } = outcome;
    return result;
  }

  /** Number of resources of the type the tenant holds, in constant time. */
  async count(tenant: TenantContext, type: ResourceTypeModel): Promise<number> {
    assertResourceType(type);
    return this.storeFor(tenant, false)?.table(type.name)?.records.size ?? 0;
  }

  private planDelta(store: TenantStore, containerId: string, delta: MemberDelta): MemberPlan {
    if (!isObject(delta)) throw ScimError.badRequest('invalidValue', 'A member change must be an object');
    return store.members.plan(containerId, {
      add: toMemberRefs(delta.add, 'members to add'),
      remove: toMemberIds(delta.remove, 'members to remove'),
      removeAll: delta.removeAll === true,
    });
  }

  /**
   * Applies a member delta (`removeAll`, then `remove`, then `add`) in time proportional to the
   * delta. Checks, in order: the resource exists (404), `expectedVersion` (412), members to add are
   * resources of this tenant of an allowed type (400), the member limit (403, only when the change
   * adds members). Ids already present are not added again and absent ids are not removed; `added`
   * and `removed` report the net change. The version is bumped only when the set actually changed;
   * a change that changes nothing leaves `meta` as it was. Returns the resource without its members.
   *
   * @throws TypeError when `type` holds no members.
   */
  async updateMembers(
    tenant: TenantContext,
    type: ResourceTypeModel,
    id: string,
    delta: MemberDelta,
    options: WriteOptions = NO_OPTIONS,
  ): Promise<MemberChangeResult> {
    assertResourceType(type);
    membersOfType(type);
    const { store, table, previous } = this.current(tenant, type, id, options.expectedVersion);
    const planned = this.planDelta(store, id, delta);
    const plan: MemberPlan = { ...planned, add: this.resolveAdded(store, type, planned.add) };
    checkMaxMembers(plan, options.maxMembers);
    if (plan.add.length === 0 && plan.remove.length === 0) return { resource: this.materialise(store, type, previous, true), added: [], removed: [] };
    store.members.apply(id, plan);
    const record = this.bump(previous, this.clock.now());
    table.update(previous, record);
    return { resource: this.materialise(store, type, record, true), added: plan.add.map((ref) => ref.value), removed: [...plan.remove] };
  }

  /** Deletes everything the tenant holds (and its own store, when strict); other tenants are untouched. */
  async dropTenant(tenantId: string): Promise<void> {
    this.forget(tenantId);
  }
}
