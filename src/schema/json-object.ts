import type { ScimObject } from './types.js';

/**
 * True when `value` is a JSON object: not `null`, not an array. Every SCIM resource, complex value
 * and request body has this shape; the one check every layer uses before reading keys.
 */
export function isObject(value: unknown): value is ScimObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
