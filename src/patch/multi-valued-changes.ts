import { ScimError } from '../error/scim-error.js';
import type { AttributeDefinition, ScimObject } from '../schema/types.js';
import { attributeValueEquals, isUnassigned } from '../schema/attribute-value-equals.js';
import { isObject } from '../schema/json-object.js';
import { ElementIndex } from './element-index.js';
import type { PatchDraft } from './patch-draft.js';
import { invalidValue, mutability } from './patch-errors.js';
import type { AttributeTarget } from './patch-target.js';
import { findSubAttribute, isTrue, normalizeComplex, normalizeScalar } from './patch-value.js';
import { enforcePrimary } from './primary-value.js';
import { jsonEqual } from './json-equal.js';

/** One element of multi-valued `a`, normalised; undefined when it carries nothing to write. */
export function normalizeElement(draft: PatchDraft, a: AttributeDefinition, item: unknown, label: string): unknown {
  if (a.type === 'complex') {
    const n = normalizeComplex(a, item, draft.tol, label);
    return n.value;
  }
  if (item === null) throw invalidValue(`"${label}" values must not be null`);
  return normalizeScalar(a, item, draft.tol, label);
}

/** The values of an `add` or `replace`, normalised, empty ones dropped, duplicates merged. */
function normalizeElements(draft: PatchDraft, a: AttributeDefinition, value: unknown, label: string): unknown[] {
  const list = Array.isArray(value) ? value : [value];
  const out: unknown[] = [];
  const index = new ElementIndex(a, out, list.length);
  for (const item of list) {
    if (item === null && draft.tol.emptyValueClears) continue;
    const el = normalizeElement(draft, a, item, label);
    if (isObject(el) && Object.keys(el).length === 0) continue;
    const dup = index.indexOf(el);
    if (dup < 0) index.push(el);
    else if (isObject(el) && isObject(out[dup])) out[dup] = { ...(out[dup] as ScimObject), ...el };
  }
  return out;
}

/** Writes `arr` (unowned or owned) as the attribute's values; an empty array unassigns it. */
export function writeArray(draft: PatchDraft, target: AttributeTarget, arr: unknown[]): void {
  const a = target.attribute;
  const old = draft.readHolder(target.uri)?.[a.name];
  if (arr.length === 0) {
    if (a.required) throw mutability(`"${target.label}" is required and cannot be unassigned`);
    if (a.mutability === 'immutable' && !isUnassigned(old)) throw mutability(`"${target.label}" is immutable and cannot be removed`);
    const h = draft.writeHolder(target.uri);
    delete h[a.name];
    draft.tidyHolder(target.uri);
  } else {
    if (a.mutability === 'immutable' && !isUnassigned(old) && !attributeValueEquals(a, old, arr)) {
      throw mutability(`"${target.label}" is immutable and already has a value`);
    }
    draft.own(arr);
    draft.writeHolder(target.uri)[a.name] = arr;
  }
  draft.touch(target.label);
}

/** True when `x` and `y` are the same value of sub-attribute `key` of `a` (SCIM attribute equality). */
function sameSubValue(a: AttributeDefinition, key: string, x: unknown, y: unknown): boolean {
  const sub = findSubAttribute(a, key);
  return sub ? attributeValueEquals(sub, x, y) : jsonEqual(x, y);
}

/** `add` to a multi-valued attribute: append values not already present (RFC 7644 §3.5.2.1). */
export function addValues(draft: PatchDraft, target: AttributeTarget, value: unknown): void {
  const a = target.attribute;
  const incoming = normalizeElements(draft, a, value, target.label);
  if (incoming.length === 0) return;
  const old = draft.readHolder(target.uri)?.[a.name];
  const arr = Array.isArray(old) ? old.slice() : [];
  const index = new ElementIndex(a, arr, incoming.length);
  const written: number[] = [];
  for (const el of incoming) {
    const i = index.indexOf(el);
    if (i < 0) {
      if (isObject(el)) draft.own(el);
      written.push(index.push(el));
      continue;
    }
    const existing = arr[i];
    if (!isObject(el) || !isObject(existing)) continue;
    // Already present (RFC 7644 §3.5.2.1) when every sub-attribute sent is the same SCIM value as
    // stored; the value that identified the element stays as stored (it may differ only in case).
    const diff = Object.keys(el).filter((k) => k !== 'value' && !sameSubValue(a, k, existing[k], el[k]));
    if (diff.length === 0) continue;
    for (const k of diff) {
      const sub = findSubAttribute(a, k);
      if (sub?.mutability === 'immutable' && !isUnassigned(existing[k])) {
        throw mutability(`"${a.name}.${k}" is immutable and already has a value`);
      }
    }
    draft.own(arr);
    const merged = draft.writableElement(arr, i);
    for (const k of diff) merged[k] = el[k];
    written.push(i);
  }
  if (written.length === 0) return;
  draft.own(arr);
  enforcePrimary(draft, target, arr, written);
  writeArray(draft, target, arr);
}

/** `replace` of a whole multi-valued attribute. */
export function replaceValues(draft: PatchDraft, target: AttributeTarget, value: unknown): void {
  const a = target.attribute;
  const incoming = normalizeElements(draft, a, value, target.label);
  const old = draft.readHolder(target.uri)?.[a.name];
  if (incoming.length === 0) {
    if (isUnassigned(old)) return;
    writeArray(draft, target, incoming);
    return;
  }
  const arr = draft.ownArray(incoming);
  for (const el of arr) if (isObject(el)) draft.own(el);
  enforcePrimary(
    draft,
    target,
    arr,
    arr.map((_, i) => i),
  );
  if (jsonEqual(old, arr)) return;
  writeArray(draft, target, arr);
}

/** `emails.display` without a filter: the sub-attribute of every element. */
export function setSubOnEvery(draft: PatchDraft, target: AttributeTarget, sub: AttributeDefinition, value: unknown): void {
  const a = target.attribute;
  const old = draft.readHolder(target.uri)?.[a.name];
  if (!Array.isArray(old) || old.length === 0) {
    throw ScimError.badRequest('noTarget', `"${a.name}" has no values whose "${sub.name}" could be set`);
  }
  setSubAt(
    draft,
    target,
    sub,
    value,
    old,
    old.map((_, i) => i),
  );
}

/** Sets `sub` to `value` on the elements at `indices`. */
export function setSubAt(
  draft: PatchDraft,
  target: AttributeTarget,
  sub: AttributeDefinition,
  value: unknown,
  old: readonly unknown[],
  indices: readonly number[],
): void {
  const a = target.attribute;
  const v = normalizeScalar(sub, value, draft.tol, `${a.name}.${sub.name}`);
  let arr: unknown[] | undefined;
  for (const i of indices) {
    const el = (arr ?? old)[i];
    const before = isObject(el) ? el[sub.name] : undefined;
    if (before !== undefined && before === v) continue;
    if (sub.mutability === 'immutable' && !isUnassigned(before) && !attributeValueEquals(sub, before, v)) {
      throw mutability(`"${a.name}.${sub.name}" is immutable and already has a value`);
    }
    arr ??= draft.ownArray(old.slice());
    draft.writableElement(arr, i)[sub.name] = v;
  }
  if (!arr) return;
  if (sub.name === 'primary' && isTrue(v, draft.tol.booleanStrings)) enforcePrimary(draft, target, arr, indices);
  writeArray(draft, target, arr);
}
