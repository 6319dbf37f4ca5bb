import { ScimError, SCIM_CONTENT_TYPE, charsetOf, isUtf8Charset, type ScimResponse } from '../server/index.js';

/** Default cap on what an adapter reads of a request body (1 MiB). */
export const DEFAULT_MAX_BODY_BYTES = 1_048_576;

/** Thrown by the body readers when the body is larger than allowed. */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`Request body exceeds ${limit} bytes`);
  }
}

/** A SCIM error response an adapter sends itself, before or after the server is involved. */
export function adapterError(status: number, detail: string): ScimResponse {
  return { status, headers: { 'Content-Type': SCIM_CONTENT_TYPE }, body: new ScimError(status, detail).toJSON() };
}

/** The SCIM 413 response an adapter sends when it stops reading an oversized body. */
export function payloadTooLarge(limit: number): ScimResponse {
  return adapterError(413, `Request body exceeds ${limit} bytes (maxPayloadBytes)`);
}

/**
 * True when a `Content-Length` header announces more than `limit` bytes, so that the body can be
 * refused before any of it is read. A missing or malformed header is left to the reader's count.
 */
export function declaredTooLarge(contentLength: string | null | undefined, limit: number): boolean {
  if (typeof contentLength !== 'string' || !/^\s*\d+\s*$/.test(contentLength)) return false;
  return Number(contentLength) > limit;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Concatenates chunks into the request body: the text when the bytes are valid UTF-8 and the
 * `Content-Type` declares no other charset, else the bytes themselves, for the server to decode in
 * their charset or to refuse (400 `invalidSyntax`, 415) instead of silently misreading them.
 */
export function joinChunks(chunks: Uint8Array[], total: number, contentType?: string | null): string | Uint8Array {
  const all = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.byteLength;
  }
  const charset = charsetOf(contentType);
  if (charset !== undefined && !isUtf8Charset(charset)) return all;
  try {
    return strictUtf8.decode(all);
  } catch {
    return all;
  }
}
