import { ScimError } from '../../error/scim-error.js';

/** Deepest nesting of objects and arrays a stored resource may have. SCIM resources need about 4. */
export const MAX_NESTING = 32;

/**
 * A deep copy of JSON-like data in which every object and array is frozen, so a stored value can be
 * handed out without letting the caller (or the original owner of `value`) change it.
 *
 * Keeps strings, finite numbers, booleans and `null`; a `Date` becomes its ISO string; properties
 * whose value is `undefined`, a function or a symbol are dropped (as `JSON.stringify` does). An own
 * `__proto__` key is copied as data, never as a prototype. Nesting deeper than {@link MAX_NESTING}
 * (including a cycle) is a 400 `invalidValue`, not a stack overflow.
 */
export function frozenCopy(value: unknown, depth = 0): unknown {
  if (value === null) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw ScimError.badRequest('invalidValue', 'A number in the resource is not finite');
      return value;
    case 'object':
      break;
    case 'bigint':
      throw ScimError.badRequest('invalidValue', 'A number in the resource is not a JSON number');
    default:
      return undefined;
  }
  if (depth >= MAX_NESTING) throw ScimError.badRequest('invalidValue', 'The resource is nested too deeply');
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const item of value) {
      const copied = frozenCopy(item, depth + 1);
      out.push(copied === undefined ? null : copied);
    }
    return Object.freeze(out);
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const copied = frozenCopy((value as Record<string, unknown>)[key], depth + 1);
    if (copied !== undefined) setOwn(out, key, copied);
  }
  return Object.freeze(out);
}

/** Sets `target[key] = value` as an own data property, `__proto__` included. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}
