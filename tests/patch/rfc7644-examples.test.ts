import { describe, expect, it } from 'vitest';
import { applyPatch, parsePatchRequest, STRICT_PATCH_TOLERANCES } from '../../src/patch/index.js';
import type { ScimObject } from '../../src/schema/types.js';
import { ScimError } from '../../src/error/scim-error.js';
import { BABS, bjensen, ENTERPRISE_URI, groupSchema, JAMES, patchBody, tourGuides, USER_URI, userSchema } from './fixtures.js';
import type { ResourceSchema } from '../../src/schema/resource-schema.js';

/** Parses and applies a PatchOp body as the RFC examples are written (RFC-strict tolerances). */
function patch(resource: ScimObject, body: unknown, schema: ResourceSchema) {
  const ops = parsePatchRequest(body, STRICT_PATCH_TOLERANCES);
  return applyPatch(resource, ops, schema, { tolerances: STRICT_PATCH_TOLERANCES });
}

function scimErrorOf(fn: () => unknown): ScimError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ScimError);
    return err as ScimError;
  }
  throw new Error('expected a ScimError');
}

const MANDY = '902c246b-6245-4190-8e05-00816be7344a';

describe('RFC 7644 §3.5.2.1 add', () => {
  it('adds a member to a group (the §3.5.2 and §3.5.2.1 example)', () => {
    const { members: _members, ...group } = tourGuides();
    const body = patchBody({
      op: 'add',
      path: 'members',
      value: [{ display: 'Babs Jensen', $ref: `https://example.com/v2/Users/${BABS}`, value: BABS }],
    });
    const result = patch(group, body, groupSchema);
    expect(result.resource.members).toEqual([{ display: 'Babs Jensen', $ref: `https://example.com/v2/Users/${BABS}`, value: BABS }]);
    expect(result.changed).toEqual(['members']);
    expect(result.modified).toBe(true);
  });

  it('makes no change when the user is already a member', () => {
    const group = tourGuides();
    const body = patchBody({
      op: 'add',
      path: 'members',
      value: [{ display: 'Babs Jensen', $ref: `https://example.com/v2/Users/${BABS}`, value: BABS }],
    });
    const result = patch(group, body, groupSchema);
    expect(result.modified).toBe(false);
    expect(result.changed).toEqual([]);
    expect(result.resource).toBe(group);
  });

  it('adds an email and a nickname without a path', () => {
    const body = patchBody({
      op: 'add',
      value: {
        emails: [
          { value: 'babs@jensen.org', type: 'home' },
          { value: 'babs@example.org', type: 'other' },
        ],
        nickname: 'Babs',
      },
    });
    const result = patch(bjensen(), body, userSchema);
    expect(result.resource.nickName).toBe('Babs');
    expect(result.resource).not.toHaveProperty('nickname');
    // babs@jensen.org was already there: only the new address is appended.
    expect(result.resource.emails).toEqual([
      { value: 'bjensen@example.com', type: 'work', primary: true },
      { value: 'babs@jensen.org', type: 'home' },
      { value: 'babs@example.org', type: 'other' },
    ]);
    expect(result.changed).toEqual(['emails', 'nickName']);
  });

  it('replaces an existing single-valued attribute', () => {
    const result = patch(bjensen(), patchBody({ op: 'add', value: { displayName: 'Barbara Jensen' } }), userSchema);
    expect(result.resource.displayName).toBe('Barbara Jensen');
  });

  it('adds an extension attribute by its URN path and lists the extension in schemas', () => {
    const body = patchBody({ op: 'add', path: `${ENTERPRISE_URI}:employeeNumber`, value: '701984' });
    const result = patch(bjensen(), body, userSchema);
    expect(result.resource[ENTERPRISE_URI]).toEqual({ employeeNumber: '701984' });
    expect(result.resource.schemas).toEqual([USER_URI, ENTERPRISE_URI]);
    expect(result.changed).toEqual([`${ENTERPRISE_URI}:employeeNumber`]);
  });

  it('adds sub-attributes of a complex attribute, leaving the others', () => {
    const result = patch(bjensen(), patchBody({ op: 'add', path: 'name', value: { middleName: 'Jane' } }), userSchema);
    expect(result.resource.name).toEqual({ formatted: 'Ms. Barbara J Jensen III', familyName: 'Jensen', givenName: 'Barbara', middleName: 'Jane' });
  });
});

