import { type Check, fail, integerAtLeast, isBoolean, numberAbove, objectOf, recordOf } from './config-check.js';
import type { RateLimit } from './rate-limiter.js';
import type { TenantPermissions } from './tenant-permissions.js';

/** A `Date` that holds a time, or a string `Date.parse` reads. */
const instant: Check = (value, key, tenantId) => {
  const ok = value instanceof Date ? !Number.isNaN(value.getTime()) : typeof value === 'string' && !Number.isNaN(Date.parse(value));
  if (!ok) fail(key, 'a Date or an ISO 8601 date-time string', value, tenantId);
};

const RATE_LIMIT: { readonly [K in keyof Required<RateLimit>]: Check } = {
  requestsPerSecond: numberAbove(0),
  // A request costs one token: a bucket that holds less than one could never admit any.
  burst: numberAbove(1, true),
};

const COUNT = integerAtLeast(0);

/** Every permission and how its value is checked; a permission added to the type must be added here. */
const PERMISSIONS: { readonly [K in keyof Required<TenantPermissions>]: Check } = {
  canCreate: isBoolean,
  canRead: isBoolean,
  canUpdate: isBoolean,
  canReplace: isBoolean,
  canPatch: isBoolean,
  canDelete: isBoolean,
  canList: isBoolean,
  canBulk: isBoolean,
  readOnly: isBoolean,
  maxUsers: COUNT,
  maxGroups: COUNT,
  quotas: recordOf(COUNT, 'whole numbers of at least 0, by resource type name'),
  maxMembersPerGroup: COUNT,
  maxPageSize: integerAtLeast(1),
  maxBulkOperations: COUNT,
  maxPayloadBytes: integerAtLeast(1),
  maxResponseBytes: integerAtLeast(1),
  expiresAt: instant,
  rateLimit: objectOf(RATE_LIMIT, 'a rate limit setting'),
};

const checkPermissions = objectOf(PERMISSIONS, 'a permission');

/**
 * Checks a tenant's permissions as they are given: every key a permission, every value of its type
 * (flags `true` or `false`, quotas and limits whole numbers, `expiresAt` a readable instant,
 * `rateLimit.requestsPerSecond` above 0 and `burst` at least 1).
 *
 * @throws ConfigurationError naming the tenant and the key (`permissions.canDelet is not a
 *   permission; did you mean canDelete?`).
 */
export function checkTenantPermissions(permissions: unknown, tenantId?: string): void {
  checkPermissions(permissions, 'permissions', tenantId);
}
