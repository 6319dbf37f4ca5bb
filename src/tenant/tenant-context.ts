import type { IsolationLevel } from './isolation-level.js';
import type { TenantPermissions } from './tenant-permissions.js';

/**
 * Who is asking and what they may do. Every operation below the resolver receives one; there is no
 * default tenant.
 */
export interface TenantContext {
  /** Stable tenant identifier. Data is keyed by it. */
  readonly tenantId: string;
  /** The client (credential) that made the request, for audit. */
  readonly clientId?: string;
  /** Where this tenant's data lives. */
  readonly isolationLevel: IsolationLevel;
  /** What the tenant may do. */
  readonly permissions: TenantPermissions;
  /** The tenant's own SCIM base URL, with no trailing slash: `meta.location` and `$ref` start with it. */
  readonly baseUrl: string;
  /** Request id, for audit and logs. */
  readonly requestId?: string;
  /** Free-form per-tenant settings (tolerances, response styles) read by the server. */
  readonly settings?: Readonly<Record<string, unknown>>;
}
