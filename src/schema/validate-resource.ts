import { ScimError } from '../error/scim-error.js';
import { parseAttributePath } from './attribute-path.js';
import { attributeValueEquals, isUnassigned } from './attribute-value-equals.js';
import type { ResourceSchema } from './resource-schema.js';
import { compileValidator } from './compile-validator.js';
import { enforcesCanonicalValues, resourceJsonSchema } from './resource-json-schema.js';
import { BINARY_FORMAT, DATE_TIME_FORMAT } from './scim-formats.js';
import type { SchemaValidationError, SchemaValidator } from './schema-validator.js';
import type { AttributeDefinition, ScimObject, ScimResource } from './types.js';
import { isObject } from './json-object.js';
import { checkedText, identifyingAttributes } from './text-rules.js';

/** Options of {@link validateResource}. */
export interface ValidateResourceOptions {
  /** `create` for POST; `replace` for PUT (and for the result of a PATCH). */
  mode: 'create' | 'replace';
  /** The stored resource a `replace` applies to; enables the `immutable` checks. */
  existing?: ScimResource;
  /**
   * Tolerant mode for real clients (Entra ID, Okta): `"True"`/`"False"` (any case) for booleans,
   * numeric strings for integers and decimals, a single value for a multi-valued attribute (taken
   * as a one-element list) and a bare string for a complex attribute with a `value` sub-attribute
   * (`"manager": "id"` becomes `"manager": { "value": "id" }`).
   */
  coerceStrings?: boolean;
  /**
   * Most values, across all multi-valued attributes, one body may carry (default 1,000,000);
   * more is a 413.
   */
  maxValues?: number;
  /**
   * Most values one multi-valued attribute may hold (default 1,000); more is a 400 `invalidValue`.
   * A Group's `members` are exempt: membership is the one list that legitimately grows large, and
   * it is stored as a set.
   */
  maxValuesPerAttribute?: number;
}

/** Default of {@link ValidateResourceOptions.maxValues}. */
export const DEFAULT_MAX_VALUES = 1_000_000;

/** Default of {@link ValidateResourceOptions.maxValuesPerAttribute}. */
export const DEFAULT_MAX_VALUES_PER_ATTRIBUTE = 1_000;

/** Everything derived once from a {@link ResourceSchema} for validation. */
interface Compiled {
  /** Core attributes (common ones included), by lower-cased name. */
  readonly core: Map<string, AttributeDefinition>;
  /** Extensions by lower-cased URI. */
  readonly extensions: Map<string, { readonly uri: string; readonly attrs: Map<string, AttributeDefinition> }>;
  /** Sub-attributes of each complex attribute, by lower-cased name. */
  readonly subs: Map<AttributeDefinition, Map<string, AttributeDefinition>>;
  /** Every URI `schemas` may list, lower-cased → canonical. */
  readonly schemaUris: Map<string, string>;
  readonly coreUri: string;
  /** Extension URIs in resource-type order. */
  readonly extensionOrder: readonly string[];
  /** Attributes and single-valued sub-attributes that are `immutable`, with their canonical keys. */
  readonly immutables: readonly { readonly keys: readonly string[]; readonly attr: AttributeDefinition }[];
  readonly validate: SchemaValidator;
  /** The attribute holding the type's members (a Group's `members`), exempt from the per-attribute value limit. */
  readonly members: AttributeDefinition | undefined;
  /** Attributes whose text identifies a resource: kept in NFC, with no invisible formatting characters. */
  readonly identifying: ReadonlySet<AttributeDefinition>;
}

const compiledBySchema = new WeakMap<ResourceSchema, Compiled>();

function byLowerName(attrs: readonly AttributeDefinition[]): Map<string, AttributeDefinition> {
  const map = new Map<string, AttributeDefinition>();
  for (const a of attrs) map.set(a.name.toLowerCase(), a);
  return map;
}

