import { isScimError, ScimError } from '../error/scim-error.js';
import type { FilterNode } from '../query/ast.js';
import { parsePatchPath } from '../query/filter-parser.js';
import { ambiguousAttributeDetail, type ResourceSchema } from '../schema/resource-schema.js';
import type { AttributeDefinition } from '../schema/types.js';
import { compileElementFilter, type ElementMatcher } from './element-filter.js';
import { findSubAttribute } from './patch-value.js';

/** A PATCH path that names one attribute (possibly a sub-attribute, possibly through a value filter). */
export interface AttributeTarget {
  readonly kind: 'attribute';
  /** The extension URI whose object holds the attribute, or undefined for a core attribute. */
  readonly uri: string | undefined;
  /** The top-level attribute. */
  readonly attribute: AttributeDefinition;
  /** The sub-attribute the path ends at: `name.givenName`, or `emails[...].value`. */
  readonly sub: AttributeDefinition | undefined;
  /** The value filter of `attr[filter]`, when present (the attribute is then multi-valued). */
  readonly filter: FilterNode | undefined;
  /** The compiled value filter. */
  readonly matches: ElementMatcher | undefined;
  /** The canonical attribute path reported in `changed`: `name.givenName`, `emails`, `urn:...:manager`. */
  readonly label: string;
  /** True when the attribute is the one the resource type's membership declares as holding its members. */
  readonly members: boolean;
}

/** The resource's `schemas` attribute. */
export interface SchemasTarget {
  readonly kind: 'schemas';
  readonly label: 'schemas';
}

/** A whole extension, named by its bare schema URI. */
export interface ExtensionTarget {
  readonly kind: 'extension';
  readonly uri: string;
  readonly label: string;
}

/** What a PATCH path resolves to against a resource type's schemas. */
export type PatchTarget = AttributeTarget | SchemasTarget | ExtensionTarget;

const SCHEMAS: SchemasTarget = { kind: 'schemas', label: 'schemas' };
const MAX_CACHED = 2000;
const caches = new WeakMap<ResourceSchema, Map<string, PatchTarget>>();

/** The canonical `changed` label of an attribute, optionally with a sub-attribute. */
function labelOf(uri: string | undefined, attribute: AttributeDefinition, sub: AttributeDefinition | undefined): string {
  const base = uri ? `${uri}:${attribute.name}` : attribute.name;
  return sub && !attribute.multiValued ? `${base}.${sub.name}` : base;
}

function resolveUncached(text: string, schema: ResourceSchema): PatchTarget {
  const trimmed = text.trim();
  if (trimmed.toLowerCase() === 'schemas') return SCHEMAS;
  const ext = schema.extensionUri(trimmed);
  if (ext !== undefined) return { kind: 'extension', uri: ext, label: ext };
  const parsed = parsePatchPath(trimmed);
  const resolved = schema.resolve(parsed.path);
  if (!resolved) {
    const uris = schema.ambiguousUris(parsed.path);
    if (uris) throw ScimError.badRequest('invalidPath', ambiguousAttributeDetail(trimmed, uris));
    throw ScimError.badRequest('invalidPath', `"${trimmed.slice(0, 200)}" names no attribute of a ${schema.resourceType.name}`);
  }
  const attribute = resolved.attribute;
  const uri = resolved.extension ? resolved.schemaUri : undefined;
  const members = uri === undefined && schema.resourceType.membership?.attribute.toLowerCase() === attribute.name.toLowerCase();
  if (!parsed.filter) {
    const sub = resolved.subAttribute;
    return { kind: 'attribute', uri, attribute, sub, filter: undefined, matches: undefined, label: labelOf(uri, attribute, sub), members };
  }
  if (!attribute.multiValued) {
    throw ScimError.badRequest('invalidPath', `"${attribute.name}" is single-valued: a value filter needs a multi-valued attribute`);
  }
  let sub: AttributeDefinition | undefined;
  if (parsed.subAttr !== undefined) {
    sub = findSubAttribute(attribute, parsed.subAttr);
    if (!sub) throw ScimError.badRequest('invalidPath', `"${attribute.name}" has no sub-attribute "${parsed.subAttr}"`);
  }
  let matches: ElementMatcher;
  try {
    matches = compileElementFilter(parsed.filter, attribute);
  } catch (err) {
    if (isScimError(err) && err.status === 400) throw ScimError.badRequest('invalidPath', err.detail);
    throw err;
  }
  return { kind: 'attribute', uri, attribute, sub, filter: parsed.filter, matches, label: labelOf(uri, attribute, sub), members };
}

/**
 * Resolves a PATCH `path` (RFC 7644 §3.5.2) against `schema`, case-insensitively, to canonical
 * names. Results are memoised per schema object, so a path seen before costs one map lookup.
 *
 * @throws ScimError 400 `invalidPath` for malformed paths, unknown attributes, a value filter on a
 *   single-valued attribute, or a filter that names unknown sub-attributes.
 */
export function resolvePatchTarget(text: string, schema: ResourceSchema): PatchTarget {
  let cache = caches.get(schema);
  if (!cache) {
    cache = new Map();
    caches.set(schema, cache);
  }
  const hit = cache.get(text);
  if (hit) return hit;
  const target = resolveUncached(text, schema);
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(text, target);
  return target;
}
