import { ScimError } from '../error/scim-error.js';
import { parseAttributePath } from './attribute-path.js';
import { ambiguousAttributeDetail, type ResourceSchema } from './resource-schema.js';
import type { AttributeDefinition, ScimObject } from './types.js';
import { isObject } from './json-object.js';

/** What a request asked for with `attributes` and `excludedAttributes` (RFC 7644 §3.9). */
export interface ProjectionOptions {
  attributes?: readonly string[];
  excludedAttributes?: readonly string[];
}

/** Named attributes, resolved against the schema. */
interface NameSet {
  /** Top-level attributes named as a whole. */
  readonly whole: Set<AttributeDefinition>;
  /** Sub-attributes named, by their parent. */
  readonly subs: Map<AttributeDefinition, Set<AttributeDefinition>>;
  /** Extensions named by their bare URN. */
  readonly extensions: Set<string>;
}

function resolveNames(schema: ResourceSchema, names: readonly string[] | undefined): NameSet | undefined {
  if (!names || names.length === 0) return undefined;
  const set: NameSet = { whole: new Set(), subs: new Map(), extensions: new Set() };
  for (const name of names) {
    if (typeof name !== 'string') continue;
    const resolved = schema.resolveText(name);
    if (!resolved) {
      const path = parseAttributePath(name);
      const uris = path ? schema.ambiguousUris(path) : undefined;
      if (uris) throw ScimError.badRequest('invalidValue', ambiguousAttributeDetail(name, uris));
      continue; // unknown names are ignored
    }
    if ('extensionUri' in resolved) {
      set.extensions.add(resolved.extensionUri);
    } else if (resolved.subAttribute) {
      let subs = set.subs.get(resolved.attribute);
      if (!subs) {
        subs = new Set();
        set.subs.set(resolved.attribute, subs);
      }
      subs.add(resolved.subAttribute);
    } else {
      set.whole.add(resolved.attribute);
    }
  }
  return set;
}

function findSub(attr: AttributeDefinition, key: string): AttributeDefinition | undefined {
  const lower = key.toLowerCase();
  return attr.subAttributes?.find((s) => s.name.toLowerCase() === lower);
}

/** Keeps the sub-attributes of one complex value that `keep` accepts; undefined when none is left. */
function filterComplex(attr: AttributeDefinition, value: unknown, keep: (sub: AttributeDefinition | undefined) => boolean): unknown {
  if (!isObject(value)) return keep(undefined) ? value : undefined;
  const out: ScimObject = {};
  let any = false;
  for (const key of Object.keys(value)) {
    const sub = findSub(attr, key);
    if (sub?.returned === 'never') continue;
    if (!keep(sub)) continue;
    out[key] = value[key];
    any = true;
  }
  return any ? out : undefined;
}

function mapValue(attr: AttributeDefinition, value: unknown, keep: (sub: AttributeDefinition | undefined) => boolean): unknown {
  if (attr.type !== 'complex') return value;
  if (!attr.multiValued || !Array.isArray(value)) return filterComplex(attr, value, keep);
  const out: unknown[] = [];
  for (const item of value) {
    const v = filterComplex(attr, item, keep);
    if (v !== undefined) out.push(v);
  }
  return out.length > 0 ? out : undefined;
}

/** A projection bound to one schema and one request, to apply to many resources. */
export type Projector = (resource: ScimObject) => ScimObject;

/**
 * Prepares the projection of {@link projectResource} once, for applying it to every resource of a
 * list response.
 */
