import type { FilterNode, SortSpec } from '../query/ast.js';
import type { Pacer } from '../query/pacer.js';
import type { ScimResource } from '../schema/types.js';
import type { ChangeJournal, DeleteOutcome, QueryResult } from '../storage/storage-provider.js';
import type { TenantContext } from '../tenant/tenant-context.js';

/** A list or search, parsed and checked by the server. */
export interface ListQuery {
  filter?: FilterNode;
  sort?: SortSpec;
  /** 1-based. */
  startIndex: number;
  count: number;
  /** Leave a group's members out (the response will not show them). */
  excludeMembers?: boolean;
  /** The request's pacer, for the storage's long work (see `StorageQuery.pacer`). */
  pacer?: Pacer;
  /** Cursor paging: a position the storage returned for this query (`''` for the first page); see `StorageQuery.position`. */
  position?: string;
}

/** Options for a write that may carry a precondition. */
export interface ProviderWriteOptions {
  /** The `If-Match` version; a mismatch is 412, checked in storage as one compare-and-set. */
  expectedVersion?: string;
  /** Records to keep with the change in its transaction, handed to storage (see `ChangeJournal`). */
  journal?: ChangeJournal;
}

/** Options of a create. */
export interface ProviderCreateOptions {
  /** Records to keep with the change in its transaction, handed to storage (see `ChangeJournal`). */
  journal?: ChangeJournal;
}

/** Options of a PATCH. */
export interface ProviderPatchOptions extends ProviderWriteOptions {
  /** When false, a Group's members need not be materialised in the returned resource. */
  materializeMembers?: boolean;
  /** Per-request tolerance settings for real-client PATCH bodies. */
  tolerances?: Readonly<Record<string, boolean>>;
}

/** The outcome of a PATCH. */
export interface PatchOutcome {
  resource: ScimResource;
  /** Attribute paths the PATCH changed (for audit). */
  changed: string[];
}

/**
 * Business rules for one resource type: validation, uniqueness, quotas, versions, members.
 * Returns canonical resources; the server adds `meta.location`, `$ref`s and projection.
 */
export interface ResourceProvider {
  /** Resource type name, for example `User`. */
  readonly resourceType: string;
  /** Validates a POST body and creates the resource. Client errors are `ScimError`s (400, 403, 409). */
  create(tenant: TenantContext, body: unknown, options?: ProviderCreateOptions): Promise<ScimResource>;
  /** The tenant's resource; a `ScimError` 404 when it has none with that id. */
  get(tenant: TenantContext, id: string, options?: { excludeMembers?: boolean }): Promise<ScimResource>;
  /** Validates a PUT body and replaces the resource (404, 412 on a stale `expectedVersion`). */
  replace(tenant: TenantContext, id: string, body: unknown, options?: ProviderWriteOptions): Promise<ScimResource>;
  /** Applies a PatchOp body all-or-nothing (404, 412, 400 with the RFC 7644 §3.5.2 scimTypes). */
  patch(tenant: TenantContext, id: string, body: unknown, options?: ProviderPatchOptions): Promise<PatchOutcome>;
  /**
   * Deletes the resource (404, 412 on a stale `expectedVersion`). Resolves to the containers that
   * lost it as a member, when it was one, for the audit trail; a provider that resolves to nothing
   * leaves them unrecorded.
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: a storage written before deletes reported their outcome resolves to nothing
  delete(tenant: TenantContext, id: string, options?: ProviderWriteOptions): Promise<DeleteOutcome | void>;
  /** One page of the tenant's resources; the query is already parsed and checked by the server. */
  list(tenant: TenantContext, query: ListQuery): Promise<QueryResult>;
}
