import type { AttributeDefinition } from '../schema/types.js';
import type { PatchMemberRef as MemberRef } from './member-changes.js';
import { isDeltaCapable, type MemberDeltaBuilder, memberIdsOfFilter } from './member-delta.js';
import type { PatchDraft } from './patch-draft.js';
import { invalidValue } from './patch-errors.js';
import type { PatchOperation } from './patch-request.js';
import type { AttributeTarget } from './patch-target.js';
import { normalizeComplex } from './patch-value.js';

/** One member reference from a value of the members attribute `a`. */
function memberRef(draft: PatchDraft, a: AttributeDefinition, item: unknown): MemberRef {
  const n = normalizeComplex(a, item, draft.tol, a.name).value;
  const id = n.value;
  if (typeof id !== 'string' || id === '') throw invalidValue(`Every "${a.name}" value needs a non-empty "value" (the member's id)`);
  const ref: MemberRef = { value: id };
  if (typeof n.type === 'string') ref.type = n.type;
  if (typeof n.display === 'string') ref.display = n.display;
  return ref;
}

/** `remove` of members as a delta: the listed ids, the ids of a `value eq` filter, or every member. */
function removeMembers(draft: PatchDraft, delta: MemberDeltaBuilder, target: AttributeTarget, value: unknown, hasValue: boolean): void {
  if (target.filter) {
    for (const id of memberIdsOfFilter(target.filter) ?? []) delta.remove(id);
  } else if (hasValue && value !== null) {
    if (!draft.tol.removeValueList) throw invalidValue(`"remove" takes no "value" (path "${target.label}")`);
    const list = Array.isArray(value) ? value : [value];
    const ids = list.map((item) => memberRef(draft, target.attribute, item).value);
    for (const id of ids) delta.remove(id);
  } else {
    delta.clear();
  }
  draft.touch(target.label);
}

/** An operation on a group's members recorded in the draft's member delta instead of a `members` array. */
export function applyMembersDelta(draft: PatchDraft, op: PatchOperation['op'], target: AttributeTarget, value: unknown, hasValue: boolean): void {
  const delta = draft.delta as MemberDeltaBuilder;
  if (!isDeltaCapable(op, target)) {
    throw new Error(`The operation on "${target.label}" needs the group's members loaded; check canApplyMembersAsDelta first`);
  }
  if (target.filter || op === 'remove') {
    removeMembers(draft, delta, target, value, hasValue);
    return;
  }
  if (value === null || value === '') {
    if (value === null && !draft.tol.emptyValueClears) throw invalidValue(`"${target.label}" must not be null; use "remove" to clear it`);
    if (draft.tol.emptyValueClears) {
      delta.clear();
      draft.touch(target.label);
      return;
    }
  }
  const list = Array.isArray(value) ? value : [value];
  const refs: MemberRef[] = [];
  for (const item of list) {
    if (item === null && draft.tol.emptyValueClears) continue;
    refs.push(memberRef(draft, target.attribute, item));
  }
  if (op === 'replace') delta.clear();
  for (const ref of refs) delta.add(ref);
  if (op === 'replace' || refs.length > 0) draft.touch(target.label);
}
