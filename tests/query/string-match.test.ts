import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareCodePoints, compareFolded, containsFolded, endsWithFolded, equalsFolded, startsWithFolded } from '../../src/query/string-match.js';

const sign = (n: number): number => (n < 0 ? -1 : n > 0 ? 1 : 0);
const byCodePoint = (a: string, b: string): number => {
  const x = Array.from(a, (c) => c.codePointAt(0) as number);
  const y = Array.from(b, (c) => c.codePointAt(0) as number);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
};

/** Strings rich in case pairs and in characters whose lower case differs in length or form. */
const text = fc.string({
  unit: fc.constantFrom('a', 'A', 'b', 'B', 'z', 'Z', '-', ' ', 'é', 'É', 'İ', 'i', 'ß', 'Σ', 'σ', 'K', 'k', '\u0307', '😀', '\uFFFD'),
  maxLength: 8,
});

describe('case-insensitive matching agrees with toLowerCase', () => {
  it('equals, startsWith, endsWith, contains and compare', () => {
    fc.assert(
      fc.property(text, text, (value, literal) => {
        const lower = literal.toLowerCase();
        const folded = value.toLowerCase();
        expect(equalsFolded(value, lower)).toBe(folded === lower);
        expect(startsWithFolded(value, lower)).toBe(folded.startsWith(lower));
        expect(endsWithFolded(value, lower)).toBe(folded.endsWith(lower));
        expect(containsFolded(value, lower)).toBe(folded.includes(lower));
        expect(sign(compareFolded(value, lower))).toBe(sign(byCodePoint(folded, lower)));
      }),
      { seed: 11, numRuns: 3000 },
    );
  });

  it('handles the expanding İ', () => {
    expect(equalsFolded('İ', 'i\u0307')).toBe(true);
    expect(equalsFolded('İx', 'i\u0307x')).toBe(true);
    expect(containsFolded('aİb', '\u0307b')).toBe(true);
  });
});

describe('compareCodePoints', () => {
  it('orders by code point, placing astral characters after U+FFFF', () => {
    fc.assert(
      fc.property(text, text, (a, b) => {
        expect(sign(compareCodePoints(a, b))).toBe(sign(byCodePoint(a, b)));
      }),
      { seed: 12, numRuns: 2000 },
    );
    expect(compareCodePoints('😀', '\uFFFD')).toBeGreaterThan(0);
    expect(compareCodePoints('a', 'b')).toBeLessThan(0);
    expect(compareCodePoints('ab', 'ab')).toBe(0);
  });
});
