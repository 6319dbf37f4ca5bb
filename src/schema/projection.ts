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

/** Which sub-attributes of one complex attribute a response shows. */
interface ComplexPlan {
  /** By sub-attribute name, as defined and lower-cased: whether it is shown. */
  readonly subs: ReadonlyMap<string, boolean>;
  /** Whether keys the schema does not define (and a value that is not an object) are shown. */
  readonly unknown: boolean;
}

/** How one attribute is shown: left out, shown as it is, or (complex) filtered by sub-attribute. */
type AttributePlan = 'omit' | 'whole' | ComplexPlan;

/** A plan of a complex attribute from the test each sub-attribute (undefined: an unknown key) must pass. */
function complexPlan(attr: AttributeDefinition, keep: (sub: AttributeDefinition | undefined) => boolean): ComplexPlan {
  const subs = new Map<string, boolean>();
  for (const sub of attr.subAttributes ?? []) {
    const lower = sub.name.toLowerCase();
    if (subs.has(lower)) continue; // the first definition of a name is the one a key resolves to
    const shown = sub.returned !== 'never' && keep(sub);
    subs.set(lower, shown);
    if (!subs.has(sub.name)) subs.set(sub.name, shown);
  }
  return { subs, unknown: keep(undefined) };
}

/**
 * One complex value with the sub-attributes the plan shows; undefined when none is left. The value
 * itself when it keeps every key, so that a response shares what it would copy unchanged.
 */
function filterComplex(plan: ComplexPlan, value: unknown): unknown {
  if (!isObject(value)) return plan.unknown ? value : undefined;
  let out: ScimObject | undefined;
  let kept = 0;
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const shown = plan.subs.get(key) ?? plan.subs.get(key.toLowerCase()) ?? plan.unknown;
    if (shown && key !== '__proto__' && out === undefined) {
      kept++;
      continue;
    }
    if (out === undefined) {
      // The first key left out (or one that needs care): copy what was kept so far.
      out = {};
      for (let j = 0; j < i; j++) out[keys[j] as string] = value[keys[j] as string];
    }
    if (!shown) continue;
    out[key] = value[key];
    kept++;
  }
  if (kept === 0) return undefined;
  return out ?? value;
}

function mapValue(attr: AttributeDefinition, plan: ComplexPlan, value: unknown): unknown {
  if (!attr.multiValued || !Array.isArray(value)) return filterComplex(plan, value);
  let out: unknown[] | undefined;
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    const v = filterComplex(plan, item);
    if (v === item && out === undefined) continue;
    out ??= value.slice(0, i);
    if (v !== undefined) out.push(v);
  }
  if (out === undefined) return value.length > 0 ? value : undefined;
  return out.length > 0 ? out : undefined;
}

/** A projection bound to one schema and one request, to apply to many resources. */
export type Projector = (resource: ScimObject) => ScimObject;

/** How a top-level key of a resource is read: `schemas`, an extension, a schema attribute, or unknown. */
type KeyPlan =
  | { readonly kind: 'schemas' }
  | { readonly kind: 'extension'; readonly uri: string }
  | { readonly kind: 'attribute'; readonly attr: AttributeDefinition }
  | { readonly kind: 'unknown' };

/** Most keys a projector remembers the reading of (a resource may carry keys a client invented). */
const MAX_REMEMBERED_KEYS = 512;

/** `compute(key)`, remembered in `memo` while it holds fewer than {@link MAX_REMEMBERED_KEYS} entries. */
function remembered<K, V>(memo: Map<K, V>, key: K, compute: (key: K) => V): V {
  const hit = memo.get(key);
  if (hit !== undefined || memo.has(key)) return hit as V;
  const value = compute(key);
  if (memo.size < MAX_REMEMBERED_KEYS) memo.set(key, value);
  return value;
}

/** The projector of a request without `attributes` or `excludedAttributes`, one per schema. */
const defaultProjectors = new WeakMap<ResourceSchema, Projector>();

/**
 * Prepares the projection of {@link projectResource} once, for applying it to every resource of a
 * list response. Without `attributes` and `excludedAttributes` the projector is made once per
 * schema and shared.
 */
export function compileProjection(schema: ResourceSchema, options: ProjectionOptions = {}): Projector {
  const wanted = resolveNames(schema, options.attributes);
  const excluded = resolveNames(schema, options.excludedAttributes);
  if (wanted === undefined && excluded === undefined) {
    let projector = defaultProjectors.get(schema);
    if (!projector) {
      projector = buildProjector(schema, undefined, undefined);
      defaultProjectors.set(schema, projector);
    }
    return projector;
  }
  return buildProjector(schema, wanted, excluded);
}

