import type { MemberRef } from '../storage-provider.js';

/** A change to one group's member set, worked out before anything is written. */
export interface MemberPlan {
  /** References to add (ids not in the set before). */
  readonly add: readonly MemberRef[];
  /** Ids to remove (ids in the set before). */
  readonly remove: readonly string[];
  /** The size of the set after the change. */
  readonly sizeAfter: number;
}

/** The change a plan applies to a member set: what to remove, then what to add. */
export interface MemberChange {
  readonly add?: readonly MemberRef[];
  readonly remove?: readonly string[];
  /** Empty the set first. */
  readonly removeAll?: boolean;
}

const NO_MEMBERS: ReadonlyMap<string, MemberRef> = new Map();
const NO_GROUPS: ReadonlySet<string> = new Set();

/**
 * One tenant's group memberships, kept outside the group resources: group id → (member id →
 * reference), and the reverse index member id → ids of the groups that list it directly.
 *
 * Adding or removing a member touches one entry of each map, whatever the size of the group.
 */
export class MemberIndex {
  private readonly members = new Map<string, Map<string, MemberRef>>();
  private readonly memberOf = new Map<string, Set<string>>();

  /** The members of a group, in the order they were added. */
  membersOf(groupId: string): ReadonlyMap<string, MemberRef> {
    return this.members.get(groupId) ?? NO_MEMBERS;
  }

  /** Ids of the groups that list `memberId` directly. */
  groupsOf(memberId: string): ReadonlySet<string> {
    return this.memberOf.get(memberId) ?? NO_GROUPS;
  }

  /**
   * Works out the net effect of a change without applying it: `removeAll` then `remove` then
   * `add`. Ids already present are not added again, ids absent are not removed, an id both removed
   * and added stays, and duplicates in `add` count once. Costs O(change), or O(set) with
   * `removeAll`.
   */
  plan(groupId: string, change: MemberChange): MemberPlan {
    const current = this.membersOf(groupId);
    const adding = new Map<string, MemberRef>();
    for (const ref of change.add ?? []) if (!adding.has(ref.value)) adding.set(ref.value, ref);
    const remove: string[] = [];
    if (change.removeAll) {
      for (const id of current.keys()) if (!adding.has(id)) remove.push(id);
    } else if (change.remove && change.remove.length > 0) {
      const seen = new Set<string>();
      for (const id of change.remove) {
        if (seen.has(id)) continue;
        seen.add(id);
        if (current.has(id) && !adding.has(id)) remove.push(id);
      }
    }
    const add: MemberRef[] = [];
    for (const [id, ref] of adding) if (!current.has(id)) add.push(ref);
    return { add, remove, sizeAfter: current.size - remove.length + add.length };
  }

  /** Applies a plan made by {@link plan} for the same group, with nothing written in between. */
  apply(groupId: string, plan: MemberPlan): void {
    let set = this.members.get(groupId);
    for (const id of plan.remove) {
      set?.delete(id);
      this.unlink(id, groupId);
    }
    if (plan.add.length > 0) {
      if (!set) {
        set = new Map();
        this.members.set(groupId, set);
      }
      for (const ref of plan.add) {
        set.set(ref.value, ref);
        let groups = this.memberOf.get(ref.value);
        if (!groups) {
          groups = new Set();
          this.memberOf.set(ref.value, groups);
        }
        groups.add(groupId);
      }
    }
    if (set && set.size === 0) this.members.delete(groupId);
  }

  /**
   * Forgets a deleted resource: takes it out of every group that listed it and, when it was a
   * group, drops its own member set. Returns the ids of the groups it was taken out of.
   */
  forget(id: string): string[] {
    const groups = this.memberOf.get(id);
    const out: string[] = [];
    if (groups) {
      for (const groupId of groups) {
        const set = this.members.get(groupId);
        if (set?.delete(id)) out.push(groupId);
        if (set && set.size === 0) this.members.delete(groupId);
      }
      this.memberOf.delete(id);
    }
    const own = this.members.get(id);
    if (own) {
      for (const memberId of own.keys()) this.unlink(memberId, id);
      this.members.delete(id);
    }
    return out;
  }

  private unlink(memberId: string, groupId: string): void {
    const groups = this.memberOf.get(memberId);
    if (!groups) return;
    groups.delete(groupId);
    if (groups.size === 0) this.memberOf.delete(memberId);
  }
}
