import { ConfigurationError } from './configuration-error.js';
import { nearestName } from './nearest-name.js';

/**
 * Small checks that configuration objects are built from. A check receives the value, the key it
 * was given under (a path such as `permissions.rateLimit.burst`) and the tenant, and throws a
 * {@link ConfigurationError} naming them when the value is not what the key takes.
 */
export type Check = (value: unknown, key: string, tenantId: string | undefined) => void;

/** What a value is, for an error message: `"false" (a string)`, `-1`, `an array`. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return `${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)} (a string)`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'function') return 'a function';
  return typeof value === 'object' ? 'an object' : typeof value;
}

/** Throws the error for a value that is not what its key takes: `<key> must be <expected>, not <value>`. */
export function fail(key: string, expected: string, value: unknown, tenantId: string | undefined): never {
  throw new ConfigurationError(key, `must be ${expected}, not ${describeValue(value)}`, tenantId);
}

/** True or false. */
export const isBoolean: Check = (value, key, tenantId) => {
  if (typeof value !== 'boolean') fail(key, 'true or false', value, tenantId);
};

/** A whole number of at least `min`. */
export function integerAtLeast(min: number): Check {
  return (value, key, tenantId) => {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) fail(key, `a whole number of at least ${min}`, value, tenantId);
  };
}

/** A finite number above `min` (or at least `min` when `inclusive`). */
export function numberAbove(min: number, inclusive = false): Check {
  return (value, key, tenantId) => {
    const ok = typeof value === 'number' && Number.isFinite(value) && (inclusive ? value >= min : value > min);
    if (!ok) fail(key, `a finite number ${inclusive ? 'of at least' : 'above'} ${min}`, value, tenantId);
  };
}

/** A string, non-empty unless `allowEmpty`. */
export function isString(allowEmpty = false): Check {
  return (value, key, tenantId) => {
    if (typeof value !== 'string' || (!allowEmpty && value.length === 0)) fail(key, allowEmpty ? 'a string' : 'a non-empty string', value, tenantId);
  };
}

/** One of `values`. */
export function oneOf(values: readonly string[]): Check {
  return (value, key, tenantId) => {
    if (typeof value !== 'string' || !values.includes(value)) fail(key, `one of ${values.map((v) => JSON.stringify(v)).join(', ')}`, value, tenantId);
  };
}

/** A function. */
export const isFunction: Check = (value, key, tenantId) => {
  if (typeof value !== 'function') fail(key, 'a function', value, tenantId);
};

/** An object with the methods `methods`. */
export function withMethods(what: string, methods: readonly string[]): Check {
  return (value, key, tenantId) => {
    const missing = methods.filter((m) => typeof (value as Record<string, unknown> | null)?.[m] !== 'function');
    if (typeof value !== 'object' || value === null || missing.length > 0) {
      fail(key, `${what} (an object with ${methods.map((m) => `${m}()`).join(', ')})`, value, tenantId);
    }
  };
}

/** A plain object (not an array, a class instance's prototype chain is allowed). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An array whose every element passes `each`. */
export function arrayOf(each: Check, what: string): Check {
  return (value, key, tenantId) => {
    if (!Array.isArray(value)) fail(key, `an array of ${what}`, value, tenantId);
    value.forEach((element, i) => {
      each(element, `${key}[${i}]`, tenantId);
    });
  };
}

/** An object whose every value passes `each`, under keys of any name. */
export function recordOf(each: Check, what: string): Check {
  return (value, key, tenantId) => {
    if (!isPlainObject(value)) fail(key, `an object of ${what}`, value, tenantId);
    for (const [name, v] of Object.entries(value)) each(v, `${key}.${name}`, tenantId);
  };
}

/** The error a check throws for a value, or undefined when it passes. */
function errorOf(check: Check, value: unknown, key: string, tenantId: string | undefined): ConfigurationError | undefined {
  try {
    check(value, key, tenantId);
    return undefined;
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
}

/**
 * Either check: the value passes `first` or `second`. When it passes neither, the error of the one
 * that got further (one about a key inside the value, such as `tokens[0].lable`) is thrown, else
 * `<key> must be <expected>`.
 */
export function either(first: Check, second: Check, expected: string): Check {
  return (value, key, tenantId) => {
    const a = errorOf(first, value, key, tenantId);
    if (!a) return;
    const b = errorOf(second, value, key, tenantId);
    if (!b) return;
    const deeper = [b, a].find((e) => e.key !== key);
    if (deeper) throw deeper;
    fail(key, expected, value, tenantId);
  };
}

/**
 * An object whose keys are those of `shape`, each checked by its entry; a key the shape does not
 * have is an error naming the nearest known key. Keys whose value is `undefined` count as absent.
 * `noun` names what a key is, for the message: `is not a permission`.
 */
export function objectOf(shape: Readonly<Record<string, Check>>, noun: string): Check {
  const known = Object.keys(shape);
  return (value, key, tenantId) => {
    if (!isPlainObject(value)) fail(key, 'an object', value, tenantId);
    for (const [name, v] of Object.entries(value)) {
      const path = key === '' ? name : `${key}.${name}`;
      const check = Object.hasOwn(shape, name) ? shape[name] : undefined;
      if (!check) throw new ConfigurationError(path, unknownKeyProblem(name, known, noun), tenantId);
      if (v !== undefined) check(v, path, tenantId);
    }
  };
}

/** `is not a permission; did you mean canDelete?`, or the list of known keys when none is close. */
export function unknownKeyProblem(name: string, known: readonly string[], noun: string): string {
  const nearest = nearestName(name, known);
  if (nearest !== undefined) return `is not ${noun}; did you mean ${nearest}?`;
  return `is not ${noun} (known: ${known.join(', ')})`;
}
