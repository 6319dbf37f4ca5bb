import { ScimError } from '../error/scim-error.js';
import type { ScimObject } from '../schema/types.js';
import { ReceivedBody } from './operation-request.js';
import { readRequestBody, type BodyLimits } from './request-body.js';

/**
 * The `data` of an operation as parsed JSON, checked against the tenant's body limits: a
 * {@link ReceivedBody} is checked and parsed (media type, size, UTF-8, JSON, nesting), parsed JSON
 * is measured (size, nesting). Absent data, or an empty body, is `undefined`.
 *
 * @throws ScimError 413 beyond `maxPayloadBytes`, 415 for another media type, 400 `invalidSyntax`
 *   for text that is not JSON, JSON nested too deep, or text given as parsed data.
 */
export function operationData(data: unknown, limits: BodyLimits): unknown {
  if (data instanceof ReceivedBody) return readRequestBody(data.content, data.mediaType, limits);
  if (data === undefined || data === null) return undefined;
  if (typeof data === 'string' || data instanceof Uint8Array) {
    throw ScimError.badRequest('invalidSyntax', 'Operation data must be parsed JSON; give text or bytes as a ReceivedBody');
  }
  return readRequestBody(data, undefined, limits);
}

/** The data as a JSON object, or a 400 `invalidSyntax`. */
export function requireObject(value: unknown): ScimObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw ScimError.badRequest('invalidSyntax', 'Request body must be a JSON object');
  }
  return value as ScimObject;
}
