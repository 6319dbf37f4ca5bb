import { describe, expect, it } from 'vitest';
import { ValueIndex } from '../../../src/storage/memory/value-index.js';

describe('ValueIndex', () => {
  it('maps a key to the ids holding it, however many', () => {
    const index = new ValueIndex();
    index.add('k', 'a');
    expect(index.get('k')).toEqual(['a']);
    index.add('k', 'b');
    index.add('k', 'c');
    expect([...index.get('k')].sort()).toEqual(['a', 'b', 'c']);
    expect(index.get('other')).toEqual([]);
    expect(index.size).toBe(1);
  });

  it('adding the same id twice keeps one entry', () => {
    const index = new ValueIndex();
    index.add('k', 'a');
    index.add('k', 'a');
    expect(index.get('k')).toEqual(['a']);
    index.add('k', 'b');
    index.add('k', 'b');
    expect(index.get('k')).toHaveLength(2);
  });

  it('removing shrinks back to one id and then to nothing', () => {
    const index = new ValueIndex();
    index.add('k', 'a');
    index.add('k', 'b');
    index.remove('k', 'a');
    expect(index.get('k')).toEqual(['b']);
    index.remove('k', 'a');
    expect(index.get('k')).toEqual(['b']);
    index.remove('k', 'b');
    expect(index.get('k')).toEqual([]);
    expect(index.size).toBe(0);
  });

  it('removing an id that does not hold the key changes nothing', () => {
    const index = new ValueIndex();
    index.add('k', 'a');
    index.remove('k', 'z');
    index.remove('missing', 'a');
    expect(index.get('k')).toEqual(['a']);
  });

  it('returned lists are copies', () => {
    const index = new ValueIndex();
    index.add('k', 'a');
    index.add('k', 'b');
    const got = index.get('k') as string[];
    got.push('c');
    expect(index.get('k')).toHaveLength(2);
  });
});
