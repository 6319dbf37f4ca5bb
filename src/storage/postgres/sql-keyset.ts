import { ScimError } from '../../error/scim-error.js';
import type { SqlParams } from './sql-params.js';
import { isStorableText } from './sql-params.js';
import type { SqlSortKeyKind, SqlSortPlan } from './sql-sort.js';

/**
 * Where a page ended: the last row's sort key as exact text (null when the row had no value), and
 * its id. The next page starts after it. Build it with {@link keysetPositionOf}.
 */
export interface KeysetPosition {
  readonly key: string | null;
  readonly id: string;
}

const KEY_SHAPES: Record<SqlSortKeyKind, RegExp> = {
  text: /^[\s\S]*$/,
  number: /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/,
  boolean: /^(true|false)$/,
  instant: /^\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/,
};

const CASTS: Record<SqlSortKeyKind, (placeholder: string) => string> = {
  text: (p) => p,
  number: (p) => p,
  boolean: (p) => p,
  instant: (p) => `(${p} AT TIME ZONE 'UTC')`,
};

const PARAM_TYPES = { text: 'text', number: 'jsonb', boolean: 'boolean', instant: 'timestamp' } as const;

/**
 * The position of a row read with {@link SqlSortPlan.keyText} selected beside it.
 *
 * @param keyText - The selected value of `keyText` (NULL when the row has no key).
 * @param id - The row's id.
 */
export function keysetPositionOf(plan: SqlSortPlan, keyText: unknown, id: string): KeysetPosition {
  if (!plan.key || keyText === null || keyText === undefined) return { key: null, id };
  const text = String(keyText);
  const quoted = plan.key.kind === 'text' || plan.key.kind === 'instant';
  return { key: quoted ? (JSON.parse(text) as string) : text, id };
}

/** Which side of a position a page lies on: `after` for the next page, `before` for the previous one. */
export type KeysetDirection = 'after' | 'before';

/**
 * The condition selecting the rows after (or before) `position` in the plan's order: RFC 9865 cursors
 * as a keyset, never an offset. A row is after the position when its key comes later, or the key is
 * the same and its id greater; resources without a key come after all others ascending and before
 * all others descending. Read a page before a position in {@link SqlSortPlan.reverseOrderBy} and
 * reverse it.
 */
export function keysetCondition(plan: SqlSortPlan, position: KeysetPosition, params: SqlParams, direction: KeysetDirection = 'after'): string {
  const after = direction === 'after';
  const id = params.text(position.id);
  const beyondId = `${plan.id} COLLATE "C" ${after ? '>' : '<'} ${id}`;
  if (!plan.key) return beyondId;
  const { kind } = plan.key;
  const key = kind === 'text' ? `${plan.key.sql} COLLATE "C"` : `(${plan.key.sql})`;
  // Rows without a key sort last ascending, first descending: "later" is "without a key" when the
  // direction and the order agree.
  const nullsBeyond = after !== plan.descending;
  if (position.key === null) {
    const sameKey = `(${key} IS NULL AND ${beyondId})`;
    return nullsBeyond ? sameKey : `(${sameKey} OR ${key} IS NOT NULL)`;
  }
  const value = CASTS[kind](params.add(position.key, PARAM_TYPES[kind]));
  const beyond = `${key} ${after === !plan.descending ? '>' : '<'} ${value}`;
  const tie = `(${key} = ${value} AND ${beyondId})`;
  return nullsBeyond ? `(${beyond} OR ${tie} OR ${key} IS NULL)` : `(${beyond} OR ${tie})`;
}

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(token: string): string | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(token) || token.length % 4 === 1) return undefined;
  try {
    const binary = atob(token.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (token.length % 4)) % 4));
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  } catch {
    return undefined;
  }
}

function kindTag(plan: SqlSortPlan): string {
  return plan.key ? plan.key.kind : 'id';
}

/**
 * Writes a position as a URL-safe string (base64url of a small JSON array), exact for every key
 * kind: text as it is, numbers in PostgreSQL's own spelling, instants to the microsecond.
 * The string is not signed: carry it inside a signed cursor.
 */
export function encodeKeysetPosition(plan: SqlSortPlan, position: KeysetPosition): string {
  return toBase64Url(JSON.stringify([1, kindTag(plan), position.key, position.id]));
}

/**
 * Reads a position written by {@link encodeKeysetPosition} for a plan of the same sort.
 *
 * @throws ScimError 400 `invalidCursor` for anything else.
 */
export function decodeKeysetPosition(plan: SqlSortPlan, token: string): KeysetPosition {
  const fail = () => ScimError.badRequest('invalidCursor', 'Invalid cursor: it does not mark a position of this query. Start again with an empty cursor.');
  const text = typeof token === 'string' && token.length <= 65_536 ? fromBase64Url(token) : undefined;
  let parsed: unknown;
  try {
    parsed = text === undefined ? undefined : JSON.parse(text);
  } catch {
    throw fail();
  }
  if (!Array.isArray(parsed) || parsed.length !== 4 || parsed[0] !== 1 || parsed[1] !== kindTag(plan)) throw fail();
  const [, , key, id] = parsed as [number, string, unknown, unknown];
  if (typeof id !== 'string' || id === '' || !isStorableText(id)) throw fail();
  if (key === null) return { key: null, id };
  if (!plan.key || typeof key !== 'string' || !isStorableText(key) || !KEY_SHAPES[plan.key.kind].test(key)) throw fail();
  return { key, id };
}
