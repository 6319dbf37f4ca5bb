import { describe, expect, it } from 'vitest';
import { DateTimeKeyCache, dateTimeKey } from '../../src/schema/date-time.js';

describe('dateTimeKey', () => {
  it('normalises to UTC and drops trailing zeros of the fraction', () => {
    expect(dateTimeKey('2011-05-13T04:42:34Z')).toBe('2011-05-13T04:42:34');
    expect(dateTimeKey('2011-05-13T04:42:34.000Z')).toBe('2011-05-13T04:42:34');
    expect(dateTimeKey('2011-05-13T04:42:34.120Z')).toBe('2011-05-13T04:42:34.12');
    expect(dateTimeKey('2011-05-13T06:42:34+02:00')).toBe('2011-05-13T04:42:34');
    expect(dateTimeKey('2011-05-12T23:12:34.5-05:30')).toBe('2011-05-13T04:42:34.5');
    expect(dateTimeKey('2011-05-13t04:42:34z')).toBe('2011-05-13T04:42:34');
    expect(dateTimeKey('2011-05-13T04:42:34')).toBe('2011-05-13T04:42:34');
    expect(dateTimeKey('2011-05-13T04:42:34.123456789012Z')).toBe('2011-05-13T04:42:34.123456789012');
  });

  it('handles leap years, year ends, early years and 24:00', () => {
    expect(dateTimeKey('2024-02-29T00:00:00Z')).toBe('2024-02-29T00:00:00');
    expect(dateTimeKey('2000-02-29T00:00:00Z')).toBe('2000-02-29T00:00:00');
    expect(dateTimeKey('2023-12-31T23:30:00-01:00')).toBe('2024-01-01T00:30:00');
    expect(dateTimeKey('0050-06-01T00:00:00Z')).toBe('0050-06-01T00:00:00');
    expect(dateTimeKey('2024-01-01T24:00:00Z')).toBe('2024-01-02T00:00:00');
  });

  it('orders keys chronologically as strings', () => {
    const texts = [
      '2024-01-01T00:00:00.5Z',
      '2023-12-31T23:59:59.9999999Z',
      '2024-01-01T01:00:00+01:00',
      '2024-01-01T00:00:00.05Z',
      '2024-01-01T00:00:01-00:00',
    ];
    const sorted = [...texts].sort((a, b) => ((dateTimeKey(a) as string) < (dateTimeKey(b) as string) ? -1 : 1));
    expect(sorted).toEqual([
      '2023-12-31T23:59:59.9999999Z',
      '2024-01-01T01:00:00+01:00',
      '2024-01-01T00:00:00.05Z',
      '2024-01-01T00:00:00.5Z',
      '2024-01-01T00:00:01-00:00',
    ]);
    expect(dateTimeKey('2024-01-01T00:00:00.5Z')).toBe(dateTimeKey('2024-01-01T00:00:00.50000Z'));
  });

  it('refuses texts that are not xsd:dateTime', () => {
    for (const bad of [
      '',
      '2011-05-13',
      '2011-05-13 04:42:34Z',
      '2011-13-01T00:00:00Z',
      '2011-02-29T00:00:00Z',
      '1900-02-29T00:00:00Z',
      '2011-04-31T00:00:00Z',
      '2011-05-13T25:00:00Z',
      '2011-05-13T24:00:01Z',
      '2011-05-13T04:60:00Z',
      '2011-05-13T04:42:60Z',
      '2011-05-13T04:42:34.Z',
      '2011-05-13T04:42:34+2:00',
      '2011-05-13T04:42:34+15:00',
      '2011-05-13T04:42:34ZZ',
      'x011-05-13T04:42:34Z',
      '2011/05/13T04:42:34Z',
      '0000-01-01T00:00:00+01:00',
    ]) {
      expect(dateTimeKey(bad), bad).toBeUndefined();
    }
  });
});

describe('DateTimeKeyCache', () => {
  it('returns the same keys as dateTimeKey and survives filling up', () => {
    const cache = new DateTimeKeyCache(3);
    const texts = ['2024-01-01T00:00:00Z', 'nope', '2024-01-02T00:00:00+01:00', '2024-01-03T00:00:00Z', '2024-01-01T00:00:00Z'];
    for (let round = 0; round < 3; round++) {
      for (const t of texts) expect(cache.get(t)).toBe(dateTimeKey(t));
    }
  });
});
