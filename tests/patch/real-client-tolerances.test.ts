import { describe, expect, it } from 'vitest';
import { applyPatch, DEFAULT_PATCH_TOLERANCES, parsePatchRequest, STRICT_PATCH_TOLERANCES, type PatchTolerances } from '../../src/patch/index.js';
import type { ResourceSchema } from '../../src/schema/resource-schema.js';
import type { ScimObject } from '../../src/schema/types.js';
import { deepFreeze, ENTERPRISE_URI, groupSchema, patchBody, USER_URI, userSchema } from './fixtures.js';
import { errorOf } from '../helpers/scim-errors.js';

function run(resource: ScimObject, body: unknown, schema: ResourceSchema, tolerances: Partial<PatchTolerances> = {}) {
  const effective = { ...DEFAULT_PATCH_TOLERANCES, ...tolerances };
  return applyPatch(resource, parsePatchRequest(body, effective), schema, { tolerances: effective });
}

/** A user as Entra ID creates one: no emails yet. */
function entraUser(): ScimObject {
  return deepFreeze({
    schemas: [USER_URI, ENTERPRISE_URI],
    id: '5b50642d-79fc-4410-9e90-4c077cdd1a59',
    externalId: '9950b140-90a0-4201-9d65-b5f209fb4cd0',
    userName: 'Test_User_dfeef4c5@contoso.com',
    active: true,
    displayName: 'Test User',
    name: { givenName: 'Test', familyName: 'User' },
    [ENTERPRISE_URI]: { department: 'Sales' },
  });
}

function group(members: string[]): ScimObject {
  return deepFreeze({
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
    id: 'abf4dd94-a4c0-4f67-89c9-76b03340cb9b',
    displayName: 'Test SCIMv2',
    members: members.map((value) => ({ value })),
  });
}

describe('op names in any case (Entra ID: "Replace", "Add", "Remove")', () => {
  const body = patchBody({ op: 'Replace', path: 'displayName', value: 'Renamed' });

  it('are accepted by default', () => {
    expect(run(entraUser(), body, userSchema).resource.displayName).toBe('Renamed');
  });

  it('are 400 invalidSyntax when the tolerance is off', () => {
    const err = errorOf(() => run(entraUser(), body, userSchema, { opNameAnyCase: false }));
    expect(err.scimType).toBe('invalidSyntax');
  });
});

describe('"True" / "False" strings for booleans (Entra ID)', () => {
  const body = patchBody({ op: 'Replace', path: 'active', value: 'False' });

  it('become JSON booleans', () => {
    const result = run(entraUser(), body, userSchema);
    expect(result.resource.active).toBe(false);
    expect(result.changed).toEqual(['active']);
  });

  it('count as true when a primary value is compared', () => {
    const user = deepFreeze({ ...entraUser(), emails: [{ value: 'a@contoso.com', type: 'work', primary: true }] });
    const result = run(user, patchBody({ op: 'Add', path: 'emails', value: [{ value: 'b@contoso.com', type: 'home', primary: 'True' }] }), userSchema);
    expect(result.resource.emails).toEqual([
      { value: 'a@contoso.com', type: 'work', primary: false },
      { value: 'b@contoso.com', type: 'home', primary: true },
    ]);
  });

  it('are written as sent when the tolerance is off (left to schema validation)', () => {
    const result = run(entraUser(), patchBody({ op: 'replace', path: 'active', value: 'False' }), userSchema, { booleanStrings: false });
    expect(result.resource.active).toBe('False');
  });
});

