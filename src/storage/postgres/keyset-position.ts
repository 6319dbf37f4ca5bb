import { ScimError } from '../../error/scim-error.js';
import { storableText } from './storable-json.js';

/** Where a cursor page starts: the first page, after a row, or before a row (by id, the default order). */
export type KeysetPosition = { readonly kind: 'first' } | { readonly kind: 'after' | 'before'; readonly id: string };

/**
 * Reads a position this storage wrote (`a:<id>` or `b:<id>`, `''` for the first page).
 *
 * @throws ScimError 400 `invalidCursor` for anything else.
 */
export function readPosition(position: string): KeysetPosition {
  if (position === '') return { kind: 'first' };
  const id = position.slice(2);
  if ((position.startsWith('a:') || position.startsWith('b:')) && id.length > 0 && storableText(id)) {
    return { kind: position.startsWith('a:') ? 'after' : 'before', id };
  }
  throw ScimError.badRequest('invalidCursor', 'Invalid cursor: it does not name a position of this query. Start again with an empty cursor.');
}

/** The position after the row with this id. */
export function afterPosition(id: string): string {
  return `a:${id}`;
}

/** The position before the row with this id. */
export function beforePosition(id: string): string {
  return `b:${id}`;
}
