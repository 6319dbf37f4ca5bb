/**
 * Which resources hold member sets, in which attribute, and which resources show the containers
 * they belong to. The storage reads membership from here and nowhere else: the `container_type`
 * column of the members table records the container's type, so more container types are a change
 * to this one definition.
 */
export interface Membership {
  /** Resource type → the attribute that holds its member set (`Group` → `members`). */
  readonly containers: ReadonlyMap<string, string>;
  /** Resource type → the attribute that lists the containers it is a direct member of (`User` → `groups`). */
  readonly reverse: ReadonlyMap<string, string>;
}

/** SCIM's own membership: Groups hold `members`; Users show their `groups`. */
export const GROUP_MEMBERSHIP: Membership = {
  containers: new Map([['Group', 'members']]),
  reverse: new Map([['User', 'groups']]),
};

/** The attribute a resource type's members live in, when it holds members. */
export function memberAttributeOf(membership: Membership, resourceType: string): string | undefined {
  return membership.containers.get(resourceType);
}

/** The attribute a resource type shows its containers in, when it does. */
export function reverseAttributeOf(membership: Membership, resourceType: string): string | undefined {
  return membership.reverse.get(resourceType);
}

/** The container types, for the SQL that derives a reverse attribute. */
export function containerTypes(membership: Membership): string[] {
  return [...membership.containers.keys()];
}
