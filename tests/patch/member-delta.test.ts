import { describe, expect, it } from 'vitest';
import { ScimError } from '../../src/error/scim-error.js';
import { applyPatch, canApplyMembersAsDelta, parsePatchRequest, DEFAULT_PATCH_TOLERANCES, type PatchOperation } from '../../src/patch/index.js';
import type { ScimObject } from '../../src/schema/types.js';
import { deepFreeze, groupSchema, patchBody, userSchema, GROUP_URI } from './fixtures.js';

/** A group as the provider hands it over in delta mode: members not loaded. */
function bareGroup(): ScimObject {
  return deepFreeze({ schemas: [GROUP_URI], id: 'g1', displayName: 'Engineering' });
}

function delta(ops: PatchOperation[], resource: ScimObject = bareGroup()) {
  return applyPatch(resource, ops, groupSchema, { membersAsDelta: true });
}

describe('members as a delta', () => {
  it('turns an add into refs without touching the resource', () => {
    const group = bareGroup();
    const result = delta(
      [{ op: 'add', path: 'members', value: [{ value: 'u1', display: 'Ann', $ref: 'https://example.com/v2/Users/u1', type: 'User' }, { value: 'u2' }] }],
      group,
    );
    expect(result.memberDelta).toEqual({ add: [{ value: 'u1', display: 'Ann', type: 'User' }, { value: 'u2' }] });
    expect(result.resource).toBe(group);
    expect(result.modified).toBe(true);
    expect(result.changed).toEqual(['members']);
  });

  it('turns value filters, including "or" of several ids, into removals', () => {
    const result = delta([
      { op: 'remove', path: 'members[value eq "u1"]' },
      { op: 'remove', path: 'members[value eq "u2" or value eq "u3" or Value EQ "u4"]' },
    ]);
    expect(result.memberDelta).toEqual({ remove: ['u1', 'u2', 'u3', 'u4'] });
  });

  it('removes only the listed members for a remove with a value list (Entra ID)', () => {
    const body = patchBody({ op: 'Remove', path: 'members', value: [{ value: '7f4bc1a3-285e-48ae-8202-5accb43efb0e' }] });
    const result = delta(parsePatchRequest(body, DEFAULT_PATCH_TOLERANCES));
    expect(result.memberDelta).toEqual({ remove: ['7f4bc1a3-285e-48ae-8202-5accb43efb0e'] });
    const strict = () =>
      applyPatch(bareGroup(), parsePatchRequest(body, DEFAULT_PATCH_TOLERANCES), groupSchema, {
        membersAsDelta: true,
        tolerances: { removeValueList: false },
      });
    expect(strict).toThrow(ScimError);
  });

  it('removes every member for a remove without a value', () => {
    expect(delta([{ op: 'remove', path: 'members' }]).memberDelta).toEqual({ removeAll: true });
  });

  it('replaces the member set: remove all, then add', () => {
    const result = delta([{ op: 'replace', path: 'members', value: [{ value: 'u9' }] }]);
    expect(result.memberDelta).toEqual({ removeAll: true, add: [{ value: 'u9' }] });
    expect(delta([{ op: 'replace', path: 'members', value: [] }]).memberDelta).toEqual({ removeAll: true });
  });

  it('handles members in a path-less value', () => {
    expect(delta([{ op: 'add', value: { members: [{ value: 'u1' }] } }]).memberDelta).toEqual({ add: [{ value: 'u1' }] });
    const renamed = delta([{ op: 'replace', value: { displayName: 'Eng', members: [{ value: 'u2' }] } }]);
    expect(renamed.memberDelta).toEqual({ removeAll: true, add: [{ value: 'u2' }] });
    expect(renamed.resource.displayName).toBe('Eng');
    expect(renamed.changed).toEqual(['displayName', 'members']);
  });

  it('nets the operations of one request', () => {
    expect(
      delta([
        { op: 'add', path: 'members', value: [{ value: 'u1' }, { value: 'u2' }] },
        { op: 'remove', path: 'members[value eq "u1"]' },
      ]).memberDelta,
    ).toEqual({ add: [{ value: 'u2' }], remove: ['u1'] });
    expect(
      delta([
        { op: 'remove', path: 'members[value eq "u1"]' },
        { op: 'add', path: 'members', value: [{ value: 'u1' }] },
      ]).memberDelta,
    ).toEqual({ add: [{ value: 'u1' }] });
    expect(
      delta([
        { op: 'add', path: 'members', value: [{ value: 'u1' }] },
        { op: 'remove', path: 'members' },
        { op: 'add', path: 'members', value: [{ value: 'u3' }] },
        { op: 'remove', path: 'members[value eq "u4"]' },
      ]).memberDelta,
    ).toEqual({ removeAll: true, add: [{ value: 'u3' }] });
  });

  it('is 400 invalidValue for a member without an id', () => {
    const err = (() => {
      try {
        delta([{ op: 'add', path: 'members', value: [{ display: 'nobody' }] }]);
      } catch (e) {
        return e as ScimError;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(ScimError);
    expect(err?.scimType).toBe('invalidValue');
  });

  it('never reads the members of the resource it is given', () => {
    // A 100,000-member group whose members throw when read: the delta is built from the request alone.
    const group: ScimObject = { schemas: [GROUP_URI], id: 'g1', displayName: 'All staff' };
    Object.defineProperty(group, 'members', {
      enumerable: true,
      get() {
        throw new Error('members were read');
      },
    });
    Object.freeze(group);
    const result = delta(
      [
        { op: 'add', path: 'members', value: [{ value: 'u100001' }] },
        { op: 'remove', path: 'members[value eq "u5"]' },
      ],
      group,
    );
    expect(result.memberDelta).toEqual({ add: [{ value: 'u100001' }], remove: ['u5'] });
    expect(result.resource).toBe(group);
  });

  it('refuses, with a plain Error, an operation that needs the members loaded', () => {
    expect(() => delta([{ op: 'remove', path: 'members[display eq "Ann"]' }])).toThrow(/canApplyMembersAsDelta/);
  });
});

describe('canApplyMembersAsDelta', () => {
  it.each([
    ['add a list', [{ op: 'add', path: 'members', value: [{ value: 'u1' }] }]],
    ['remove by id', [{ op: 'remove', path: 'members[value eq "u1"]' }]],
    ['remove by several ids', [{ op: 'remove', path: 'members[value eq "u1" or value eq "u2"]' }]],
    ['remove a listed value', [{ op: 'remove', path: 'members', value: [{ value: 'u1' }] }]],
    ['remove all', [{ op: 'remove', path: 'members' }]],
    ['replace all', [{ op: 'replace', path: 'members', value: [] }]],
    ['path-less members', [{ op: 'replace', value: { members: [{ value: 'u1' }], displayName: 'x' } }]],
    ['no members at all', [{ op: 'replace', path: 'displayName', value: 'x' }]],
    ['an unresolvable path', [{ op: 'replace', path: 'nonsense[', value: 'x' }]],
  ] as [string, PatchOperation[]][])('is true for %s', (_name, ops) => {
    expect(canApplyMembersAsDelta(ops, groupSchema)).toBe(true);
  });

  it.each([
    ['a filter on display', [{ op: 'remove', path: 'members[display eq "Ann"]' }]],
    ['a value filter with "and"', [{ op: 'remove', path: 'members[value eq "u1" and type eq "User"]' }]],
    ['a sub-attribute after a filter', [{ op: 'replace', path: 'members[value eq "u1"].display', value: 'x' }]],
    ['a filtered add', [{ op: 'add', path: 'members[value eq "u1"]', value: { display: 'x' } }]],
    ['a sub-attribute path', [{ op: 'remove', path: 'members.display' }]],
    ['a filtered key in a path-less value', [{ op: 'replace', value: { 'members[value eq "u1"].display': 'x' } }]],
  ] as [string, PatchOperation[]][])('is false for %s', (_name, ops) => {
    expect(canApplyMembersAsDelta(ops, groupSchema)).toBe(false);
  });

  it('is true for a resource type without members', () => {
    expect(canApplyMembersAsDelta([{ op: 'remove', path: 'emails[type eq "work"]' }], userSchema)).toBe(true);
  });
});
