import type { IsolationLevel } from './isolation-level.js';
import type { TenantPermissions } from './tenant-permissions.js';
import type { TenantSettings } from './tenant-settings.js';

/**
 * Who is asking and what they may do. Every operation below the resolver receives one; there is no
 * default tenant. It describes the tenant (and the client credential it was resolved from); what
 * belongs to one request only, its request id, travels beside it (`ScimOperationRequest.requestId`).
 */
export interface TenantContext {
  /** Stable tenant identifier. Data is keyed by it. */
  readonly tenantId: string;
  /** The client the tenant was resolved for; audit events name it unless an operation names its own actor. */
  readonly clientId?: string;
  /**
   * Which credential of the client the request authenticated with: a label or key id that names it
   * and reveals nothing of the secret (`StaticTenantResolver`: the token's label, or where it was
   * configured, such as `tokens[1]`). Audit events record it as `credentialId`.
   */
  readonly credentialId?: string;
  /** Where this tenant's data lives. */
  readonly isolationLevel: IsolationLevel;
  /** What the tenant may do. */
  readonly permissions: TenantPermissions;
  /** The tenant's own SCIM base URL, with no trailing slash: `meta.location` and `$ref` start with it. */
  readonly baseUrl: string;
  /** Per-tenant server settings (PATCH tolerances, response style, uniqueness). */
  readonly settings?: TenantSettings;
}