function compile(schema: ResourceSchema): Compiled {
  const subs = new Map<AttributeDefinition, Map<string, AttributeDefinition>>();
  const immutables: { keys: string[]; attr: AttributeDefinition }[] = [];
  const index = (attrs: readonly AttributeDefinition[], prefix: readonly string[]): void => {
    for (const a of attrs) {
      if (a.mutability === 'readOnly') continue;
      if (a.mutability === 'immutable') immutables.push({ keys: [...prefix, a.name], attr: a });
      if (a.type === 'complex' && a.subAttributes) {
        subs.set(a, byLowerName(a.subAttributes));
        if (!a.multiValued && a.mutability !== 'immutable') {
          for (const s of a.subAttributes) {
            if (s.mutability === 'immutable') immutables.push({ keys: [...prefix, a.name, s.name], attr: s });
          }
        }
      }
    }
  };
  index(schema.coreAttributes, []);
  const extensions = new Map<string, { uri: string; attrs: Map<string, AttributeDefinition> }>();
  for (const ext of schema.extensions) {
    extensions.set(ext.schema.id.toLowerCase(), { uri: ext.schema.id, attrs: byLowerName(ext.schema.attributes) });
    index(ext.schema.attributes, [ext.schema.id]);
  }
  const schemaUris = new Map<string, string>();
  for (const uri of schema.schemaUris) schemaUris.set(uri.toLowerCase(), uri);
  const validate = compileValidator(resourceJsonSchema(schema));
  return {
    core: byLowerName(schema.coreAttributes),
    extensions,
    subs,
    schemaUris,
    coreUri: schema.core.id,
    extensionOrder: schema.extensions.map((e) => e.schema.id),
    immutables,
    validate,
    members: membersAttribute(schema),
    identifying: identifyingAttributes(schema),
  };
}

/** The attribute the resource type's membership declares as holding its members, if any. */
function membersAttribute(schema: ResourceSchema): AttributeDefinition | undefined {
  const name = schema.resourceType.membership?.attribute.toLowerCase();
  return name === undefined ? undefined : schema.core.attributes.find((a) => a.name.toLowerCase() === name && a.multiValued);
}

function compiledFor(schema: ResourceSchema): Compiled {
  let compiled = compiledBySchema.get(schema);
  if (!compiled) {
    compiled = compile(schema);
    compiledBySchema.set(schema, compiled);
  }
  return compiled;
}

/** Marks a value that is unassigned (null, empty list, empty complex value). */
const UNASSIGNED: unique symbol = Symbol('unassigned');
type Canonical = unknown;

interface Context {
  readonly compiled: Compiled;
  readonly coerce: boolean;
  readonly maxValues: number;
  readonly maxPerAttribute: number;
  values: number;
}

function invalidValue(detail: string): ScimError {
  return ScimError.badRequest('invalidValue', detail);
}

const INTEGER_TEXT = /^[+-]?\d+$/;
const DECIMAL_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function coerce(attr: AttributeDefinition, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  switch (attr.type) {
    case 'boolean': {
      const lower = value.trim().toLowerCase();
      if (lower === 'true') return true;
      if (lower === 'false') return false;
      return value;
    }
    case 'integer': {
      const text = value.trim();
      if (text.length > 20 || !INTEGER_TEXT.test(text)) return value;
      const n = Number(text);
      return Number.isSafeInteger(n) ? n : value;
    }
    case 'decimal': {
      const text = value.trim();
      if (text.length > 400 || !DECIMAL_TEXT.test(text)) return value;
      const n = Number(text);
      return Number.isFinite(n) ? n : value;
    }
    default:
      return value;
  }
}

function canonicalSimple(ctx: Context, attr: AttributeDefinition, value: unknown, label: string, isSub: boolean): Canonical {
  let v = ctx.coerce ? coerce(attr, value) : value;
  if (typeof v === 'string') v = checkedText(attr, v, label, !isSub && ctx.compiled.identifying.has(attr));
  if (typeof v === 'string' && enforcesCanonicalValues(attr, isSub)) {
    const lower = v.toLowerCase();
    const match = attr.canonicalValues?.find((c) => c.toLowerCase() === lower);
    if (match !== undefined) return match;
  }
  return v;
}

