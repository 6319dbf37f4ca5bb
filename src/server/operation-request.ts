import type { TenantContext } from '../tenant/tenant-context.js';

/**
 * The SCIM operations, named for what they do rather than for an HTTP method: the resource
 * operations of RFC 7644 §3.3 to §3.6, list and search (§3.4.2, §3.4.3; RFC 9865 cursors), Bulk
 * (§3.7) and the three discovery documents (§4).
 */
export type ScimOperation =
  | 'create'
  | 'get'
  | 'replace'
  | 'patch'
  | 'delete'
  | 'list'
  | 'search'
  | 'bulk'
  | 'getSchemas'
  | 'getResourceTypes'
  | 'getServiceProviderConfig';

/**
 * The query of a list, search or read (RFC 7644 §3.4.2, §3.9; RFC 9865): what the URL parameters of
 * a `GET` or the fields of a SearchRequest carry. Integers may be numbers or decimal text, attribute
 * lists arrays or comma-separated text, so that each transport passes what it has.
 */
export interface ScimQuery {
  /** A filter expression, for example `userName eq "bjensen"`. */
  readonly filter?: string;
  /** The attribute path to sort by. */
  readonly sortBy?: string;
  /** `ascending` (default) or `descending`. */
  readonly sortOrder?: string;
  /** 1-based index of the first result (index paging). */
  readonly startIndex?: number | string;
  /** Most results per page. */
  readonly count?: number | string;
  /** RFC 9865 cursor: empty for the first page, then a `nextCursor` or `previousCursor`. */
  readonly cursor?: string;
  /** Attributes to return (besides those always returned). */
  readonly attributes?: string | readonly string[];
  /** Attributes to leave out. */
  readonly excludedAttributes?: string | readonly string[];
}

/**
 * A request body as a transport received it: JSON text, its UTF-8 bytes, or JSON a framework has
 * already parsed, with the media type it came with. The handler checks and parses it after the
 * operation's permission checks, against the tenant's body limits, so a refused request costs no
 * parsing.
 */
export class ReceivedBody {
  /**
   * @param content - JSON text, its UTF-8 bytes, or parsed JSON.
   * @param mediaType - the `Content-Type` it came with, when known; anything but `application/scim+json` or `application/json` is a 415.
   */
  constructor(
    readonly content: unknown,
    readonly mediaType?: string,
  ) {}
}

/**
 * One SCIM operation as plain data, for a tenant already resolved: what every transport (HTTP, MCP
 * tools, queues, command-line tools, tests) hands to {@link ScimOperationHandler.handle}.
 */
export interface ScimOperationRequest {
  /** The tenant, already resolved and trusted. Its permissions, quotas and limits apply. */
  readonly tenant: TenantContext;
  /** What to do. */
  readonly operation: ScimOperation;
  /**
   * The resource type by name (`User`, `Group`, any case), for resource operations, lists and
   * searches; a search without one searches every type (`/.search`). For `getSchemas` and
   * `getResourceTypes` it is unused.
   */
  readonly resourceType?: string;
  /**
   * The resource id for `get`, `replace`, `patch` and `delete`; the schema id for `getSchemas` and
   * the resource type id or name for `getResourceTypes` (absent: all of them).
   */
  readonly id?: string;
  /**
   * The body: a resource for `create` and `replace`, a PatchOp message for `patch`, a SearchRequest
   * for `search` (absent: the search takes `query`), a BulkRequest for `bulk`. Parsed JSON, or a
   * {@link ReceivedBody} the handler parses after checking permissions.
   */
  readonly data?: unknown;
  /** List and search parameters, and `attributes` / `excludedAttributes` for any operation that returns a resource. */
  readonly query?: ScimQuery;
  /** The version the resource must still have (`W/"3"`, a list of entity tags, or `*`); a mismatch is a 412. */
  readonly ifMatch?: string;
  /**
   * For `get`: the versions the caller already has; a match answers "not modified" (304). For
   * `replace`, `patch` and `delete`: the versions the write must not find; a match, or any version
   * for `*`, is a 412 (RFC 9110 §13.1.2).
   */
  readonly ifNoneMatch?: string;
  /** Who acts, for the audit trail; defaults to the tenant's `clientId`. */
  readonly actor?: string;
  /** Correlates audit events and logs; one is generated when absent. */
  readonly requestId?: string;
  /**
   * Who chose `requestId`: `client` when it is the id a remote client sent (`X-Request-Id`),
   * `server` when the server or the calling code made it (the default). Audit events record it.
   */
  readonly requestIdSource?: 'client' | 'server';
}
