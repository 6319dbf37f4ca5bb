import { ScimError } from '../error/scim-error.js';
import { charsetOf, isUtf8Charset } from './media-type.js';
import { utf8Length } from './utf8-length.js';

const JSON_TYPES = /^application\/(?:scim\+)?json(?:\s*;.*)?$/i;

/** Limits on request bodies. */
export interface BodyLimits {
  /** Largest body in bytes (413 beyond it). */
  maxBytes: number;
  /** Deepest nesting of objects and arrays (400 invalidSyntax beyond it). */
  maxDepth: number;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes UTF-8 bytes (RFC 8259 §8.1), refusing malformed sequences instead of replacing them. */
function decodeUtf8(bytes: Uint8Array): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw ScimError.badRequest('invalidSyntax', 'Request body is not valid UTF-8');
  }
}

/** The UTF-16 byte order a body declared `charset=utf-16` uses, from its byte order mark. */
function utf16ByteOrder(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return undefined;
}

function unsupportedCharset(charset: string): ScimError {
  return new ScimError(415, `Unsupported charset "${charset.slice(0, 40)}": send the body in UTF-8 (or in UTF-16 with a byte order mark)`);
}

/**
 * Decodes body bytes in their declared charset. UTF-8 (the default) is what SCIM uses; UTF-16 is
 * transcoded when its byte order is certain (`utf-16le`, `utf-16be`, or `utf-16` with a byte order
 * mark). Any other charset is a 415: decoding it as UTF-8 would read something else than was sent.
 */
function decodeBytes(bytes: Uint8Array, charset: string | undefined): string {
  if (charset === undefined || isUtf8Charset(charset)) return decodeUtf8(bytes);
  if (charset === 'us-ascii' || charset === 'ascii') {
    // A subset of UTF-8: the same text, once every byte is checked to be ASCII.
    if (bytes.some((b) => b > 0x7f)) throw ScimError.badRequest('invalidSyntax', 'Request body is not valid US-ASCII');
    return decodeUtf8(bytes);
  }
  const encoding = charset === 'utf-16le' || charset === 'utf-16be' ? charset : charset === 'utf-16' ? utf16ByteOrder(bytes) : undefined;
  if (encoding === undefined) throw unsupportedCharset(charset);
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    throw ScimError.badRequest('invalidSyntax', `Request body is not valid ${encoding.toUpperCase()}`);
  }
}

/** Depth of nested objects/arrays, computed without recursion. */
function depthExceeds(value: unknown, maxDepth: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop() as [unknown, number];
    if (typeof v !== 'object' || v === null) continue;
    if (d > maxDepth) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (typeof child === 'object' && child !== null) stack.push([child, d + 1]);
    }
  }
  return false;
}

/**
 * Reads a request body: checks the media type (`application/scim+json` or `application/json`), the
 * size and the nesting depth, and parses JSON text. Bytes are decoded in their declared charset:
 * UTF-8 by default (US-ASCII as its subset), UTF-16 when its byte order is certain, anything else
 * a 415. Text (a string) has been decoded already and is taken as it is. Returns `undefined` for
 * an empty body.
 */
export function readRequestBody(body: unknown, contentType: string | undefined, limits: BodyLimits): unknown {
  if (body === undefined || body === null || body === '') return undefined;
  if (contentType !== undefined && contentType.trim() !== '' && !JSON_TYPES.test(contentType.trim())) {
    throw new ScimError(415, `Unsupported media type "${contentType}": send application/scim+json or application/json`);
  }
  let value: unknown = body;
  if (typeof body === 'string' || body instanceof Uint8Array) {
    const size = typeof body === 'string' ? utf8Length(body) : body.byteLength;
    if (size > limits.maxBytes) throw new ScimError(413, `Request body exceeds ${limits.maxBytes} bytes (maxPayloadBytes)`);
    const text = typeof body === 'string' ? body : decodeBytes(body, charsetOf(contentType));
    if (text.trim() === '') return undefined;
    try {
      value = JSON.parse(text);
    } catch {
      throw ScimError.badRequest('invalidSyntax', 'Request body is not valid JSON');
    }
  } else {
    // Depth first: it is iterative and ends on cycles, so serialising below cannot overflow the stack.
    if (depthExceeds(value, limits.maxDepth)) {
      throw ScimError.badRequest('invalidSyntax', `Request body nests deeper than ${limits.maxDepth} levels`);
    }
    let serialised: string | undefined;
    try {
      serialised = JSON.stringify(body);
    } catch {
      // Cycles and BigInt values: an in-process caller handed over something no client could send.
      throw ScimError.badRequest('invalidSyntax', 'Request body is not JSON');
    }
    const size = utf8Length(serialised ?? '');
    if (size > limits.maxBytes) throw new ScimError(413, `Request body exceeds ${limits.maxBytes} bytes (maxPayloadBytes)`);
    return value;
  }
  if (depthExceeds(value, limits.maxDepth)) {
    throw ScimError.badRequest('invalidSyntax', `Request body nests deeper than ${limits.maxDepth} levels`);
  }
  return value;
}
