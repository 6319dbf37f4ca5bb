import { ScimError } from '../error/scim-error.js';

/** Where a request goes: the path without its query string, and the one place its query came from. */
export interface RequestTarget {
  /** The path, without a query string. */
  readonly path: string;
  /** The query: a raw query string, a `URLSearchParams` or a record; undefined when there is none. */
  readonly query: string | URLSearchParams | Readonly<Record<string, unknown>> | undefined;
}

function isSearchParams(value: object): value is URLSearchParams {
  return value instanceof URLSearchParams || Object.prototype.toString.call(value) === '[object URLSearchParams]';
}

function isRecord(value: object): value is Readonly<Record<string, unknown>> {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return `a ${(value as object).constructor?.name ?? 'non-plain object'}`;
  return `a ${typeof value}`;
}

/** The query as given, checked for its kind; undefined when it is absent or empty. */
function givenQuery(query: unknown): RequestTarget['query'] {
  if (query === undefined || query === null) return undefined;
  if (typeof query === 'string') return query === '' || query === '?' ? undefined : query;
  if (typeof query === 'object') {
    if (isSearchParams(query)) return [...query.keys()].length === 0 ? undefined : query;
    if (isRecord(query)) return Object.keys(query).length === 0 ? undefined : query;
  }
  throw new TypeError(`ScimRequest.query must be a query string, a URLSearchParams or a record of strings, not ${describe(query)}`);
}

/**
 * Splits what a caller of `ScimServer.handle` gave as `path` and `query` into the path and the
 * one source of query parameters. A query string inside `path` (`/scim/v2/Users?filter=...`, as
 * `req.url` carries it) is taken as the query.
 *
 * A path that is not a string is taken as empty (the request is then not located).
 *
 * @throws TypeError when `query` is neither a string, a `URLSearchParams` nor a plain record, or
 *   when both `path` and `query` carry parameters: nothing a caller gives is silently dropped.
 */
export function requestTarget(path: unknown, query: unknown): RequestTarget {
  const text = typeof path === 'string' ? path : '';
  const q = text.indexOf('?');
  const fromPath = q < 0 ? undefined : text.slice(q + 1);
  const given = givenQuery(query);
  if (fromPath !== undefined && fromPath !== '' && given !== undefined) {
    throw new TypeError('ScimRequest carries a query string in path and query parameters in query: give them in one place');
  }
  return { path: q < 0 ? text : text.slice(0, q), query: given ?? (fromPath === '' ? undefined : fromPath) };
}

/** Sets `out[key]` as an own data property, so that a key such as `__proto__` stays plain data. */
function setOwn(out: Record<string, string | undefined>, key: string, value: string): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function fromRecord(query: Readonly<Record<string, unknown>>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null) continue;
    const last: unknown = Array.isArray(v) ? v[v.length - 1] : v;
    if (last === undefined) continue;
    const text = scalarText(last);
    if (text === undefined) throw ScimError.badRequest('invalidValue', 'Query parameters must be strings');
    setOwn(out, k, text);
  }
  return out;
}

function fromString(query: string): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  const text = query.startsWith('?') ? query.slice(1) : query;
  for (const pair of text.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const k = eq < 0 ? pair : pair.slice(0, eq);
    const v = eq < 0 ? '' : pair.slice(eq + 1);
    try {
      setOwn(out, decodeURIComponent(k.replace(/\+/g, ' ')), decodeURIComponent(v.replace(/\+/g, ' ')));
    } catch {
      throw ScimError.badRequest('invalidSyntax', 'Malformed percent-encoding in the query string');
    }
  }
  return out;
}

/**
 * The query parameters of a {@link RequestTarget}, decoded (`+` as a space). A repeated parameter
 * takes its last value, whether it is repeated in a string, in a `URLSearchParams` or given as an
 * array in a record (as some frameworks parse `?count=1&count=2`); a nested object in a record is
 * refused rather than dropped.
 *
 * @throws ScimError 400 `invalidSyntax` for malformed percent-encoding, `invalidValue` for a
 *   parameter that is not a string.
 */
export function queryParameters(query: RequestTarget['query']): Record<string, string | undefined> {
  if (query === undefined) return {};
  if (typeof query === 'string') return fromString(query);
  if (isSearchParams(query)) {
    const out: Record<string, string | undefined> = {};
    for (const [k, v] of query) setOwn(out, k, v);
    return out;
  }
  return fromRecord(query);
}
