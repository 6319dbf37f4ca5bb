import { isScimError, ScimError } from '../../error/scim-error.js';

/** The SQLSTATE of a database error, when `error` carries one. */
export function sqlState(error: unknown): string | undefined {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/**
 * True for the errors PostgreSQL asks a client to retry: a serialization failure (40001) and a
 * deadlock (40P01), where the server rolled the transaction back and running it again can succeed.
 */
export function isRetryable(error: unknown): boolean {
  const state = sqlState(error);
  return state === '40001' || state === '40P01';
}

/**
 * A database error caused by the values of a request, as the SCIM error the client should get:
 * a data exception (SQLSTATE class 22: text PostgreSQL cannot hold, a number out of range, an
 * invalid date) or a value too large for an index (54000) is a 400 (`invalidFilter` for a query,
 * `invalidValue` for a write). Anything else is returned unchanged: it is the server's fault.
 */
export function clientError(error: unknown, during: 'query' | 'write'): unknown {
  if (isScimError(error)) return error;
  const state = sqlState(error);
  if (state === undefined || !(state.startsWith('22') || state === '54000')) return error;
  const scimType = during === 'query' ? 'invalidFilter' : 'invalidValue';
  const what = during === 'query' ? 'The filter' : 'The resource';
  return ScimError.badRequest(scimType, `${what} holds a value this storage cannot handle (SQLSTATE ${state})`);
}
