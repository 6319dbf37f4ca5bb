import { describe, expect, it } from 'vitest';
import { compareById, compileSort, parseSortParameters } from '../../src/query/sort.js';
import type { SortSpec } from '../../src/query/ast.js';
import type { ResourceSchema } from '../../src/schema/resource-schema.js';
import type { ScimObject } from '../../src/schema/types.js';
import { ENTERPRISE_URI, inheritedNamesSchema, typesSchema, userSchema } from './query-fixtures.js';
import { errorOf } from '../helpers/scim-errors.js';

function order(resources: ScimObject[], sortBy: string, sortOrder?: string, schema: ResourceSchema = userSchema): string[] {
  const spec = parseSortParameters(sortBy, sortOrder, schema) as SortSpec;
  return [...resources].sort(compileSort(spec, schema)).map((r) => r.id as string);
}

describe('parseSortParameters', () => {
  it('returns no sort without sortBy', () => {
    expect(parseSortParameters(undefined, undefined, userSchema)).toBeUndefined();
    expect(parseSortParameters('', 'descending', userSchema)).toBeUndefined();
    expect(parseSortParameters('  ', undefined, userSchema)).toBeUndefined();
  });

  it('defaults to ascending and reads sortOrder case-insensitively', () => {
    expect(parseSortParameters('userName', undefined, userSchema)).toEqual({ path: { attr: 'userName' }, order: 'ascending' });
    expect(parseSortParameters('userName', 'DESCENDING', userSchema)).toEqual({ path: { attr: 'userName' }, order: 'descending' });
    expect(parseSortParameters('userName', 'Ascending', userSchema)?.order).toBe('ascending');
  });

  it('returns canonical attribute names', () => {
    expect(parseSortParameters('USERNAME', undefined, userSchema)?.path).toEqual({ attr: 'userName' });
    expect(parseSortParameters('name.FAMILYNAME', undefined, userSchema)?.path).toEqual({ attr: 'name', sub: 'familyName' });
    expect(parseSortParameters('meta.lastmodified', undefined, userSchema)?.path).toEqual({ attr: 'meta', sub: 'lastModified' });
    expect(parseSortParameters(`${ENTERPRISE_URI.toUpperCase()}:EMPLOYEENUMBER`, undefined, userSchema)?.path).toEqual({
      uri: ENTERPRISE_URI,
      attr: 'employeeNumber',
    });
    expect(parseSortParameters(`${ENTERPRISE_URI}:manager.value`, undefined, userSchema)?.path).toEqual({ uri: ENTERPRISE_URI, attr: 'manager', sub: 'value' });
    expect(parseSortParameters('emails', undefined, userSchema)?.path).toEqual({ attr: 'emails' });
  });

  it('refuses an unknown or unusable sortBy with invalidValue', () => {
    expect(errorOf(() => parseSortParameters('shoeSize', undefined, userSchema))).toMatchObject({
      status: 400,
      scimType: 'invalidValue',
      detail: 'Invalid sortBy: "shoeSize" is not a User attribute',
    });
    expect(errorOf(() => parseSortParameters('name', undefined, userSchema)).detail).toBe(
      'Invalid sortBy: "name" is a complex attribute; sort by one of its sub-attributes',
    );
    expect(errorOf(() => parseSortParameters('a.b.c', undefined, userSchema)).detail).toBe('Invalid sortBy: "a.b.c" is not an attribute path');
  });

  it('refuses a sortOrder other than ascending or descending, with or without sortBy', () => {
    expect(errorOf(() => parseSortParameters('userName', 'up', userSchema))).toMatchObject({
      status: 400,
      scimType: 'invalidValue',
      detail: 'Invalid sortOrder "up": expected "ascending" or "descending"',
    });
    expect(errorOf(() => parseSortParameters(undefined, 'asc', userSchema)).scimType).toBe('invalidValue');
  });
});

