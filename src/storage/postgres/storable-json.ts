import { ScimError } from '../../error/scim-error.js';

/** Deepest nesting of objects and arrays a stored resource may have (as in memory). */
const MAX_NESTING = 32;

/** A UTF-16 surrogate without its partner. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function refuse(detail: string): ScimError {
  return ScimError.badRequest('invalidValue', detail);
}

/**
 * True when PostgreSQL can store `text` in a `text` or `jsonb` value: no NUL character (U+0000) and
 * no lone UTF-16 surrogate (neither has a UTF-8 encoding).
 */
export function storableText(text: string): boolean {
  return !text.includes('\u0000') && !LONE_SURROGATE.test(text);
}

function checkText(text: string): void {
  if (text.includes('\u0000')) throw refuse('Text containing the NUL character (U+0000) cannot be stored');
  if (LONE_SURROGATE.test(text)) throw refuse('Text containing a lone UTF-16 surrogate cannot be stored');
}

/**
 * A plain JSON copy of a resource body that PostgreSQL's `jsonb` accepts, with the in-memory
 * storage's rules: strings, finite numbers, booleans and `null` are kept; a `Date` becomes its ISO
 * string; `undefined`, functions and symbols are dropped (in arrays they become `null`); an own
 * `__proto__` key is kept as data. Refused with a 400 `invalidValue`: nesting deeper than 32, a
 * number that is not finite, a bigint, and text PostgreSQL cannot hold (see {@link storableText}).
 */
export function storableCopy(value: unknown, depth = 0): unknown {
  if (value === null) return null;
  switch (typeof value) {
    case 'string':
      checkText(value);
      return value;
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw refuse('A number in the resource is not finite');
      return value;
    case 'bigint':
      throw refuse('A number in the resource is not a JSON number');
    case 'object':
      break;
    default:
      return undefined;
  }
  if (depth >= MAX_NESTING) throw refuse('The resource is nested too deeply');
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((item) => storableCopy(item, depth + 1) ?? null);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    checkText(key);
    const copied = storableCopy((value as Record<string, unknown>)[key], depth + 1);
    if (copied !== undefined) Object.defineProperty(out, key, { value: copied, enumerable: true, writable: true, configurable: true });
  }
  return out;
}