describe('path-less values with attribute paths as keys (Entra ID)', () => {
  // The shape Entra ID sends for an update of several attributes.
  const body = patchBody({
    op: 'replace',
    value: {
      displayName: 'Pvlo',
      'emails[type eq "work"].value': 'TestBcwqnm@test.microsoft.com',
      'name.givenName': 'Gtfd',
      'name.familyName': 'Pkqf',
      externalId: 'Eqpj',
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber': 'Eqpj',
    },
  });

  it('apply each key as a path', () => {
    const result = run(entraUser(), body, userSchema);
    expect(result.resource).toEqual({
      schemas: [USER_URI, ENTERPRISE_URI],
      id: '5b50642d-79fc-4410-9e90-4c077cdd1a59',
      externalId: 'Eqpj',
      userName: 'Test_User_dfeef4c5@contoso.com',
      active: true,
      displayName: 'Pvlo',
      name: { givenName: 'Gtfd', familyName: 'Pkqf' },
      emails: [{ type: 'work', value: 'TestBcwqnm@test.microsoft.com' }],
      [ENTERPRISE_URI]: { department: 'Sales', employeeNumber: 'Eqpj' },
    });
    expect(result.changed).toEqual(['displayName', 'emails', 'name.givenName', 'name.familyName', 'externalId', `${ENTERPRISE_URI}:employeeNumber`]);
  });

  it('accept a URN-qualified manager key with a bare id (Entra ID add)', () => {
    const result = run(entraUser(), patchBody({ op: 'add', value: { [`${ENTERPRISE_URI}:manager`]: '2819c223-7f76-453a-919d-413861904646' } }), userSchema);
    expect(result.resource[ENTERPRISE_URI]).toEqual({ department: 'Sales', manager: { value: '2819c223-7f76-453a-919d-413861904646' } });
  });

  it('are 400 invalidPath when the tolerance is off', () => {
    const err = errorOf(() => run(entraUser(), body, userSchema, { pathKeysInValue: false }));
    expect(err.scimType).toBe('invalidPath');
  });

  it('still accept an extension object under its URN key when the tolerance is off (RFC form)', () => {
    const rfcBody = patchBody({ op: 'replace', value: { [ENTERPRISE_URI]: { employeeNumber: '42' } } });
    const result = run(entraUser(), rfcBody, userSchema, { pathKeysInValue: false });
    expect(result.resource[ENTERPRISE_URI]).toEqual({ department: 'Sales', employeeNumber: '42' });
  });
});

describe('members remove with a value list (Entra ID)', () => {
  const body = patchBody({ op: 'Remove', path: 'members', value: [{ value: 'u2' }, { value: 'u4' }] });

  it('removes only the listed members', () => {
    const result = run(group(['u1', 'u2', 'u3', 'u4']), body, groupSchema);
    expect(result.resource.members).toEqual([{ value: 'u1' }, { value: 'u3' }]);
  });

  it('ignores listed ids that are not members', () => {
    const result = run(group(['u1']), body, groupSchema);
    expect(result.modified).toBe(false);
    expect(result.resource.members).toEqual([{ value: 'u1' }]);
  });

  it('is 400 invalidValue, never "remove all", when the tolerance is off', () => {
    const err = errorOf(() => run(group(['u1', 'u2']), body, groupSchema, { removeValueList: false }));
    expect(err.scimType).toBe('invalidValue');
  });
});

describe('filtered add of an element that does not exist (Entra ID)', () => {
  it('creates the element from the filter', () => {
    const body = patchBody({ op: 'Add', path: 'emails[type eq "work"].value', value: 'Test_User@contoso.com' });
    const result = run(entraUser(), body, userSchema);
    expect(result.resource.emails).toEqual([{ type: 'work', value: 'Test_User@contoso.com' }]);
  });

  it('builds one element from several filtered adds', () => {
    const body = patchBody(
      { op: 'Add', path: 'addresses[type eq "work"].streetAddress', value: '1 Microsoft Way' },
      { op: 'Add', path: 'addresses[type eq "work"].locality', value: 'Redmond' },
      { op: 'Add', path: 'addresses[type eq "work"].postalCode', value: '98052' },
      { op: 'Add', path: 'emails[type eq "work"].value', value: 'Test_User@contoso.com' },
      { op: 'Add', path: 'emails[type eq "work"].primary', value: 'True' },
    );
    const result = run(entraUser(), body, userSchema);
    expect(result.resource.addresses).toEqual([{ type: 'work', streetAddress: '1 Microsoft Way', locality: 'Redmond', postalCode: '98052' }]);
    expect(result.resource.emails).toEqual([{ type: 'work', value: 'Test_User@contoso.com', primary: true }]);
  });

  it('also serves a filtered Replace that matches nothing', () => {
    const body = patchBody({ op: 'Replace', path: 'emails[type eq "work"].value', value: 'updatedEmail@microsoft.com' });
    const result = run(entraUser(), body, userSchema);
    expect(result.resource.emails).toEqual([{ type: 'work', value: 'updatedEmail@microsoft.com' }]);
  });

  it('updates the element when it exists', () => {
    const user = deepFreeze({
      ...entraUser(),
      emails: [
        { type: 'work', value: 'old@contoso.com', primary: true },
        { type: 'home', value: 'h@contoso.com' },
      ],
    });
    const body = patchBody({ op: 'Replace', path: 'emails[type eq "work"].value', value: 'new@contoso.com' });
    expect(run(user, body, userSchema).resource.emails).toEqual([
      { type: 'work', value: 'new@contoso.com', primary: true },
      { type: 'home', value: 'h@contoso.com' },
    ]);
  });

  it('cannot create from a filter that is not a set of equalities', () => {
    const body = patchBody({ op: 'Add', path: 'emails[type ne "home"].value', value: 'x@contoso.com' });
    expect(errorOf(() => run(entraUser(), body, userSchema)).scimType).toBe('noTarget');
  });

  it('is 400 noTarget when the tolerance is off', () => {
    const body = patchBody({ op: 'add', path: 'emails[type eq "work"].value', value: 'Test_User@contoso.com' });
    expect(errorOf(() => run(entraUser(), body, userSchema, { createMissingFilteredElement: false })).scimType).toBe('noTarget');
  });
});