describe('compileSort', () => {
  it('sorts case-insensitive strings ignoring case, and case-exact strings by code point', () => {
    const users = [
      { id: '1', userName: 'bob', externalId: 'b' },
      { id: '2', userName: 'Alice', externalId: 'B' },
      { id: '3', userName: 'carol', externalId: 'a' },
      { id: '4', userName: 'ALBERT', externalId: 'A' },
    ];
    expect(order(users, 'userName')).toEqual(['4', '2', '1', '3']);
    expect(order(users, 'userName', 'descending')).toEqual(['3', '1', '2', '4']);
    expect(order(users, 'externalId')).toEqual(['4', '2', '3', '1']);
  });

  it('sorts numbers, booleans and dateTime by value', () => {
    const things = [
      { id: 'a', size: 10, enabled: true, seen: '2024-01-01T01:00:00+02:00' },
      { id: 'b', size: 9, enabled: false, seen: '2023-12-31T23:30:00Z' },
      { id: 'c', size: -1, enabled: true, seen: '2023-12-31T22:00:00.5Z' },
    ];
    expect(order(things, 'size', undefined, typesSchema)).toEqual(['c', 'b', 'a']);
    expect(order(things, 'enabled', undefined, typesSchema)).toEqual(['b', 'a', 'c']);
    // a is 2023-12-31T23:00:00Z.
    expect(order(things, 'seen', undefined, typesSchema)).toEqual(['c', 'a', 'b']);
    expect(order(things, 'seen', 'descending', typesSchema)).toEqual(['b', 'a', 'c']);
  });

  it('sorts a multi-valued attribute by its primary value, else its first', () => {
    const users = [
      { id: '1', emails: [{ value: 'z@x' }, { value: 'a@x', primary: true }] },
      { id: '2', emails: [{ value: 'm@x' }, { value: 'b@x' }] },
      { id: '3', emails: [{ value: 'c@x', type: 'work' }] },
    ];
    expect(order(users, 'emails')).toEqual(['1', '3', '2']);
    expect(order(users, 'emails.value')).toEqual(['1', '3', '2']);
    expect(order(users, 'emails.type')).toEqual(['3', '1', '2']);
    const things = [
      { id: 'x', aliases: ['b', 'a'] },
      { id: 'y', aliases: ['A'] },
    ];
    expect(order(things, 'aliases', undefined, typesSchema)).toEqual(['y', 'x']);
  });

  it('puts unassigned values last when ascending and first when descending', () => {
    const users = [{ id: '1', title: 'b' }, { id: '2' }, { id: '3', title: '' }, { id: '4', title: 'a' }, { id: '5', title: null }];
    expect(order(users, 'title')).toEqual(['4', '1', '2', '3', '5']);
    expect(order(users, 'title', 'descending')).toEqual(['2', '3', '5', '1', '4']);
  });

  it('breaks ties by id, so any shuffle sorts to one sequence and pages never overlap', () => {
    const users = Array.from({ length: 60 }, (_, i) => ({ id: `id-${String(i).padStart(2, '0')}`, userName: i % 3 === 0 ? 'same' : `user${i % 7}` }));
    const spec = parseSortParameters('userName', undefined, userSchema) as SortSpec;
    const reference = [...users].sort(compileSort(spec, userSchema)).map((u) => u.id);
    let seed = 42;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 5; round++) {
      const shuffled = [...users].sort(() => random() - 0.5);
      expect(shuffled.sort(compileSort(spec, userSchema)).map((u) => u.id)).toEqual(reference);
    }
    for (const pageSize of [1, 7, 13, 60]) {
      const pages: string[] = [];
      for (let start = 0; start < reference.length; start += pageSize) {
        const sorted = [...users].sort(compileSort(spec, userSchema));
        pages.push(...sorted.slice(start, start + pageSize).map((u) => u.id));
      }
      expect(pages).toEqual(reference);
    }
    const same = reference.filter((id) => users.find((u) => u.id === id)?.userName === 'same');
    expect(same).toEqual([...same].sort());
  });

  it('orders by id as the default comparator', () => {
    const list = [{ id: 'b' }, { id: 'a' }, { id: 'c' }];
    expect([...list].sort(compareById).map((r) => r.id)).toEqual(['a', 'b', 'c']);
  });

  it('refuses a hand-built sort on an unknown attribute', () => {
    expect(errorOf(() => compileSort({ path: { attr: 'nope' }, order: 'ascending' }, userSchema)).scimType).toBe('invalidValue');
  });
});

describe('compileSort: attribute names that objects inherit', () => {
  it('sorts a record without the attribute last, not by the prototype member', () => {
    const list: ScimObject[] = [{ id: 'a' }, { id: 'b', constructor: 'x' }, { id: 'c', valueOf: { length: 1 } }];
    expect(order(list, 'constructor', undefined, inheritedNamesSchema)).toEqual(['b', 'a', 'c']);
    expect(order(list, 'valueOf.length', 'descending', inheritedNamesSchema)).toEqual(['a', 'b', 'c']);
  });
});
