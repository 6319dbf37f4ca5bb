import type { ScimError } from '../error/scim-error.js';
import type { ScimObject } from '../schema/types.js';
import type { BulkResponseBody } from './bulk.js';

/** A list or search result (RFC 7644 §3.4.2, RFC 9865). */
export interface ScimListResponse {
  /** `["urn:ietf:params:scim:api:messages:2.0:ListResponse"]`. */
  readonly schemas: readonly [string];
  /** Matching resources in all, before paging. */
  readonly totalResults: number;
  /** Present with index paging: the 1-based index of the first resource of the page. */
  readonly startIndex?: number;
  /** Resources in this page. */
  readonly itemsPerPage: number;
  /** Present with cursor paging when there is a next page. */
  readonly nextCursor?: string;
  /** Present with cursor paging when there is a previous page. */
  readonly previousCursor?: string;
  /** The page, each resource rendered for the tenant (`meta.location`, `$ref`s, projection). */
  readonly Resources: readonly ScimObject[];
}

/** A resource or discovery document, rendered for the tenant (`meta.location`, `$ref`s, projection). */
export interface ScimResourceResult {
  readonly kind: 'resource';
  /** 201 for a created resource, else 200. */
  readonly status: 200 | 201;
  /** The resource as SCIM JSON. */
  readonly resource: ScimObject;
  /** The resource's version (`W/"3"`); absent for discovery documents. */
  readonly version?: string;
  /** The resource's URL (`meta.location`). */
  readonly location?: string;
  /**
   * `resource` as JSON text, byte for byte `JSON.stringify(resource)`, when the handler rendered it
   * (it renders large resources in slices, so a transport need not serialise them in one step).
   */
  readonly json?: string;
}

/** One page of a list or search. */
export interface ScimListResult {
  readonly kind: 'list';
  readonly status: 200;
  /** The ListResponse message. */
  readonly list: ScimListResponse;
  /** `list` as JSON text, byte for byte `JSON.stringify(list)`, rendered in slices. */
  readonly json?: string;
}

/** A Bulk response (RFC 7644 §3.7.3): one result per operation that ran. */
export interface ScimBulkResult {
  readonly kind: 'bulk';
  readonly status: 200;
  /** The BulkResponse message. */
  readonly bulk: BulkResponseBody;
}

/**
 * Success without a body: a delete (204), a PATCH on a resource that holds members answered without
 * it (204, with the new version), or a read whose `ifNoneMatch` matched (304, with the version).
 */
export interface ScimNoContentResult {
  readonly kind: 'none';
  readonly status: 204 | 304;
  /** The resource's version, when one remains (not after a delete). */
  readonly version?: string;
}

/** A refusal or failure: the status and SCIM error of RFC 7644 §3.12. */
export interface ScimErrorResult {
  readonly kind: 'error';
  /** The error's status, as the HTTP status would be. */
  readonly status: number;
  /** The error: status, `scimType`, detail, and for audit the permission or quota that refused (`reason`). */
  readonly error: ScimError;
}

/**
 * What {@link ScimOperationHandler.handle} answers: a discriminated union on `kind`, each with its
 * status. No HTTP headers: a transport renders it (`ScimServer` adds `ETag`, `Location` and
 * `Content-Type`).
 */
export type ScimOperationResponse = ScimResourceResult | ScimListResult | ScimBulkResult | ScimNoContentResult | ScimErrorResult;
