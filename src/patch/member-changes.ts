/**
 * A member reference as PATCH produces it. Structurally the same as the storage layer's
 * `MemberRef`, declared here so that PATCH does not depend on storage.
 */
export interface PatchMemberRef {
  value: string;
  type?: string;
  display?: string;
}

/**
 * The change a PATCH makes to a group's member set, when members are applied as a delta.
 * Structurally the same as the storage layer's `MemberDelta`, which the provider hands it to.
 */
export interface PatchMemberDelta {
  add?: readonly PatchMemberRef[];
  /** Member ids to remove. */
  remove?: readonly string[];
  /** Remove every member before adding. */
  removeAll?: boolean;
}
