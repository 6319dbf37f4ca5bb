import type { FilterNode, SortSpec } from '../query/ast.js';
import type { Pacer } from '../query/pacer.js';
import type { ResourceTypeModel } from '../schema/membership.js';
import type { ResourceSchema } from '../schema/resource-schema.js';
import type { ScimObject, ScimResource } from '../schema/types.js';
import type { TenantContext } from '../tenant/tenant-context.js';

/** A member as storage keeps it, in the member set of a resource whose type holds members. */
export interface MemberRef {
  /** Id of the member resource, of the same tenant. */
  value: string;
  /** The member's resource type name, one of the container type's `memberTypes`. */
  type?: string;
  display?: string;
}

/**
 * One entry of a derived reverse attribute (User `groups`): a resource that lists this one as a
 * member directly.
 */
export interface MembershipRef {
  /** Id of the containing resource. */
  value: string;
  /** The container's display attribute (a Group's `displayName`). */
  display?: string;
  type: 'direct';
}

/** A uniqueness constraint checked atomically with a write. */
export interface UniqueConstraint {
  /** Canonical keys from the resource root, for example `['userName']`. */
  keys: readonly string[];
  value: string;
  caseExact: boolean;
}

/** What a write changed, as a {@link ChangeJournal} is told inside the write's transaction. */
export interface JournaledChange {
  /** The resource after the write (create, replace, member change); absent after a delete. */
  readonly resource?: ScimResource;
  /** After a delete: every container that lost the deleted resource, with its new version. */
  readonly containers?: readonly ContainerChange[];
  /**
   * Attribute paths the write changed, when the layer above storage knows them (a provider fills
   * them in for a PATCH). A storage leaves this out.
   */
  readonly changed?: readonly string[];
}

/**
 * Records to keep with a write, in the write's own transaction: an outbox, so that a change and its
 * record are committed together or not at all. A storage that keeps records calls `entries` inside
 * the transaction once the change is made (again on each attempt, when a transaction is retried),
 * stores the JSON objects it returns with the change, and after the commit calls `stored` with the
 * position each got. A storage that keeps none ignores the journal: `stored` is never called, and
 * the caller records the change in its usual way.
 */
export interface ChangeJournal {
  /** The records of `change`, as JSON-serializable objects. Called inside the write's transaction. */
  entries(change: JournaledChange): readonly object[];
  /** Called after the commit, with the position (per tenant, increasing) of each record, in order. */
  stored(positions: readonly number[]): void;
}

/** Options of a create. */
export interface CreateOptions {
  /** Records to keep with the change, in its transaction, by a storage that keeps them. */
  journal?: ChangeJournal;
  /** Refuse (403) when the tenant already holds this many resources of the type. Checked atomically. */
  maxCount?: number;
  /** Name of the quota, for the error detail. */
  quotaName?: string;
  /** Unique values, checked atomically. */
  unique?: readonly UniqueConstraint[];
  /** Most members one resource may hold. */
  maxMembers?: number;
}

/** Options of a replace or delete. */
export interface WriteOptions {
  /** Records to keep with the change, in its transaction, by a storage that keeps them. */
  journal?: ChangeJournal;
  /** `meta.version` the caller last saw; a mismatch is a 412. Compare-and-set, never read-then-write. */
  expectedVersion?: string;
  unique?: readonly UniqueConstraint[];
  /** Most members one resource may hold. */
  maxMembers?: number;
  /**
   * For a type that holds members: apply this delta to the member set instead of taking the body's
   * member attribute, atomically with the rest of the replace. Without it, the body's member
   * attribute (or its absence) sets the set.
   */
  memberDelta?: MemberDelta;
  /** Return the resource without materialising its members (a PATCH on a large group answers 204). */
  excludeMembers?: boolean;
}

/** Options of a read. */
export interface ReadOptions {
  /** Skip materialising the members of a resource that holds them (large groups). */
  excludeMembers?: boolean;
}

/** What a list or search asks storage for. */
export interface StorageQuery {
  /** The tenant's schema for the resource type: storage needs it to evaluate or translate the filter. */
  schema: ResourceSchema;
  filter?: FilterNode;
  sort?: SortSpec;
  /** 1-based. Ignored when `position` is given. */
  startIndex: number;
  /** Most resources to return; 0 returns only the total. */
  count: number;
  excludeMembers?: boolean;
  /**
   * The request's pacer: a storage that does long work in this process (an in-memory scan or sort)
   * calls `await pacer.pace()` between chunks of it, so that other requests are served meanwhile.
   * A storage whose work happens elsewhere (a database) can ignore it.
   */
  pacer?: Pacer;
  /**
   * Cursor paging (RFC 9865): `''` asks for the first page; any other value is a position that an
   * earlier result of the same query returned as `nextPosition` or `previousPosition`. Positions are
   * opaque to callers (the server signs them into its cursors); a storage may keep an offset in
   * them, or, to page in constant time, the sort key and id of the row a page ends at. A position
   * the storage cannot read is a 400 `invalidCursor`.
   */
  position?: string;
}

