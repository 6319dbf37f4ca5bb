/**
 * Where the examples' tenants file stops being JSON: the position its error message points at, for
 * the mistakes people make by hand.
 */
import { describe, expect, it } from 'vitest';
import { jsonErrorOffset } from '../../examples/tenants-file.js';

describe('jsonErrorOffset', () => {
  it.each([
    ['a trailing comma in an object', '{"id": "a",}', 11],
    ['a trailing comma in an array', '[1, 2, ]', 7],
    ['an unquoted key', '{tenants: []}', 1],
    ['single quotes', "{'a': 1}", 1],
    ['a comment', '// tenants\n{}', 0],
    ['a missing comma', '{"a": 1 "b": 2}', 8],
    ['a bad escape', '{"a": "x\\qy"}', 9],
    ['a raw newline in a string', '{"a": "x\ny"}', 8],
    ['a misspelt literal', '{"a": tru}', 6],
    ['a second document', '{}\n{}', 3],
    ['a leading zero', '[01]', 2],
  ])('points at %s', (_what, text, offset) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(jsonErrorOffset(text)).toBe(offset);
  });

  it('points past the end of a file that stops early', () => {
    for (const text of ['', '{"tenants": [', '{"a": "unterminated']) expect(jsonErrorOffset(text)).toBe(text.length);
  });
});