function canonicalComplex(ctx: Context, attr: AttributeDefinition, obj: ScimObject, label: string): Canonical {
  const subs = ctx.compiled.subs.get(attr);
  if (!subs) return UNASSIGNED;
  const out: ScimObject = {};
  let assigned = false;
  for (const key of Object.keys(obj)) {
    const sub = subs.get(key.toLowerCase());
    if (!sub || sub.mutability === 'readOnly') continue;
    const v = canonicalValue(ctx, sub, obj[key], `${label}.${sub.name}`, true);
    if (v === UNASSIGNED) continue;
    if (Object.hasOwn(out, sub.name)) throw ScimError.badRequest('invalidSyntax', `${label}.${sub.name}: given more than once`);
    out[sub.name] = v;
    assigned = true;
  }
  return assigned ? out : UNASSIGNED;
}

function canonicalSingle(ctx: Context, attr: AttributeDefinition, value: unknown, label: string, isSub: boolean): Canonical {
  if (value === null || value === undefined) return UNASSIGNED;
  if (attr.type !== 'complex') return canonicalSimple(ctx, attr, value, label, isSub);
  if (isObject(value)) return canonicalComplex(ctx, attr, value, label);
  if (ctx.coerce && typeof value === 'string' && ctx.compiled.subs.get(attr)?.has('value')) {
    return canonicalComplex(ctx, attr, { value }, label);
  }
  // Left as it is: the type check reports it.
  return value;
}

function canonicalValue(ctx: Context, attr: AttributeDefinition, value: unknown, label: string, isSub: boolean): Canonical {
  if (value === null || value === undefined) return UNASSIGNED;
  if (!attr.multiValued) return canonicalSingle(ctx, attr, value, label, isSub);
  let list: readonly unknown[];
  if (Array.isArray(value)) list = value;
  else if (ctx.coerce) list = [value];
  else return value; // the type check reports "expected array"
  if (list.length === 0) return UNASSIGNED;
  if (list.length > ctx.maxPerAttribute && attr !== ctx.compiled.members) {
    throw invalidValue(`${label}: at most ${ctx.maxPerAttribute} values are accepted, ${list.length} were given`);
  }
  ctx.values += list.length;
  if (ctx.values > ctx.maxValues) {
    throw new ScimError(413, `The body carries more than ${ctx.maxValues} attribute values`);
  }
  const out: unknown[] = [];
  let primaries = 0;
  for (const item of list) {
    const v = canonicalSingle(ctx, attr, item, `${label}[${out.length}]`, isSub);
    if (v === UNASSIGNED) continue;
    if (isObject(v) && v.primary === true) primaries++;
    out.push(v);
  }
  if (primaries > 1) throw invalidValue(`${label}: at most one value may have "primary": true`);
  return out.length > 0 ? out : UNASSIGNED;
}

/** Sets `value` at `target[name]`, refusing a second value for the same attribute. */
function assign(target: ScimObject, name: string, value: Canonical, label: string): void {
  if (value === UNASSIGNED) return;
  if (Object.hasOwn(target, name)) throw ScimError.badRequest('invalidSyntax', `${label}: given more than once`);
  target[name] = value;
}

function canonicalAttributes(ctx: Context, attrs: Map<string, AttributeDefinition>, obj: ScimObject, prefix: string): ScimObject {
  const out: ScimObject = {};
  for (const key of Object.keys(obj)) {
    const attr = attrs.get(key.toLowerCase());
    if (!attr || attr.mutability === 'readOnly') continue;
    const label = `${prefix}${attr.name}`;
    assign(out, attr.name, canonicalValue(ctx, attr, obj[key], label, false), label);
  }
  return out;
}

