import { parseAttributePath } from './attribute-path.js';
import { COMMON_ATTRIBUTES } from './common-attributes.js';
import type { AttrPath, AttributeDefinition, ResolvedAttribute, ResourceTypeDefinition, SchemaDefinition } from './types.js';

/** A resource type together with its core schema and extension schemas, able to resolve paths. */
export interface ResourceSchema {
  readonly resourceType: ResourceTypeDefinition;
  readonly core: SchemaDefinition;
  /** Extension schemas, with whether each is required. */
  readonly extensions: readonly { readonly schema: SchemaDefinition; readonly required: boolean }[];
  /** Every schema URI a resource of this type may list in `schemas`. */
  readonly schemaUris: readonly string[];
  /**
   * Resolves `[uri:]attr[.sub]` case-insensitively; undefined when the schemas define no such
   * attribute. A name without a URI is a core attribute; when the core schema has none of that name
   * and exactly one extension defines it (`manager`, `employeeNumber`), it is that extension's,
   * unless `unqualifiedExtensionAttributes` is off. When several extensions define it, it is
   * undefined, and {@link ambiguousUris} names them.
   */
  resolve(path: AttrPath): ResolvedAttribute | undefined;
  /**
   * For a name without a URI that the core schema lacks and two or more extensions define: their
   * URIs, so that the caller can refuse the path naming them. Undefined otherwise.
   */
  ambiguousUris(path: AttrPath): readonly string[] | undefined;
  /** Resolves a textual path; a bare extension URI yields `{ extensionUri }`. */
  resolveText(text: string): ResolvedAttribute | { readonly extensionUri: string } | undefined;
  /** The schema (core or extension) whose id equals `uri`, case-insensitively. */
  findSchema(uri: string): SchemaDefinition | undefined;
  /** The canonical URI of an extension whose id equals `uri`, case-insensitively. */
  extensionUri(uri: string): string | undefined;
  /** The top-level attributes of the core schema, common attributes included. */
  readonly coreAttributes: readonly AttributeDefinition[];
}

function findAttr(list: readonly AttributeDefinition[] | undefined, name: string): AttributeDefinition | undefined {
  if (!list) return undefined;
  const lower = name.toLowerCase();
  for (const a of list) if (a.name.toLowerCase() === lower) return a;
  return undefined;
}

/** Options of {@link createResourceSchema}. */
export interface ResourceSchemaOptions {
  /**
   * Resolve an attribute named without its schema URI to the one extension that defines it, when
   * the core schema does not (`manager` for the enterprise extension's `manager`). Real clients and
   * people writing filters by hand leave the URI out. Defaults to true.
   */
  readonly unqualifiedExtensionAttributes?: boolean;
}

/** The detail of an error for an attribute named without a URI that several extensions define. */
export function ambiguousAttributeDetail(name: string, uris: readonly string[]): string {
  return `"${name.slice(0, 100)}" is defined by ${uris.join(' and ')}: name it with its schema URI`;
}

/**
 * Builds a {@link ResourceSchema}. Resolution is cached per lower-cased path, so resolving in a hot
 * loop costs a map lookup.
 */
export function createResourceSchema(
  resourceType: ResourceTypeDefinition,
  core: SchemaDefinition,
  extensions: readonly { schema: SchemaDefinition; required: boolean }[] = [],
  options: ResourceSchemaOptions = {},
): ResourceSchema {
  const unqualified = options.unqualifiedExtensionAttributes ?? true;
  const coreAttributes: readonly AttributeDefinition[] = [...COMMON_ATTRIBUTES, ...core.attributes];
  const schemaUris = [core.id, ...extensions.map((e) => e.schema.id)];
  const cache = new Map<string, ResolvedAttribute | null>();

  function findSchema(uri: string): SchemaDefinition | undefined {
    const lower = uri.toLowerCase();
    if (core.id.toLowerCase() === lower) return core;
    return extensions.find((e) => e.schema.id.toLowerCase() === lower)?.schema;
  }

  function build(schema: SchemaDefinition, isExtension: boolean, attr: AttributeDefinition, subName: string | undefined): ResolvedAttribute | undefined {
    let sub: AttributeDefinition | undefined;
    if (subName !== undefined) {
      sub = findAttr(attr.subAttributes, subName);
      if (!sub) return undefined;
    }
    const keys = isExtension ? [schema.id, attr.name] : [attr.name];
    if (sub) keys.push(sub.name);
    const resolved: ResolvedAttribute = sub
      ? { schemaUri: schema.id, extension: isExtension, attribute: attr, subAttribute: sub, target: sub, keys }
      : { schemaUri: schema.id, extension: isExtension, attribute: attr, target: attr, keys };
    return resolved;
  }

  function resolveUncached(path: AttrPath): ResolvedAttribute | undefined {
    if (path.uri !== undefined) {
      const schema = findSchema(path.uri);
      if (!schema) return undefined;
      const isExtension = schema !== core;
      const attr = findAttr(isExtension ? schema.attributes : coreAttributes, path.attr);
      return attr ? build(schema, isExtension, attr, path.sub) : undefined;
    }
    const attr = findAttr(coreAttributes, path.attr);
    if (attr) return build(core, false, attr, path.sub);
    const definers = unqualified ? extensionsDefining(path.attr) : [];
    const only = definers.length === 1 ? definers[0] : undefined;
    return only ? build(only.schema, true, only.attr, path.sub) : undefined;
  }

  /** The extensions that define a top-level attribute of this name. */
  function extensionsDefining(name: string): { schema: SchemaDefinition; attr: AttributeDefinition }[] {
    const out: { schema: SchemaDefinition; attr: AttributeDefinition }[] = [];
    for (const e of extensions) {
      const attr = findAttr(e.schema.attributes, name);
      if (attr) out.push({ schema: e.schema, attr });
    }
    return out;
  }

  function ambiguousUris(path: AttrPath): readonly string[] | undefined {
    if (!unqualified || path.uri !== undefined || findAttr(coreAttributes, path.attr)) return undefined;
    const definers = extensionsDefining(path.attr);
    return definers.length > 1 ? definers.map((d) => d.schema.id) : undefined;
  }

  function resolve(path: AttrPath): ResolvedAttribute | undefined {
    const key = `${path.uri ?? ''}|${path.attr}|${path.sub ?? ''}`.toLowerCase();
    let hit = cache.get(key);
    if (hit === undefined) {
      hit = resolveUncached(path) ?? null;
      if (cache.size < 10_000) cache.set(key, hit);
    }
    return hit ?? undefined;
  }

  function extensionUri(uri: string): string | undefined {
    const lower = uri.toLowerCase();
    return extensions.find((e) => e.schema.id.toLowerCase() === lower)?.schema.id;
  }

  function resolveText(text: string): ResolvedAttribute | { readonly extensionUri: string } | undefined {
    const whole = extensionUri(text.trim());
    if (whole) return { extensionUri: whole };
    const path = parseAttributePath(text);
    return path ? resolve(path) : undefined;
  }

  return { resourceType, core, extensions, schemaUris, resolve, ambiguousUris, resolveText, findSchema, extensionUri, coreAttributes };
}
