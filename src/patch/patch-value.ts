import { ScimError } from '../error/scim-error.js';
import type { AttributeDefinition, ScimObject } from '../schema/types.js';
import { isObject } from '../schema/json-object.js';
import type { PatchTolerances } from './patch-tolerances.js';

/** A complex value with canonical sub-attribute names, and the sub-attributes it asks to clear. */
export interface NormalizedComplex {
  /** Sub-attributes to write, under their canonical names. */
  readonly value: ScimObject;
  /** Canonical names of sub-attributes sent as `null` or `""` (with `emptyValueClears`): to unassign. */
  readonly cleared: readonly string[];
}

const NONE: readonly string[] = [];

/** The sub-attribute of `parent` named `name`, case-insensitively. */
export function findSubAttribute(parent: AttributeDefinition, name: string): AttributeDefinition | undefined {
  const subs = parent.subAttributes;
  if (!subs) return undefined;
  for (const s of subs) if (s.name === name) return s;
  const lower = name.toLowerCase();
  for (const s of subs) if (s.name.toLowerCase() === lower) return s;
  return undefined;
}

/**
 * A scalar value for attribute `def`, as it will be written: `"True"`/`"False"` become booleans for a
 * boolean attribute when `booleanStrings` is on. Objects and arrays are 400 `invalidValue`; other type
 * checks are left to schema validation.
 */
export function normalizeScalar(def: AttributeDefinition, value: unknown, tolerances: PatchTolerances, label: string): unknown {
  if (typeof value === 'object' && value !== null) {
    throw ScimError.badRequest('invalidValue', `"${label}" takes a single ${def.type} value, not ${Array.isArray(value) ? 'an array' : 'an object'}`);
  }
  if (def.type === 'boolean' && typeof value === 'string' && tolerances.booleanStrings) {
    const lower = value.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
  }
  return value;
}

/**
 * A value for the complex attribute `def` (a single-valued attribute, or one element of a
 * multi-valued one) with canonical sub-attribute names.
 *
 * - A bare string becomes `{ value: ... }` when `def` has a `value` sub-attribute and
 *   `bareStringComplex` is on; a one-element array is unwrapped for a single-valued `def` when
 *   `singleElementArray` is on. Anything else that is not an object is 400 `invalidValue`.
 * - Sub-attributes the schema does not define are skipped with `unknownValueKeys`, as POST and PUT
 *   skip them (without it, 400 `invalidValue`); read-only sub-attributes are ignored, as
 *   RFC 7644 §3.5.1 says for values the client cannot set.
 * - `"$ref": null` is dropped with `nullReference`; other `null` or `""` sub-attributes are listed
 *   in `cleared` with `emptyValueClears`. Without the tolerance, `null` is 400 `invalidValue`.
 */
export function normalizeComplex(def: AttributeDefinition, raw: unknown, tolerances: PatchTolerances, label: string): NormalizedComplex {
  let value = raw;
  if (Array.isArray(value) && !def.multiValued && value.length === 1 && tolerances.singleElementArray) value = value[0];
  if (typeof value === 'string' && tolerances.bareStringComplex && findSubAttribute(def, 'value')) {
    return { value: { value }, cleared: NONE };
  }
  if (!isObject(value)) {
    throw ScimError.badRequest('invalidValue', `"${label}" is complex: its value must be an object of sub-attributes`);
  }
  const out: ScimObject = {};
  let cleared: string[] | undefined;
  for (const key of Object.keys(value)) {
    const sub = findSubAttribute(def, key);
    if (!sub) {
      if (tolerances.unknownValueKeys) continue;
      throw ScimError.badRequest('invalidValue', `"${label}" has no sub-attribute "${key.slice(0, 100)}"`);
    }
    if (sub.mutability === 'readOnly') continue;
    const v = value[key];
    if (v === undefined) continue;
    if (v === null || v === '') {
      if (v === null && sub.name === '$ref') {
        if (tolerances.nullReference) continue;
        throw ScimError.badRequest('invalidValue', `"${label}.$ref" must be a URI, not null`);
      }
      if (tolerances.emptyValueClears) {
        (cleared ??= []).push(sub.name);
        continue;
      }
      if (v === null) throw ScimError.badRequest('invalidValue', `"${label}.${sub.name}" must not be null; use "remove" to clear it`);
    }
    out[sub.name] = normalizeScalar(sub, v, tolerances, `${label}.${sub.name}`);
  }
  return { value: out, cleared: cleared ?? NONE };
}

/** True for `true`, and, when `booleanStrings` is on, for the string `"true"` in any case. */
export function isTrue(value: unknown, booleanStrings: boolean): boolean {
  return value === true || (booleanStrings && typeof value === 'string' && value.length === 4 && value.toLowerCase() === 'true');
}
