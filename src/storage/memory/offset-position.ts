import { ScimError } from '../../error/scim-error.js';

/** Largest offset a position may carry (2^48 - 1, as a cursor has always allowed). */
const MAX_OFFSET = 2 ** 48 - 1;

/**
 * The 0-based offset a cursor position of this storage carries: `''` is the first page, anything
 * else must be the decimal offset written by {@link offsetPositions}.
 *
 * @throws ScimError 400 `invalidCursor` for anything else.
 */
export function readOffsetPosition(position: string): number {
  if (position === '') return 0;
  if (/^(0|[1-9][0-9]{0,14})$/.test(position)) {
    const offset = Number(position);
    if (offset <= MAX_OFFSET) return offset;
  }
  throw ScimError.badRequest('invalidCursor', 'Invalid cursor: it does not name a position of this query. Start again with an empty cursor.');
}

/**
 * The positions of the pages around one that starts at `offset` and holds `returned` of `total`
 * results: the next page starts after it (none after the last page), the previous one `count`
 * results earlier (none on the first page).
 */
export function offsetPositions(offset: number, returned: number, count: number, total: number): { nextPosition?: string; previousPosition?: string } {
  const out: { nextPosition?: string; previousPosition?: string } = {};
  if (returned > 0 && offset + returned < total) out.nextPosition = String(offset + returned);
  if (offset > 0 && count > 0) out.previousPosition = String(Math.max(0, offset - count));
  return out;
}
