import Ajv from 'ajv';
import { interpretJsonSchema } from './json-schema-interpreter.js';
import { PRECOMPILED_VALIDATORS } from './precompiled-validators.js';
import type { JsonSchema } from './resource-json-schema.js';
import { SCIM_FORMATS } from './scim-formats.js';
import type { SchemaValidator } from './schema-validator.js';

/**
 * How validators are obtained: `auto` takes a precompiled one, else compiles with ajv where the
 * runtime allows code generation, else interprets; `interpret` always interprets.
 */
export type ValidatorStrategy = 'auto' | 'interpret';

let strategy: ValidatorStrategy = 'auto';
let codeGeneration: boolean | undefined;
let ajv: Ajv | undefined;

/**
 * Sets how validators are obtained from now on, for tests that run the same cases both ways.
 *
 * @internal
 */
export function useValidatorStrategy(next: ValidatorStrategy): void {
  strategy = next;
}

/** True when this runtime may compile code from strings (Workers and edge runtimes may not). */
function codeGenerationAllowed(): boolean {
  if (codeGeneration === undefined) {
    try {
      codeGeneration = new Function('return true')() === true;
    } catch {
      codeGeneration = false;
    }
  }
  return codeGeneration;
}

/**
 * A validator for a resource body's JSON Schema. The built-in resource types' schemas were compiled
 * when the package was built (ajv standalone code, `precompiled-validators.ts`); a schema with
 * extensions is compiled by ajv at first use, or interpreted where the runtime forbids code
 * generation. All three accept and refuse the same bodies with the same first error.
 */
export function compileValidator(schema: JsonSchema): SchemaValidator {
  if (strategy === 'interpret') return interpretJsonSchema(schema);
  const precompiled = PRECOMPILED_VALIDATORS.get(JSON.stringify(schema));
  if (precompiled) return precompiled;
  if (!codeGenerationAllowed()) return interpretJsonSchema(schema);
  ajv ??= new Ajv({ allErrors: false, strict: true, formats: { ...SCIM_FORMATS } });
  const validate = ajv.compile(schema);
  // The function keeps working; dropping the schema from ajv's cache keeps the shared instance from
  // growing with every resource schema ever built.
  ajv.removeSchema(schema);
  return validate;
}
