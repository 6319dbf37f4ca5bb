import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ScimErrorResult, ScimOperationResponse } from '../server/index.js';

/** What a SCIM error looks like in a tool result: the status, `scimType` and detail of RFC 7644 §3.12. */
export interface ScimToolError {
  /** The HTTP status SCIM answers, as a number (403, 404, 409, 429, ...). */
  readonly status: number;
  /** The RFC 7644 §3.12 error type, when one applies (`invalidFilter`, `uniqueness`, `mutability`, ...). */
  readonly scimType?: string;
  /** What went wrong, for a person or an agent to act on (an invalid filter names the position). */
  readonly detail: string;
  /** On 429: when to try again. */
  readonly retryAfterSeconds?: number;
}

/** A successful result: the structured value, and the same JSON as text for clients that read only text. */
export function structuredResult(value: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(value) }], structuredContent: value };
}

/** The SCIM error of a refused or failed operation, as a tool error. */
export function scimErrorResult(result: ScimErrorResult): CallToolResult {
  const { error, status } = result;
  const retry = Number(error.headers?.['Retry-After']);
  const body: ScimToolError = {
    status,
    ...(error.scimType !== undefined ? { scimType: error.scimType } : {}),
    detail: error.detail,
    ...(Number.isFinite(retry) && retry > 0 ? { retryAfterSeconds: retry } : {}),
  };
  return { content: [{ type: 'text', text: JSON.stringify(body) }], isError: true };
}

/**
 * A tool result from an operation's response: its resource or list as structured content, or its
 * SCIM error with `isError`. A response without a body (a delete, a PATCH answered 204) becomes
 * `whenEmpty`.
 */
export function toolResult(response: ScimOperationResponse, whenEmpty: (version: string | undefined) => Record<string, unknown>): CallToolResult {
  switch (response.kind) {
    case 'error':
      return scimErrorResult(response);
    case 'resource':
      return structuredResult(response.resource);
    case 'list':
      return structuredResult({ ...response.list });
    case 'bulk':
      return structuredResult({ ...response.bulk });
    case 'none':
      return structuredResult(whenEmpty(response.version));
  }
}
