/**
 * SQL boolean expressions as the compilers build them. Convention: an expression may evaluate to
 * NULL, and NULL always means false (a missing value never matches). `and`, `or`, `WHERE` and
 * `CASE WHEN` already treat NULL that way; negation must too, so it is written `(p) IS NOT TRUE`,
 * never `NOT p`.
 */

/** The constant true. */
export const SQL_TRUE = 'TRUE';
/** The constant false. */
export const SQL_FALSE = 'FALSE';

/** The constant for a boolean known when compiling. */
export function sqlConstant(value: boolean): string {
  return value ? SQL_TRUE : SQL_FALSE;
}

/** All of `parts` (true when there are none), constants folded. */
export function sqlAnd(parts: readonly string[]): string {
  const kept = parts.filter((p) => p !== SQL_TRUE);
  if (kept.includes(SQL_FALSE)) return SQL_FALSE;
  if (kept.length === 0) return SQL_TRUE;
  return kept.length === 1 ? (kept[0] as string) : `(${kept.join(' AND ')})`;
}

/** Any of `parts` (false when there are none), constants folded. */
export function sqlOr(parts: readonly string[]): string {
  const kept = parts.filter((p) => p !== SQL_FALSE);
  if (kept.includes(SQL_TRUE)) return SQL_TRUE;
  if (kept.length === 0) return SQL_FALSE;
  return kept.length === 1 ? (kept[0] as string) : `(${kept.join(' OR ')})`;
}

/** The negation under the NULL-means-false convention. */
export function sqlNot(part: string): string {
  if (part === SQL_TRUE) return SQL_FALSE;
  if (part === SQL_FALSE) return SQL_TRUE;
  return `(${part}) IS NOT TRUE`;
}

/** `CASE WHEN condition THEN then ELSE otherwise END`, or one branch when both are the same. */
export function sqlCase(condition: string, then: string, otherwise: string): string {
  if (then === otherwise) return then;
  return `CASE WHEN ${condition} THEN ${then} ELSE ${otherwise} END`;
}
