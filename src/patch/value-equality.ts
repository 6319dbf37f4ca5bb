import type { AttributeDefinition } from '../schema/types.js';

/** Deepest nesting compared; SCIM values are at most three levels deep, so anything deeper differs. */
const MAX_DEPTH = 16;

/**
 * Structural equality of JSON values (objects compared by own keys, arrays by position). Values
 * nested deeper than a fixed bound are reported unequal rather than walked, so a hostile body cannot
 * exhaust the stack.
 */
export function jsonEqual(a: unknown, b: unknown, depth = 0): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (depth >= MAX_DEPTH) return false;
  const aArr = Array.isArray(a);
  if (aArr !== Array.isArray(b)) return false;
  if (aArr) {
    const x = a as unknown[];
    const y = b as unknown[];
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!jsonEqual(x[i], y[i], depth + 1)) return false;
    return true;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = Object.keys(x);
  if (keys.length !== Object.keys(y).length) return false;
  for (const k of keys) {
    if (!Object.hasOwn(y, k)) return false;
    if (!jsonEqual(x[k], y[k], depth + 1)) return false;
  }
  return true;
}

/**
 * True when two values of attribute `def` denote the same value: strings compared as the
 * attribute's `caseExact` says, everything else structurally.
 */
export function sameValue(def: AttributeDefinition | undefined, a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'string' && typeof b === 'string') {
    return def !== undefined && !def.caseExact && a.length === b.length && a.toLowerCase() === b.toLowerCase();
  }
  return jsonEqual(a, b);
}

/** True for `true`, and, when `booleanStrings` is on, for the string `"true"` in any case. */
export function isTrue(value: unknown, booleanStrings: boolean): boolean {
  return value === true || (booleanStrings && typeof value === 'string' && value.length === 4 && value.toLowerCase() === 'true');
}

/** True when `value` holds something: not `undefined`, not `null`, not an empty array. */
export function isAssigned(value: unknown): boolean {
  return value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0);
}
