import { equalsFolded } from '../query/string-match.js';
import { simpleValueKey, singleValueEquals } from '../schema/attribute-value-equals.js';
import { isObject } from '../schema/json-object.js';
import type { AttributeDefinition } from '../schema/types.js';
import { findSubAttribute } from './patch-value.js';

/**
 * Below this many list elements times lookups a linear search is cheaper than building a hash
 * index (which folds the case of every element's value once).
 */
const INDEX_THRESHOLD = 256;

/**
 * A test for "the same value as `el`" in the multi-valued attribute `a`, in SCIM attribute equality
 * (`attributeValueEquals`: `caseExact`, `dateTime` instants, exact `binary`): complex values that
 * have a `value` sub-attribute are identified by it alone; other values compare whole, complex ones
 * sub-attribute by sub-attribute.
 */
export function sameElementAs(a: AttributeDefinition, el: unknown): (other: unknown) => boolean {
  const valueDef = a.type === 'complex' ? findSubAttribute(a, 'value') : undefined;
  if (valueDef && isObject(el) && el.value !== undefined) {
    const v = el.value;
    if (typeof v === 'string' && !valueDef.caseExact && valueDef.type !== 'binary' && valueDef.type !== 'dateTime') {
      const lower = v.toLowerCase();
      return (other) => isObject(other) && typeof other.value === 'string' && equalsFolded(other.value, lower);
    }
    return (other) => isObject(other) && other.value !== undefined && singleValueEquals(valueDef, other.value, v);
  }
  return (other) => singleValueEquals(a, other, el);
}

/**
 * A hash key that equal elements (in the sense of {@link sameElementAs}) share, or undefined when
 * the element is identified by something other than a string, number or boolean.
 */
export function elementKey(a: AttributeDefinition, el: unknown): string | undefined {
  if (a.type !== 'complex') return simpleValueKey(a, el);
  const def = findSubAttribute(a, 'value');
  if (!def || !isObject(el) || el.value === undefined) return undefined;
  return simpleValueKey(def, el.value);
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
