import type { PatchTolerances } from '../patch/patch-tolerances.js';
import type { TenantContext } from '../tenant/tenant-context.js';
import type { TenantSettings } from '../tenant/tenant-settings.js';

/** A tenant's settings as the provider and the operation handler read them: only well-formed values, tolerances by their type. */
export interface EffectiveTenantSettings extends Omit<TenantSettings, 'patchTolerances'> {
  readonly patchTolerances?: Partial<PatchTolerances>;
}

/**
 * Reads a tenant's {@link TenantSettings}, ignoring anything malformed: a resolver written in
 * JavaScript, or one that loads settings from a database, may hand over values the types rule out.
 */
export function tenantSettings(tenant: TenantContext): EffectiveTenantSettings {
  const s = tenant.settings as Readonly<Record<string, unknown>> | undefined;
  if (!s) return {};
  const out: { -readonly [K in keyof EffectiveTenantSettings]: EffectiveTenantSettings[K] } = {};
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
