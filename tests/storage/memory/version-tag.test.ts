import { describe, expect, it } from 'vitest';
import { versionMatches, versionNumber, versionTag } from '../../../src/storage/memory/version-tag.js';

describe('version tags', () => {
  it('are weak tags W/"n"', () => {
    expect(versionTag(1)).toBe('W/"1"');
    expect(versionTag(255)).toBe('W/"255"');
    expect(versionTag(256)).toBe('W/"256"');
    expect(versionTag(123456789)).toBe('W/"123456789"');
  });

  it('read back to their number', () => {
    for (const n of [1, 2, 99, 255, 256, 1000, 2 ** 40]) expect(versionNumber(versionTag(n))).toBe(n);
  });

  it('anything else reads as NaN', () => {
    for (const t of ['', '"1"', 'W/1', 'W/"', 'W/""', 'W/"01"', 'W/"-1"', 'W/"1.5"', 'W/"abc"', 'W/"1" ']) {
      expect(versionNumber(t)).toBeNaN();
    }
  });

  it('match exactly, in strong form, or by *', () => {
    expect(versionMatches('W/"3"', 'W/"3"')).toBe(true);
    expect(versionMatches('"3"', 'W/"3"')).toBe(true);
    expect(versionMatches('*', 'W/"3"')).toBe(true);
    expect(versionMatches(' W/"3" ', 'W/"3"')).toBe(true);
    expect(versionMatches('W/"2"', 'W/"3"')).toBe(false);
    expect(versionMatches('"2"', 'W/"3"')).toBe(false);
    expect(versionMatches('3', 'W/"3"')).toBe(false);
    expect(versionMatches('W/"30"', 'W/"3"')).toBe(false);
    expect(versionMatches('', 'W/"3"')).toBe(false);
  });
});
