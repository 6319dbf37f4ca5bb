import { type Check, fail, isPlainObject, isString, objectOf, oneOf } from '../../tenant/config-check.js';
import { ConfigurationError } from '../../tenant/configuration-error.js';
import type { IsolationLevel } from '../../tenant/isolation-level.js';
import { checkTenantPermissions } from '../../tenant/permissions-check.js';
import { checkTenantSettings } from '../../tenant/settings-check.js';
import type { TenantPermissions } from '../../tenant/tenant-permissions.js';
import type { TenantSettings } from '../../tenant/tenant-settings.js';

/** A tenant as {@link PostgresTenantRegistry.addTenant} takes it. Its first token is issued with it. */
export interface RegistryTenantDefinition {
  /** Tenant id. */
  id: string;
  /** Client id reported in audit events; defaults to the tenant id. */
  clientId?: string;
  /** Defaults to `standard`. Cannot be changed later: the tenant's data lives where it says. */
  isolationLevel?: IsolationLevel;
  /** Defaults to everything allowed, no quotas. */
  permissions?: TenantPermissions;
  /** Per-tenant server settings. */
  settings?: TenantSettings;
}

/** What {@link PostgresTenantRegistry.updateTenant} changes: each key given replaces the tenant's value. */
export interface RegistryTenantChanges {
  /** A new client id, or `null` for the tenant id. */
  clientId?: string | null;
  /** The tenant's permissions, replaced as a whole. */
  permissions?: TenantPermissions;
  /** The tenant's settings, replaced as a whole; `null` removes them. */
  settings?: TenantSettings | null;
}

const permissions: Check = (value, _key, tenantId) => checkTenantPermissions(value, tenantId);
const settings: Check = (value, _key, tenantId) => checkTenantSettings(value, tenantId);
const orNull =
  (check: Check): Check =>
  (value, key, tenantId) => {
    if (value !== null) check(value, key, tenantId);
  };

const DEFINITION: { readonly [K in keyof Required<RegistryTenantDefinition>]: Check } = {
  id: isString(),
  clientId: isString(),
  isolationLevel: oneOf(['strict', 'standard', 'shared']),
  permissions,
  settings,
};

const CHANGES: { readonly [K in keyof Required<RegistryTenantChanges>]: Check } = {
  clientId: orNull(isString()),
  permissions,
  settings: orNull(settings),
};

const checkDefinitionKeys = objectOf(DEFINITION, 'a key of a registry tenant');
const checkChangeKeys = objectOf(CHANGES, 'a key the registry can change');

/** Longest tenant id the registry takes (it names the tenant in URLs and logs). */
const MAX_ID_LENGTH = 200;

/** Refuses ids with characters no URL or log should carry: control characters and more than 200 characters. */
function checkId(id: unknown, where: string): asserts id is string {
  if (typeof id !== 'string' || id.length === 0) fail(where, 'a non-empty string', id, undefined);
  if (id.length > MAX_ID_LENGTH || /[\u0000-\u001f\u007f]/.test(id)) {
    throw new ConfigurationError(where, `must be at most ${MAX_ID_LENGTH} characters without control characters`, id);
  }
}

/**
 * Checks a tenant definition given to the registry: known keys, values of their type, permissions
 * and settings with the checks {@link StaticTenantResolver} applies.
 *
 * @throws ConfigurationError naming the tenant and the key.
 */
export function checkRegistryDefinition(definition: unknown): asserts definition is RegistryTenantDefinition {
  if (!isPlainObject(definition)) fail('tenant', 'a tenant definition (an object with an id)', definition, undefined);
  checkId(definition.id, 'id');
  checkDefinitionKeys(definition, '', definition.id);
}

/**
 * Checks changes given to the registry for tenant `id`.
 *
 * @throws ConfigurationError naming the tenant and the key (`isolationLevel` cannot be changed).
 */
export function checkRegistryChanges(id: string, changes: unknown): asserts changes is RegistryTenantChanges {
  checkId(id, 'id');
  if (isPlainObject(changes) && changes.isolationLevel !== undefined) {
    throw new ConfigurationError('isolationLevel', 'cannot be changed: the tenant’s data lives where its isolation level placed it', id);
  }
  checkChangeKeys(changes, '', id);
}

/** Checks a tenant id given to the registry. @throws ConfigurationError */
export function checkRegistryId(id: unknown): asserts id is string {
  checkId(id, 'id');
}
