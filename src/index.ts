/**
 * scim-server: a framework-agnostic, multi-tenant SCIM 2.0 server library.
 *
 * Start with {@link ScimServer}, a {@link TenantResolver} (for example {@link StaticTenantResolver})
 * and, optionally, a {@link StorageProvider} (the {@link InMemoryStorage} is the default). HTTP
 * adapters live in `scim-server/node` and `scim-server/fetch`.
 *
 * @packageDocumentation
 * @module scim-server
 */
export * from './error/index.js';
export * from './tenant/index.js';
export * from './schema/index.js';
export * from './query/index.js';
export * from './patch/index.js';
export * from './storage/index.js';
export * from './provider/index.js';
export { ScimServer } from './server/scim-server.js';
export type { ScimServerOptions } from './server/scim-server.js';
export { ScimOperationHandler } from './server/operation-handler.js';
export type { ScimOperationHandlerOptions, GroupPatchResponse, ErrorHandler } from './server/handler-options.js';
export { ReceivedBody } from './server/operation-request.js';
export type { ScimOperation, ScimOperationRequest, ScimQuery } from './server/operation-request.js';
export type {
  ScimOperationResponse,
  ScimResourceResult,
  ScimListResult,
  ScimBulkResult,
  ScimNoContentResult,
  ScimErrorResult,
  ScimListResponse,
} from './server/operation-response.js';
export type { ScimRequest, ScimResponse } from './server/scim-request.js';
export { SCIM_CONTENT_TYPE, LIST_RESPONSE_SCHEMA, SEARCH_REQUEST_SCHEMA, PATCH_OP_SCHEMA } from './server/media-type.js';
export type { ServiceProviderFeatures } from './server/service-provider-config.js';
export { AuditTrail, callbackAuditSink, jsonLinesAuditSink, redactAuditEvent } from './server/audit.js';
export type { AuditEvent, AuditSink, AuditAction, AuditOutcome, AuditTrailOptions, AuditErrorHandler } from './server/audit.js';
export { processBulk, BULK_REQUEST_SCHEMA, BULK_RESPONSE_SCHEMA } from './server/bulk.js';
export type { BulkOperationRequest, BulkLimits, BulkExecutor, BulkOptions, BulkOperationResult, BulkResponseBody } from './server/bulk.js';
