import { ScimError } from '../../error/scim-error.js';

/** The `reason` of {@link tenantConfigurationError}. */
export const TENANT_CONFIGURATION_REASON = 'tenantConfiguration';

/**
 * A 503 for a tenant or storage set up in a way the storage cannot serve (the operator must act;
 * the client can only retry later). The detail names the tenant, when there is one, and the problem.
 */
export function tenantConfigurationError(tenantId: string | undefined, problem: string): ScimError {
  const subject = tenantId === undefined ? 'The PostgreSQL storage' : `Tenant "${tenantId.slice(0, 64)}"`;
  return new ScimError(503, `${subject} cannot be served: ${problem}`, undefined, undefined, TENANT_CONFIGURATION_REASON);
}
