/** One reason a value does not match its JSON Schema, in the shape ajv reports it. */
export interface SchemaValidationError {
  /** JSON Pointer to the failing value (`/emails/1/value`); empty for the root. */
  instancePath: string;
  /** JSON Pointer into the schema to the failing keyword. */
  schemaPath: string;
  /** The failing keyword: `type`, `required`, `enum` or `format`. */
  keyword: string;
  /** The keyword's parameters: `type`, `missingProperty`, `allowedValues` or `format`. */
  params: Record<string, unknown>;
  message?: string;
}

/**
 * A compiled JSON Schema: true when `data` matches; otherwise false, with the first reason in
 * `errors`. ajv's compiled and standalone functions have this shape, and so does the interpreter
 * used where code generation is not allowed.
 */
export interface SchemaValidator {
  (data: unknown): boolean;
  errors?: readonly SchemaValidationError[] | null;
}
