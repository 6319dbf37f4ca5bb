import { ScimError } from '../error/scim-error.js';

/** The opaque part of an entity tag, without `W/` and quotes. */
function opaque(tag: string): string {
  let t = tag.trim();
  if (t.startsWith('W/') || t.startsWith('w/')) t = t.slice(2);
  if (t.length >= 2 && t.startsWith('"') && t.endsWith('"')) t = t.slice(1, -1);
  return t;
}

/** Splits an `If-Match` / `If-None-Match` header into its tags; `['*']` for a wildcard. */
export function parseEntityTags(header: string | undefined): string[] | undefined {
  if (header === undefined) return undefined;
  const trimmed = header.trim();
  if (trimmed === '') return undefined;
  if (trimmed === '*') return ['*'];
  const tags = trimmed.match(/(?:[Ww]\/)?"[^"]*"/g);
  if (!tags || tags.length === 0) throw ScimError.badRequest('invalidSyntax', 'Malformed entity tag in precondition header');
  return tags;
}

/** True when `version` (for example `W/"3"`) matches one of `tags` (weak comparison). */
export function matchesEntityTag(version: string, tags: readonly string[]): boolean {
  if (tags.includes('*')) return true;
  const v = opaque(version);
  return tags.some((t) => opaque(t) === v);
}

/**
 * Turns an `If-Match` header into the version the write must find. With one tag that is the tag
 * itself (normalised to `W/"n"`); `*` needs only that the resource exists; with several, the
 * caller resolves against the current version.
 */
export function expectedVersionFrom(tags: readonly string[] | undefined): string | undefined {
  if (tags?.length !== 1 || tags[0] === '*') return undefined;
  return `W/"${opaque(tags[0] as string)}"`;
}