describe('RFC 7644 §3.5.2.2 remove', () => {
  it('removes a single member of a group', () => {
    const body = patchBody({ op: 'remove', path: `members[value eq "${BABS}"]` });
    const result = patch(tourGuides(), body, groupSchema);
    expect(result.resource.members).toEqual([{ value: MANDY, $ref: `https://example.com/v2/Users/${MANDY}`, display: 'Mandy Pepperidge' }]);
  });

  it('removes all members of a group', () => {
    const result = patch(tourGuides(), patchBody({ op: 'remove', path: 'members' }), groupSchema);
    expect(result.resource).not.toHaveProperty('members');
    expect(result.resource.displayName).toBe('Tour Guides');
  });

  it('removes the emails matched by a filter on two sub-attributes', () => {
    const body = patchBody({ op: 'remove', path: 'emails[type eq "work" and value ew "example.com"]' });
    const result = patch(bjensen(), body, userSchema);
    expect(result.resource.emails).toEqual([{ value: 'babs@jensen.org', type: 'home' }]);
  });

  it('replaces all members by a remove followed by an add', () => {
    const body = patchBody(
      { op: 'remove', path: 'members' },
      {
        op: 'add',
        path: 'members',
        value: [
          { display: 'Babs Jensen', $ref: `https://example.com/v2/Users/${BABS}`, value: BABS },
          { display: 'James Smith', $ref: `https://example.com/v2/Users/${JAMES}`, value: JAMES },
        ],
      },
    );
    const result = patch(tourGuides(), body, groupSchema);
    expect(result.resource.members).toEqual([
      { display: 'Babs Jensen', $ref: `https://example.com/v2/Users/${BABS}`, value: BABS },
      { display: 'James Smith', $ref: `https://example.com/v2/Users/${JAMES}`, value: JAMES },
    ]);
  });

  it('fails with 400 noTarget when the path is missing', () => {
    const err = scimErrorOf(() => parsePatchRequest(patchBody({ op: 'remove' }), STRICT_PATCH_TOLERANCES));
    expect(err.status).toBe(400);
    expect(err.scimType).toBe('noTarget');
  });

  it('unassigns a complex attribute whose last sub-attribute is removed', () => {
    const user = { ...bjensen(), name: { givenName: 'Barbara' } };
    const result = patch(user, patchBody({ op: 'remove', path: 'name.givenName' }), userSchema);
    expect(result.resource).not.toHaveProperty('name');
  });

  it('unassigns a multi-valued attribute whose last value is removed by a filter', () => {
    const result = patch(bjensen(), patchBody({ op: 'remove', path: 'emails[type eq "work" or type eq "home"]' }), userSchema);
    expect(result.resource).not.toHaveProperty('emails');
  });

  it('is 400 mutability for a required attribute', () => {
    const err = scimErrorOf(() => patch(bjensen(), patchBody({ op: 'remove', path: 'userName' }), userSchema));
    expect(err.scimType).toBe('mutability');
  });

  it('is 400 mutability for a read-only attribute', () => {
    const err = scimErrorOf(() => patch(bjensen(), patchBody({ op: 'remove', path: 'meta.lastModified' }), userSchema));
    expect(err.scimType).toBe('mutability');
  });
});

