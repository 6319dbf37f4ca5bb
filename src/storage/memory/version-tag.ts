/**
 * Weak entity tags as the in-memory storage writes them: `W/"n"`, with n a positive integer that
 * grows by one on every change of the resource.
 */

const CACHED = 256;
const cache: string[] = [];
for (let n = 0; n < CACHED; n++) cache.push(`W/"${n}"`);

/** The weak entity tag of version `n` (`W/"n"`). Small versions share one string each. */
export function versionTag(n: number): string {
  return cache[n] ?? `W/"${n}"`;
}

/** The number inside a tag this storage wrote (`W/"12"` → 12), or `NaN` when it is not one. */
export function versionNumber(tag: string): number {
  if (tag.length < 5 || !tag.startsWith('W/"') || !tag.endsWith('"')) return Number.NaN;
  const digits = tag.slice(3, -1);
  return /^[1-9][0-9]{0,15}$/.test(digits) ? Number(digits) : Number.NaN;
}

/**
 * True when a caller's expected version names the current one. The expectation matches the tag
 * exactly, or as its strong form (`"n"` for `W/"n"`, since an `If-Match` header may lose the weak
 * prefix on the way), or is `*` (any current version).
 */
export function versionMatches(expected: string, current: string): boolean {
  const e = expected.trim();
  if (e === '*' || e === current) return true;
  return current.startsWith('W/') && e === current.slice(2);
}
