import type { JsonSchema } from './resource-json-schema.js';
import { SCIM_FORMATS } from './scim-formats.js';
import type { SchemaValidationError, SchemaValidator } from './schema-validator.js';
import { isObject } from './json-object.js';

/** JSON Pointer escaping of one property name (RFC 6901 §3). */
function pointerSegment(name: string): string {
  return name.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** ajv's type checks, with its strict numbers: `number` and `integer` exclude NaN and infinities. */
function hasType(type: NonNullable<JsonSchema['type']>, data: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof data === 'string';
    case 'boolean':
      return typeof data === 'boolean';
    case 'number':
      return typeof data === 'number' && Number.isFinite(data);
    case 'integer':
      return typeof data === 'number' && Number.isFinite(data) && data % 1 === 0;
    case 'array':
      return Array.isArray(data);
    case 'object':
      return isObject(data);
  }
}

function failure(instancePath: string, schemaPath: string, keyword: string, params: Record<string, unknown>, message: string): SchemaValidationError {
  return { instancePath, schemaPath: `${schemaPath}/${keyword}`, keyword, params, message };
}

/**
 * The first failure of `data` against `schema`, in the order ajv checks (with `allErrors: false`):
 * the type; then for an object its `required` names in order, then its `properties` in order; for
 * an array its items in order; for a string its `enum`, then its `format`.
 */
function firstFailure(schema: JsonSchema, data: unknown, instancePath: string, schemaPath: string): SchemaValidationError | undefined {
  if (schema.type !== undefined && !hasType(schema.type, data)) {
    return failure(instancePath, schemaPath, 'type', { type: schema.type }, `must be ${schema.type}`);
  }
  if (schema.enum !== undefined && !schema.enum.some((allowed) => allowed === data)) {
    return failure(instancePath, schemaPath, 'enum', { allowedValues: schema.enum }, 'must be equal to one of the allowed values');
  }
  if (schema.format !== undefined && typeof data === 'string') {
    const check = SCIM_FORMATS[schema.format];
    if (check && !check(data)) return failure(instancePath, schemaPath, 'format', { format: schema.format }, `must match format "${schema.format}"`);
  }
  if (isObject(data)) {
    // Read like ajv's generated code reads them: a plain property access.
    for (const name of schema.required ?? []) {
      if (data[name] === undefined) {
        return failure(instancePath, schemaPath, 'required', { missingProperty: name }, `must have required property '${name}'`);
      }
    }
    for (const [name, sub] of Object.entries(schema.properties ?? {})) {
      const value = data[name];
      if (value === undefined) continue;
      const found = firstFailure(sub, value, `${instancePath}/${pointerSegment(name)}`, `${schemaPath}/properties/${pointerSegment(name)}`);
      if (found) return found;
    }
  }
  if (Array.isArray(data) && schema.items !== undefined) {
    for (let i = 0; i < data.length; i++) {
      const found = firstFailure(schema.items, data[i], `${instancePath}/${i}`, `${schemaPath}/items`);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * A validator for `schema` that walks it instead of generating code, for runtimes that forbid
 * code generation from strings (Cloudflare Workers, the Next.js edge runtime). It accepts and
 * refuses exactly what ajv's compiled validator does, and reports the same first error.
 */
export function interpretJsonSchema(schema: JsonSchema): SchemaValidator {
  const validate: SchemaValidator = (data: unknown): boolean => {
    const found = firstFailure(schema, data, '', '#');
    validate.errors = found ? [found] : null;
    return found === undefined;
  };
  return validate;
}
