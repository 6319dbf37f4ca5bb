import type { FilterNode, SortSpec } from '../query/ast.js';
import type { ResourceSchema } from '../schema/resource-schema.js';
import type { ScimObject, ScimResource } from '../schema/types.js';
import type { TenantContext } from '../tenant/tenant-context.js';

/** A group member as storage keeps it. */
export interface MemberRef {
  /** Id of the member resource (User or Group) of the same tenant. */
  value: string;
  /** `User` or `Group`. */
  type?: string;
  display?: string;
}

/** A group a resource belongs to, as storage derives it. */
export interface GroupRef {
  value: string;
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

/** Options of a create. */
export interface CreateOptions {
  /** Refuse (403) when the tenant already holds this many resources of the type. Checked atomically. */
  maxCount?: number;
  /** Name of the quota, for the error detail. */
  quotaName?: string;
  /** Unique values, checked atomically. */
  unique?: readonly UniqueConstraint[];
  /** Most members a group may hold. */
  maxMembers?: number;
}

/** Options of a replace or delete. */
export interface WriteOptions {
  /** `meta.version` the caller last saw; a mismatch is a 412. Compare-and-set, never read-then-write. */
  expectedVersion?: string;
  unique?: readonly UniqueConstraint[];
  maxMembers?: number;
  /**
   * For a Group: apply this delta to the member set instead of taking `body.members`, atomically
   * with the rest of the replace. Without it, a Group body's `members` (or its absence) sets the set.
   */
  memberDelta?: MemberDelta;
  /** Return a Group without materialising its `members` (a PATCH on a large group answers 204). */
  excludeMembers?: boolean;
}

/** Options of a read. */
export interface ReadOptions {
  /** Skip materialising a group's `members` (large groups). */
  excludeMembers?: boolean;
}

/** What a list or search asks storage for. */
export interface StorageQuery {
  /** The tenant's schema for the resource type: storage needs it to evaluate or translate the filter. */
  schema: ResourceSchema;
  filter?: FilterNode;
  sort?: SortSpec;
  /** 1-based. */
  startIndex: number;
  /** Most resources to return; 0 returns only the total. */
  count: number;
  excludeMembers?: boolean;
}

/** A page of results. */
export interface QueryResult {
  resources: ScimResource[];
  totalResults: number;
}

/** Changes to a group's member set. */
export interface MemberDelta {
  add?: readonly MemberRef[];
  /** Member ids to remove; ids not present are ignored. */
  remove?: readonly string[];
  /** Remove every member before adding. */
  removeAll?: boolean;
}

/** The outcome of a member change. */
export interface MemberChangeResult {
  /** The group after the change, without its members materialised. */
  resource: ScimResource;
  added: string[];
  removed: string[];
}

/**
 * Tenant-scoped, versioned, queryable storage. Every method takes the tenant; no method can reach
 * another tenant's data. Errors are `ScimError`s (404, 409 uniqueness, 412 version, 403 quota).
 *
 * The resource passed to `create` and `replace` is the body in canonical form (no `id`, no `meta`);
 * storage assigns `id`, `meta.created`, `meta.lastModified` and `meta.version` (`W/"n"`, n monotonic).
 * A Group's `members` array, when present, sets its member set.
 */
export interface StorageProvider {
  /**
   * Stores a new resource and returns it with `id` (UUID v7) and `meta` (version `W/"1"`).
   * Checks, atomically with the insert: `unique` (409 `uniqueness`), `maxCount` (403 naming
   * `quotaName`), and for a Group that every member is a resource of the same tenant (400
   * `invalidValue`) and `maxMembers` (403).
   */
  create(tenant: TenantContext, resourceType: string, body: ScimObject, options?: CreateOptions): Promise<ScimResource>;
  /**
   * The tenant's resource, or `null` when the tenant has none with that id (another tenant's id is
   * just an unknown id). A Group comes with `members` unless `excludeMembers`; a User with `groups`.
   */
  get(tenant: TenantContext, resourceType: string, id: string, options?: ReadOptions): Promise<ScimResource | null>;
  /**
   * Replaces a resource's attributes, keeping `id` and `meta.created`, and moves the version by one.
   * 404 when the tenant has no such resource; 412 when `expectedVersion` is given and differs,
   * compared and written in one step; then the checks of {@link StorageProvider.create}.
   */
  replace(tenant: TenantContext, resourceType: string, id: string, body: ScimObject, options?: WriteOptions): Promise<ScimResource>;
  /**
   * Deletes a resource (404 when absent, 412 on a version mismatch). It leaves every group that
   * listed it, and each such group's version moves.
   */
  delete(tenant: TenantContext, resourceType: string, id: string, options?: WriteOptions): Promise<void>;
  /**
   * One page of the tenant's resources matching `query.filter`, in `query.sort` order (else a
   * stable default order), with the total before paging. A filter the storage cannot serve is a
   * 400 `invalidFilter`, never a silently empty result.
   */
  query(tenant: TenantContext, resourceType: string, query: StorageQuery): Promise<QueryResult>;
  /** How many resources of the type the tenant holds. */
  count(tenant: TenantContext, resourceType: string): Promise<number>;
  /** Applies a member delta in time proportional to the delta, not the group. */
  updateMembers(tenant: TenantContext, groupId: string, delta: MemberDelta, options?: WriteOptions): Promise<MemberChangeResult>;
  /** Groups that list `memberId` directly. */
  groupsOf(tenant: TenantContext, memberId: string): Promise<GroupRef[]>;
  /** Deletes every resource of a tenant. */
  dropTenant(tenantId: string): Promise<void>;
}
