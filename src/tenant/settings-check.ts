import { type Check, isBoolean, objectOf, oneOf, recordOf } from './config-check.js';
import type { TenantSettings } from './tenant-settings.js';

/** Every setting and how its value is checked; a setting added to the type must be added here. */
const SETTINGS: { readonly [K in keyof Required<TenantSettings>]: Check } = {
  patchTolerances: recordOf(isBoolean, 'true or false, by tolerance name'),
  groupPatchResponse: oneOf(['noContent', 'resource']),
  uniqueGroupDisplayName: isBoolean,
};

const checkSettings = objectOf(SETTINGS, 'a tenant setting');

/**
 * Checks a tenant's settings as they are given: known keys, values of their type. The names inside
 * `patchTolerances` are checked by the server, which knows the tolerances.
 *
 * @throws ConfigurationError naming the tenant and the key.
 */
export function checkTenantSettings(settings: unknown, tenantId?: string): void {
  checkSettings(settings, 'settings', tenantId);
}