/** A page of results. */
export interface QueryResult {
  resources: ScimResource[];
  totalResults: number;
  /** With `position` in the query: where the next page starts; absent after the last page. */
  nextPosition?: string;
  /** With `position` in the query: where the previous page starts; absent on the first page. */
  previousPosition?: string;
}

/** A resource a delete changed besides the one it deleted: a container that lost it as a member. */
export interface ContainerChange {
  /** The container's resource type name, for example `Group`. */
  readonly resourceType: string;
  /** The container's id. */
  readonly id: string;
  /** The container's version after the change. */
  readonly version: string;
}

/** What a delete did to other resources, so that every change is audited. */
export interface DeleteOutcome {
  /** Every container that listed the deleted resource as a member, with its version after losing it. */
  readonly containers: readonly ContainerChange[];
}

/** Changes to the member set of a resource whose type holds members. */
export interface MemberDelta {
  add?: readonly MemberRef[];
  /** Member ids to remove; ids not present are ignored. */
  remove?: readonly string[];
  /** Remove every member before adding. */
  removeAll?: boolean;
}

/** The outcome of a member change. */
export interface MemberChangeResult {
  /** The resource after the change, without its members materialised. */
  resource: ScimResource;
  added: string[];
  removed: string[];
}

/**
 * Tenant-scoped, versioned, queryable storage. Every method takes the tenant; no method can reach
 * another tenant's data. Errors are `ScimError`s (404, 409 uniqueness, 412 version, 403 quota).
 *
 * Every method that concerns one resource type receives its {@link ResourceTypeModel}: the type's
 * name (the key its resources are stored under) and its part in memberships. Nothing else decides
 * which types hold members or show reverse attributes:
 *
 * - When `type.members` is set, the body's `type.members.attribute` (any case) sets the resource's
 *   member set on create and replace; it is kept beside the resource, not in its body, and a read
 *   returns it under that attribute unless `excludeMembers`. Every member must be a resource of the
 *   same tenant whose type is one of `type.members.memberTypes` (400 `invalidValue` otherwise).
 * - For each entry of `type.memberOf`, a read returns under `attribute` the resources of
 *   `containerType` that list this one as a member ({@link MembershipRef}, `display` from the
 *   container's `displayAttribute`). Such attributes are derived: a body's value for them is ignored.
 *
 * The resource passed to `create` and `replace` is the body in canonical form (no `id`, no `meta`);
 * storage assigns `id`, `meta.created`, `meta.lastModified` and `meta.version` (`W/"n"`, n monotonic).
 */
export interface StorageProvider {
  /**
   * Stores a new resource and returns it with `id` (UUID v7) and `meta` (version `W/"1"`).
   * Checks, atomically with the insert: `unique` (409 `uniqueness`), `maxCount` (403 naming
   * `quotaName`), and for a type that holds members that every member is a resource of an allowed
   * type of the same tenant (400 `invalidValue`) and `maxMembers` (403).
   */
  create(tenant: TenantContext, type: ResourceTypeModel, body: ScimObject, options?: CreateOptions): Promise<ScimResource>;
  /**
   * The tenant's resource, or `null` when the tenant has none of this type with that id (another
   * tenant's id is just an unknown id). Comes with its members unless `excludeMembers`, and with its
   * derived reverse attributes.
   */
  get(tenant: TenantContext, type: ResourceTypeModel, id: string, options?: ReadOptions): Promise<ScimResource | null>;
  /**
   * Replaces a resource's attributes, keeping `id` and `meta.created`, and moves the version by one.
   * 404 when the tenant has no such resource; 412 when `expectedVersion` is given and differs,
   * compared and written in one step; then the checks of {@link StorageProvider.create}.
   */
  replace(tenant: TenantContext, type: ResourceTypeModel, id: string, body: ScimObject, options?: WriteOptions): Promise<ScimResource>;
  /**
   * Deletes a resource (404 when absent, 412 on a version mismatch). It leaves every member set
   * that listed it, and each such container's version moves; its own member set goes with it.
   * Resolves to those containers with their new versions ({@link DeleteOutcome}), which the server
   * records as changes of their own. (A storage that resolves to nothing leaves them unrecorded.)
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: a storage written before deletes reported their outcome resolves to nothing
  delete(tenant: TenantContext, type: ResourceTypeModel, id: string, options?: WriteOptions): Promise<DeleteOutcome | void>;
  /**
   * One page of the tenant's resources matching `query.filter`, in `query.sort` order (else a
   * stable default order), with the total before paging. A filter the storage cannot serve is a
   * 400 `invalidFilter`, never a silently empty result. Filters see members and reverse attributes
   * as a read returns them.
   */
  query(tenant: TenantContext, type: ResourceTypeModel, query: StorageQuery): Promise<QueryResult>;
  /** How many resources of the type the tenant holds. */
  count(tenant: TenantContext, type: ResourceTypeModel): Promise<number>;
  /**
   * Applies a member delta to a resource of a type that holds members, in time proportional to the
   * delta, not to the member set. 404 when the tenant has no such resource of that type.
   */
  updateMembers(tenant: TenantContext, type: ResourceTypeModel, id: string, delta: MemberDelta, options?: WriteOptions): Promise<MemberChangeResult>;
  /** Deletes every resource of a tenant. */
  dropTenant(tenantId: string): Promise<void>;
}