export function compileProjection(schema: ResourceSchema, options: ProjectionOptions = {}): Projector {
  const wanted = resolveNames(schema, options.attributes);
  const excluded = resolveNames(schema, options.excludedAttributes);

  /** The attribute's value as the response shows it, or undefined to leave it out. */
  function projectAttribute(attr: AttributeDefinition, value: unknown, extensionUri: string | undefined): unknown {
    if (attr.returned === 'never') return undefined;
    const namedSubs = wanted?.subs.get(attr);
    const excludedSubs = excluded?.subs.get(attr);
    const always = attr.returned === 'always';
    const wholeRequested = wanted !== undefined && (wanted.whole.has(attr) || (extensionUri !== undefined && wanted.extensions.has(extensionUri)));
    const wholeExcluded = excluded !== undefined && (excluded.whole.has(attr) || (extensionUri !== undefined && excluded.extensions.has(extensionUri)));
    if (!always && wholeExcluded) return undefined;

    let whole: boolean;
    if (always) whole = true;
    else if (wanted) {
      if (wholeRequested) whole = true;
      else if (namedSubs) whole = false;
      else return undefined;
    } else {
      if (attr.returned === 'request') return undefined;
      whole = true;
    }

    if (attr.type !== 'complex') return value;
    const keep = whole
      ? (sub: AttributeDefinition | undefined): boolean => {
          if (!sub) return true;
          if (sub.returned === 'always') return true;
          if (excludedSubs?.has(sub)) return false;
          return sub.returned !== 'request' || (namedSubs?.has(sub) ?? false);
        }
      : (sub: AttributeDefinition | undefined): boolean => sub !== undefined && (sub.returned === 'always' || (namedSubs?.has(sub) ?? false));
    return mapValue(attr, value, keep);
  }

  function projectExtension(uri: string, value: unknown): unknown {
    if (!isObject(value)) return wanted && !wanted.extensions.has(uri) ? undefined : value;
    const out: ScimObject = {};
    let any = false;
    for (const key of Object.keys(value)) {
      const resolved = schema.resolve({ uri, attr: key });
      let v: unknown;
      if (resolved) v = projectAttribute(resolved.attribute, value[key], uri);
      else if (!(wanted && !wanted.extensions.has(uri)) && !excluded?.extensions.has(uri)) v = value[key];
      if (v === undefined) continue;
      out[key] = v;
      any = true;
    }
    return any ? out : undefined;
  }

  return (resource: ScimObject): ScimObject => {
    const out: ScimObject = {};
    for (const key of Object.keys(resource)) {
      const value = resource[key];
      if (key.toLowerCase() === 'schemas') {
        out[key] = value;
        continue;
      }
      const extensionUri = schema.extensionUri(key);
      let v: unknown;
      if (extensionUri) {
        v = projectExtension(extensionUri, value);
      } else {
        const resolved = key.startsWith('urn:') || key.includes('.') ? undefined : schema.resolve({ attr: key });
        if (resolved) v = projectAttribute(resolved.attribute, value, undefined);
        else if (!wanted) v = value; // not described by the schema: shown by default, never when attributes are listed
      }
      if (v !== undefined) out[key] = v;
    }
    return out;
  };
}

/**
 * Applies RFC 7644 §3.4.2.5 / §3.9 `attributes` and `excludedAttributes` with the RFC 7643 §7
 * `returned` characteristic:
 *
 * - `never` (password) is never in the output; `always` (`id`, `schemas`) always is, whatever was
 *   asked or excluded;
 * - `default` attributes appear unless excluded, or unless `attributes` is given and doesn't name
 *   them; `request` attributes appear only when `attributes` names them;
 * - names are case-insensitive paths: `name.givenName`, `emails.value` (applied to each element),
 *   `meta.lastModified`, `urn:...:enterprise:2.0:User:manager.value`, or a bare extension URN for
 *   the whole extension. Unknown names are ignored.
 *
 * An extension object left empty is removed; `schemas` is kept as it is. Pure: the resource is not
 * modified.
 */
export function projectResource(resource: ScimObject, schema: ResourceSchema, options: ProjectionOptions = {}): ScimObject {
  return compileProjection(schema, options)(resource);
}

/**
 * Splits an `attributes` / `excludedAttributes` query parameter (`"userName, name.givenName"`) into
 * trimmed, non-empty names.
 */
export function parseAttributeList(value: string | undefined): string[] {
  if (value === undefined) return [];
  const out: string[] = [];
  for (const part of value.split(',')) {
    const name = part.trim();
    if (name.length > 0) out.push(name);
  }
  return out;
}
