import { SCIM_CONTENT_TYPE } from './media-type.js';
import type { ScimOperationResponse } from './operation-response.js';
import type { ScimResponse } from './scim-request.js';

/** A SCIM JSON response. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): ScimResponse {
  return { status, headers: { 'Content-Type': SCIM_CONTENT_TYPE, ...headers }, body };
}

/** A response with the body's JSON text, when it is known. */
function withText(response: ScimResponse, text: string | undefined): ScimResponse {
  if (text !== undefined) response.json = text;
  return response;
}

/**
 * An operation's answer as HTTP: the status, `Content-Type` with a body, `ETag` from the version,
 * `Location` for a created resource, the headers a `ScimError` carries (`Retry-After`), and the body.
 */
export function httpResponse(result: ScimOperationResponse): ScimResponse {
  switch (result.kind) {
    case 'resource': {
      const headers: Record<string, string> = {};
      if (result.version !== undefined) headers.ETag = result.version;
      if (result.status === 201 && result.location !== undefined) headers.Location = result.location;
      return withText(json(result.status, result.resource, headers), result.json);
    }
    case 'list':
      return withText(json(result.status, result.list), result.json);
    case 'bulk':
      return json(result.status, result.bulk);
    case 'none':
      return { status: result.status, headers: result.version !== undefined ? { ETag: result.version } : {} };
    case 'error':
      return json(result.status, result.error.toJSON(), { ...(result.error.headers ?? {}) });
  }
}