describe('RFC 7644 §3.5.2.3 replace', () => {
  it('replaces all members of a group', () => {
    const body = patchBody({
      op: 'replace',
      path: 'members',
      value: [
        { display: 'Babs Jensen', $ref: `https://example.com/v2/Users/${BABS}`, value: BABS },
        { display: 'James Smith', $ref: `https://example.com/v2/Users/${JAMES}`, value: JAMES },
      ],
    });
    const result = patch(tourGuides(), body, groupSchema);
    expect(result.resource.members).toEqual([
      { display: 'Babs Jensen', $ref: `https://example.com/v2/Users/${BABS}`, value: BABS },
      { display: 'James Smith', $ref: `https://example.com/v2/Users/${JAMES}`, value: JAMES },
    ]);
  });

  it("replaces the user's work address", () => {
    const body = patchBody({
      op: 'replace',
      path: 'addresses[type eq "work"]',
      value: {
        type: 'work',
        streetAddress: '911 Universal City Plaza',
        locality: 'Hollywood',
        region: 'CA',
        postalCode: '91608',
        country: 'US',
        formatted: '911 Universal City Plaza\nHollywood, CA 91608 US',
        primary: true,
      },
    });
    const result = patch(bjensen(), body, userSchema);
    expect(result.resource.addresses).toEqual([
      {
        type: 'work',
        streetAddress: '911 Universal City Plaza',
        locality: 'Hollywood',
        region: 'CA',
        postalCode: '91608',
        country: 'US',
        formatted: '911 Universal City Plaza\nHollywood, CA 91608 US',
        primary: true,
      },
      { type: 'home', streetAddress: '456 Hollywood Blvd', locality: 'Hollywood', region: 'CA', postalCode: '91608', country: 'USA' },
    ]);
  });

  it('replaces one sub-attribute of the matching address', () => {
    const body = patchBody({ op: 'replace', path: 'addresses[type eq "work"].streetAddress', value: '1010 Broadway Ave' });
    const result = patch(bjensen(), body, userSchema);
    const addresses = result.resource.addresses as ScimObject[];
    expect(addresses[0]!.streetAddress).toBe('1010 Broadway Ave');
    expect(addresses[0]!.locality).toBe('Hollywood');
    expect(addresses[1]!.streetAddress).toBe('456 Hollywood Blvd');
  });

  it('replaces emails and nickname without a path', () => {
    const body = patchBody({
      op: 'replace',
      value: {
        emails: [
          { value: 'bjensen@example.com', type: 'work', primary: true },
          { value: 'babs@jensen.org', type: 'home' },
        ],
        nickname: 'Babs',
      },
    });
    const user = { ...bjensen(), emails: [{ value: 'old@example.com', type: 'other' }] };
    const result = patch(user, body, userSchema);
    expect(result.resource.emails).toEqual([
      { value: 'bjensen@example.com', type: 'work', primary: true },
      { value: 'babs@jensen.org', type: 'home' },
    ]);
    expect(result.resource.nickName).toBe('Babs');
  });

  it('treats a replace of an unassigned attribute as an add', () => {
    const result = patch(bjensen(), patchBody({ op: 'replace', path: 'title', value: 'Tour Guide' }), userSchema);
    expect(result.resource.title).toBe('Tour Guide');
  });

  it('leaves sub-attributes that the value does not name', () => {
    const result = patch(bjensen(), patchBody({ op: 'replace', path: 'name', value: { givenName: 'Babs' } }), userSchema);
    expect(result.resource.name).toEqual({ formatted: 'Ms. Barbara J Jensen III', familyName: 'Jensen', givenName: 'Babs' });
  });

  it('replaces the matched sub-attribute of every matching value', () => {
    const user = {
      ...bjensen(),
      phoneNumbers: [
        { value: '555-0100', type: 'work' },
        { value: '555-0101', type: 'work' },
        { value: '555-0102', type: 'home' },
      ],
    };
    const result = patch(user, patchBody({ op: 'replace', path: 'phoneNumbers[type eq "work"].display', value: 'desk' }), userSchema);
    expect(result.resource.phoneNumbers).toEqual([
      { value: '555-0100', type: 'work', display: 'desk' },
      { value: '555-0101', type: 'work', display: 'desk' },
      { value: '555-0102', type: 'home' },
    ]);
  });

  it('is 400 noTarget when a value filter matches nothing', () => {
    const body = patchBody({ op: 'replace', path: 'addresses[type eq "other"].streetAddress', value: '1 Main St' });
    const err = scimErrorOf(() => patch(bjensen(), body, userSchema));
    expect(err.status).toBe(400);
    expect(err.scimType).toBe('noTarget');
  });
});

describe('RFC 7644 §3.5.2 general rules', () => {
  it('keeps primary unique: a value made primary takes it from the others', () => {
    const body = patchBody({ op: 'replace', path: 'emails[type eq "home"].primary', value: true });
    const result = patch(bjensen(), body, userSchema);
    expect(result.resource.emails).toEqual([
      { value: 'bjensen@example.com', type: 'work', primary: false },
      { value: 'babs@jensen.org', type: 'home', primary: true },
    ]);
  });

  it('keeps primary unique when a primary value is added', () => {
    const body = patchBody({ op: 'add', path: 'emails', value: [{ value: 'new@example.com', type: 'other', primary: true }] });
    const result = patch(bjensen(), body, userSchema);
    const emails = result.resource.emails as ScimObject[];
    expect(emails.filter((e) => e.primary === true).map((e) => e.value)).toEqual(['new@example.com']);
  });

  it('applies operations in order, each to the result of the previous one', () => {
    const body = patchBody(
      { op: 'add', path: 'nickName', value: 'B' },
      { op: 'replace', path: 'nickName', value: 'Babs' },
      { op: 'remove', path: 'displayName' },
    );
    const result = patch(bjensen(), body, userSchema);
    expect(result.resource.nickName).toBe('Babs');
    expect(result.resource).not.toHaveProperty('displayName');
  });

  it('applies all operations or none', () => {
    const user = bjensen();
    const body = patchBody(
      { op: 'replace', path: 'displayName', value: 'Changed' },
      { op: 'replace', path: 'active', value: false },
      { op: 'replace', path: 'id', value: 'other' },
    );
    const err = scimErrorOf(() => patch(user, body, userSchema));
    expect(err.scimType).toBe('mutability');
    expect(err.detail).toMatch(/^Operation 3:/);
    expect(user.displayName).toBe('Babs Jensen');
    expect(user.active).toBe(true);
  });
});
