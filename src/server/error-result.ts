import { isScimError, ScimError } from '../error/scim-error.js';
import type { ErrorHandler } from './handler-options.js';
import type { ScimErrorResult } from './operation-response.js';

/**
 * The result of an operation that threw: a `ScimError` as it is (and, when it is a 5xx, such as a
 * tenant whose isolation level changed while it holds data, also reported to `onError`: the
 * operator has to act); anything else is unexpected, is reported to `onError` with the request id,
 * and becomes a 500 that says nothing internal.
 */
export function errorResult(error: unknown, requestId: string, onError: ErrorHandler | undefined): ScimErrorResult {
  if (isScimError(error)) {
    if (error.status >= 500) onError?.(error, { requestId });
    return { kind: 'error', status: error.status, error };
  }
  onError?.(error, { requestId });
  return { kind: 'error', status: 500, error: new ScimError(500, `Internal error (request ${requestId})`) };
}
