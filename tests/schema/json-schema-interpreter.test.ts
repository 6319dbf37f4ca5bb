/**
 * The interpreter used where code generation is forbidden must accept and refuse exactly what ajv's
 * compiled validators do, with the same first error: checked on random schemas of the subset
 * resource schemas use and on random values, and on the built-in schemas.
 */
import Ajv from 'ajv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { interpretJsonSchema } from '../../src/schema/json-schema-interpreter.js';
import type { JsonSchema } from '../../src/schema/resource-json-schema.js';
import { resourceJsonSchema } from '../../src/schema/resource-json-schema.js';
import { SchemaRegistry } from '../../src/schema/schema-registry.js';
import { BINARY_FORMAT, DATE_TIME_FORMAT, SCIM_FORMATS } from '../../src/schema/scim-formats.js';
import type { SchemaValidator } from '../../src/schema/schema-validator.js';

const ajv = new Ajv({ allErrors: false, strict: true, formats: { ...SCIM_FORMATS } });

/** Property names, some of them awkward: pointer escapes, a URN, and names on Object.prototype. */
const NAMES = ['value', 'type', 'primary', 'a/b', 'x~y', 'urn:example:ext:2.0:User', 'constructor', 'toString', '$ref', 'display'];

const leafArb: fc.Arbitrary<JsonSchema> = fc.oneof(
  fc.constantFrom<JsonSchema>(
    { type: 'string' },
    { type: 'boolean' },
    { type: 'number' },
    { type: 'integer' },
    { type: 'string', format: DATE_TIME_FORMAT },
    { type: 'string', format: BINARY_FORMAT },
  ),
  fc
    .uniqueArray(fc.constantFrom('low', 'high', 'Work', 'work', ''), { minLength: 1, maxLength: 3 })
    .map((values): JsonSchema => ({ type: 'string', enum: values })),
);

const schemaArb: fc.Arbitrary<JsonSchema> = fc.letrec<{ node: JsonSchema }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leafArb,
    fc.uniqueArray(fc.tuple(fc.constantFrom(...NAMES), tie('node'), fc.boolean()), { maxLength: 4, selector: ([name]) => name }).map((props): JsonSchema => {
      const required = props.filter(([, , r]) => r).map(([name]) => name);
      const properties = Object.fromEntries(props.map(([name, sub]) => [name, sub]));
      return required.length > 0 ? { type: 'object', properties, required } : { type: 'object', properties };
    }),
    tie('node').map((items): JsonSchema => ({ type: 'array', items })),
  ),
})).node;

/** Values shaped after `schema` most of the time, so that the deep checks are reached. */
function valueFor(schema: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  const anything = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -0, 1.5, 2, '2015-02-30T00:00:00Z'));
  const shaped = ((): fc.Arbitrary<unknown> => {
    switch (schema.type) {
      case 'string':
        if (schema.enum) return fc.constantFrom(...schema.enum, 'LOW', 'other');
        if (schema.format === DATE_TIME_FORMAT) return fc.constantFrom('2015-07-01T12:00:00Z', '2015-02-30T00:00:00Z', 'yesterday');
        if (schema.format === BINARY_FORMAT) return fc.constantFrom('aGVsbG8=', 'not base64!', '');
        return fc.string({ maxLength: 4 });
      case 'boolean':
        return fc.boolean();
      case 'number':
        return fc.oneof(fc.double(), fc.integer());
      case 'integer':
        return fc.oneof(fc.integer(), fc.constantFrom(1.5, Number.NaN));
      case 'array':
        return depth > 4 ? fc.constant([]) : fc.array(valueFor(schema.items ?? {}, depth + 1), { maxLength: 3 });
      case 'object': {
        if (depth > 4) return fc.constant({});
        const entries = Object.entries(schema.properties ?? {}).map(([name, sub]) =>
          fc.option(valueFor(sub, depth + 1), { nil: undefined }).map((v) => [name, v] as const),
        );
        return fc.tuple(...entries).map((pairs) => {
          const out: Record<string, unknown> = {};
          for (const [name, v] of pairs)
            if (v !== undefined) Object.defineProperty(out, name, { value: v, enumerable: true, writable: true, configurable: true });
          return out;
        });
      }
      default:
        return anything;
    }
  })();
  return fc.oneof({ weight: 5, arbitrary: shaped }, { weight: 1, arbitrary: anything });
}

function outcome(validate: SchemaValidator, data: unknown) {
  const valid = validate(data);
  const error = validate.errors?.[0];
  return { valid, error: error ? { instancePath: error.instancePath, keyword: error.keyword, params: error.params } : undefined };
}

describe('the JSON Schema interpreter', () => {
  it('agrees with ajv on random schemas and values, first error included', () => {
    fc.assert(
      fc.property(
        schemaArb.chain((schema) => fc.tuple(fc.constant(schema), fc.array(valueFor(schema), { minLength: 1, maxLength: 5 }))),
        ([schema, values]) => {
          const compiled = ajv.compile(schema);
          const interpreted = interpretJsonSchema(schema);
          for (const value of values) expect(outcome(interpreted, value)).toEqual(outcome(compiled, value));
        },
      ),
      { seed: 11, numRuns: 400 },
    );
  });

  it('agrees with ajv on the built-in resource schemas', () => {
    const registry = new SchemaRegistry();
    for (const type of ['User', 'Group']) {
      const schema = resourceJsonSchema(registry.resourceSchema('t', type)!);
      const compiled = ajv.compile(schema);
      const interpreted = interpretJsonSchema(schema);
      fc.assert(
        fc.property(valueFor(schema), (value) => {
          expect(outcome(interpreted, value)).toEqual(outcome(compiled, value));
        }),
        { seed: 12, numRuns: 500 },
      );
    }
  });

  it('reports where and why, as ajv does', () => {
    const validate = interpretJsonSchema({
      type: 'object',
      properties: { emails: { type: 'array', items: { type: 'object', properties: { value: { type: 'string' } } } } },
    });
    expect(validate({ emails: [{ value: 'a' }, { value: 2 }] })).toBe(false);
    expect(validate.errors).toEqual([
      {
        instancePath: '/emails/1/value',
        schemaPath: '#/properties/emails/items/properties/value/type',
        keyword: 'type',
        params: { type: 'string' },
        message: 'must be string',
      },
    ]);
    expect(validate({ emails: [] })).toBe(true);
    expect(validate.errors).toBeNull();
  });
});
