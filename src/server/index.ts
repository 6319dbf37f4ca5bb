export { ScimServer } from './scim-server.js';
export type { ScimServerOptions } from './scim-server.js';
export type { ScimRequest, ScimResponse } from './scim-request.js';
export { SCIM_CONTENT_TYPE, LIST_RESPONSE_SCHEMA, SEARCH_REQUEST_SCHEMA, PATCH_OP_SCHEMA } from './media-type.js';
export type { ServiceProviderFeatures } from './service-provider-config.js';
export { ScimError } from '../error/scim-error.js';
