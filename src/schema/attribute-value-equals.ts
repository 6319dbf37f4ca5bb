import { dateTimeKey } from './date-time.js';
import { isObject } from './json-object.js';
import type { AttributeDefinition } from './types.js';

/**
 * SCIM attribute equality: whether two values of one attribute denote the same value (RFC 7643
 * §2.2, §2.3). This is the one rule every layer uses to ask that question: PUT's immutability check,
 * PATCH's immutability checks, and PATCH's "already present" test when adding values (RFC 7644
 * §3.5.2.1).
 *
 * - Strings compare case-insensitively unless the attribute is `caseExact`; `binary` values compare
 *   exactly (base64 is case-sensitive).
 * - `dateTime` values compare as instants (`2015-04-26T03:00:00+02:00` equals
 *   `2015-04-26T01:00:00.000Z`), with the same reading as filters; text that is not a dateTime
 *   compares exactly.
 * - Complex values compare sub-attribute by sub-attribute; `null`, absent and `[]` are all
 *   unassigned and equal to each other.
 * - Multi-valued attributes compare as multisets: the order of their values never matters.
 */

/** Above this many values without a hash key, multi-valued attributes are compared in order (keeps the cost bounded). */
const SET_COMPARE_LIMIT = 256;

/** Unassigned in the sense of RFC 7643 §2.5 as stored: `undefined`, `null` or an empty array. */
export function isUnassigned(value: unknown): boolean {
  return value === undefined || value === null || (Array.isArray(value) && value.length === 0);
}

function findSub(attr: AttributeDefinition, key: string): AttributeDefinition | undefined {
  const subs = attr.subAttributes;
  if (!subs) return undefined;
  for (const s of subs) if (s.name === key) return s;
  const lower = key.toLowerCase();
  return subs.find((s) => s.name.toLowerCase() === lower);
}

function stringEquals(attr: AttributeDefinition, a: string, b: string): boolean {
  if (a === b) return true;
  if (attr.type === 'dateTime') {
    const ka = dateTimeKey(a);
    return ka !== undefined && ka === dateTimeKey(b);
  }
  if (attr.caseExact || attr.type === 'binary') return false;
  return a.toLowerCase() === b.toLowerCase();
}

function complexEquals(attr: AttributeDefinition, a: unknown, b: unknown): boolean {
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

/**
 * True when `a` and `b` are the same value of `attr` taken as single-valued: for a multi-valued
 * attribute, two of its elements. See the rules above.
 */
export function singleValueEquals(attr: AttributeDefinition, a: unknown, b: unknown): boolean {
  if (attr.type === 'complex') return complexEquals(attr, a, b);
  if (typeof a === 'string' && typeof b === 'string') return stringEquals(attr, a, b);
  return a === b;
}

/**
 * A string that two simple values of `attr` share exactly when {@link singleValueEquals} finds them
 * equal, for hashing; undefined for anything but a string, number or boolean.
 */
export function simpleValueKey(attr: AttributeDefinition, value: unknown): string | undefined {
  if (typeof value === 'string') {
    if (attr.type === 'dateTime') {
      const key = dateTimeKey(value);
      if (key !== undefined) return `d${key}`;
      return `s${value}`;
    }
    return attr.caseExact || attr.type === 'binary' ? `s${value}` : `s${value.toLowerCase()}`;
  }
  if (typeof value === 'number') return `n${value}`;
  if (typeof value === 'boolean') return `b${value}`;
  return undefined;
}

/**
 * A hash key for one element of `attr`, or undefined. A complex element's key lists its assigned
 * keys as written (as {@link singleValueEquals} pairs them) with each value's key under its
 * sub-attribute, length-prefixed so that no two lists run together the same; a sub-attribute the
 * schema lacks, or a value that is not a string, number or boolean, leaves the element without a key.
 */
function elementKey(attr: AttributeDefinition, value: unknown): string | undefined {
  if (attr.type !== 'complex') return simpleValueKey(attr, value);
  if (!isObject(value)) return undefined;
  const parts: string[] = [];
  for (const key of Object.keys(value)) {
    const v = value[key];
    if (isUnassigned(v)) continue;
    const sub = findSub(attr, key);
    const k = sub && !sub.multiValued ? simpleValueKey(sub, v) : undefined;
    if (k === undefined) return undefined;
    parts.push(`${key.length}:${key}${k.length}:${k}`);
  }
  return parts.sort().join('');
}

/** Multiset equality through hash keys; undefined when some value has no key. */
function keyedMultisetEquals(attr: AttributeDefinition, a: readonly unknown[], b: readonly unknown[]): boolean | undefined {
  const counts = new Map<string, number>();
  for (const x of a) {
    const k = elementKey(attr, x);
    if (k === undefined) return undefined;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const keys: string[] = [];
  for (const y of b) {
    const k = elementKey(attr, y);
    if (k === undefined) return undefined;
    keys.push(k);
  }
  for (const k of keys) {
    const n = counts.get(k);
    if (!n) return false;
    counts.set(k, n - 1);
  }
  return true;
}

/** Multiset equality by pairwise comparison, for values without hash keys. */
function pairedMultisetEquals(attr: AttributeDefinition, a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length > SET_COMPARE_LIMIT) return a.every((x, i) => singleValueEquals(attr, x, b[i]));
  const used = new Array<boolean>(b.length).fill(false);
  outer: for (const x of a) {
    for (let i = 0; i < b.length; i++) {
      if (!used[i] && singleValueEquals(attr, x, b[i])) {
        used[i] = true;
        continue outer;
      }
    }
    return false;
  }
  return true;
}

/**
 * Compares two values of one attribute as SCIM does: strings case-insensitively unless the
 * attribute is `caseExact` (`binary` always exactly), `dateTime` values as instants, complex values
 * sub-attribute by sub-attribute, multi-valued attributes as multisets (order does not matter).
 * `null`, absent and `[]` are all "unassigned" and equal to each other.
 *
 * Multi-valued values are matched through hash keys, in time linear in their length; only values
 * with no key (sub-attributes the schema does not define, or nested structures) are compared pairwise,
 * and beyond 256 such values, in order.
 */
export function attributeValueEquals(attr: AttributeDefinition, a: unknown, b: unknown): boolean {
  if (isUnassigned(a) || isUnassigned(b)) return isUnassigned(a) && isUnassigned(b);
  if (!attr.multiValued) return singleValueEquals(attr, a, b);
  if (!Array.isArray(a) || !Array.isArray(b)) return false;
  if (a.length !== b.length) return false;
  return keyedMultisetEquals(attr, a, b) ?? pairedMultisetEquals(attr, a, b);
}
