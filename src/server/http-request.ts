/** Sets `out[key]` as an own data property, so that a key such as `__proto__` stays plain data. */
function setOwn(out: Record<string, string | undefined>, key: string, value: string): void {
  // Only `__proto__` is an accessor on a plain object; every other key is set by plain assignment,
  // which is much cheaper than defining a property.
  if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/**
 * Header names in lower case. Arrays are joined as HTTP joins repeated headers; numbers and booleans
 * become text; anything else (an in-process caller's object) is not a header and is left out.
 */
export function lowerHeaders(headers: unknown): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  if (typeof headers !== 'object' || headers === null) return out;
  for (const k in headers) {
    if (!Object.hasOwn(headers, k)) continue;
    const v: unknown = (headers as Record<string, unknown>)[k];
    const text = typeof v === 'string' ? v : Array.isArray(v) ? v.filter((x) => typeof x === 'string').join(', ') : scalarText(v);
    if (text !== undefined) setOwn(out, k.toLowerCase(), text);
  }
  return out;
}

/** A query parameter by name, matched case-insensitively (an exact match wins). */
export function param(query: Readonly<Record<string, string | undefined>>, name: string): string | undefined {
  if (query[name] !== undefined) return query[name];
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(query)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

/** The token of an `Authorization: Bearer ...` header. */
export function bearerToken(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  const m = /^\s*Bearer\s+(\S+)\s*$/i.exec(authorization);
  return m ? m[1] : undefined;
}

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Who chose a request id: the client (an `X-Request-Id` it sent) or the server. */
export type RequestIdSource = 'client' | 'server';

/** A request's id and who chose it. */
export interface RequestId {
  readonly id: string;
  readonly source: RequestIdSource;
}

/**
 * The request id: the client's `X-Request-Id` when it is well formed (1 to 128 characters of
 * `A-Z a-z 0-9 . _ : -`, so that it can go into logs and headers as it is), else a new UUID.
 */
export function requestIdOf(headers: Readonly<Record<string, string | undefined>>): RequestId {
  const given = headers['x-request-id'];
  return given && SAFE_REQUEST_ID.test(given) ? { id: given, source: 'client' } : { id: globalThis.crypto.randomUUID(), source: 'server' };
}
