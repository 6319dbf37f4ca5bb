import { ScimError } from '../error/scim-error.js';
import type { ScimType } from '../error/scim-error.js';

/** Index paging parameters as a query string or a SearchRequest body carries them. */
export interface PagingParameters {
  startIndex?: string | number;
  count?: string | number;
}

/** The server's page-size settings. */
export interface PagingLimits {
  /** Page size when the client gives no `count`. */
  defaultPageSize: number;
  /** Largest page served (advertised as `pagination.maxPageSize` and `filter.maxResults`); a larger `count` is reduced to it. */
  maxPageSize: number;
}

/** Paging after the RFC's edge rules: `startIndex` ≥ 1, 0 ≤ `count` ≤ `maxPageSize`. */
export interface NormalizedPaging {
  /** 1-based index of the first result. */
  startIndex: number;
  /** Most results to return; 0 asks for the total only. */
  count: number;
}

/** Options of {@link normalizePaging}. */
export interface PagingOptions {
  /**
   * Cursor paging (RFC 9865 §2): `count` must then be a positive integer, and anything else is a
   * 400 `invalidCount` instead of being read by the index rules.
   */
  cursor?: boolean;
}

function readInteger(name: string, raw: string | number, scimType: ScimType): number {
  let value: number;
  if (typeof raw === 'number') {
    value = raw;
  } else {
    const text = raw.trim();
    value = /^[+-]?\d+$/.test(text) ? Number(text) : NaN;
  }
  if (!Number.isInteger(value)) {
    throw ScimError.badRequest(scimType, `Invalid ${name} ${JSON.stringify(raw)}: expected an integer`);
  }
  return Math.max(-Number.MAX_SAFE_INTEGER, Math.min(value, Number.MAX_SAFE_INTEGER));
}

function given(raw: string | number | undefined): raw is string | number {
  return raw !== undefined && !(typeof raw === 'string' && raw.trim() === '');
}

/**
 * Applies RFC 7644 §3.4.2.4 to `startIndex` and `count`: a `startIndex` below 1 is 1; a negative
 * `count` is 0; no `count` is `defaultPageSize`; a `count` above `maxPageSize` is `maxPageSize` (the RFC
 * lets the server return fewer than asked). Integers may arrive as numbers or decimal text; an
 * empty parameter counts as absent.
 *
 * @throws ScimError 400 `invalidValue` for a value that is not an integer (`"ten"`, `"1.5"`), or, with
 *   `options.cursor`, 400 `invalidCount` for a `count` that is not a positive integer (RFC 9865 §2.1).
 */
export function normalizePaging(params: PagingParameters, limits: PagingLimits, options: PagingOptions = {}): NormalizedPaging {
  const maxResults = Math.max(0, Math.floor(limits.maxPageSize));
  const defaultCount = Math.min(Math.max(0, Math.floor(limits.defaultPageSize)), maxResults);

  let startIndex = 1;
  if (given(params.startIndex)) startIndex = Math.max(1, readInteger('startIndex', params.startIndex, 'invalidValue'));

  let count = defaultCount;
  if (given(params.count)) {
    if (options.cursor) {
      count = readInteger('count', params.count, 'invalidCount');
      if (count < 1) {
        throw ScimError.badRequest('invalidCount', `Invalid count ${JSON.stringify(params.count)}: with a cursor, count must be between 1 and ${maxResults}`);
      }
    } else {
      count = Math.max(0, readInteger('count', params.count, 'invalidValue'));
    }
    count = Math.min(count, maxResults);
  }
  return { startIndex, count };
}
