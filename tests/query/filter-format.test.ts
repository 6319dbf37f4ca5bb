import { describe, expect, it } from 'vitest';
import { formatFilter } from '../../src/query/filter-format.js';
import { parseFilter } from '../../src/query/filter-parser.js';
import type { FilterNode } from '../../src/query/ast.js';

describe('formatFilter', () => {
  it('writes one canonical spelling', () => {
    expect(formatFilter(parseFilter('userName  EQ   "bjensen"'))).toBe('userName eq "bjensen"');
    expect(formatFilter(parseFilter('title PR'))).toBe('title pr');
    expect(formatFilter(parseFilter('a eq 1.50 and b eq TRUE or c eq null'))).toBe('a eq 1.5 and b eq true or c eq null');
    expect(formatFilter(parseFilter(String.raw`a eq "q\"\\\u00e9\n"`))).toBe(String.raw`a eq "q\"\\é\n"`);
    expect(formatFilter(parseFilter('urn:ietf:params:scim:schemas:core:2.0:User:name.givenName sw "B"'))).toBe(
      'urn:ietf:params:scim:schemas:core:2.0:User:name.givenName sw "B"',
    );
  });

  it('keeps parentheses only where precedence needs them', () => {
    expect(formatFilter(parseFilter('(a pr or b pr) and c pr'))).toBe('(a pr or b pr) and c pr');
    expect(formatFilter(parseFilter('a pr or (b pr and c pr)'))).toBe('a pr or b pr and c pr');
    expect(formatFilter(parseFilter('((a pr)) and ((b pr))'))).toBe('a pr and b pr');
    expect(formatFilter(parseFilter('not (a pr or b pr)'))).toBe('not (a pr or b pr)');
    const hand: FilterNode = {
      kind: 'and',
      left: { kind: 'or', left: { kind: 'present', path: { attr: 'a' } }, right: { kind: 'present', path: { attr: 'b' } } },
      right: { kind: 'and', left: { kind: 'present', path: { attr: 'c' } }, right: { kind: 'present', path: { attr: 'd' } } },
    };
    expect(formatFilter(hand)).toBe('(a pr or b pr) and c pr and d pr');
  });

  it('writes value filters, folding a trailing comparison into them', () => {
    expect(formatFilter(parseFilter('emails[type eq "work" and value co "@x"]'))).toBe('emails[type eq "work" and value co "@x"]');
    expect(formatFilter(parseFilter('emails[type eq "work"].value eq "x"'))).toBe('emails[type eq "work" and value eq "x"]');
  });
});
