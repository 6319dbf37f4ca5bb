import { DEFAULT_PATCH_TOLERANCES } from '../patch/patch-tolerances.js';
import type { FilterLimits } from '../query/filter-limits.js';
import {
  arrayOf,
  type Check,
  either,
  fail,
  integerAtLeast,
  isBoolean,
  isFunction,
  isString,
  numberAbove,
  objectOf,
  oneOf,
  recordOf,
  withMethods,
} from '../tenant/config-check.js';
import { ConfigurationError } from '../tenant/configuration-error.js';
import type { ScimOperationHandlerOptions } from './handler-options.js';

/** Option names that were renamed, with their new names: a configuration using the old name fails instead of being ignored. */
const RENAMED: Readonly<Record<string, string>> = { maxResults: 'maxPageSize', defaultCount: 'defaultPageSize' };

/** The PATCH tolerances by name, each `true` or `false`. */
export const PATCH_TOLERANCE_CHECKS: Readonly<Record<string, Check>> = Object.fromEntries(
  Object.keys(DEFAULT_PATCH_TOLERANCES).map((name) => [name, isBoolean]),
);

const FILTER_LIMITS: { readonly [K in keyof Required<FilterLimits>]: Check } = {
  maxLength: integerAtLeast(1),
  maxDepth: integerAtLeast(1),
};

const SINK = withMethods('an audit sink', ['emit']);
const SINKS = either(SINK, arrayOf(SINK, 'audit sinks'), 'an audit sink or an array of them');

/** A cursor secret: a string or bytes, at least 16 bytes of key, so that cursors cannot be forged by guessing it. */
const cursorSecret: Check = (value, key, tenantId) => {
  const bytes = typeof value === 'string' ? new TextEncoder().encode(value).byteLength : value instanceof Uint8Array ? value.byteLength : -1;
  if (bytes < 16) fail(key, 'a string or Uint8Array of at least 16 bytes', value, tenantId);
};

/** Every option of the operation handler and how its value is checked; an option added to the type must be added here. */
export const HANDLER_OPTION_CHECKS: { readonly [K in keyof Required<ScimOperationHandlerOptions>]: Check } = {
  storage: withMethods('a StorageProvider', ['create', 'get', 'replace', 'delete', 'query', 'count', 'updateMembers', 'dropTenant']),
  schemas: withMethods('a SchemaRegistry', ['resourceSchema', 'resourceType', 'resourceTypes', 'model']),
  providers: recordOf(withMethods('a ResourceProvider', ['create', 'get', 'replace', 'patch', 'delete', 'list']), 'ResourceProviders by resource type name'),
  maxPageSize: integerAtLeast(1),
  defaultPageSize: integerAtLeast(0),
  maxPayloadBytes: integerAtLeast(1),
  maxResponseBytes: integerAtLeast(1),
  timeSliceMs: numberAbove(0),
  maxBulkOperations: integerAtLeast(0),
  maxBodyDepth: integerAtLeast(1),
  filterLimits: objectOf(FILTER_LIMITS, 'a filter limit'),
  patchTolerances: objectOf(PATCH_TOLERANCE_CHECKS, 'a PATCH tolerance'),
  groupPatchResponse: oneOf(['noContent', 'resource']),
  cursorSecret,
  cursorTimeoutSeconds: integerAtLeast(1),
  rateLimiter: withMethods('a RateLimiter', ['consume']),
  passwordHasher: withMethods('a PasswordHasher', ['hash', 'verify']),
  audit: SINKS,
  operatorAudit: SINKS,
  onError: isFunction,
  documentationUri: isString(),
  now: isFunction,
};

/**
 * Checks the options of a {@link ScimOperationHandler} (or, with `extra`, of a server that adds its
 * own) as they are given: every key an option, every value of its type, no contradiction.
 *
 * @throws ConfigurationError naming the option (`maxPagesize is not an option; did you mean maxPageSize?`).
 */
export function checkHandlerOptions(options: unknown, extra: Readonly<Record<string, Check>> = {}): asserts options is ScimOperationHandlerOptions {
  if (options === undefined) return;
  if (typeof options === 'object' && options !== null) {
    for (const [old, now] of Object.entries(RENAMED)) {
      if (Object.hasOwn(options, old)) throw new ConfigurationError(old, `is now called ${now}`);
    }
  }
  objectOf({ ...HANDLER_OPTION_CHECKS, ...extra }, 'an option')(options, '', undefined);
  const { maxPageSize, defaultPageSize } = options as ScimOperationHandlerOptions;
  if (defaultPageSize !== undefined && defaultPageSize > (maxPageSize ?? 200)) {
    throw new ConfigurationError(
      'defaultPageSize',
      `(${defaultPageSize}) is more than maxPageSize (${maxPageSize ?? '200, the default'}); a default page cannot be larger than any page`,
    );
  }
}
