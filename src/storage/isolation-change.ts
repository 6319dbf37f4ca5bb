import { ScimError } from '../error/scim-error.js';
import type { IsolationLevel } from '../tenant/isolation-level.js';

/** The `reason` of the error a storage raises when a tenant's isolation level no longer fits its data. */
export const ISOLATION_CHANGE_REASON = 'isolationLevel';

/**
 * The error a storage raises when a tenant that holds data at one isolation level is now configured
 * with another: a 503 (the operator must act; the client can only retry later) whose detail names
 * the tenant and both levels. Storages never move a tenant's data between levels on their own:
 * serving it from the new place would show the client an empty tenant.
 */
export function isolationLevelChanged(tenantId: string, stored: IsolationLevel, configured: IsolationLevel): ScimError {
  return new ScimError(
    503,
    `Tenant "${tenantId}" holds data stored at isolation level "${stored}" but is now configured as "${configured}". ` +
      `Move its data or drop the tenant before changing its isolation level, or configure it as "${stored}" again.`,
    undefined,
    undefined,
    ISOLATION_CHANGE_REASON,
  );
}