/** How an attribute is shown under a projection (the same for every resource). */
function attributePlan(attr: AttributeDefinition, extensionUri: string | undefined, wanted: NameSet | undefined, excluded: NameSet | undefined): AttributePlan {
  if (attr.returned === 'never') return 'omit';
  const namedSubs = wanted?.subs.get(attr);
  const excludedSubs = excluded?.subs.get(attr);
  const always = attr.returned === 'always';
  const wholeRequested = wanted !== undefined && (wanted.whole.has(attr) || (extensionUri !== undefined && wanted.extensions.has(extensionUri)));
  const wholeExcluded = excluded !== undefined && (excluded.whole.has(attr) || (extensionUri !== undefined && excluded.extensions.has(extensionUri)));
  if (!always && wholeExcluded) return 'omit';

  let whole: boolean;
  if (always) whole = true;
  else if (wanted) {
    if (wholeRequested) whole = true;
    else if (namedSubs) whole = false;
    else return 'omit';
  } else {
    if (attr.returned === 'request') return 'omit';
    whole = true;
  }

  if (attr.type !== 'complex') return 'whole';
  return complexPlan(
    attr,
    whole
      ? (sub) => {
          if (!sub) return true;
          if (sub.returned === 'always') return true;
          if (excludedSubs?.has(sub)) return false;
          return sub.returned !== 'request' || (namedSubs?.has(sub) ?? false);
        }
      : (sub) => sub !== undefined && (sub.returned === 'always' || (namedSubs?.has(sub) ?? false)),
  );
}

function buildProjector(schema: ResourceSchema, wanted: NameSet | undefined, excluded: NameSet | undefined): Projector {
  const corePlans = new Map<AttributeDefinition, AttributePlan>();
  const extensionPlans = new Map<string, Map<AttributeDefinition, AttributePlan>>();

  /** The attribute's value as the response shows it, or undefined to leave it out. */
  function projectAttribute(attr: AttributeDefinition, value: unknown, extensionUri: string | undefined): unknown {
    let plans = corePlans;
    if (extensionUri !== undefined) {
      let own = extensionPlans.get(extensionUri);
      if (!own) {
        own = new Map();
        extensionPlans.set(extensionUri, own);
      }
      plans = own;
    }
    let plan = plans.get(attr);
    if (plan === undefined) {
      plan = attributePlan(attr, extensionUri, wanted, excluded);
      plans.set(attr, plan);
    }
    if (plan === 'omit') return undefined;
    if (plan === 'whole') return value;
    return mapValue(attr, plan, value);
  }

  const extensionKeys = new Map<string, Map<string, AttributeDefinition | null>>();

  function projectExtension(uri: string, value: unknown): unknown {
    if (!isObject(value)) return wanted && !wanted.extensions.has(uri) ? undefined : value;
    let keys = extensionKeys.get(uri);
    if (!keys) {
      keys = new Map();
      extensionKeys.set(uri, keys);
    }
    const out: ScimObject = {};
    let any = false;
    for (const key of Object.keys(value)) {
      const attr = remembered(keys, key, (k) => schema.resolve({ uri, attr: k })?.attribute ?? null);
      let v: unknown;
      if (attr) v = projectAttribute(attr, value[key], uri);
      else if (!(wanted && !wanted.extensions.has(uri)) && !excluded?.extensions.has(uri)) v = value[key];
      if (v === undefined) continue;
      out[key] = v;
      any = true;
    }
    return any ? out : undefined;
  }

  const topKeys = new Map<string, KeyPlan>();
  const keyPlan = (key: string): KeyPlan => {
    if (key.toLowerCase() === 'schemas') return { kind: 'schemas' };
    const uri = schema.extensionUri(key);
    if (uri) return { kind: 'extension', uri };
    const resolved = key.startsWith('urn:') || key.includes('.') ? undefined : schema.resolve({ attr: key });
    return resolved ? { kind: 'attribute', attr: resolved.attribute } : { kind: 'unknown' };
  };

  return (resource: ScimObject): ScimObject => {
    const out: ScimObject = {};
    for (const key of Object.keys(resource)) {
      const value = resource[key];
      const plan = remembered(topKeys, key, keyPlan);
      if (plan.kind === 'schemas') {
        out[key] = value;
        continue;
      }
      let v: unknown;
      if (plan.kind === 'extension') v = projectExtension(plan.uri, value);
      else if (plan.kind === 'attribute') v = projectAttribute(plan.attr, value, undefined);
      else if (!wanted) v = value; // not described by the schema: shown by default, never when attributes are listed
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
