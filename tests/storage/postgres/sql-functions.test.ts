import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dateTimeKey } from '../../../src/schema/date-time.js';
import { CASE_IGNORABLE_RANGES, CASED_RANGES, LOWER_EXPANSIONS, LOWER_RUNS } from '../../../src/storage/postgres/case-fold-data.js';
import type { SqlFixture } from './sql-fixture.js';
import { createSqlFixture } from './sql-fixture.js';

let fixture: SqlFixture;

beforeAll(async () => {
  fixture = await createSqlFixture();
});

afterAll(async () => {
  await fixture.db.close();
});

function codePoints(ranges: readonly (readonly [number, number])[]): Set<number> {
  const out = new Set<number>();
  for (const [a, b] of ranges) for (let cp = a; cp <= b; cp++) out.add(cp);
  return out;
}

const ALL: number[] = [];
for (let cp = 1; cp <= 0x10ffff; cp++) if (cp < 0xd800 || cp > 0xdfff) ALL.push(cp);

describe('case-fold data', () => {
  it("is this Node's toLowerCase, code point by code point (regenerate with scripts/generate-case-fold-data.mjs)", () => {
    const table = new Map<number, string>();
    for (const [first, count, delta, step] of LOWER_RUNS) {
      for (let i = 0; i < count; i++) table.set(first + i * step, String.fromCodePoint(first + i * step + delta));
    }
    for (const [cp, points] of LOWER_EXPANSIONS) table.set(cp, String.fromCodePoint(...points));
    const differing = ALL.filter((cp) => (table.get(cp) ?? String.fromCodePoint(cp)) !== String.fromCodePoint(cp).toLowerCase());
    expect(differing).toEqual([]);
    // Expansions are already lower case, so translating after replacing cannot change them again.
    for (const [, points] of LOWER_EXPANSIONS) expect(String.fromCodePoint(...points).toLowerCase()).toBe(String.fromCodePoint(...points));
  });

  it("holds this Node's Cased and Case_Ignorable properties", () => {
    const cased = codePoints(CASED_RANGES);
    const ignorable = codePoints(CASE_IGNORABLE_RANGES);
    expect(ALL.filter((cp) => /\p{Cased}/u.test(String.fromCodePoint(cp)) !== cased.has(cp))).toEqual([]);
    expect(ALL.filter((cp) => /\p{Case_Ignorable}/u.test(String.fromCodePoint(cp)) !== ignorable.has(cp))).toEqual([]);
  });
});

/** Folds in SQL; read back as JSON, since PGlite drops a leading U+FEFF from text it returns. */
async function folds(texts: readonly string[]): Promise<string[]> {
  const { rows } = await fixture.db.query<{ f: string }>(
    'SELECT to_jsonb(public.scim_fold_v1(t))::text AS f FROM unnest($1::text[]) WITH ORDINALITY AS u(t, n) ORDER BY n',
    [texts],
  );
  return rows.map((r) => JSON.parse(r.f) as string);
}

describe('the SQL fold function is toLowerCase', () => {
  it('for every code point lower-casing changes, and every 97th other one', async () => {
    const changing = new Set<number>();
    for (const [first, count, , step] of LOWER_RUNS) for (let i = 0; i < count; i++) changing.add(first + i * step);
    for (const [cp] of LOWER_EXPANSIONS) changing.add(cp);
    const texts = ALL.filter((cp, i) => changing.has(cp) || i % 97 === 0).map((cp) => String.fromCodePoint(cp));
    expect(await folds(texts)).toEqual(texts.map((t) => t.toLowerCase()));
  });

  it('for the final sigma beside every cased and case-ignorable character class boundary', async () => {
    const around = new Set<number>();
    for (const [a, b] of [...CASED_RANGES, ...CASE_IGNORABLE_RANGES])
      for (const cp of [a - 1, a, b, b + 1]) if (cp > 0 && (cp < 0xd800 || cp > 0xdfff) && cp <= 0x10ffff) around.add(cp);
    const texts: string[] = [];
    for (const cp of around) {
      const c = String.fromCodePoint(cp);
      texts.push(`A${c}Σ`, `AΣ${c}`, `AΣ${c}a`, `${c}Σ`, `Σ${c}`);
    }
    texts.push('ΑΣ', 'ΣΣ', 'Σ', 'ΑΣ Β', "Α'Σ'", 'Α\u0301Σ\u0301', 'ΑΣΑ', 'ΑΣ\u0000'.slice(0, 2), 'İΣ', 'ÉΣ x ΣÉ');
    expect(await folds(texts)).toEqual(texts.map((t) => t.toLowerCase()));
  });

  it('for random strings of ASCII, Latin, Greek, Turkish and astral characters', async () => {
    const alphabet = fc.constantFrom(...'aAzZ09 _%\\ÉéßẞİıIΣσςΑ\u0301\u0345ǅǄK😀𐐀𐐨Ω'.split(/(?:)/u));
    const texts = fc.sample(
      fc.array(alphabet, { maxLength: 12 }).map((chars) => chars.join('')),
      { numRuns: 2000, seed: 42 },
    );
    expect(await folds(texts)).toEqual(texts.map((t) => t.toLowerCase()));
  });
});

describe('the SQL dateTime key is dateTimeKey', () => {
  it('for valid, invalid and edge dateTimes', async () => {
    const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
    const arb = fc
      .record({
        y: fc.oneof(
          fc.constantFrom('0000', '0001', '1970', '2000', '2024', '9999', '1900'),
          fc.integer({ min: 0, max: 9999 }).map((n) => String(n).padStart(4, '0')),
        ),
        mo: two(13),
        d: two(32),
        t: fc.constantFrom('T', 't', ' '),
        h: two(25),
        mi: two(60),
        s: two(60),
        f: fc.constantFrom('', '.0', '.5', '.000', '.123456789', '.', '.1a'),
        z: fc.constantFrom('', 'Z', 'z', '+00:00', '-00:30', '+14:00', '+14:59', '+15:00', '-12:00', '+5:00', 'Zx'),
      })
      .map((p) => `${p.y}-${p.mo}-${p.d}${p.t}${p.h}:${p.mi}:${p.s}${p.f}${p.z}`);
    const texts = [...fc.sample(arb, { numRuns: 3000, seed: 7 }), '2024-02-29T24:00:00Z', '0000-01-01T00:00:00+00:01', '9999-12-31T23:59:59-00:01', '', 'x'];
    const { rows } = await fixture.db.query<{ k: string | null }>(
      'SELECT public.scim_datetime_key_v1(t) AS k FROM unnest($1::text[]) WITH ORDINALITY AS u(t, n) ORDER BY n',
      [texts],
    );
    const keys = texts.map((t) => dateTimeKey(t) ?? null);
    expect(rows.map((r) => r.k)).toEqual(keys);
    expect(keys.filter((k) => k !== null).length).toBeGreaterThan(200);
  });
});
