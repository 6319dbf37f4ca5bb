/**
 * The server layer as the transports above it (the HTTP adapters in `adapters/`, the MCP tools in
 * `mcp/`) see it: the server and operation handler, their messages, and the tenant and schema types
 * a transport needs to name, re-exported so that no transport reaches below this layer.
 */
export { ScimServer } from './scim-server.js';
export type { ScimServerOptions } from './scim-server.js';
export type { ScimRequest, ScimResponse } from './scim-request.js';
export { SCIM_CONTENT_TYPE, LIST_RESPONSE_SCHEMA, SEARCH_REQUEST_SCHEMA, PATCH_OP_SCHEMA, charsetOf, isUtf8Charset } from './media-type.js';
export type { ScimAdmission, ScimRequestHead } from './admission.js';
export type { ServiceProviderFeatures } from './service-provider-config.js';
export { ScimError, isScimError } from '../error/scim-error.js';
export { ScimOperationHandler } from './operation-handler.js';
export type { ScimOperationRequest, ScimQuery } from './operation-request.js';
export type { ScimOperationResponse, ScimErrorResult, ScimListResponse } from './operation-response.js';
export { bearerToken, lowerHeaders } from './http-request.js';
export type { TenantContext } from '../tenant/tenant-context.js';
export type { TenantResolver, TenantResolverFunction, TenantResolutionInput } from '../tenant/tenant-resolver.js';
export type { AttributeDefinition, ResourceTypeDefinition, SchemaDefinition } from '../schema/types.js';
export type { ResourceSchema } from '../schema/resource-schema.js';
