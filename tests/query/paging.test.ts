import { describe, expect, it } from 'vitest';
import { normalizePaging } from '../../src/query/paging.js';
import { errorOf } from '../helpers/scim-errors.js';

const limits = { defaultPageSize: 100, maxPageSize: 200 };

describe('normalizePaging (RFC 7644 §3.4.2.4)', () => {
  it('defaults to startIndex 1 and the default count', () => {
    expect(normalizePaging({}, limits)).toEqual({ startIndex: 1, count: 100 });
    expect(normalizePaging({ startIndex: '', count: ' ' }, limits)).toEqual({ startIndex: 1, count: 100 });
  });

  it('reads integers from numbers and from text', () => {
    expect(normalizePaging({ startIndex: 11, count: 10 }, limits)).toEqual({ startIndex: 11, count: 10 });
    expect(normalizePaging({ startIndex: '21', count: '5' }, limits)).toEqual({ startIndex: 21, count: 5 });
    expect(normalizePaging({ startIndex: ' +3 ', count: '007' }, limits)).toEqual({ startIndex: 3, count: 7 });
  });

  it('interprets startIndex below 1 as 1', () => {
    expect(normalizePaging({ startIndex: 0 }, limits).startIndex).toBe(1);
    expect(normalizePaging({ startIndex: '-5' }, limits).startIndex).toBe(1);
  });

  it('interprets a negative count as 0, and keeps 0 (totals only)', () => {
    expect(normalizePaging({ count: -1 }, limits).count).toBe(0);
    expect(normalizePaging({ count: '-100' }, limits).count).toBe(0);
    expect(normalizePaging({ count: 0 }, limits).count).toBe(0);
  });

  it('caps count at maxPageSize, and the default count too', () => {
    expect(normalizePaging({ count: 201 }, limits).count).toBe(200);
    expect(normalizePaging({ count: '99999999999999999999' }, limits).count).toBe(200);
    expect(normalizePaging({}, { defaultPageSize: 500, maxPageSize: 50 }).count).toBe(50);
  });

  it('refuses values that are not integers with invalidValue', () => {
    for (const bad of ['ten', '1.5', '1e3', '0x10', '--1', '5 6']) {
      expect(errorOf(() => normalizePaging({ count: bad }, limits))).toMatchObject({
        status: 400,
        scimType: 'invalidValue',
        detail: `Invalid count ${JSON.stringify(bad)}: expected an integer`,
      });
    }
    expect(errorOf(() => normalizePaging({ startIndex: 2.5 }, limits))).toMatchObject({
      status: 400,
      scimType: 'invalidValue',
      detail: 'Invalid startIndex 2.5: expected an integer',
    });
    expect(errorOf(() => normalizePaging({ startIndex: NaN }, limits)).scimType).toBe('invalidValue');
  });

  it('with a cursor, requires a positive count and answers invalidCount (RFC 9865)', () => {
    expect(normalizePaging({ count: '10' }, limits, { cursor: true })).toEqual({ startIndex: 1, count: 10 });
    expect(normalizePaging({ count: 1000 }, limits, { cursor: true }).count).toBe(200);
    expect(normalizePaging({}, limits, { cursor: true }).count).toBe(100);
    for (const bad of [0, -3, '0', 'x', '2.5']) {
      expect(errorOf(() => normalizePaging({ count: bad }, limits, { cursor: true })).scimType).toBe('invalidCount');
    }
    expect(errorOf(() => normalizePaging({ count: 0 }, limits, { cursor: true })).detail).toBe(
      'Invalid count 0: with a cursor, count must be between 1 and 200',
    );
  });
});