describe('a bare string for a complex attribute (Entra ID manager)', () => {
  const body = patchBody({ op: 'Add', path: `${ENTERPRISE_URI}:manager`, value: '2c2f6fb8-254f-492e-b7fe-c09c5a61c8a2' });

  it('is read as the value sub-attribute', () => {
    const result = run(entraUser(), body, userSchema);
    expect(result.resource[ENTERPRISE_URI]).toEqual({ department: 'Sales', manager: { value: '2c2f6fb8-254f-492e-b7fe-c09c5a61c8a2' } });
    expect(result.changed).toEqual([`${ENTERPRISE_URI}:manager`]);
  });

  it('is 400 invalidValue when the tolerance is off', () => {
    expect(errorOf(() => run(entraUser(), body, userSchema, { bareStringComplex: false })).scimType).toBe('invalidValue');
  });
});

describe('a one-element array for a single-valued complex attribute', () => {
  const body = patchBody({ op: 'Add', path: `${ENTERPRISE_URI}:manager`, value: [{ value: '2c2f6fb8-254f-492e-b7fe-c09c5a61c8a2' }] });

  it('uses the element', () => {
    const result = run(entraUser(), body, userSchema);
    expect(result.resource[ENTERPRISE_URI]).toEqual({ department: 'Sales', manager: { value: '2c2f6fb8-254f-492e-b7fe-c09c5a61c8a2' } });
  });

  it('is 400 invalidValue with two elements, or when the tolerance is off', () => {
    const two = patchBody({ op: 'Add', path: `${ENTERPRISE_URI}:manager`, value: [{ value: 'a' }, { value: 'b' }] });
    expect(errorOf(() => run(entraUser(), two, userSchema)).scimType).toBe('invalidValue');
    expect(errorOf(() => run(entraUser(), body, userSchema, { singleElementArray: false })).scimType).toBe('invalidValue');
  });
});

describe('"$ref": null (Entra ID members add)', () => {
  const body = patchBody({ op: 'Add', path: 'members', value: [{ $ref: null, value: 'f648f8d5ea4e4cd38e9c' }] });

  it('is ignored', () => {
    const result = run(group(['u1']), body, groupSchema);
    expect(result.resource.members).toEqual([{ value: 'u1' }, { value: 'f648f8d5ea4e4cd38e9c' }]);
  });

  it('is 400 invalidValue when the tolerance is off', () => {
    expect(errorOf(() => run(group(['u1']), body, groupSchema, { nullReference: false })).scimType).toBe('invalidValue');
  });
});

describe("a value that repeats the resource's id (Okta group rename)", () => {
  const body = patchBody({ op: 'replace', value: { id: 'abf4dd94-a4c0-4f67-89c9-76b03340cb9b', displayName: 'Renamed by Okta' } });

  it('ignores the id when it is the current one', () => {
    const result = run(group(['u1']), body, groupSchema);
    expect(result.resource.displayName).toBe('Renamed by Okta');
    expect(result.resource.id).toBe('abf4dd94-a4c0-4f67-89c9-76b03340cb9b');
    expect(result.changed).toEqual(['displayName']);
  });

  it('is 400 mutability for a different id, whatever the tolerance', () => {
    const other = patchBody({ op: 'replace', value: { id: 'something-else', displayName: 'x' } });
    expect(errorOf(() => run(group(['u1']), other, groupSchema)).scimType).toBe('mutability');
  });

  it('is 400 mutability when the tolerance is off', () => {
    expect(errorOf(() => run(group(['u1']), body, groupSchema, { repeatedId: false })).scimType).toBe('mutability');
  });
});

