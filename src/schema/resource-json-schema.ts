import type { ResourceSchema } from './resource-schema.js';
import { BINARY_FORMAT, DATE_TIME_FORMAT } from './scim-formats.js';
import type { AttributeDefinition } from './types.js';

/** The subset of JSON Schema (draft-07) this module produces. */
export interface JsonSchema {
  type?: 'string' | 'boolean' | 'number' | 'integer' | 'object' | 'array';
  format?: string;
  enum?: string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
}

/**
 * True when canonical values of `attr` are enforced on input. `type` sub-attributes are exempt:
 * clients use their own labels (`"type": "mobile2"`), which RFC 7643 allows.
 */
export function enforcesCanonicalValues(attr: AttributeDefinition, isSub: boolean): boolean {
  return attr.type === 'string' && attr.canonicalValues !== undefined && attr.canonicalValues.length > 0 && !(isSub && attr.name.toLowerCase() === 'type');
}

function valueSchema(attr: AttributeDefinition, isSub: boolean): JsonSchema {
  switch (attr.type) {
    case 'string':
      return enforcesCanonicalValues(attr, isSub) ? { type: 'string', enum: [...(attr.canonicalValues ?? [])] } : { type: 'string' };
    case 'reference':
      return { type: 'string' };
    case 'boolean':
      return { type: 'boolean' };
    case 'integer':
      return { type: 'integer' };
    case 'decimal':
      return { type: 'number' };
    case 'dateTime':
      return { type: 'string', format: DATE_TIME_FORMAT };
    case 'binary':
      return { type: 'string', format: BINARY_FORMAT };
    case 'complex':
      return objectSchema(attr.subAttributes ?? [], true);
  }
}

function attributeSchema(attr: AttributeDefinition, isSub: boolean): JsonSchema {
  const value = valueSchema(attr, isSub);
  return attr.multiValued ? { type: 'array', items: value } : value;
}

/** Attributes a client may write: everything but `readOnly`. */
function writable(attrs: readonly AttributeDefinition[]): AttributeDefinition[] {
  return attrs.filter((a) => a.mutability !== 'readOnly');
}

function objectSchema(attrs: readonly AttributeDefinition[], isSub: boolean): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const attr of writable(attrs)) {
    properties[attr.name] = attributeSchema(attr, isSub);
    if (attr.required) required.push(attr.name);
  }
  return required.length > 0 ? { type: 'object', properties, required } : { type: 'object', properties };
}

/**
 * The JSON Schema of a resource body in canonical form (canonical attribute names, extensions
 * under their URN keys, `readOnly` attributes removed). `schemas`, `id` and `meta` are not part of
 * it. Required attributes are required, a required extension must be present, `dateTime` and
 * `binary` carry the {@link DATE_TIME_FORMAT} and {@link BINARY_FORMAT} formats.
 */
export function resourceJsonSchema(schema: ResourceSchema): JsonSchema {
  const root = objectSchema(schema.coreAttributes, false);
  const properties = { ...(root.properties ?? {}) };
  const required = [...(root.required ?? [])];
  for (const ext of schema.extensions) {
    properties[ext.schema.id] = objectSchema(ext.schema.attributes, false);
    if (ext.required) required.push(ext.schema.id);
  }
  return required.length > 0 ? { type: 'object', properties, required } : { type: 'object', properties };
}
