import { describe, expect, it } from 'vitest';
import { SchemaListInterner } from '../../../src/storage/memory/schema-list-interner.js';

describe('SchemaListInterner', () => {
  it('returns one frozen array per distinct list', () => {
    const interner = new SchemaListInterner();
    const a = interner.intern(['urn:a', 'urn:b']);
    const b = interner.intern(['urn:a', 'urn:b']);
    const c = interner.intern(['urn:a']);
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    expect(a).toEqual(['urn:a', 'urn:b']);
    expect(Object.isFrozen(a)).toBe(true);
  });

  it('copies the list it is given', () => {
    const interner = new SchemaListInterner();
    const input = ['urn:a'];
    const out = interner.intern(input);
    input.push('urn:x');
    expect(out).toEqual(['urn:a']);
  });

  it('does not confuse lists whose joined text would collide', () => {
    const interner = new SchemaListInterner();
    expect(interner.intern(['a,b'])).not.toBe(interner.intern(['a', 'b']));
  });
});
