/** Deepest nesting compared; SCIM values are at most three levels deep, so anything deeper differs. */
const MAX_DEPTH = 16;

/**
 * Whether writing `b` over `a` would leave the stored JSON as it is: structural equality (objects
 * compared by own keys, arrays by position, strings exactly). PATCH uses it only to skip writes that
 * change nothing; whether two values are the same SCIM value (case, instants, order) is
 * `attributeValueEquals`, a different question: a replace that changes only the case of a
 * case-insensitive value still writes the new spelling.
 *
 * Values nested deeper than a fixed bound are reported unequal rather than walked, so a hostile body
 * cannot exhaust the stack.
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
