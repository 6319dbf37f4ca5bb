import { equalsFolded } from '../query/string-match.js';
import type { AttributeDefinition } from '../schema/types.js';
import { isObject } from '../schema/json-object.js';
import { findSubAttribute } from './patch-value.js';
import { jsonEqual, sameValue } from './value-equality.js';

/**
 * Below this many list elements times lookups a linear search is cheaper than building a hash
 * index (which folds the case of every element's value once).
 */
const INDEX_THRESHOLD = 256;

/**
 * A test for "the same value as `el`" in the multi-valued attribute `a`: equal `value`
 * sub-attributes (as its `caseExact` says) for complex values that have one, else equal values.
 */
export function sameElementAs(a: AttributeDefinition, el: unknown): (other: unknown) => boolean {
  const valueDef = a.type === 'complex' ? findSubAttribute(a, 'value') : undefined;
  if (valueDef && isObject(el) && el.value !== undefined) {
    const v = el.value;
    if (typeof v === 'string' && !valueDef.caseExact) {
      const lower = v.toLowerCase();
      return (other) => isObject(other) && typeof other.value === 'string' && equalsFolded(other.value, lower);
    }
    return (other) => isObject(other) && other.value !== undefined && sameValue(valueDef, other.value, v);
  }
  if (a.type === 'complex') return (other) => jsonEqual(other, el);
  return (other) => sameValue(a, other, el);
}

/**
 * A hash key that equal elements (in the sense of {@link sameElementAs}) share, or undefined when
 * the element is identified by something other than a string, number or boolean.
 */
export function elementKey(a: AttributeDefinition, el: unknown): string | undefined {
  let def: AttributeDefinition | undefined;
  let v: unknown;
  if (a.type === 'complex') {
    def = findSubAttribute(a, 'value');
    if (!def || !isObject(el) || el.value === undefined) return undefined;
    v = el.value;
  } else {
    def = a;
    v = el;
  }
  if (typeof v === 'string') return `s${def.caseExact ? v : v.toLowerCase()}`;
  if (typeof v === 'number') return `n${v}`;
  if (typeof v === 'boolean') return `b${v}`;
  return undefined;
}

/**
 * Finds values of a multi-valued attribute that equal a given one, in time independent of the
 * list's length for keyed values (a hash index built on the first lookup in a long list), so adding
 * or removing a few values of a very long attribute does not cost a scan per value.
 */
export class ElementIndex {
  private map: Map<string, number> | undefined;
  private readonly list: unknown[];
  private readonly indexed: boolean;

  /**
   * Searches `list`; later additions must go through {@link ElementIndex.push}. `lookups` is how
   * many searches are expected: a hash index is built only when it pays for itself.
   */
  constructor(
    private readonly attribute: AttributeDefinition,
    list: unknown[],
    lookups: number,
  ) {
    this.list = list;
    this.indexed = lookups > 2 && (list.length + lookups) * lookups >= INDEX_THRESHOLD;
  }

  /** The index of a value equal to `el`, or -1. */
  indexOf(el: unknown): number {
    const list = this.list;
    const key = this.indexed ? elementKey(this.attribute, el) : undefined;
    if (key === undefined) {
      const same = sameElementAs(this.attribute, el);
      for (let i = 0; i < list.length; i++) if (same(list[i])) return i;
      return -1;
    }
    if (!this.map) {
      const map = new Map<string, number>();
      for (let i = 0; i < list.length; i++) {
        const k = elementKey(this.attribute, list[i]);
        if (k !== undefined && !map.has(k)) map.set(k, i);
      }
      this.map = map;
    }
    return this.map.get(key) ?? -1;
  }

  /** Appends `el` to the list and the index. */
  push(el: unknown): number {
    const i = this.list.push(el) - 1;
    if (this.map) {
      const k = elementKey(this.attribute, el);
      if (k !== undefined && !this.map.has(k)) this.map.set(k, i);
    }
    return i;
  }
}
