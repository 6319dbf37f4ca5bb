import { describe, expect, it } from 'vitest';
import { DEFAULT_PATCH_TOLERANCES, parsePatchRequest, STRICT_PATCH_TOLERANCES } from '../../src/patch/index.js';
import { resolvePatchTolerances } from '../../src/patch/patch-tolerances.js';
import { PATCH_OP, patchBody } from './fixtures.js';
import { errorOf } from '../helpers/scim-errors.js';

describe('parsePatchRequest', () => {
  it('returns the operations with lower-case op names', () => {
    const ops = parsePatchRequest(
      patchBody({ op: 'Add', path: 'nickName', value: 'Babs' }, { op: 'REMOVE', path: 'title' }, { op: 'replace', value: { active: false } }),
      DEFAULT_PATCH_TOLERANCES,
    );
    expect(ops).toEqual([
      { op: 'add', path: 'nickName', value: 'Babs' },
      { op: 'remove', path: 'title' },
      { op: 'replace', value: { active: false } },
    ]);
  });

  it('accepts member names in any case', () => {
    const ops = parsePatchRequest({ Schemas: [PATCH_OP], operations: [{ OP: 'add', Path: 'title', Value: 'x' }] }, STRICT_PATCH_TOLERANCES);
    expect(ops).toEqual([{ op: 'add', path: 'title', value: 'x' }]);
  });

  it('treats a null path as no path', () => {
    expect(parsePatchRequest(patchBody({ op: 'add', path: null, value: { title: 'x' } }), STRICT_PATCH_TOLERANCES)).toEqual([
      { op: 'add', value: { title: 'x' } },
    ]);
  });

  it.each([
    ['a non-object body', 'text'],
    ['an array body', [patchBody({ op: 'add', path: 'title', value: 'x' })]],
    ['no schemas', { Operations: [{ op: 'add', path: 'title', value: 'x' }] }],
    ['the wrong schema', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], Operations: [{ op: 'add', path: 'title', value: 'x' }] }],
    ['no Operations', { schemas: [PATCH_OP] }],
    ['Operations not an array', { schemas: [PATCH_OP], Operations: { op: 'add', path: 'title', value: 'x' } }],
    ['empty Operations', patchBody()],
    ['an operation that is not an object', patchBody('add')],
    ['an operation without op', patchBody({ path: 'title', value: 'x' })],
    ['an unknown op', patchBody({ op: 'move', path: 'title', value: 'x' })],
  ])('is 400 invalidSyntax for %s', (_name, body) => {
    const err = errorOf(() => parsePatchRequest(body, DEFAULT_PATCH_TOLERANCES));
    expect(err.status).toBe(400);
    expect(err.scimType).toBe('invalidSyntax');
  });

  it('is 400 invalidSyntax for a capitalised op in strict mode', () => {
    expect(errorOf(() => parsePatchRequest(patchBody({ op: 'Replace', path: 'title', value: 'x' }), STRICT_PATCH_TOLERANCES)).scimType).toBe('invalidSyntax');
  });

  it('is 400 noTarget for remove without a path', () => {
    expect(errorOf(() => parsePatchRequest(patchBody({ op: 'remove', value: { title: 'x' } }), DEFAULT_PATCH_TOLERANCES)).scimType).toBe('noTarget');
  });

  it.each([
    ['add without a value', { op: 'add', path: 'title' }],
    ['replace without a value', { op: 'replace', path: 'title' }],
    ['path-less add of a string', { op: 'add', value: 'x' }],
    ['path-less replace of an array', { op: 'replace', value: [{ title: 'x' }] }],
  ])('is 400 invalidValue for %s', (_name, op) => {
    expect(errorOf(() => parsePatchRequest(patchBody(op), DEFAULT_PATCH_TOLERANCES)).scimType).toBe('invalidValue');
  });

  it.each([
    ['a number', 42],
    ['an empty string', ''],
    ['blanks', '   '],
  ])('is 400 invalidPath for a path that is %s', (_name, path) => {
    expect(errorOf(() => parsePatchRequest(patchBody({ op: 'add', path, value: 'x' }), DEFAULT_PATCH_TOLERANCES)).scimType).toBe('invalidPath');
  });

  it('is 400 tooMany beyond the operation limit', () => {
    const ops = Array.from({ length: 11 }, (_, i) => ({ op: 'add', path: 'title', value: String(i) }));
    expect(parsePatchRequest(patchBody(...ops.slice(0, 10)), DEFAULT_PATCH_TOLERANCES, { maxOperations: 10 })).toHaveLength(10);
    const err = errorOf(() => parsePatchRequest(patchBody(...ops), DEFAULT_PATCH_TOLERANCES, { maxOperations: 10 }));
    expect(err.scimType).toBe('tooMany');
    expect(err.status).toBe(400);
  });

  it('has a default limit of 1,000 operations', () => {
    const ops = Array.from({ length: 1001 }, () => ({ op: 'remove', path: 'title' }));
    expect(parsePatchRequest(patchBody(...ops.slice(0, 1000)), DEFAULT_PATCH_TOLERANCES)).toHaveLength(1000);
    expect(errorOf(() => parsePatchRequest(patchBody(...ops), DEFAULT_PATCH_TOLERANCES)).scimType).toBe('tooMany');
  });
});

describe('tolerance settings', () => {
  it('are all on by default and all off in strict mode', () => {
    expect(Object.values(DEFAULT_PATCH_TOLERANCES).every((v) => v === true)).toBe(true);
    expect(Object.values(STRICT_PATCH_TOLERANCES).every((v) => v === false)).toBe(true);
    expect(Object.keys(STRICT_PATCH_TOLERANCES).sort()).toEqual(Object.keys(DEFAULT_PATCH_TOLERANCES).sort());
    expect(Object.keys(DEFAULT_PATCH_TOLERANCES)).toHaveLength(11);
  });

  it('resolve partial overrides over the defaults and ignore unknown keys', () => {
    const t = resolvePatchTolerances({ booleanStrings: false, somethingElse: false } as Record<string, boolean>);
    expect(t.booleanStrings).toBe(false);
    expect(t.opNameAnyCase).toBe(true);
    expect(t).not.toHaveProperty('somethingElse');
    expect(resolvePatchTolerances(undefined)).toEqual(DEFAULT_PATCH_TOLERANCES);
  });
});
