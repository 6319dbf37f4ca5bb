import type { AttributeDefinition } from '../schema/types.js';
import { isUnassigned } from '../schema/attribute-value-equals.js';
import { isObject } from '../schema/json-object.js';
import { elementKey, sameElementAs } from './element-index.js';
import { normalizeElement, writeArray } from './multi-valued-changes.js';
import type { PatchDraft } from './patch-draft.js';
import { invalidValue, mutability } from './patch-errors.js';
import type { AttributeTarget } from './patch-target.js';

/** `remove` of an attribute or sub-attribute named without a value filter. */
export function remove(draft: PatchDraft, target: AttributeTarget, value: unknown, hasValue: boolean): void {
  const a = target.attribute;
  const s = target.sub;
  const listed = hasValue && value !== null;
  if (listed) {
    if (!draft.tol.removeValueList) throw invalidValue(`"remove" takes no "value" (path "${target.label}")`);
    if (a.multiValued && !s) {
      removeListed(draft, target, value);
      return;
    }
    // A single-valued target: the value only repeats what is being removed.
  }
  const old = draft.readHolder(target.uri)?.[a.name];
  if (isUnassigned(old)) return;
  if (s) {
    if (a.multiValued) removeSubFromEvery(draft, target, s);
    else if (isObject(old) && old[s.name] !== undefined) removeSub(draft, target, s);
    return;
  }
  if (a.required) throw mutability(`"${target.label}" is required and cannot be removed`);
  if (a.mutability === 'immutable') throw mutability(`"${target.label}" is immutable and cannot be removed`);
  const h = draft.writeHolder(target.uri);
  delete h[a.name];
  draft.tidyHolder(target.uri);
  draft.touch(target.label);
}

/** Removes assigned sub-attribute `s` of a single-valued complex attribute. */
function removeSub(draft: PatchDraft, target: AttributeTarget, s: AttributeDefinition): void {
  const a = target.attribute;
  if (s.required) throw mutability(`"${target.label}" is required and cannot be removed`);
  if (s.mutability === 'immutable') throw mutability(`"${target.label}" is immutable and cannot be removed`);
  if (a.mutability === 'immutable') throw mutability(`"${a.name}" is immutable and cannot be changed`);
  const h = draft.writeHolder(target.uri);
  const obj = draft.writableChild(h, a.name);
  delete obj[s.name];
  if (Object.keys(obj).length === 0) {
    if (a.required) throw mutability(`"${a.name}" is required and cannot be unassigned`);
    delete h[a.name];
    draft.tidyHolder(target.uri);
  }
  draft.touch(target.label);
}

/** `remove` with a value list (tolerated): only the listed values go. */
function removeListed(draft: PatchDraft, target: AttributeTarget, value: unknown): void {
  const a = target.attribute;
  const list = Array.isArray(value) ? value : [value];
  const keys = new Set<string>();
  const tests: ((other: unknown) => boolean)[] = [];
  for (const item of list) {
    const el = normalizeElement(draft, a, item, target.label);
    const key = elementKey(a, el);
    if (key !== undefined) keys.add(key);
    else tests.push(sameElementAs(a, el));
  }
  const old = draft.readHolder(target.uri)?.[a.name];
  if (!Array.isArray(old) || old.length === 0) return;
  const kept = old.filter((el) => {
    const key = keys.size > 0 ? elementKey(a, el) : undefined;
    if (key !== undefined && keys.has(key)) return false;
    return !tests.some((same) => same(el));
  });
  if (kept.length === old.length) return;
  writeArray(draft, target, kept);
}

function removeSubFromEvery(draft: PatchDraft, target: AttributeTarget, sub: AttributeDefinition): void {
  const a = target.attribute;
  const old = draft.readHolder(target.uri)?.[a.name];
  if (!Array.isArray(old)) return;
  const indices: number[] = [];
  for (let i = 0; i < old.length; i++) {
    const el = old[i];
    if (isObject(el) && el[sub.name] !== undefined) indices.push(i);
  }
  if (indices.length === 0) return;
  removeSubAt(draft, target, sub, old, indices);
}

/** Removes `sub` from the elements at `indices`, dropping elements left empty. */
export function removeSubAt(draft: PatchDraft, target: AttributeTarget, sub: AttributeDefinition, old: unknown[], indices: readonly number[]): void {
  if (sub.required) throw mutability(`"${target.attribute.name}.${sub.name}" is required and cannot be removed`);
  if (sub.mutability === 'immutable') throw mutability(`"${target.attribute.name}.${sub.name}" is immutable and cannot be removed`);
  const arr = draft.ownArray(old.slice());
  let emptied = false;
  for (const i of indices) {
    const el = draft.writableElement(arr, i);
    delete el[sub.name];
    if (Object.keys(el).length === 0) {
      arr[i] = undefined;
      emptied = true;
    }
  }
  writeArray(draft, target, emptied ? draft.ownArray(arr.filter((el) => el !== undefined)) : arr);
}
