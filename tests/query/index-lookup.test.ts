import { describe, expect, it } from 'vitest';
import { findIndexedEquality } from '../../src/query/index-lookup.js';
import { parseFilter } from '../../src/query/filter-parser.js';
import { ENTERPRISE_URI, groupSchema, userSchema } from './query-fixtures.js';

const INDEXED = ['id', 'externalId', 'userName'];
const find = (filter: string, indexed: readonly string[] = INDEXED) => findIndexedEquality(parseFilter(filter), userSchema, indexed);

describe('findIndexedEquality', () => {
  it('finds an eq on an indexed attribute, normalised by caseExact', () => {
    expect(find('userName eq "BJensen"')).toEqual({ key: 'userName', value: 'bjensen', caseExact: false });
    expect(find('USERNAME eq "BJensen"')).toEqual({ key: 'userName', value: 'bjensen', caseExact: false });
    expect(find('externalId eq "AbC"')).toEqual({ key: 'externalId', value: 'AbC', caseExact: true });
    expect(find('id eq "2819c223-7f76"')).toEqual({ key: 'id', value: '2819c223-7f76', caseExact: true });
    expect(find('urn:ietf:params:scim:schemas:core:2.0:User:userName eq "X"')).toEqual({ key: 'userName', value: 'x', caseExact: false });
    expect(findIndexedEquality(parseFilter('displayName eq "Admins"'), groupSchema, ['displayName'])).toEqual({
      key: 'displayName',
      value: 'admins',
      caseExact: false,
    });
  });

  it('finds it inside an and chain, leftmost first', () => {
    expect(find('active eq true and userName eq "a"')).toEqual({ key: 'userName', value: 'a', caseExact: false });
    expect(find('(title pr and externalId eq "E") and userName eq "a"')).toEqual({ key: 'externalId', value: 'E', caseExact: true });
    expect(find('userName eq "a" and emails[type eq "work"]')).toEqual({ key: 'userName', value: 'a', caseExact: false });
  });

  it('gives up where an index could miss matches or does not apply', () => {
    expect(find('userName eq "a" or title pr')).toBeUndefined();
    expect(find('not (userName eq "a")')).toBeUndefined();
    expect(find('userName ne "a"')).toBeUndefined();
    expect(find('userName sw "a"')).toBeUndefined();
    expect(find('userName eq null')).toBeUndefined();
    expect(find('title eq "a"')).toBeUndefined();
    expect(find('emails[value eq "a"]', ['emails'])).toBeUndefined();
    expect(find('emails.value eq "a"', ['emails'])).toBeUndefined();
    expect(find('name.givenName eq "a"', ['name'])).toBeUndefined();
    expect(find(`${ENTERPRISE_URI}:employeeNumber eq "1"`, ['employeeNumber'])).toBeUndefined();
    expect(find('userName eq "a"', [])).toBeUndefined();
    expect(find('nope eq "a"', ['nope'])).toBeUndefined();
  });
});
