import { describe, expect, it } from 'vitest';
import { isScimError } from '../../../src/error/scim-error.js';
import { frozenCopy, MAX_NESTING } from '../../../src/storage/memory/frozen-copy.js';

function deepFrozen(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  if (!Object.isFrozen(value)) return false;
  return Object.values(value).every(deepFrozen);
}

function nested(depth: number): unknown {
  let v: unknown = 'leaf';
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
}

describe('frozenCopy', () => {
  it('copies JSON data deeply and freezes every level', () => {
    const input = { a: 1, b: 'x', c: [true, null, { d: [1, 2] }], e: { f: { g: 'h' } } };
    const out = frozenCopy(input) as typeof input;
    expect(out).toEqual(input);
    expect(out).not.toBe(input);
    expect(out.c).not.toBe(input.c);
    expect(out.e.f).not.toBe(input.e.f);
    expect(deepFrozen(out)).toBe(true);
    input.e.f.g = 'changed';
    (input.c as unknown[]).push(1);
    expect(out.e.f.g).toBe('h');
    expect(out.c).toHaveLength(3);
  });

  it('drops undefined, functions and symbols like JSON does; dates become ISO strings', () => {
    const d = new Date('2024-05-06T07:08:09.000Z');
    const out = frozenCopy({ u: undefined, f: () => 1, s: Symbol('x'), d, list: [undefined, 1] });
    expect(out).toEqual({ d: '2024-05-06T07:08:09.000Z', list: [null, 1] });
    expect(Object.keys(out as object)).toEqual(['d', 'list']);
  });

  it('keeps an own __proto__ key as data without touching the prototype', () => {
    const input = JSON.parse('{"__proto__": {"polluted": true}, "ok": 1}') as Record<string, unknown>;
    const out = frozenCopy(input) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect((out as { polluted?: unknown }).polluted).toBeUndefined();
    expect(Object.hasOwn(out, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toEqual({ polluted: true });
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('accepts nesting up to the limit and refuses deeper nesting with a 400', () => {
    expect(() => frozenCopy(nested(MAX_NESTING - 1))).not.toThrow();
    for (const depth of [MAX_NESTING + 1, 100_000]) {
      try {
        frozenCopy(nested(depth));
        expect.unreachable('deep nesting must be refused');
      } catch (err) {
        expect(isScimError(err) && err.status === 400 && err.scimType === 'invalidValue').toBe(true);
      }
    }
  });

  it('refuses a cycle with a 400 instead of overflowing the stack', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a.self = a;
    expect(() => frozenCopy(a)).toThrow(expect.objectContaining({ status: 400 }));
  });

  it('refuses non-finite numbers and bigints', () => {
    expect(() => frozenCopy({ n: Number.NaN })).toThrow(expect.objectContaining({ status: 400 }));
    expect(() => frozenCopy({ n: Number.POSITIVE_INFINITY })).toThrow(expect.objectContaining({ status: 400 }));
    expect(() => frozenCopy({ n: 10n })).toThrow(expect.objectContaining({ status: 400 }));
  });
});
