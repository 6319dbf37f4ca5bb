import { ScimError } from '../error/scim-error.js';
import { DEFAULT_DISPLAY_ATTRIBUTE } from './membership.js';
import type { ResourceSchema } from './resource-schema.js';
import type { AttributeDefinition } from './types.js';

/**
 * What text an attribute may hold, so that no value can pass for another:
 *
 * - Control characters (U+0000–U+001F, U+007F–U+009F) are refused in every string, except tab, and
 *   line breaks (CR, LF) in `formatted` values, which RFC 7643 §4.1.2 allows to span lines, and in
 *   `binary` values, whose base64 may be wrapped in lines.
 * - Identifying text, `userName` and every attribute whose uniqueness is checked, is stored in Unicode
 *   NFC, so that "á" written precomposed and as "a" with a combining accent is one value; it may hold
 *   no invisible formatting character (Unicode category Cf: zero-width space, joiners, bidirectional
 *   controls, the byte order mark), which would make two values that look the same differ.
 *
 * NFC leaves compatibility characters as they are: fullwidth `ａｄｍｉｎ` stays a value of its own.
 */

const CONTROL = /[\u0000-\u0008\u000A-\u001F\u007F-\u009F]/;
const CONTROL_BUT_LINE_BREAKS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const FORMAT = /\p{Cf}/u;

/** U+XXXX, for an error detail that names a character without writing it. */
function codePoint(text: string, pattern: RegExp): string {
  const m = pattern.exec(text);
  const cp = m ? (m[0].codePointAt(0) ?? 0) : 0;
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

const identifyingBySchema = new WeakMap<ResourceSchema, ReadonlySet<AttributeDefinition>>();

/**
 * The attributes of a resource type whose text identifies a resource: its top-level string
 * attributes (core and extensions) whose uniqueness is checked (`server` or `global`), `userName`
 * among them, and the display attribute of a type that holds members (a Group's `displayName`,
 * whose uniqueness a tenant may check).
 */
export function identifyingAttributes(schema: ResourceSchema): ReadonlySet<AttributeDefinition> {
  let set = identifyingBySchema.get(schema);
  if (set) return set;
  const out = new Set<AttributeDefinition>();
  const all = [...schema.coreAttributes, ...schema.extensions.flatMap((e) => e.schema.attributes)];
  for (const attr of all) if (attr.type === 'string' && !attr.multiValued && attr.uniqueness !== 'none') out.add(attr);
  const membership = schema.resourceType.membership;
  if (membership) {
    const display = (membership.displayAttribute ?? DEFAULT_DISPLAY_ATTRIBUTE).toLowerCase();
    const attr = schema.coreAttributes.find((a) => a.name.toLowerCase() === display && a.type === 'string' && !a.multiValued);
    if (attr) out.add(attr);
  }
  set = out;
  identifyingBySchema.set(schema, set);
  return set;
}

/**
 * A string value as stored: checked against the rules above, and in NFC when it is identifying.
 *
 * @param attr - the attribute (or sub-attribute) the value belongs to.
 * @param label - the attribute's path, for the error detail.
 * @param identifying - whether the value is identifying text ({@link identifyingAttributes}).
 * @throws ScimError 400 `invalidValue` naming the attribute and the code point refused.
 */
export function checkedText(attr: AttributeDefinition, value: string, label: string, identifying: boolean): string {
  const lines = attr.type === 'binary' || (attr.name === 'formatted' && !identifying);
  const control = lines ? CONTROL_BUT_LINE_BREAKS : CONTROL;
  if (control.test(value)) throw ScimError.badRequest('invalidValue', `${label}: control character ${codePoint(value, control)} is not allowed`);
  if (!identifying) return value;
  if (FORMAT.test(value)) throw ScimError.badRequest('invalidValue', `${label}: invisible formatting character ${codePoint(value, FORMAT)} is not allowed`);
  return value.normalize('NFC');
}
