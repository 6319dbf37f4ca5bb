import { formatAttributePath } from '../schema/attribute-path.js';
import { ambiguousAttributeDetail, type ResourceSchema } from '../schema/resource-schema.js';
import type { AttrPath, AttributeDefinition } from '../schema/types.js';

/**
 * Where an attribute path leads inside an object in canonical form: the keys to follow and, for each
 * key, whether the value found there is multi-valued (an array to search any element of).
 */
export interface AttributeTarget {
  /** Canonical keys from the object the path is evaluated against. */
  readonly keys: readonly string[];
  /** `multi[i]` is true when the value under `keys[i]` is multi-valued. */
  readonly multi: readonly boolean[];
  /** The definition of the attribute the keys end at. */
  readonly attribute: AttributeDefinition;
  /** The canonical path, for messages (`emails.value`). */
  readonly name: string;
}

/** Resolves paths relative to one kind of object: a resource, or one element of a complex attribute. */
export interface AttributeScope {
  /** What the scope is, for messages (`User`, `emails`). */
  readonly label: string;
  /** True when value filters (`attr[...]`) may appear at this level. */
  readonly allowsValueFilters: boolean;
  /** The target of `path`, or undefined when the scope defines no such attribute. */
  lookup(path: AttrPath): AttributeTarget | undefined;
  /** Why `path` resolves to nothing when several extensions define it: their URIs. Undefined otherwise. */
  ambiguity?(path: AttrPath): readonly string[] | undefined;
}

/**
 * `schemas` (RFC 7643 §3) is on every resource but in no schema's attribute list. Schema URIs are
 * matched case-insensitively, as everywhere else in resolution.
 */
const SCHEMAS_ATTRIBUTE: AttributeDefinition = {
  name: 'schemas',
  type: 'reference',
  multiValued: true,
  required: true,
  caseExact: false,
  mutability: 'readOnly',
  returned: 'always',
  uniqueness: 'none',
  referenceTypes: ['uri'],
};

/** The scope of a resource of `schema`'s type: core, common and extension attributes. */
export function resourceScope(schema: ResourceSchema): AttributeScope {
  return {
    label: schema.resourceType.name,
    allowsValueFilters: true,
    ambiguity: (path) => schema.ambiguousUris(path),
    lookup(path: AttrPath): AttributeTarget | undefined {
      if (path.attr.toLowerCase() === 'schemas' && path.sub === undefined) {
        const uri = path.uri;
        if (uri === undefined || uri.toLowerCase() === schema.core.id.toLowerCase()) {
          return { keys: ['schemas'], multi: [true], attribute: SCHEMAS_ATTRIBUTE, name: 'schemas' };
        }
      }
      const resolved = schema.resolve(path);
      if (!resolved) return undefined;
      const top = resolved.attribute;
      const sub = resolved.subAttribute;
      const keys = resolved.keys;
      const multi: boolean[] = keys.map(() => false);
      const topIndex = resolved.extension ? 1 : 0;
      multi[topIndex] = top.multiValued;
      if (sub) multi[topIndex + 1] = sub.multiValued;
      const name = resolved.extension ? `${resolved.schemaUri}:${keys.slice(1).join('.')}` : keys.join('.');
      return { keys, multi, attribute: resolved.target, name };
    },
  };
}

/** The scope inside one element of the complex attribute `parent` (the inside of `emails[...]`). */
export function elementScope(parent: AttributeTarget): AttributeScope {
  const subs = parent.attribute.subAttributes ?? [];
  return {
    label: parent.name,
    allowsValueFilters: false,
    lookup(path: AttrPath): AttributeTarget | undefined {
      if (path.uri !== undefined || path.sub !== undefined) return undefined;
      const lower = path.attr.toLowerCase();
      const attribute = subs.find((a) => a.name.toLowerCase() === lower);
      if (!attribute) return undefined;
      return { keys: [attribute.name], multi: [attribute.multiValued], attribute, name: `${parent.name}.${attribute.name}` };
    },
  };
}

/**
 * For a complex attribute named without a sub-attribute, the target of its `value` sub-attribute
 * (`emails co "x"` compares `emails.value`); undefined when it has none.
 */
export function valueSubTarget(target: AttributeTarget): AttributeTarget | undefined {
  const value = target.attribute.subAttributes?.find((a) => a.name.toLowerCase() === 'value');
  if (!value) return undefined;
  return {
    keys: [...target.keys, value.name],
    multi: [...target.multi, value.multiValued],
    attribute: value,
    name: `${target.name}.${value.name}`,
  };
}

/** The path as the client wrote it, for messages. */
export function describePath(path: AttrPath): string {
  return formatAttributePath(path);
}

/** Why a path the scope could not resolve is ambiguous (the extensions defining it), or undefined. */
export function ambiguityOf(scope: AttributeScope, path: AttrPath): string | undefined {
  const uris = scope.ambiguity?.(path);
  return uris ? ambiguousAttributeDetail(describePath(path), uris) : undefined;
}
