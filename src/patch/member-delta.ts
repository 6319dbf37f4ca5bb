import type { FilterNode } from '../query/ast.js';
import type { ResourceSchema } from '../schema/resource-schema.js';
import { isObject } from '../schema/json-object.js';
import type { PatchMemberDelta as MemberDelta, PatchMemberRef as MemberRef } from './member-changes.js';
import type { PatchOperation } from './patch-request.js';
import { resolvePatchTarget, type AttributeTarget, type PatchTarget } from './patch-target.js';

/**
 * Accumulates a request's changes to a member set as one net {@link MemberDelta}: every id
 * ends up in at most one of `add` and `remove`, so the order in which storage applies them does not
 * matter, and the work is proportional to the ids named, never to the size of the group.
 */
export class MemberDeltaBuilder {
  private removeAll = false;
  private readonly adds = new Map<string, MemberRef>();
  private readonly removes = new Set<string>();

  /** Adds (or re-adds) a member. */
  add(ref: MemberRef): void {
    this.removes.delete(ref.value);
    if (!this.adds.has(ref.value)) this.adds.set(ref.value, ref);
  }

  /** Removes a member, whether it was there before the request or added earlier in it. */
  remove(id: string): void {
    this.adds.delete(id);
    if (!this.removeAll) this.removes.add(id);
  }

  /** Removes every member (and forgets additions made earlier in the request). */
  clear(): void {
    this.removeAll = true;
    this.adds.clear();
    this.removes.clear();
  }

  /** True when nothing was asked of the member set. */
  get empty(): boolean {
    return !this.removeAll && this.adds.size === 0 && this.removes.size === 0;
  }

  /** The net delta, or undefined when nothing was asked. */
  build(): MemberDelta | undefined {
    if (this.empty) return undefined;
    const delta: { add?: MemberRef[]; remove?: string[]; removeAll?: boolean } = {};
    if (this.removeAll) delta.removeAll = true;
    if (this.adds.size > 0) delta.add = [...this.adds.values()];
    if (this.removes.size > 0) delta.remove = [...this.removes];
    return delta;
  }
}

/**
 * The member ids of a filter made only of `value eq "<id>"` terms joined by `or`
 * (`members[value eq "a" or value eq "b"]`), or undefined for any other filter.
 */
export function memberIdsOfFilter(filter: FilterNode): string[] | undefined {
  const out: string[] = [];
  const stack: FilterNode[] = [filter];
  while (stack.length > 0) {
    const node = stack.pop() as FilterNode;
    if (node.kind === 'or') {
      stack.push(node.right, node.left);
      continue;
    }
    if (
      node.kind !== 'compare' ||
      node.op !== 'eq' ||
      typeof node.value !== 'string' ||
      node.path.uri !== undefined ||
      node.path.sub !== undefined ||
      node.path.attr.toLowerCase() !== 'value'
    ) {
      return undefined;
    }
    out.push(node.value);
  }
  return out;
}

/**
 * True when `target` is the attribute that holds the resource type's members (a Group's `members`:
 * core, multi-valued, with `value`), as the type's membership declares it.
 */
export function isMembersTarget(target: PatchTarget): boolean {
  return (
    target.kind === 'attribute' &&
    target.members &&
    target.attribute.multiValued &&
    target.attribute.type === 'complex' &&
    (target.attribute.subAttributes ?? []).some((s) => s.name === 'value')
  );
}

/** True when an operation on the members attribute `target` can be expressed as a member delta. */
export function isDeltaCapable(op: PatchOperation['op'], target: AttributeTarget): boolean {
  if (target.sub) return false;
  if (target.filter) return op === 'remove' && memberIdsOfFilter(target.filter) !== undefined;
  return true;
}

function tryResolve(text: string, schema: ResourceSchema): PatchTarget | undefined {
  try {
    return resolvePatchTarget(text, schema);
  } catch {
    return undefined;
  }
}

/**
 * True when every operation that touches `members` can be applied as a member delta, so the
 * provider may call `applyPatch` with `membersAsDelta: true` on a group whose members are not
 * loaded. False when some operation needs the members themselves (a filter on `members.display`, a
 * sub-attribute path such as `members[value eq "x"].display`, a filtered `add` or `replace`): the
 * provider must then load the members and use the full mode.
 *
 * Operations that do not touch `members`, and operations whose path does not resolve (they fail
 * either way), do not make it false.
 */
export function canApplyMembersAsDelta(operations: readonly PatchOperation[], schema: ResourceSchema): boolean {
  for (const operation of operations) {
    if (operation.path !== undefined) {
      const target = tryResolve(operation.path, schema);
      if (target && target.kind === 'attribute' && isMembersTarget(target) && !isDeltaCapable(operation.op, target)) return false;
      continue;
    }
    if (!isObject(operation.value)) continue;
    for (const key of Object.keys(operation.value)) {
      const target = tryResolve(key, schema);
      if (target && target.kind === 'attribute' && isMembersTarget(target) && (target.sub !== undefined || target.filter !== undefined)) return false;
    }
  }
  return true;
}
