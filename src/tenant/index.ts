export { IsolationLevel, isIsolationLevel } from './isolation-level.js';
export type { TenantPermissions, TenantOperation, PermissionRefusal } from './tenant-permissions.js';
export { checkOperation, isExpired, quotaFor, quotaName } from './tenant-permissions.js';
export type { TenantContext } from './tenant-context.js';
export type { TenantResolver, TenantResolutionInput, TenantResolverFunction } from './tenant-resolver.js';
export { tenantResolverFrom } from './tenant-resolver.js';
export { StaticTenantResolver } from './static-tenant-resolver.js';
export type { TenantDefinition } from './static-tenant-resolver.js';
export { hashToken, constantTimeEqual } from './token-hash.js';
