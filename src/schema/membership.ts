/**
 * Membership as a property of a resource type.
 *
 * A resource type that holds members (the RFC 7643 Group, or any type an integrator registers)
 * says so once, in its {@link ResourceTypeDefinition}: which of its attributes lists the members,
 * which resource types may be members, and which attribute of the members lists, in reverse, what
 * they belong to (User `groups`). Every layer reads that one declaration; none tests a type's name.
 */
import type { AttributeDefinition } from './types.js';

/** How a resource type holds members. Declared on the container's resource type definition. */
export interface MembershipDefinition {
  /**
   * The multi-valued complex attribute of the type's core schema that lists the members, with a
   * `value` sub-attribute holding each member's id: `members` for a Group.
   */
  readonly attribute: string;
  /**
   * Names of the resource types whose resources may be members, in the order a reference that
   * gives no `type` is looked up: `['User', 'Group']` for a Group.
   */
  readonly memberTypes: readonly string[];
  /**
   * The attribute a member shows, listing the resources of this type it belongs to directly:
   * `groups` for a Group's members. It is derived, never stored, and appears on the member types
   * whose core schema defines it (a User has `groups`; a Group does not). Optional.
   */
  readonly reverseAttribute?: string;
  /** The attribute of this type whose value is the `display` of reverse references. Defaults to `displayName`. */
  readonly displayAttribute?: string;
}

/** One derived attribute of a member type: the containers of one type a resource belongs to. */
export interface ReverseMembership {
  /** Name of the resource type that holds the members, for example `Group`. */
  readonly containerType: string;
  /** The member's attribute listing those containers, for example `groups`. */
  readonly attribute: string;
  /** The container's attribute copied into each reference's `display`. */
  readonly displayAttribute: string;
}

/**
 * What the layers below the schema need to know of a resource type beyond its schema: its name,
 * the members its resources hold, and the derived attributes listing what they belong to. Plain
 * data, built from the resource type definitions by `SchemaRegistry.model(name)`; storages receive
 * it with every call.
 */
export interface ResourceTypeModel {
  /** The resource type's name, for example `User`. */
  readonly name: string;
  /** Present when resources of this type hold members. */
  readonly members?: {
    /** The attribute that lists the members. */
    readonly attribute: string;
    /** Names of the resource types whose resources may be members. */
    readonly memberTypes: readonly string[];
    /** The attribute whose value is the `display` of reverse references to this type's resources. */
    readonly displayAttribute: string;
  };
  /** Derived attributes of this type's resources, one per container type whose reverse attribute this type's core schema defines. */
  readonly memberOf: readonly ReverseMembership[];
}

/** The `displayAttribute` of a membership when it names none. */
export const DEFAULT_DISPLAY_ATTRIBUTE = 'displayName';

/** A resource type's name, its membership declaration, and the attribute names of its core schema. */
export interface ModelSource {
  readonly name: string;
  readonly membership?: MembershipDefinition | undefined;
  /** Whether the type's core schema defines a top-level attribute of this name (any case). */
  hasAttribute(name: string): boolean;
}

/**
 * Builds the {@link ResourceTypeModel} of `type` from every registered type: its own membership,
 * and the reverse attribute of each container that lists it among its member types and whose
 * reverse attribute its schema defines.
 */
export function buildResourceTypeModel(type: ModelSource, all: readonly ModelSource[]): ResourceTypeModel {
  const own = type.membership;
  const lowerName = type.name.toLowerCase();
  const memberOf: ReverseMembership[] = [];
  for (const container of all) {
    const m = container.membership;
    if (!m?.reverseAttribute || !type.hasAttribute(m.reverseAttribute)) continue;
    if (!m.memberTypes.some((t) => t.toLowerCase() === lowerName)) continue;
    memberOf.push({ containerType: container.name, attribute: m.reverseAttribute, displayAttribute: m.displayAttribute ?? DEFAULT_DISPLAY_ATTRIBUTE });
  }
  return {
    name: type.name,
    ...(own
      ? { members: { attribute: own.attribute, memberTypes: [...own.memberTypes], displayAttribute: own.displayAttribute ?? DEFAULT_DISPLAY_ATTRIBUTE } }
      : {}),
    memberOf,
  };
}

/**
 * Checks a resource type's membership declaration against its core schema and the other registered
 * types, so a mistake fails when the type is registered.
 *
 * @throws TypeError naming the resource type and the key: an attribute that is not a multi-valued
 *   complex attribute of the core schema with a `value` sub-attribute, no member types, a display
 *   attribute the schema lacks, or a reverse attribute another container type already uses.
 */
export function assertValidMembership(
  rt: { readonly name: string; readonly membership?: unknown },
  core: { readonly attributes: readonly AttributeDefinition[] },
  others: readonly { readonly name: string; readonly membership?: MembershipDefinition | undefined }[],
): void {
  const m = rt.membership;
  if (m === undefined) return;
  const where = `Invalid resource type ${rt.name}: membership`;
  if (typeof m !== 'object' || m === null) throw new TypeError(`${where} must be an object`);
  const { attribute, memberTypes, reverseAttribute, displayAttribute } = m as Record<string, unknown>;
  const attr = typeof attribute === 'string' ? findCoreAttribute(core, attribute) : undefined;
  if (!attr?.multiValued || attr.type !== 'complex' || !(attr.subAttributes ?? []).some((s) => s.name === 'value')) {
    throw new TypeError(`${where}.attribute must name a multi-valued complex attribute of the core schema with a "value" sub-attribute`);
  }
  if (!Array.isArray(memberTypes) || memberTypes.length === 0 || memberTypes.some((t) => typeof t !== 'string' || t.length === 0)) {
    throw new TypeError(`${where}.memberTypes must list at least one resource type name`);
  }
  if (displayAttribute !== undefined && (typeof displayAttribute !== 'string' || !findCoreAttribute(core, displayAttribute))) {
    throw new TypeError(`${where}.displayAttribute must name an attribute of the core schema`);
  }
  if (reverseAttribute === undefined) return;
  if (typeof reverseAttribute !== 'string' || reverseAttribute.length === 0) throw new TypeError(`${where}.reverseAttribute must be a non-empty string`);
  const key = reverseAttribute.toLowerCase();
  for (const other of others) {
    if (other.name.toLowerCase() === rt.name.toLowerCase()) continue;
    if (other.membership?.reverseAttribute?.toLowerCase() === key) {
      throw new TypeError(`${where}.reverseAttribute "${reverseAttribute}" is already the reverse attribute of ${other.name}`);
    }
  }
}

function findCoreAttribute(core: { readonly attributes: readonly AttributeDefinition[] }, name: string): AttributeDefinition | undefined {
  const lower = name.toLowerCase();
  return core.attributes.find((a) => a.name.toLowerCase() === lower);
}
