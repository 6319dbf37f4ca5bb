export { ScimError, isScimError, ERROR_SCHEMA } from './scim-error.js';
export type { ScimType, ScimErrorBody } from './scim-error.js';
