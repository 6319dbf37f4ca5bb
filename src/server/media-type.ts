/** Media type of every SCIM response (RFC 7644 §3.1). */
export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';

/** Message schema URIs (RFC 7644 §3.4.2, §3.4.3, §3.5.2). */
export const LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const SEARCH_REQUEST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';
export { PATCH_OP_SCHEMA } from '../patch/patch-request.js';

/**
 * The `charset` parameter of a `Content-Type` value, lower-cased and unquoted; undefined when the
 * value has none (or is not a string).
 */
export function charsetOf(contentType: string | null | undefined): string | undefined {
  if (typeof contentType !== 'string') return undefined;
  const m = /;\s*charset\s*=\s*(?:"([^"]*)"|([^\s;]*))/i.exec(contentType);
  if (!m) return undefined;
  const value = (m[1] ?? m[2] ?? '').trim().toLowerCase();
  return value === '' ? undefined : value;
}

/** True for the labels of UTF-8 (`utf-8`, `utf8`), the encoding SCIM bodies use (RFC 7644 §3.1, RFC 8259 §8.1). */
export function isUtf8Charset(charset: string): boolean {
  return charset === 'utf-8' || charset === 'utf8';
}
