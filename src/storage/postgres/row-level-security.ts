import type { SqlQueryable } from './sql-client.js';
import { type StorageNames, TENANT_SETTING } from './storage-names.js';

/**
 * Makes the rest of a transaction run as a `standard` tenant: as the RLS role (which neither owns
 * the tables nor bypasses row-level security, so the policies apply even when the application
 * connects as a superuser or as the owner) and with the tenant setting the policies compare
 * `tenant_id` with. Both last until the transaction ends.
 */
export async function enterTenantScope(tx: SqlQueryable, names: StorageNames, tenantId: string): Promise<void> {
  await tx.query(`SELECT set_config('role', $1, true), set_config('${TENANT_SETTING}', $2, true)`, [names.rlsRole, tenantId]);
}

/** Returns the rest of the transaction to the session's own role (the tenant setting stays). */
export async function leaveRole(tx: SqlQueryable, tenantId: string): Promise<void> {
  await tx.query(`SELECT set_config('role', 'none', true), $1::text AS tenant_id`, [tenantId]);
}

/**
 * Checks, inside a tenant scope, that row-level security binds the current role: neither a
 * superuser nor a role with `BYPASSRLS`. Returns the role's name when it does not.
 */
export async function bypassingRole(tx: SqlQueryable, tenantId: string): Promise<string | undefined> {
  const { rows } = await tx.query(
    'SELECT current_user AS role, (rolsuper OR rolbypassrls) AS bypass, $1::text AS tenant_id FROM pg_roles WHERE rolname = current_user',
    [tenantId],
  );
  const row = rows[0] as { role: string; bypass: boolean } | undefined;
  return row && !row.bypass ? undefined : (row?.role ?? 'unknown');
}
