/**
 * Case-insensitive string matching without allocating per comparison.
 *
 * "Case-insensitive" means: equal after `toLowerCase()` on both sides, locale-independent. Each
 * function takes the operand already lower-cased (`lower`) and compares the record's value to it.
 * ASCII text is folded character by character; the first non-ASCII character of the value falls back
 * to `toLowerCase()`, which handles characters whose lower case differs in length.
 */

function hasNonAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 128) return true;
  return false;
}

/** True when `value.toLowerCase() === lower`. */
export function equalsFolded(value: string, lower: string): boolean {
  const n = value.length;
  if (n === lower.length) {
    for (let i = 0; i < n; i++) {
      let c = value.charCodeAt(i);
      const d = lower.charCodeAt(i);
      if (c === d) continue;
      if (c >= 128) return value.toLowerCase() === lower;
      if (c >= 65 && c <= 90) c += 32;
      if (c !== d) return false;
    }
    return true;
  }
  // Lower-casing never shortens a string (every mapping is one unit to one or more), so a longer
  // value cannot match; a shorter one only through a non-ASCII character that expands.
  return n < lower.length && hasNonAscii(value) && value.toLowerCase() === lower;
}

function matchesAt(value: string, lower: string, at: number): boolean {
  for (let i = 0; i < lower.length; i++) {
    let c = value.charCodeAt(at + i);
    if (c >= 65 && c <= 90) c += 32;
    if (c !== lower.charCodeAt(i)) return false;
  }
  return true;
}

/** True when `value.toLowerCase().startsWith(lower)`. */
export function startsWithFolded(value: string, lower: string): boolean {
  if (hasNonAscii(value)) return value.toLowerCase().startsWith(lower);
  return value.length >= lower.length && matchesAt(value, lower, 0);
}

/** True when `value.toLowerCase().endsWith(lower)`. */
export function endsWithFolded(value: string, lower: string): boolean {
  if (hasNonAscii(value)) return value.toLowerCase().endsWith(lower);
  return value.length >= lower.length && matchesAt(value, lower, value.length - lower.length);
}

/** True when `value.toLowerCase().includes(lower)`. */
export function containsFolded(value: string, lower: string): boolean {
  if (hasNonAscii(value)) return value.toLowerCase().includes(lower);
  const last = value.length - lower.length;
  if (last < 0) return false;
  if (lower.length === 0) return true;
  const first = lower.charCodeAt(0);
  for (let at = 0; at <= last; at++) {
    let c = value.charCodeAt(at);
    if (c >= 65 && c <= 90) c += 32;
    if (c === first && matchesAt(value, lower, at)) return true;
  }
  return false;
}

/**
 * Compares two strings by Unicode code point (not UTF-16 code unit): the "Unicode alphabetic order
 * with no specific locale" of RFC 7644 §3.4.2.3. Returns a negative number, 0 or a positive number.
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (U+D800-DFFF) stand for code points above U+FFFF, so they sort after U+E000-FFFF.
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}

/** {@link compareCodePoints} of `value.toLowerCase()` and `lower`. */
export function compareFolded(value: string, lower: string): number {
  if (hasNonAscii(value)) return compareCodePoints(value.toLowerCase(), lower);
  const n = Math.min(value.length, lower.length);
  for (let i = 0; i < n; i++) {
    let c = value.charCodeAt(i);
    if (c >= 65 && c <= 90) c += 32;
    const d = lower.charCodeAt(i);
    if (c !== d) return c - d;
  }
  return value.length - lower.length;
}
