import { ScimError, SCIM_CONTENT_TYPE, type ScimResponse } from '../server/index.js';

/** Default cap on what an adapter reads of a request body (1 MiB). */
export const DEFAULT_MAX_BODY_BYTES = 1_048_576;

/** Thrown by the body readers when the body is larger than allowed. */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`Request body exceeds ${limit} bytes`);
  }
}

/** The SCIM 413 response an adapter sends when it stops reading an oversized body. */
export function payloadTooLarge(limit: number): ScimResponse {
  return {
    status: 413,
    headers: { 'Content-Type': SCIM_CONTENT_TYPE },
    body: new ScimError(413, `Request body exceeds ${limit} bytes (maxPayloadBytes)`).toJSON(),
  };
}

/** Concatenates chunks into one string, refusing beyond `limit` bytes. */
export function joinChunks(chunks: Uint8Array[], total: number): string {
  const all = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.byteLength;
  }
  return new TextDecoder().decode(all);
}
