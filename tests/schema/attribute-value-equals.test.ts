import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { attributeValueEquals, simpleValueKey, singleValueEquals } from '../../src/schema/attribute-value-equals.js';
import { defineAttribute } from '../../src/schema/define-attribute.js';

const when = defineAttribute('when', 'dateTime');
const whenExact = defineAttribute('when', 'dateTime', { caseExact: true });
const text = defineAttribute('text', 'string');
const exact = defineAttribute('text', 'string', { caseExact: true });
const blob = defineAttribute('blob', 'binary');
const tags = defineAttribute('tags', 'string', { multiValued: true });
const times = defineAttribute('times', 'dateTime', { multiValued: true });
const sites = defineAttribute('sites', 'complex', {
  multiValued: true,
  subAttributes: [defineAttribute('name', 'string'), defineAttribute('since', 'dateTime'), defineAttribute('code', 'string', { caseExact: true })],
});

describe('attributeValueEquals: dateTime values are instants', () => {
  it('equates two spellings of one instant, as filters do', () => {
    expect(attributeValueEquals(when, '2015-04-26T03:00:00+02:00', '2015-04-26T01:00:00.000Z')).toBe(true);
    // No offset reads as UTC (the filter engine's reading), whatever the process's time zone.
    expect(attributeValueEquals(when, '2015-04-26T01:00:00', '2015-04-26T01:00:00Z')).toBe(true);
    expect(attributeValueEquals(whenExact, '2015-04-26T03:00:00+02:00', '2015-04-26T01:00:00Z')).toBe(true);
  });

  it('tells apart instants that differ below a millisecond, and text that is not a dateTime', () => {
    expect(attributeValueEquals(when, '2015-04-26T01:00:00.0001Z', '2015-04-26T01:00:00.0002Z')).toBe(false);
    expect(attributeValueEquals(when, '2015-04-26T01:00:00Z', '2015-04-26T01:00:01Z')).toBe(false);
    expect(attributeValueEquals(when, 'soon', 'SOON')).toBe(false);
    expect(attributeValueEquals(when, 'soon', 'soon')).toBe(true);
  });
});

describe('attributeValueEquals: strings', () => {
  it('folds case unless caseExact; binary is always exact', () => {
    expect(attributeValueEquals(text, 'Ann', 'aNN')).toBe(true);
    expect(attributeValueEquals(exact, 'Ann', 'aNN')).toBe(false);
    expect(attributeValueEquals(blob, 'QUJD', 'qujd')).toBe(false);
    expect(attributeValueEquals(blob, 'QUJD', 'QUJD')).toBe(true);
  });
});

describe('attributeValueEquals: multi-valued values are multisets', () => {
  it('ignores order and counts repeats', () => {
    expect(attributeValueEquals(tags, ['a', 'B', 'c'], ['C', 'b', 'A'])).toBe(true);
    expect(attributeValueEquals(tags, ['a', 'a', 'b'], ['a', 'b', 'b'])).toBe(false);
    expect(attributeValueEquals(times, ['2020-01-01T00:00:00Z', '2021-01-01T00:00:00Z'], ['2021-01-01T01:00:00+01:00', '2020-01-01T00:00:00.000Z'])).toBe(true);
  });

  it('compares complex elements sub-attribute by sub-attribute, in any order, null as absent', () => {
    const a = [
      { name: 'North', since: '2020-01-01T00:00:00Z', code: 'N1' },
      { name: 'South', code: 'S1' },
    ];
    const b = [
      { code: 'S1', name: 'SOUTH', since: null },
      { since: '2020-01-01T01:00:00+01:00', name: 'north', code: 'N1' },
    ];
    expect(attributeValueEquals(sites, a, b)).toBe(true);
    expect(attributeValueEquals(sites, a, [b[0], { ...b[1], code: 'n1' }])).toBe(false);
  });

  it('ignores order past 256 values too', () => {
    const many = Array.from({ length: 1000 }, (_, i) => `v${i}`);
    const reversed = [...many].reverse().map((v) => v.toUpperCase());
    expect(attributeValueEquals(tags, many, reversed)).toBe(true);
    expect(
      attributeValueEquals(
        tags,
        many,
        reversed.map((v, i) => (i === 0 ? 'other' : v)),
      ),
    ).toBe(false);
    const elements = many.map((name) => ({ name }));
    expect(attributeValueEquals(sites, elements, [...elements].reverse())).toBe(true);
  });

  it('treats null, absent and [] as the same unassigned value', () => {
    expect(attributeValueEquals(tags, null, [])).toBe(true);
    expect(attributeValueEquals(tags, undefined, [])).toBe(true);
    expect(attributeValueEquals(tags, undefined, ['a'])).toBe(false);
  });
});

describe('simpleValueKey agrees with singleValueEquals', () => {
  const variants = (s: string): fc.Arbitrary<string> => fc.constantFrom(s, s.toUpperCase(), s.toLowerCase());
  const instant = fc.constantFrom(
    '2015-04-26T01:00:00Z',
    '2015-04-26T01:00:00.000Z',
    '2015-04-26T03:00:00+02:00',
    '2015-04-26T01:00:00',
    '2015-04-26T01:00:00.0001Z',
    '2016-02-29T23:59:59-00:30',
    'not a date',
  );
  const scalar = fc.oneof(fc.string({ maxLength: 4 }).chain(variants), instant, fc.integer({ min: -2, max: 2 }), fc.boolean());

  for (const def of [when, text, exact, blob]) {
    it(`for ${def.type}${def.caseExact ? ' (caseExact)' : ''}`, () => {
      fc.assert(
        fc.property(scalar, scalar, (a, b) => {
          const ka = simpleValueKey(def, a);
          const kb = simpleValueKey(def, b);
          expect(ka).toBeDefined();
          expect(ka === kb).toBe(singleValueEquals(def, a, b));
        }),
        { numRuns: 500 },
      );
    });
  }
});