describe('replace with "" or null clears the attribute (Entra ID)', () => {
  const user = () => deepFreeze({ ...entraUser(), title: 'Engineer', [ENTERPRISE_URI]: { department: 'Sales', manager: { value: 'm1' } } });

  it('clears a manager sent as ""', () => {
    const result = run(user(), patchBody({ op: 'Replace', path: `${ENTERPRISE_URI}:manager`, value: '' }), userSchema);
    expect(result.resource[ENTERPRISE_URI]).toEqual({ department: 'Sales' });
  });

  it('clears a string attribute sent as null, and drops an extension left empty from schemas', () => {
    const body = patchBody(
      { op: 'Replace', path: 'title', value: null },
      { op: 'Replace', path: `${ENTERPRISE_URI}:department`, value: '' },
      { op: 'Replace', path: `${ENTERPRISE_URI}:manager`, value: null },
    );
    const result = run(user(), body, userSchema);
    expect(result.resource).not.toHaveProperty('title');
    expect(result.resource).not.toHaveProperty(ENTERPRISE_URI);
    expect(result.resource.schemas).toEqual([USER_URI]);
  });

  it('clears nothing that is not there', () => {
    const result = run(entraUser(), patchBody({ op: 'Replace', path: 'emails[type eq "work"].value', value: '' }), userSchema);
    expect(result.modified).toBe(false);
  });

  it('refuses null (400 invalidValue) and writes "" as a value when the tolerance is off', () => {
    expect(errorOf(() => run(user(), patchBody({ op: 'replace', path: 'title', value: null }), userSchema, { emptyValueClears: false })).scimType).toBe(
      'invalidValue',
    );
    const result = run(user(), patchBody({ op: 'replace', path: 'title', value: '' }), userSchema, { emptyValueClears: false });
    expect(result.resource.title).toBe('');
  });
});

describe('Okta request shapes', () => {
  it('deactivates with a path-less replace', () => {
    const result = run(entraUser(), patchBody({ op: 'replace', value: { active: false } }), userSchema);
    expect(result.resource.active).toBe(false);
  });

  it('adds and removes members', () => {
    const add = patchBody({ op: 'add', path: 'members', value: [{ value: '23a35c27-23d3-4c03-b4c5-6443c09e7173', display: 'test.user@okta.local' }] });
    const added = run(group([]), add, groupSchema);
    expect(added.resource.members).toEqual([{ value: '23a35c27-23d3-4c03-b4c5-6443c09e7173', display: 'test.user@okta.local' }]);
    const remove = patchBody({ op: 'remove', path: 'members[value eq "23a35c27-23d3-4c03-b4c5-6443c09e7173"]' });
    const removed = run(deepFreeze(added.resource), remove, groupSchema);
    expect(removed.resource).not.toHaveProperty('members');
  });
});

describe('strict mode as a whole', () => {
  it('accepts the RFC forms of the same changes', () => {
    const body = patchBody(
      { op: 'replace', path: 'active', value: false },
      { op: 'add', path: `${ENTERPRISE_URI}:manager`, value: { value: 'm1' } },
      { op: 'add', path: 'emails', value: [{ type: 'work', value: 'w@contoso.com' }] },
    );
    const result = applyPatch(entraUser(), parsePatchRequest(body, STRICT_PATCH_TOLERANCES), userSchema, { tolerances: STRICT_PATCH_TOLERANCES });
    expect(result.resource.active).toBe(false);
    expect(result.resource.emails).toEqual([{ type: 'work', value: 'w@contoso.com' }]);
    expect((result.resource[ENTERPRISE_URI] as ScimObject).manager).toEqual({ value: 'm1' });
  });
});

describe('unknownValueKeys (Entra ID: every changed attribute in one path-less Replace)', () => {
  const CUSTOM = 'urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User';
  const body = patchBody({
    op: 'Replace',
    value: { displayName: 'Renamed', [`${CUSTOM}:tag`]: 'x', [CUSTOM]: { tag: 'y' }, shoeSize: 44, [`${ENTERPRISE_URI}:department`]: 'Sales' },
  });

  it('applies the known attributes and skips the unknown ones', () => {
    const result = run(entraUser(), body, userSchema);
    expect(result.resource.displayName).toBe('Renamed');
    expect((result.resource[ENTERPRISE_URI] as ScimObject).department).toBe('Sales');
    expect(result.resource).not.toHaveProperty('shoeSize');
    expect(result.resource).not.toHaveProperty(CUSTOM);
    expect(result.changed).not.toContain('shoeSize');
  });

  it('keeps an unknown explicit path an error, and unknown keys an error when switched off', () => {
    expect(errorOf(() => run(entraUser(), patchBody({ op: 'Replace', path: `${CUSTOM}:tag`, value: 'x' }), userSchema)).scimType).toBe('invalidPath');
    expect(errorOf(() => run(entraUser(), body, userSchema, { unknownValueKeys: false })).scimType).toBe('invalidPath');
  });
});
