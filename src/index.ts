/**
 * scim-server: a framework-agnostic, multi-tenant SCIM 2.0 server library.
 *
 * This entry point holds what an integrator uses, grouped below as a table of contents: the server
 * and the operation handler beneath it, the tenant core, resource providers, storages, resource
 * types and schemas, errors and the audit trail. The engines live at subpaths: `scim-server/query`
 * (filters, sorting, paging, cursors), `scim-server/patch` (PATCH) and `scim-server/schema`
 * (validation, projection, attribute paths); the HTTP adapters at `scim-server/node` and
 * `scim-server/fetch`.
 *
 * @packageDocumentation
 * @module scim-server
 */

// The server: HTTP-shaped requests in, responses out.
export { ScimServer } from './server/scim-server.js';
export type { ScimServerOptions } from './server/scim-server.js';
export type { ScimRequest, ScimResponse } from './server/scim-request.js';
export type { ScimAdmission, ScimRequestHead } from './server/admission.js';

// The operation handler: SCIM operations for an already resolved tenant, with every guarantee.
export { ScimOperationHandler } from './server/operation-handler.js';
export type { ScimOperationHandlerOptions, GroupPatchResponse, ErrorHandler } from './server/handler-options.js';
export { reportToStderr } from './server/handler-options.js';
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
export type { BulkResponseBody, BulkOperationResult } from './server/bulk.js';
export type { ServiceProviderFeatures } from './server/service-provider-config.js';

// The tenant core: who is asking, what they may do, and how requests are attributed to them.
export type { TenantContext } from './tenant/tenant-context.js';
export type { TenantSettings } from './tenant/tenant-settings.js';
export { IsolationLevel, isIsolationLevel } from './tenant/isolation-level.js';
export type { TenantPermissions, TenantOperation, PermissionRefusal } from './tenant/tenant-permissions.js';
export { checkOperation, isExpired, quotaFor, quotaName } from './tenant/tenant-permissions.js';
export type { KnownTenant, TenantResolver, TenantResolutionInput, TenantResolverFunction } from './tenant/tenant-resolver.js';
export { tenantResolverFrom } from './tenant/tenant-resolver.js';
export { StaticTenantResolver } from './tenant/static-tenant-resolver.js';
export type { TenantDefinition, LabelledToken, LabelledTokenHash } from './tenant/static-tenant-resolver.js';
export { hashToken, constantTimeEqual } from './tenant/token-hash.js';
export type { TenantLocator, TenantLocatorInput, LocatedPath, TenantIdOptions, HostTenantLocatorOptions } from './tenant/tenant-locator.js';
export {
  basePathLocator,
  pathTenantLocator,
  hostTenantLocator,
  functionLocator,
  DEFAULT_TENANT_ID_PATTERN,
  DNS_LABEL_PATTERN,
} from './tenant/tenant-locator.js';
export type { RateLimiter, RateLimit, RateLimitDecision, TokenBucketRateLimiterOptions } from './tenant/rate-limiter.js';
export { TokenBucketRateLimiter } from './tenant/rate-limiter.js';
export { ConfigurationError } from './tenant/configuration-error.js';
export { checkTenantPermissions } from './tenant/permissions-check.js';

// Resource providers: the business rules of a resource type.
export type {
  ResourceProvider,
  ListQuery,
  ProviderWriteOptions,
  ProviderCreateOptions,
  ProviderPatchOptions,
  PatchOutcome,
} from './provider/resource-provider.js';
export { StandardResourceProvider } from './provider/standard-resource-provider.js';
export type { StandardResourceProviderOptions } from './provider/standard-resource-provider.js';
export type { PasswordHasher } from './provider/password-hasher.js';
export { verifyPassword } from './provider/password-hasher.js';
export { pbkdf2PasswordHasher, DEFAULT_PBKDF2_ITERATIONS, WORKERS_PBKDF2_ITERATIONS } from './provider/pbkdf2-password-hasher.js';
export type { Pbkdf2PasswordHasherOptions } from './provider/pbkdf2-password-hasher.js';

// Storages: tenant-scoped, versioned, queryable.
export type {
  ChangeJournal,
  ContainerChange,
  CreateOptions,
  DeleteOutcome,
  JournaledChange,
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
} from './storage/storage-provider.js';
export { InMemoryStorage } from './storage/memory/in-memory-storage.js';
export type { InMemoryStorageStats } from './storage/memory/in-memory-storage.js';
export { TenantRoutedStorage } from './storage/tenant-routed-storage.js';
export type { StorageFactory } from './storage/tenant-routed-storage.js';

// Resource types and schemas: what is served, and what is special about each type.
export { SchemaRegistry } from './schema/schema-registry.js';
export type { SchemaRegistryOptions } from './schema/schema-registry.js';
export { defineAttribute } from './schema/define-attribute.js';
export type { AttributeOptions } from './schema/define-attribute.js';
export type { MembershipDefinition, ResourceTypeModel, ReverseMembership } from './schema/membership.js';
export type { ResourceSchema } from './schema/resource-schema.js';
export type {
  AttributeType,
  Mutability,
  Returned,
  Uniqueness,
  AttributeDefinition,
  SchemaDefinition,
  ResourceTypeDefinition,
  ScimObject,
  ResourceMeta,
  ScimResource,
} from './schema/types.js';
export { USER_SCHEMA, USER_SCHEMA_URI } from './schema/user-schema.js';
export { GROUP_SCHEMA, GROUP_SCHEMA_URI } from './schema/group-schema.js';
export { ENTERPRISE_USER_SCHEMA, ENTERPRISE_USER_SCHEMA_URI } from './schema/enterprise-user-schema.js';
export { USER_RESOURCE_TYPE, GROUP_RESOURCE_TYPE } from './schema/resource-types.js';

// Errors, and the message schemas and media type of the wire format.
export { ScimError, isScimError, ERROR_SCHEMA } from './error/scim-error.js';
export type { ScimType, ScimErrorBody } from './error/scim-error.js';
export { SCIM_CONTENT_TYPE, LIST_RESPONSE_SCHEMA, SEARCH_REQUEST_SCHEMA, PATCH_OP_SCHEMA } from './server/media-type.js';
export { BULK_REQUEST_SCHEMA, BULK_RESPONSE_SCHEMA } from './server/bulk.js';

// The audit trail.
export { AuditTrail, callbackAuditSink, jsonLinesAuditSink, redactAuditEvent, AUDIT_MAX_STRING, AUDIT_MAX_CHANGED } from './server/audit.js';
export type { AuditEvent, AuditSink, AuditAction, AuditOutcome, AuditTrailOptions, AuditErrorHandler, AuditCause } from './server/audit.js';
export type { AuthenticationRefusal, AuthenticationRefusalReason } from './server/operation-audit.js';
