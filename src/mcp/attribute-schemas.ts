import * as z from 'zod/v4';
import type { AttributeDefinition } from '../server/index.js';

/**
 * Property names every MCP host accepts in a tool's input schema. Some hosts refuse a whole tool list
 * when one input property is named otherwise (a schema URN, `$ref`), so such attributes are left
 * out of input schemas; the objects stay open, so a client that sends them anyway is not stopped.
 */
export const SAFE_PROPERTY = /^[A-Za-z0-9_.-]{1,64}$/;

/** Whether a schema describes what a client sends (`input`) or what a tool answers (`output`). */
export type SchemaDirection = 'input' | 'output';

/** Canonical values, as a hint: RFC 7643 lets clients use their own `type` labels. */
function canonicalHint(attr: AttributeDefinition): string | undefined {
  const values = attr.canonicalValues;
  return values && values.length > 0 ? `Usually one of: ${values.join(', ')}.` : undefined;
}

/** What the SCIM type adds to a description: formats a JSON type cannot say. */
function typeHint(attr: AttributeDefinition): string | undefined {
  if (attr.type === 'dateTime') return 'An xsd:dateTime, such as 2025-01-31T09:00:00Z.';
  if (attr.type === 'binary') return 'Base64.';
  if (attr.type === 'reference') return `A reference${attr.referenceTypes?.length ? ` (${attr.referenceTypes.join(', ')})` : ''}.`;
  return undefined;
}

/** What a client must know before writing a top-level attribute (a sub-attribute follows its element). */
function mutabilityHint(attr: AttributeDefinition, direction: SchemaDirection, top: boolean): string | undefined {
  if (direction === 'output' || !top) return undefined;
  if (attr.mutability === 'immutable') return 'Set once, when the resource is created.';
  if (attr.mutability === 'writeOnly' && !/never returned/i.test(attr.description ?? '')) return 'Never returned.';
  return undefined;
}

/** The attribute's description, with the hints its SCIM definition implies. */
export function describeAttribute(attr: AttributeDefinition, direction: SchemaDirection, top: boolean): string | undefined {
  const parts = [top ? attr.description : undefined, typeHint(attr), canonicalHint(attr), mutabilityHint(attr, direction, top)].filter(
    (p): p is string => typeof p === 'string' && p !== '',
  );
  return parts.length > 0 ? parts.join(' ') : undefined;
}

/** The attributes a schema in this direction shows: inputs leave out read-only ones and unsafe names. */
export function shownAttributes(attrs: readonly AttributeDefinition[], direction: SchemaDirection): AttributeDefinition[] {
  if (direction === 'output') return [...attrs];
  return attrs.filter((a) => a.mutability !== 'readOnly' && SAFE_PROPERTY.test(a.name));
}

function valueSchema(attr: AttributeDefinition, direction: SchemaDirection): z.ZodType {
  switch (attr.type) {
    case 'boolean':
      return z.boolean();
    case 'integer':
      return z.int();
    case 'decimal':
      return z.number();
    case 'complex':
      // Outputs stay shallow: the SCIM schema (describe_schemas) has the detail, and every client compiles these.
      return direction === 'output' ? z.looseObject({}) : attributesObject(attr.subAttributes ?? [], direction, false);
    default:
      return z.string();
  }
}

/** One attribute: its value (an array when multi-valued), described, optional unless required on input. */
export function attributeSchema(attr: AttributeDefinition, direction: SchemaDirection, top: boolean): z.ZodType {
  const value = valueSchema(attr, direction);
  let schema: z.ZodType = attr.multiValued ? z.array(value) : value;
  const description = direction === 'input' ? describeAttribute(attr, direction, top) : undefined;
  if (description !== undefined) schema = schema.describe(description);
  return attr.required && direction === 'input' ? schema : schema.optional();
}

/** The shape of an object of these attributes. */
export function attributesShape(attrs: readonly AttributeDefinition[], direction: SchemaDirection, top: boolean): Record<string, z.ZodType> {
  const shape: Record<string, z.ZodType> = {};
  for (const attr of shownAttributes(attrs, direction)) shape[attr.name] = attributeSchema(attr, direction, top);
  return shape;
}

/** An open object of these attributes: keys it does not list pass through to the SCIM validation. */
export function attributesObject(attrs: readonly AttributeDefinition[], direction: SchemaDirection, top: boolean): z.ZodType {
  return z.looseObject(attributesShape(attrs, direction, top));
}
