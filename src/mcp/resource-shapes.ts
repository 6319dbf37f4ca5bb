import * as z from 'zod/v4';
import type { ResourceSchema, SchemaDefinition } from '../server/index.js';
import { SAFE_PROPERTY, attributesObject, attributesShape } from './attribute-schemas.js';

/** An extension schema as a tool's input names it: a plain property key standing for the schema's URN. */
export interface ExtensionKey {
  /** The input property, `EnterpriseUser`. */
  readonly key: string;
  /** The schema URN it stands for, the key of the extension in the resource. */
  readonly uri: string;
  readonly required: boolean;
  readonly schema: SchemaDefinition;
}

/**
 * Input property keys for a resource type's extensions. A URN is not a property name every MCP host
 * accepts, so each extension is named by its schema's `name` (`EnterpriseUser`), made safe and
 * distinct from the core attributes (SCIM names are case-insensitive) and from each other.
 */
export function extensionKeys(schema: ResourceSchema): ExtensionKey[] {
  const taken = new Set(schema.coreAttributes.map((a) => a.name.toLowerCase()));
  const out: ExtensionKey[] = [];
  schema.extensions.forEach((ext, i) => {
    const base = ext.schema.name.replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 56);
    let key = SAFE_PROPERTY.test(base) ? base : `extension_${i + 1}`;
    for (let n = 2; taken.has(key.toLowerCase()); n++) key = `${base.slice(0, 56) || 'extension'}_${n}`;
    taken.add(key.toLowerCase());
    out.push({ key, uri: ext.schema.id, required: ext.required, schema: ext.schema });
  });
  return out;
}

/** The input shape of a resource: its writable core attributes and one property per extension. */
export function resourceInputShape(schema: ResourceSchema, keys: readonly ExtensionKey[]): Record<string, z.ZodType> {
  const shape = attributesShape(schema.coreAttributes, 'input', true);
  for (const ext of keys) {
    const object = attributesObject(ext.schema.attributes, 'input', true).describe(`Attributes of the extension schema ${ext.uri} (${ext.schema.name}).`);
    shape[ext.key] = ext.required ? object : object.optional();
  }
  return shape;
}

/**
 * A resource as a tool sends it to the operation handler: extension properties moved under their
 * URNs, and `schemas` listing the core schema and every extension present.
 */
export function toScimResource(args: Record<string, unknown>, schema: ResourceSchema, keys: readonly ExtensionKey[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const byKey = new Map(keys.map((k) => [k.key, k.uri]));
  for (const [name, value] of Object.entries(args)) {
    if (value === undefined || name === 'schemas') continue;
    Object.defineProperty(out, byKey.get(name) ?? name, { value, enumerable: true, writable: true, configurable: true });
  }
  const present = schema.extensions.map((e) => e.schema.id).filter((uri) => Object.keys(out).some((k) => k.toLowerCase() === uri.toLowerCase()));
  return { schemas: [schema.core.id, ...present], ...out };
}

/** A resource as tools answer it: the SCIM representation, every attribute optional (projection may leave any out but `id`). */
export function resourceOutputSchema(schema: ResourceSchema): z.ZodObject {
  const shape: Record<string, z.ZodType> = {
    schemas: z.array(z.string()).optional(),
    ...attributesShape(schema.coreAttributes, 'output', false),
  };
  shape.id = z.string().describe('The resource id, assigned by the server.');
  for (const ext of schema.extensions) shape[ext.schema.id] = attributesObject(ext.schema.attributes, 'output', false).optional();
  return z.looseObject(shape);
}