/** `urn:...:User:employeeNumber` or `urn:...:User:manager.value` written as a top-level key. */
function applyQualifiedKey(ctx: Context, out: ScimObject, key: string, value: unknown): void {
  const path = parseAttributePath(key);
  if (!path?.uri) return;
  const uriKey = path.uri.toLowerCase();
  let target: ScimObject = out;
  let attrs: Map<string, AttributeDefinition>;
  let prefix = '';
  if (uriKey === ctx.compiled.coreUri.toLowerCase()) {
    attrs = ctx.compiled.core;
  } else {
    const ext = ctx.compiled.extensions.get(uriKey);
    if (!ext) return;
    attrs = ext.attrs;
    prefix = `${ext.uri}:`;
    const existing = out[ext.uri];
    if (existing === undefined) {
      target = {};
      out[ext.uri] = target;
    } else if (isObject(existing)) {
      target = existing;
    } else {
      return; // not an object: the type check reports it
    }
  }
  const attr = attrs.get(path.attr.toLowerCase());
  if (!attr || attr.mutability === 'readOnly') return;
  if (path.sub === undefined) {
    const v = canonicalValue(ctx, attr, value, `${prefix}${attr.name}`, false);
    if (v === UNASSIGNED) delete target[attr.name];
    else target[attr.name] = v;
    return;
  }
  if (attr.type !== 'complex' || attr.multiValued) return;
  const sub = ctx.compiled.subs.get(attr)?.get(path.sub.toLowerCase());
  if (!sub || sub.mutability === 'readOnly') return;
  const v = canonicalValue(ctx, sub, value, `${prefix}${attr.name}.${sub.name}`, true);
  const parent = target[attr.name];
  if (parent !== undefined && !isObject(parent)) return;
  if (v === UNASSIGNED) {
    if (parent) delete parent[sub.name];
    if (parent && Object.keys(parent).length === 0) delete target[attr.name];
    return;
  }
  const holder: ScimObject = parent ?? {};
  holder[sub.name] = v;
  target[attr.name] = holder;
}

const CORE_SCHEMA_PREFIX = 'urn:ietf:params:scim:schemas:core:';

function checkSchemasMember(compiled: Compiled, value: unknown): void {
  if (!Array.isArray(value)) throw ScimError.badRequest('invalidSyntax', '"schemas" must be an array of schema URIs');
  for (const uri of value) {
    if (typeof uri !== 'string') throw ScimError.badRequest('invalidSyntax', '"schemas" must be an array of schema URIs');
    // Another resource type's core schema is a wrong request; an extension this tenant does not
    // have is unknown, and unknown things are ignored like unknown attributes.
    if (!compiled.schemaUris.has(uri.toLowerCase()) && uri.toLowerCase().startsWith(CORE_SCHEMA_PREFIX)) {
      throw ScimError.badRequest('invalidSyntax', `"schemas" names the core schema of another resource type: ${uri}`);
    }
  }
}

function canonicalise(ctx: Context, body: ScimObject): ScimObject {
  const { compiled } = ctx;
  const out: ScimObject = {};
  let qualified: string[] | undefined;
  for (const key of Object.keys(body)) {
    const lower = key.toLowerCase();
    const value = body[key];
    if (lower === 'schemas') {
      if (value !== null && value !== undefined) checkSchemasMember(compiled, value);
      continue;
    }
    const attr = compiled.core.get(lower);
    if (attr) {
      if (attr.mutability === 'readOnly') continue;
      assign(out, attr.name, canonicalValue(ctx, attr, value, attr.name, false), attr.name);
      continue;
    }
    if (!lower.startsWith('urn:')) continue; // unknown attribute: ignored
    const ext = compiled.extensions.get(lower);
    if (!ext) {
      (qualified ??= []).push(key);
      continue;
    }
    if (value === null || value === undefined) continue;
    if (Object.hasOwn(out, ext.uri)) throw ScimError.badRequest('invalidSyntax', `${ext.uri}: given more than once`);
    if (!isObject(value)) {
      out[ext.uri] = value; // the type check reports it
      continue;
    }
    const attrs = canonicalAttributes(ctx, ext.attrs, value, `${ext.uri}:`);
    if (Object.keys(attrs).length > 0) out[ext.uri] = attrs;
  }
  if (qualified) {
    for (const key of qualified) applyQualifiedKey(ctx, out, key, body[key]);
    for (const uri of compiled.extensionOrder) {
      const ext = out[uri];
      if (isObject(ext) && Object.keys(ext).length === 0) delete out[uri];
    }
  }
  return out;
}

