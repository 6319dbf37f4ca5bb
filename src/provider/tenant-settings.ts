import type { PatchTolerances } from '../patch/patch-tolerances.js';
import type { TenantContext } from '../tenant/tenant-context.js';

/** Per-tenant server settings, read from `TenantContext.settings`. */
export interface TenantServerSettings {
  /** Overrides of the server's PATCH tolerances for this tenant. */
  patchTolerances?: Partial<PatchTolerances>;
  /** Overrides the server's Group PATCH response style for this tenant. */
  groupPatchResponse?: 'noContent' | 'resource';
  /**
   * Keep Group `displayName` unique within the tenant, case-insensitively (409 `uniqueness`).
   * RFC 7643 makes it non-unique; Entra ID matches groups by `displayName`, so tenants provisioned
   * by Entra may want duplicates refused rather than matched ambiguously. Off by default.
   */
  uniqueGroupDisplayName?: boolean;
}

/** Reads the settings this server understands, ignoring anything malformed. */
export function tenantSettings(tenant: TenantContext): TenantServerSettings {
  const s = tenant.settings;
  if (!s) return {};
  const out: TenantServerSettings = {};
  const tol = s.patchTolerances;
  if (typeof tol === 'object' && tol !== null) {
    const clean: Record<string, boolean> = {};
    for (const [k, v] of Object.entries(tol)) if (typeof v === 'boolean') clean[k] = v;
    out.patchTolerances = clean as Partial<PatchTolerances>;
  }
  if (s.groupPatchResponse === 'noContent' || s.groupPatchResponse === 'resource') out.groupPatchResponse = s.groupPatchResponse;
  if (s.uniqueGroupDisplayName === true) out.uniqueGroupDisplayName = true;
  return out;
}
