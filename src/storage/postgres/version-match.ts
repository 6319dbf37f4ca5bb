/**
 * The version number a write must find, from a caller's `expectedVersion`: `null` when any version
 * will do (no expectation, or `*`), the n of `W/"n"` or `"n"` (an `If-Match` header may lose the weak
 * prefix), and -1, which no resource has, for anything else.
 */
export function expectedVersionNumber(expected: string | undefined): number | null {
  if (expected === undefined) return null;
  const e = expected.trim();
  if (e === '*') return null;
  const m = /^(?:W\/)?"([1-9][0-9]{0,14})"$/.exec(e);
  return m ? Number(m[1]) : -1;
}

/** The weak entity tag of version n. */
export function versionTag(n: number): string {
  return `W/"${n}"`;
}
