import type { AttributeDefinition, SchemaDefinition } from './types.js';

const ATTRIBUTE_TYPES = new Set(['string', 'boolean', 'decimal', 'integer', 'dateTime', 'reference', 'binary', 'complex']);
const MUTABILITIES = new Set(['readOnly', 'readWrite', 'immutable', 'writeOnly']);
const RETURNED = new Set(['always', 'never', 'default', 'request']);
const UNIQUENESS = new Set(['none', 'server', 'global']);
/** RFC 7643 §2.1 ATTRNAME. */
const ATTR_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;
/** A schema URI: a URN without whitespace (attribute paths are told apart by the `urn:` prefix). */
const SCHEMA_URI = /^urn:[^\s]+$/i;
/** Names a resource carries at its root besides the schema's own attributes. */
const RESERVED_TOP_LEVEL = new Set(['schemas']);

function fail(where: string, what: string): never {
  throw new TypeError(`Invalid schema definition ${where}: ${what}`);
}

function isStringArray(value: unknown): boolean {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

function checkAttribute(attr: AttributeDefinition, where: string, isSub: boolean): void {
  if (typeof attr !== 'object' || attr === null) fail(where, 'attribute is not an object');
  const name: unknown = attr.name;
  if (typeof name !== 'string' || !(ATTR_NAME.test(name) || (isSub && name === '$ref'))) {
    fail(where, `attribute name ${JSON.stringify(name)} is not a valid ATTRNAME`);
  }
  const at = `${where}.${name}`;
  if (!ATTRIBUTE_TYPES.has(attr.type)) fail(at, `unknown type ${JSON.stringify(attr.type)}`);
  for (const key of ['multiValued', 'required', 'caseExact'] as const) {
    if (typeof attr[key] !== 'boolean') fail(at, `${key} must be a boolean`);
  }
  if (!MUTABILITIES.has(attr.mutability)) fail(at, `unknown mutability ${JSON.stringify(attr.mutability)}`);
  if (!RETURNED.has(attr.returned)) fail(at, `unknown returned ${JSON.stringify(attr.returned)}`);
  if (!UNIQUENESS.has(attr.uniqueness)) fail(at, `unknown uniqueness ${JSON.stringify(attr.uniqueness)}`);
  if (attr.description !== undefined && typeof attr.description !== 'string') fail(at, 'description must be a string');
  if (attr.canonicalValues !== undefined && !isStringArray(attr.canonicalValues)) fail(at, 'canonicalValues must be strings');
  if (attr.referenceTypes !== undefined && !isStringArray(attr.referenceTypes)) fail(at, 'referenceTypes must be strings');
  if (attr.type === 'complex') {
    if (isSub) fail(at, 'a sub-attribute cannot be complex (RFC 7643 §2.3.8)');
    if (!Array.isArray(attr.subAttributes) || attr.subAttributes.length === 0) fail(at, 'a complex attribute needs subAttributes');
    checkSiblings(attr.subAttributes, at, true);
  } else if (attr.subAttributes !== undefined) {
    fail(at, 'only complex attributes may have subAttributes');
  }
}

function checkSiblings(list: readonly AttributeDefinition[], where: string, isSub: boolean): void {
  const seen = new Set<string>();
  for (const attr of list) {
    checkAttribute(attr, where, isSub);
    const lower = attr.name.toLowerCase();
    if (seen.has(lower)) fail(where, `duplicate attribute name "${attr.name}" (names are case-insensitive)`);
    if (!isSub && RESERVED_TOP_LEVEL.has(lower)) fail(where, `"${attr.name}" is reserved`);
    seen.add(lower);
  }
}

/**
 * Checks that a schema definition can describe resources: a `urn:` id, ATTRNAME attribute names
 * unique case-insensitively among siblings, known types and characteristics, and sub-attributes
 * only under complex attributes, one level deep.
 *
 * @throws TypeError naming the first problem found.
 */
export function assertValidSchemaDefinition(schema: SchemaDefinition): void {
  if (typeof schema !== 'object' || schema === null) throw new TypeError('Invalid schema definition: not an object');
  const id: unknown = schema.id;
  if (typeof id !== 'string' || !SCHEMA_URI.test(id))
    fail(JSON.stringify(id), 'id must be a URN such as "urn:example:params:scim:schemas:extension:acme:2.0:User"');
  if (typeof schema.name !== 'string') fail(id, 'name must be a string');
  if (schema.description !== undefined && typeof schema.description !== 'string') fail(id, 'description must be a string');
  if (!Array.isArray(schema.attributes)) fail(id, 'attributes must be an array');
  checkSiblings(schema.attributes, id, false);
}
