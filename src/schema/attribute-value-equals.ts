import type { AttributeDefinition } from './types.js';
import { isObject } from './json-object.js';

function findSub(attr: AttributeDefinition, key: string): AttributeDefinition | undefined {
  const lower = key.toLowerCase();
  return attr.subAttributes?.find((s) => s.name.toLowerCase() === lower);
}

function singleEquals(attr: AttributeDefinition, a: unknown, b: unknown): boolean {
  if (attr.type === 'complex') {
    if (!isObject(a) || !isObject(b)) return a === b;
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) {
      const sub = findSub(attr, key);
      const x = a[key] ?? undefined;
      const y = b[key] ?? undefined;
      if (!sub) {
        if (x !== y) return false;
      } else if (!attributeValueEquals(sub, x, y)) {
        return false;
      }
    }
    return true;
  }
  if (typeof a === 'string' && typeof b === 'string') {
    if (attr.caseExact || attr.type === 'binary') return a === b;
    if (attr.type === 'dateTime') {
      const ta = Date.parse(a);
      const tb = Date.parse(b);
      return Number.isNaN(ta) || Number.isNaN(tb) ? a === b : ta === tb;
    }
    return a.toLowerCase() === b.toLowerCase();
  }
  return a === b;
}

/** Above this many values, multi-valued attributes are compared in order (keeps the cost linear). */
const SET_COMPARE_LIMIT = 256;

function isUnassigned(value: unknown): boolean {
  return value === undefined || value === null || (Array.isArray(value) && value.length === 0);
}

/**
 * Compares two values of one attribute as SCIM does: strings case-insensitively unless the
 * attribute is `caseExact`, `dateTime` values as instants, complex values sub-attribute by
 * sub-attribute, multi-valued attributes as sets (order does not matter; beyond 256 values, in order). `null`, absent and `[]`
 * are all "unassigned" and equal to each other.
 */
export function attributeValueEquals(attr: AttributeDefinition, a: unknown, b: unknown): boolean {
  if (isUnassigned(a) || isUnassigned(b)) return isUnassigned(a) && isUnassigned(b);
  if (!attr.multiValued) return singleEquals(attr, a, b);
  if (!Array.isArray(a) || !Array.isArray(b)) return false;
  if (a.length !== b.length) return false;
  if (a.length > SET_COMPARE_LIMIT) return a.every((x, i) => singleEquals(attr, x, b[i]));
  const used = new Array<boolean>(b.length).fill(false);
  outer: for (const x of a) {
    for (let i = 0; i < b.length; i++) {
      if (!used[i] && singleEquals(attr, x, b[i])) {
        used[i] = true;
        continue outer;
      }
    }
    return false;
  }
  return true;
}
