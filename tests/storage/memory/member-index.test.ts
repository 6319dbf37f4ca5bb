import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemberIndex } from '../../../src/storage/memory/member-index.js';
import type { MemberRef } from '../../../src/storage/storage-provider.js';

const ref = (value: string, type = 'User'): MemberRef => ({ value, type });

function members(index: MemberIndex, groupId: string): string[] {
  return [...index.membersOf(groupId).keys()].sort();
}

function groups(index: MemberIndex, memberId: string): string[] {
  return [...index.groupsOf(memberId)].sort();
}

describe('MemberIndex', () => {
  it('plans without writing, then applies', () => {
    const index = new MemberIndex();
    const plan = index.plan('g', { add: [ref('a'), ref('b'), ref('a')] });
    expect(plan.add.map((r) => r.value)).toEqual(['a', 'b']);
    expect(plan.remove).toEqual([]);
    expect(plan.sizeAfter).toBe(2);
    expect(members(index, 'g')).toEqual([]);
    index.apply('g', plan);
    expect(members(index, 'g')).toEqual(['a', 'b']);
    expect(groups(index, 'a')).toEqual(['g']);
  });

  it('ignores present ids on add and absent ids on remove', () => {
    const index = new MemberIndex();
    index.apply('g', index.plan('g', { add: [ref('a')] }));
    const plan = index.plan('g', { add: [ref('a')], remove: ['zz', 'zz'] });
    expect(plan).toEqual({ add: [], remove: [], sizeAfter: 1 });
  });

  it('an id both removed and added stays; removeAll keeps re-added ids', () => {
    const index = new MemberIndex();
    index.apply('g', index.plan('g', { add: [ref('a'), ref('b'), ref('c')] }));
    const p1 = index.plan('g', { remove: ['a', 'b'], add: [ref('a')] });
    expect(p1.remove).toEqual(['b']);
    expect(p1.add).toEqual([]);
    const p2 = index.plan('g', { removeAll: true, add: [ref('c'), ref('d')] });
    expect([...p2.remove].sort()).toEqual(['a', 'b']);
    expect(p2.add.map((r) => r.value)).toEqual(['d']);
    expect(p2.sizeAfter).toBe(2);
    index.apply('g', p2);
    expect(members(index, 'g')).toEqual(['c', 'd']);
    expect(groups(index, 'a')).toEqual([]);
  });

  it('keeps the first reference of an id and does not replace it on a later add', () => {
    const index = new MemberIndex();
    index.apply(
      'g',
      index.plan('g', {
        add: [
          { value: 'a', display: 'first' },
          { value: 'a', display: 'second' },
        ],
      }),
    );
    index.apply('g', index.plan('g', { add: [{ value: 'a', display: 'third' }] }));
    expect(index.membersOf('g').get('a')?.display).toBe('first');
  });

  it('forget takes a member out of every group and drops a group with its reverse entries', () => {
    const index = new MemberIndex();
    index.apply('g1', index.plan('g1', { add: [ref('a'), ref('b')] }));
    index.apply('g2', index.plan('g2', { add: [ref('a'), ref('g1', 'Group')] }));
    expect(index.forget('a').sort()).toEqual(['g1', 'g2']);
    expect(members(index, 'g1')).toEqual(['b']);
    expect(members(index, 'g2')).toEqual(['g1']);
    expect(groups(index, 'a')).toEqual([]);
    expect(index.forget('g1')).toEqual(['g2']);
    expect(groups(index, 'b')).toEqual([]);
    expect(members(index, 'g2')).toEqual([]);
    expect(index.forget('nothing')).toEqual([]);
  });

  it('a group listing itself can be forgotten', () => {
    const index = new MemberIndex();
    index.apply('g', index.plan('g', { add: [ref('g', 'Group'), ref('a')] }));
    index.forget('g');
    expect(members(index, 'g')).toEqual([]);
    expect(groups(index, 'g')).toEqual([]);
    expect(groups(index, 'a')).toEqual([]);
  });

  it('matches a model of plain sets under any sequence of changes, both directions', () => {
    const ids = ['a', 'b', 'c', 'd', 'e'];
    const groupIds = ['g1', 'g2', 'g3'];
    const change = fc.record({
      group: fc.constantFrom(...groupIds),
      add: fc.array(fc.constantFrom(...ids), { maxLength: 4 }),
      remove: fc.array(fc.constantFrom(...ids), { maxLength: 4 }),
      removeAll: fc.boolean(),
    });
    const op = fc.oneof(
      { arbitrary: change.map((c) => ({ kind: 'change' as const, ...c })), weight: 5 },
      { arbitrary: fc.constantFrom(...ids, ...groupIds).map((id) => ({ kind: 'forget' as const, id })), weight: 1 },
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const index = new MemberIndex();
        const model = new Map<string, Set<string>>(groupIds.map((g) => [g, new Set<string>()]));
        for (const o of ops) {
          if (o.kind === 'forget') {
            index.forget(o.id);
            for (const set of model.values()) set.delete(o.id);
            model.get(o.id)?.clear();
            continue;
          }
          const set = model.get(o.group) as Set<string>;
          const before = new Set(set);
          if (o.removeAll) set.clear();
          else for (const id of o.remove) set.delete(id);
          for (const id of o.add) set.add(id);
          const plan = index.plan(o.group, { add: o.add.map((id) => ref(id)), remove: o.remove, removeAll: o.removeAll });
          expect(plan.sizeAfter).toBe(set.size);
          expect(plan.add.map((r) => r.value).sort()).toEqual([...set].filter((id) => !before.has(id)).sort());
          expect([...plan.remove].sort()).toEqual([...before].filter((id) => !set.has(id)).sort());
          index.apply(o.group, plan);
        }
        for (const g of groupIds) expect(members(index, g)).toEqual([...(model.get(g) as Set<string>)].sort());
        for (const id of [...ids, ...groupIds]) {
          const expected = groupIds.filter((g) => model.get(g)?.has(id)).sort();
          expect(groups(index, id)).toEqual(expected);
        }
      }),
      { numRuns: 300 },
    );
  });
});
