import { ScimError } from '../error/scim-error.js';
import type { FilterNode } from './ast.js';
import { formatFilter } from './filter-format.js';

/**
 * Where the page a cursor leads to starts: a 0-based offset into the result, or a position a
 * storage defined (for example the sort key and id of the row the previous page ended at, so the
 * next page costs the same however deep it is).
 */
export type CursorPlace = { readonly offset: number } | { readonly position: string };

/** The tenant and query a cursor must have been issued for. */
export interface CursorBinding {
  /** The tenant that ran the query. */
  tenantId: string;
  /** {@link queryKey} of the query. */
  queryKey: string;
}

/** What a cursor remembers: where the next page starts, and whose query it belongs to. */
export type CursorState = CursorBinding & CursorPlace;

/** Options of a {@link CursorCodec}. */
export interface CursorCodecOptions {
  /** Clock in milliseconds since the epoch; `Date.now` by default. */
  now?: () => number;
}

const VERSION = 2;
/** version (1) + expiry in seconds (6) + kind of place (1), then the place: an offset (6) or a position. */
const HEAD_BYTES = 8;
const OFFSET_KIND = 0;
const POSITION_KIND = 1;
const MAC_BYTES = 32;
const MAX_OFFSET = 2 ** 48 - 1;
/** Longest position a cursor carries, in UTF-8 bytes. */
export const MAX_CURSOR_POSITION_BYTES = 3072;
/** Longest token: the largest payload and its MAC in base64url. */
const MAX_TOKEN_LENGTH = Math.ceil(((HEAD_BYTES + MAX_CURSOR_POSITION_BYTES + MAC_BYTES) * 4) / 3);
const TOKEN_PATTERN = /^[A-Za-z0-9_-]+$/;

function writeUint48(out: Uint8Array, at: number, value: number): void {
  const high = Math.floor(value / 0x100000000);
  const low = value >>> 0;
  out[at] = (high >>> 8) & 0xff;
  out[at + 1] = high & 0xff;
  out[at + 2] = low >>> 24;
  out[at + 3] = (low >>> 16) & 0xff;
  out[at + 4] = (low >>> 8) & 0xff;
  out[at + 5] = low & 0xff;
}