function getPath(obj: ScimObject, keys: readonly string[]): unknown {
  let cur: unknown = obj;
  for (const k of keys) {
    if (!isObject(cur)) return undefined;
    cur = cur[k];
  }
  return cur;
}

function setPath(obj: ScimObject, keys: readonly string[], value: unknown): void {
  const last = keys[keys.length - 1];
  if (last === undefined) return;
  let cur = obj;
  for (const key of keys.slice(0, -1)) {
    const next = cur[key];
    if (next === undefined) {
      const created: ScimObject = {};
      cur[key] = created;
      cur = created;
    } else if (isObject(next)) {
      cur = next;
    } else {
      return;
    }
  }
  cur[last] = value;
}

function labelOf(keys: readonly string[]): string {
  const first = keys[0];
  return first?.toLowerCase().startsWith('urn:') ? `${first}:${keys.slice(1).join('.')}` : keys.join('.');
}

/** Keeps immutable values a replace left out, so a PUT cannot clear them by omission. */
function carryImmutables(compiled: Compiled, out: ScimObject, existing: ScimResource): void {
  for (const { keys } of compiled.immutables) {
    const before = getPath(existing, keys);
    if (isUnassigned(before) || !isUnassigned(getPath(out, keys))) continue;
    setPath(out, keys, structuredClone(before));
  }
}

function checkImmutables(compiled: Compiled, out: ScimObject, existing: ScimResource): void {
  for (const { keys, attr } of compiled.immutables) {
    const before = getPath(existing, keys);
    if (isUnassigned(before)) continue;
    if (!attributeValueEquals(attr, before, getPath(out, keys))) {
      throw ScimError.badRequest('mutability', `${labelOf(keys)}: immutable attribute cannot be changed once set`);
    }
  }
}

/** Turns a JSON Pointer instance path (`/emails/1/value`) into a SCIM attribute path (`emails[1].value`). */
function scimPath(instancePath: string): string {
  if (instancePath === '') return '';
  const segments = instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const underUrn = segments[0]?.toLowerCase().startsWith('urn:') === true;
  let text = '';
  segments.forEach((seg, i) => {
    if (/^\d+$/.test(seg)) text += `[${seg}]`;
    else if (i === 0) text += seg;
    else if (i === 1 && underUrn) text += `:${seg}`;
    else text += `.${seg}`;
  });
  return text;
}

/** Appends a child attribute name to a SCIM path; directly under an extension URN, with a colon. */
function join(parent: string, child: string, compiled: Compiled): string {
  if (parent === '') return child;
  return compiled.extensions.has(parent.toLowerCase()) ? `${parent}:${child}` : `${parent}.${child}`;
}

const TYPE_NAMES: Record<string, string> = {
  string: 'string',
  boolean: 'boolean',
  integer: 'integer',
  number: 'decimal number',
  object: 'complex value (JSON object)',
  array: 'array (multi-valued attribute)',
};

