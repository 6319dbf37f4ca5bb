import { describe, expect, it } from 'vitest';
import type { ScimResource } from '../../../src/schema/types.js';
import { ResourceTable, valuesAt } from '../../../src/storage/memory/resource-table.js';

function rec(id: string, body: Record<string, unknown>): ScimResource {
  return { schemas: [], id, ...body, meta: { resourceType: 'User', created: '', lastModified: '', version: 'W/"1"' } } as ScimResource;
}

describe('valuesAt', () => {
  it('walks objects and multi-valued attributes, keeping strings', () => {
    const r = { a: { b: 'x' }, emails: [{ value: 'e1' }, { value: 'e2' }, { type: 'no value' }, { value: 3 }], tags: ['t1', 't2'] };
    expect(valuesAt(r, ['a', 'b'])).toEqual(['x']);
    expect(valuesAt(r, ['emails', 'value'])).toEqual(['e1', 'e2']);
    expect(valuesAt(r, ['tags'])).toEqual(['t1', 't2']);
    expect(valuesAt(r, ['missing', 'x'])).toEqual([]);
    expect(valuesAt(r, ['a'])).toEqual([]);
  });

  it('follows own properties only', () => {
    expect(valuesAt({}, ['constructor'])).toEqual([]);
    expect(valuesAt({ a: {} }, ['a', 'toString'])).toEqual([]);
  });
});

describe('ResourceTable', () => {
  it('keeps creation order and built-in indexes through insert, update and delete', () => {
    const table = new ResourceTable([
      { keys: ['userName'], caseExact: false },
      { keys: ['externalId'], caseExact: true },
    ]);
    const a = rec('1', { userName: 'Alice', externalId: 'X' });
    const b = rec('2', { userName: 'bob' });
    table.insert(a);
    table.insert(b);
    expect([...table.records.keys()]).toEqual(['1', '2']);
    expect(table.candidates(['userName'], 'ALICE', false)).toEqual(['1']);
    expect(table.candidates(['externalId'], 'X', true)).toEqual(['1']);
    expect(table.candidates(['externalId'], 'x', true)).toEqual([]);
    expect(table.candidates(['externalId'], 'x', false)).toBeUndefined();
    expect(table.candidates(['displayName'], 'x', false)).toBeUndefined();
    const a2 = rec('1', { userName: 'Alicia', externalId: 'X' });
    table.update(a, a2);
    expect([...table.records.keys()]).toEqual(['1', '2']);
    expect(table.candidates(['userName'], 'alice', false)).toEqual([]);
    expect(table.candidates(['userName'], 'alicia', false)).toEqual(['1']);
    table.delete(a2);
    expect(table.candidates(['userName'], 'alicia', false)).toEqual([]);
    expect(table.candidates(['externalId'], 'X', true)).toEqual([]);
  });

  it('finds conflicts other than the resource itself, honouring caseExact', () => {
    const table = new ResourceTable([{ keys: ['userName'], caseExact: false }]);
    table.insert(rec('1', { userName: 'Alice' }));
    expect(table.conflict({ keys: ['userName'], value: 'ALICE', caseExact: false })).toBe('1');
    expect(table.conflict({ keys: ['userName'], value: 'ALICE', caseExact: true })).toBeUndefined();
    expect(table.conflict({ keys: ['userName'], value: 'Alice', caseExact: true })).toBe('1');
    expect(table.conflict({ keys: ['userName'], value: 'alice', caseExact: false }, '1')).toBeUndefined();
  });

  it('builds an index on first use for keys it does not index yet, and keeps it current', () => {
    const table = new ResourceTable();
    table.insert(rec('1', { emails: [{ value: 'A@x.org' }, { value: 'b@x.org' }] }));
    expect(table.candidates(['emails', 'value'], 'a@x.org', false)).toBeUndefined();
    expect(table.conflict({ keys: ['emails', 'value'], value: 'a@X.org', caseExact: false })).toBe('1');
    expect(table.candidates(['emails', 'value'], 'a@x.org', false)).toEqual(['1']);
    table.insert(rec('2', { emails: [{ value: 'c@x.org' }] }));
    expect(table.conflict({ keys: ['emails', 'value'], value: 'C@x.org', caseExact: false })).toBe('2');
    expect(table.conflict({ keys: ['emails', 'value'], value: 'C@x.org', caseExact: true })).toBeUndefined();
    expect(table.indexSpecs()).toEqual([{ keys: ['emails', 'value'], caseExact: false }]);
  });
});