function readUint48(bytes: Uint8Array, at: number): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return view.getUint16(at) * 0x100000000 + view.getUint32(at + 2);
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array | undefined {
  if (!TOKEN_PATTERN.test(text) || text.length % 4 === 1) return undefined;
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  let binary: string;
  try {
    binary = atob(b64);
  } catch {
    return undefined;
  }
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function invalidCursor(detail: string): ScimError {
  return ScimError.badRequest('invalidCursor', `Invalid cursor: ${detail}. Start again with an empty cursor.`);
}

/**
 * Issues and checks RFC 9865 cursors.
 *
 * A cursor is opaque, URL-safe (base64url, only RFC 3986 unreserved characters) and signed with
 * HMAC-SHA-256 through Web Crypto, so it works on Node, Deno, Bun, browsers and workers. It carries
 * the place of the page it leads to (an offset, or a position its storage defined) and its expiry; the tenant and the query are not written into it
 * but are part of what is signed, so a cursor presented by another tenant or for another query fails
 * the signature check like a tampered one. Nothing is stored on the server.
 */
export class CursorCodec {
  /** How long a cursor stays valid, in seconds (advertised as `pagination.cursorTimeout`). */
  readonly ttlSeconds: number;
  private readonly secret: Uint8Array<ArrayBuffer>;
  private readonly now: () => number;
  private key: Promise<CryptoKey> | undefined;

  /**
   * @param secret - HMAC key: at least 16 bytes, or a string of at least 16 characters. Servers that
   *   share cursors (several processes behind one URL) must share the secret.
   * @param ttlSeconds - Lifetime of a cursor in seconds; default 600.
   * @param options - A clock, for tests.
   */
  constructor(secret: Uint8Array | string, ttlSeconds = 600, options: CursorCodecOptions = {}) {
    const bytes = typeof secret === 'string' ? new TextEncoder().encode(secret) : new Uint8Array(secret);
    if (bytes.length < 16) throw new TypeError('CursorCodec needs a secret of at least 16 bytes');
    if (!(Number.isFinite(ttlSeconds) && ttlSeconds > 0)) throw new TypeError('CursorCodec needs a positive ttlSeconds');
    this.secret = bytes;
    this.ttlSeconds = ttlSeconds;
    this.now = options.now ?? Date.now;
  }

  private hmacKey(): Promise<CryptoKey> {
    if (!this.key) {
      const subtle = globalThis.crypto?.subtle;
      if (!subtle) return Promise.reject(new Error('Web Crypto (globalThis.crypto.subtle) is not available'));
      this.key = subtle.importKey('raw', this.secret, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    }
    return this.key;
  }

  /** The bytes the MAC covers: the binding, then the payload. */
  private static signedBytes(binding: CursorBinding, payload: Uint8Array): Uint8Array<ArrayBuffer> {
    const head = new TextEncoder().encode(`scim-cursor\n${JSON.stringify([binding.tenantId, binding.queryKey])}\n`);
    return concat(head, payload);
  }

  /**
   * Issues a cursor for the page starting at `state.offset` or `state.position`.
   *
   * @throws RangeError when the offset is not an integer from 0 to 2^48 - 1, or the position is
   *   longer than {@link MAX_CURSOR_POSITION_BYTES} (programming errors).
   */
  async encode(state: CursorState): Promise<string> {
    const place = placeBytes(state);
    const payload = new Uint8Array(HEAD_BYTES + place.length);
    payload[0] = VERSION;
    writeUint48(payload, 1, Math.ceil(this.now() / 1000 + this.ttlSeconds));
    payload[7] = 'position' in state ? POSITION_KIND : OFFSET_KIND;
    payload.set(place, HEAD_BYTES);
    const key = await this.hmacKey();
    const mac = new Uint8Array(await globalThis.crypto.subtle.sign('HMAC', key, CursorCodec.signedBytes(state, payload)));
    return toBase64Url(concat(payload, mac));
  }

  /**
   * Checks a cursor and returns the place it carries: an offset or a storage's position.
   *
   * @param token - The `cursor` parameter as the client sent it (an empty cursor means the first
   *   page and is the caller's to handle before calling this).
   * @param expected - The tenant and {@link queryKey} of the request presenting the cursor.
   * @throws ScimError 400 `invalidCursor` (RFC 9865 §2.2) when the cursor is malformed, altered, or
   *   was issued for another tenant or another query; 400 `expiredCursor` when it was valid but its
   *   lifetime has passed.
   */
  async decode(token: string, expected: CursorBinding): Promise<CursorPlace> {
    const notOurs = () => invalidCursor('it is not a cursor this server issued');
    if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) throw notOurs();
    const bytes = fromBase64Url(token);
    // Only the canonical spelling: unused low bits of the last character must not give a second valid token.
    if (!bytes || bytes.length < HEAD_BYTES + MAC_BYTES || bytes[0] !== VERSION || toBase64Url(bytes) !== token) throw notOurs();
    const payload = bytes.slice(0, bytes.length - MAC_BYTES);
    const mac = bytes.slice(bytes.length - MAC_BYTES);
    const key = await this.hmacKey();
    const valid = await globalThis.crypto.subtle.verify('HMAC', key, mac, CursorCodec.signedBytes(expected, payload));
    if (!valid) throw invalidCursor('it was altered, or was issued for another query or tenant');
    if (this.now() / 1000 > readUint48(payload, 1)) {
      throw ScimError.badRequest(
        'expiredCursor',
        `Expired cursor: cursors are valid for ${this.ttlSeconds} seconds between pages. Start again with an empty cursor.`,
      );
    }
    const place = payload.subarray(HEAD_BYTES);
    if (payload[7] === POSITION_KIND) return { position: new TextDecoder().decode(place) };
    if (payload[7] === OFFSET_KIND && place.length === 6) return { offset: readUint48(place, 0) };
    throw notOurs();
  }
}

/** The bytes of a cursor's place: 6 for an offset, the UTF-8 of a position. */
function placeBytes(place: CursorPlace): Uint8Array {
  if ('position' in place) {
    const bytes = new TextEncoder().encode(place.position);
    if (typeof place.position !== 'string' || bytes.length > MAX_CURSOR_POSITION_BYTES) {
      throw new RangeError(`Cursor position must be a string of at most ${MAX_CURSOR_POSITION_BYTES} UTF-8 bytes`);
    }
    return bytes;
  }
  const { offset } = place;
  if (!Number.isInteger(offset) || offset < 0 || offset > MAX_OFFSET) throw new RangeError(`Cursor offset must be an integer from 0 to ${MAX_OFFSET}`);
  const out = new Uint8Array(6);
  writeUint48(out, 0, offset);
  return out;
}

/** The parameters that define a query, for {@link queryKey}. */
export interface QueryKeyParts {
  /** The resource type, or several joined with commas for a root-level search. */
  resourceType: string;
  /** The filter text, or its tree (spelled canonically, {@link formatFilter}). */
  filter?: string | FilterNode;
  sortBy?: string;
  sortOrder?: string;
  /** `attributes`, as a list or as the comma-separated parameter. */
  attributes?: readonly string[] | string;
  /** `excludedAttributes`, as a list or as the comma-separated parameter. */
  excludedAttributes?: readonly string[] | string;
}

function attributeList(value: readonly string[] | string | undefined): string[] {
  if (value === undefined) return [];
  const items = typeof value === 'string' ? value.split(',') : value;
  return [...new Set(items.map((a) => a.trim().toLowerCase()).filter((a) => a !== ''))].sort();
}

/**
 * A stable, canonical spelling of a query, to bind cursors to the query that made them (RFC 9865
 * §2: later pages repeat every parameter except `cursor`). A cursor's MAC covers it, so it needs no
 * hashing of its own.
 *
 * Spellings that mean the same query have the same key: resource type, `sortBy` and attribute names are
 * compared case-insensitively, `sortOrder` defaults to ascending when `sortBy` is given and is
 * ignored without it, attribute lists are order-free, a filter tree is spelled through
 * {@link formatFilter}, and filter text is trimmed. `startIndex`, `count` and `cursor` are not part
 * of a query.
 */
export function queryKey(parts: QueryKeyParts): string {
  const filter = parts.filter === undefined ? '' : typeof parts.filter === 'string' ? parts.filter.trim() : formatFilter(parts.filter);
  const sortBy = parts.sortBy?.trim().toLowerCase() ?? '';
  const sortOrder = sortBy === '' ? '' : parts.sortOrder?.trim().toLowerCase() || 'ascending';
  return JSON.stringify([
    'scim-query/1',
    parts.resourceType.trim().toLowerCase(),
    filter,
    sortBy,
    sortOrder,
    attributeList(parts.attributes),
    attributeList(parts.excludedAttributes),
  ]);
}