function describeError(error: SchemaValidationError, compiled: Compiled): string {
  const path = scimPath(error.instancePath);
  switch (error.keyword) {
    case 'type': {
      const expected = String((error.params as { type?: unknown }).type);
      return `${path}: expected ${TYPE_NAMES[expected] ?? expected}`;
    }
    case 'format': {
      const format = String((error.params as { format?: unknown }).format);
      if (format === DATE_TIME_FORMAT) return `${path}: expected dateTime (xsd:dateTime, such as 2015-07-01T12:00:00Z)`;
      if (format === BINARY_FORMAT) return `${path}: expected binary (base64)`;
      return `${path}: invalid ${format}`;
    }
    case 'required': {
      const missing = String((error.params as { missingProperty?: unknown }).missingProperty);
      if (path === '' && compiled.extensions.has(missing.toLowerCase())) return `${missing}: required extension is missing`;
      return `${join(path, missing, compiled)}: required attribute is missing`;
    }
    case 'enum': {
      const allowed = (error.params as { allowedValues?: unknown }).allowedValues;
      return `${path}: expected one of ${Array.isArray(allowed) ? allowed.map((v) => JSON.stringify(v)).join(', ') : 'the canonical values'}`;
    }
    default:
      return `${path || 'body'}: ${error.message ?? 'invalid value'}`;
  }
}

/**
 * Validates a POST or PUT body against a resource type's schemas and returns it in canonical form.
 *
 * - Attribute names are matched case-insensitively (extension URN keys and keys inside complex
 *   values included) and written with their canonical spelling; extension attributes end up under
 *   their canonical URN key. Top-level keys such as `urn:...:enterprise:2.0:User:employeeNumber`
 *   are accepted too.
 * - Unknown attributes are ignored; `null`, `[]` and complex values left empty are unassigned and
 *   dropped; `readOnly` attributes (`id`, `meta`, `groups`, ...) are ignored, also on replace.
 *   `writeOnly` values (`password`) are kept: they are stored, and projection never returns them.
 * - `schemas`, when present, must be an array of strings that names no other resource type's core
 *   schema (else `invalidSyntax`); extension URIs this tenant does not have are ignored, with their
 *   attributes;
 *   the output's `schemas` is the core URI plus the URIs of the extensions present.
 * - Types are checked with a JSON Schema validator made once per {@link ResourceSchema} (compiled
 *   when the package was built for the built-in types); a mismatch,
 *   a missing required attribute or extension, more than one `primary: true` or a non-canonical
 *   value of an attribute with canonical values (except `type` sub-attributes) is a 400
 *   `invalidValue` whose detail names the attribute path (`emails[1].value: expected string`).
 * - On `replace` with `existing`, an `immutable` attribute that has a value must keep it (400
 *   `mutability`); left out, it keeps its stored value.
 *
 * Pure: the body is not modified, and the work is bounded by the schema, not by the input's depth.
 *
 * @throws ScimError 400 `invalidSyntax` / `invalidValue` / `mutability`, or 413 past
 * {@link ValidateResourceOptions.maxValues}.
 */
export function validateResource(body: unknown, schema: ResourceSchema, options: ValidateResourceOptions): ScimObject {
  if (!isObject(body)) throw ScimError.badRequest('invalidSyntax', 'The request body must be a JSON object');
  const compiled = compiledFor(schema);
  const ctx: Context = {
    compiled,
    coerce: options.coerceStrings === true,
    maxValues: options.maxValues ?? DEFAULT_MAX_VALUES,
    maxPerAttribute: options.maxValuesPerAttribute ?? DEFAULT_MAX_VALUES_PER_ATTRIBUTE,
    values: 0,
  };
  const out = canonicalise(ctx, body);
  const existing = options.mode === 'replace' ? options.existing : undefined;
  if (existing && compiled.immutables.length > 0) carryImmutables(compiled, out, existing);
  if (!compiled.validate(out)) {
    const error = compiled.validate.errors?.[0];
    throw invalidValue(error ? describeError(error, compiled) : 'The resource does not match its schema');
  }
  if (existing && compiled.immutables.length > 0) checkImmutables(compiled, out, existing);
  const schemas = [compiled.coreUri];
  for (const uri of compiled.extensionOrder) if (Object.hasOwn(out, uri)) schemas.push(uri);
  return { schemas, ...out };
}
