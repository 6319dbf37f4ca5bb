import { ScimError } from '../../error/scim-error.js';
import { decodeKeysetPosition, encodeKeysetPosition, type KeysetDirection, type KeysetPosition } from './sql-keyset.js';
import { isStorableText } from './sql-params.js';
import type { SqlSortPlan } from './sql-sort.js';

/**
 * Where a cursor page starts: the first page, or after (before) a row. The row is given by its
 * keyset position (sort key and id) or, when the key is too long to carry in a cursor, by its id
 * alone, its key then read from the row.
 */
export type PagePosition = { readonly kind: 'first' } | { readonly kind: KeysetDirection; readonly id: string; readonly position?: KeysetPosition };

/** Longest position written with its key; longer ones name the row by id (a cursor carries at most 3,072 bytes). */
const MAX_KEYED_LENGTH = 2048;

const PREFIX: Record<KeysetDirection, { keyed: string; byId: string }> = { after: { keyed: 'a', byId: 'A' }, before: { keyed: 'b', byId: 'B' } };

/** The position of the page after (or before) the row at `position`, as a storage position string. */
export function writePagePosition(plan: SqlSortPlan, direction: KeysetDirection, position: KeysetPosition): string {
  const keyed = `${PREFIX[direction].keyed}${encodeKeysetPosition(plan, position)}`;
  return keyed.length <= MAX_KEYED_LENGTH ? keyed : `${PREFIX[direction].byId}${position.id}`;
}

function invalid(): ScimError {
  return ScimError.badRequest('invalidCursor', 'Invalid cursor: it does not mark a position of this query. Start again with an empty cursor.');
}

/**
 * Reads a position {@link writePagePosition} wrote for the same sort (`''` is the first page).
 *
 * @throws ScimError 400 `invalidCursor` for anything else.
 */
export function readPagePosition(plan: SqlSortPlan, text: string): PagePosition {
  if (text === '') return { kind: 'first' };
  const [tag = ''] = text;
  const rest = text.slice(1);
  for (const direction of ['after', 'before'] as const) {
    if (tag === PREFIX[direction].keyed) {
      const position = decodeKeysetPosition(plan, rest);
      return { kind: direction, id: position.id, position };
    }
    if (tag === PREFIX[direction].byId) {
      if (rest === '' || !isStorableText(rest)) throw invalid();
      return { kind: direction, id: rest };
    }
  }
  throw invalid();
}
