import { ScimError } from '../error/scim-error.js';
import type { ScimObject } from '../schema/types.js';
import { attributeValueEquals, isUnassigned } from '../schema/attribute-value-equals.js';
import { isObject } from '../schema/json-object.js';
import { equalityTerms } from './element-filter.js';
import { isMembersTarget } from './member-delta.js';
import { setSubAt, writeArray } from './multi-valued-changes.js';
import type { PatchDraft } from './patch-draft.js';
import { invalidValue, mutability } from './patch-errors.js';
import type { PatchOperation } from './patch-request.js';
import type { AttributeTarget } from './patch-target.js';
import { normalizeComplex, normalizeScalar } from './patch-value.js';
import { enforcePrimary } from './primary-value.js';
import { removeSubAt } from './remove-changes.js';
import { jsonEqual } from './json-equal.js';

/** An operation whose path has a value filter (`emails[type eq "work"]`, `emails[type eq "work"].value`). */
export function applyFiltered(draft: PatchDraft, op: PatchOperation['op'], target: AttributeTarget, value: unknown): void {
  const a = target.attribute;
  const matches = target.matches as (element: unknown) => boolean;
  const old = draft.readHolder(target.uri)?.[a.name];
  const current: readonly unknown[] = Array.isArray(old) ? old : [];
  draft.spend(current.length);
  const indices: number[] = [];
  for (let i = 0; i < current.length; i++) if (matches(current[i])) indices.push(i);

  const clears = op !== 'remove' && (value === null || value === '');
  if (clears && value === null && !draft.tol.emptyValueClears) throw invalidValue(`"${target.label}" must not be null; use "remove" to clear it`);
  if (op === 'remove' || (clears && draft.tol.emptyValueClears)) {
    removeMatched(draft, target, current, indices, clears);
    return;
  }
  if (indices.length === 0) {
    createFromFilter(draft, target, value);
    return;
  }
  if (target.sub) {
    setSubAt(draft, target, target.sub, value, current, indices);
    return;
  }
  if (a.type !== 'complex') replaceMatchedScalars(draft, target, value, current, indices);
  else writeMatchedElements(draft, op, target, value, current, indices);
}

/** A filtered `remove` (or a clearing `add` / `replace`): the matched elements, or their sub-attribute, go. */
function removeMatched(draft: PatchDraft, target: AttributeTarget, current: readonly unknown[], indices: readonly number[], clears: boolean): void {
  if (indices.length === 0) {
    // Clearing what is not there, or removing a member that is not one, leaves nothing to do.
    if (clears || isMembersTarget(target)) return;
    throw ScimError.badRequest('noTarget', `No value of "${target.label}" matches the filter`);
  }
  const s = target.sub;
  if (s) {
    const holding = indices.filter((i) => isObject(current[i]) && (current[i] as ScimObject)[s.name] !== undefined);
    if (holding.length > 0) removeSubAt(draft, target, s, current as unknown[], holding);
    return;
  }
  const drop = new Set(indices);
  writeArray(draft, target, draft.ownArray(current.filter((_, i) => !drop.has(i))));
}

/** Matched elements of a multi-valued simple attribute take the new value. */
function replaceMatchedScalars(draft: PatchDraft, target: AttributeTarget, value: unknown, current: readonly unknown[], indices: readonly number[]): void {
  const arr = draft.ownArray(current.slice());
  let changed = false;
  const v = normalizeScalar(target.attribute, value, draft.tol, target.label);
  for (const i of indices) {
    if (arr[i] === v) continue;
    arr[i] = v;
    changed = true;
  }
  if (changed) writeArray(draft, target, arr);
}

/** Matched complex elements: `replace` swaps each for the value, `add` merges the value into each. */
function writeMatchedElements(
  draft: PatchDraft,
  op: PatchOperation['op'],
  target: AttributeTarget,
  value: unknown,
  current: readonly unknown[],
  indices: readonly number[],
): void {
  const a = target.attribute;
  const arr = draft.ownArray(current.slice());
  let changed = false;
  const incoming = normalizeComplex(a, value, draft.tol, target.label);
  for (const i of indices) {
    const before = isObject(arr[i]) ? (arr[i] as ScimObject) : {};
    let next: ScimObject;
    if (op === 'replace') {
      next = { ...incoming.value };
    } else {
      next = { ...before, ...incoming.value };
      for (const k of incoming.cleared) delete next[k];
    }
    if (jsonEqual(before, next)) continue;
    for (const sub of a.subAttributes ?? []) {
      if (sub.mutability === 'immutable' && !isUnassigned(before[sub.name]) && !attributeValueEquals(sub, before[sub.name], next[sub.name])) {
        throw mutability(`"${a.name}.${sub.name}" is immutable and already has a value`);
      }
    }
    draft.own(next);
    arr[i] = next;
    changed = true;
  }
  if (!changed) return;
  enforcePrimary(draft, target, arr, indices);
  writeArray(draft, target, arr);
}

/**
 * A filtered `add` / `replace` that matched nothing: with `createMissingFilteredElement`, the
 * element is built from the filter's equality terms plus the value (RFC 7644 says `noTarget`).
 */
function createFromFilter(draft: PatchDraft, target: AttributeTarget, value: unknown): void {
  const a = target.attribute;
  const s = target.sub;
  const tol = draft.tol;
  const terms = tol.createMissingFilteredElement && target.filter ? equalityTerms(target.filter, a, tol) : undefined;
  if (!terms) throw ScimError.badRequest('noTarget', `No value of "${target.label}" matches the filter`);
  let el: unknown;
  if (a.type !== 'complex') {
    el = normalizeScalar(a, value, tol, target.label);
  } else if (s) {
    const obj: ScimObject = { ...terms };
    obj[s.name] = normalizeScalar(s, value, tol, `${a.name}.${s.name}`);
    el = obj;
  } else {
    el = { ...terms, ...normalizeComplex(a, value, tol, target.label).value };
  }
  const old = draft.readHolder(target.uri)?.[a.name];
  const arr = draft.ownArray(Array.isArray(old) ? old.slice() : []);
  if (isObject(el)) draft.own(el);
  arr.push(el);
  enforcePrimary(draft, target, arr, [arr.length - 1]);
  writeArray(draft, target, arr);
}
