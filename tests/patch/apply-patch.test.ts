import { describe, expect, it } from 'vitest';
import { applyPatch, STRICT_PATCH_TOLERANCES, type PatchOperation } from '../../src/patch/index.js';
import type { ResourceSchema } from '../../src/schema/resource-schema.js';
import type { ScimObject } from '../../src/schema/types.js';
import { bjensen, deepFreeze, deviceSchema, ENTERPRISE_URI, groupSchema, USER_URI, userSchema, WARRANTY_URI } from './fixtures.js';
import { errorOf } from '../helpers/scim-errors.js';

function scimTypeOf(resource: ScimObject, ops: PatchOperation[], schema: ResourceSchema = userSchema): string | undefined {
  return errorOf(() => applyPatch(resource, ops, schema)).scimType;
}

const DEVICE_URI = 'urn:example:schemas:Device';

function device(): ScimObject {
  return deepFreeze({
    schemas: [DEVICE_URI, WARRANTY_URI],
    id: 'd1',
    serial: 'SN-1',
    firmware: '1.0',
    enabled: true,
    location: { site: 'HQ', room: '101' },
    ports: [
      { value: 'eth0', kind: 'lan', serialNo: 'P-1', primary: true },
      { value: 'eth1', kind: 'lan' },
    ],
    [WARRANTY_URI]: { vendor: 'Acme' },
  });
}

describe('copy-on-write', () => {
  it('never mutates the input and shares what it did not touch', () => {
    const user = bjensen();
    const before = JSON.stringify(user);
    const result = applyPatch(
      user,
      [
        { op: 'replace', path: 'name.givenName', value: 'Babs' },
        { op: 'add', path: 'emails[type eq "work"].display', value: 'Work' },
      ],
      userSchema,
    );
    expect(JSON.stringify(user)).toBe(before);
    expect(result.resource).not.toBe(user);
    expect(result.resource.name).not.toBe(user.name);
    expect(result.resource.addresses).toBe(user.addresses);
    expect(result.resource.meta).toBe(user.meta);
    const emails = result.resource.emails as ScimObject[];
    const original = user.emails as ScimObject[];
    expect(emails).not.toBe(original);
    expect(emails[0]).not.toBe(original[0]);
    expect(emails[1]).toBe(original[1]);
  });

  it('returns the input itself when nothing changes', () => {
    const user = bjensen();
    const result = applyPatch(
      user,
      [
        { op: 'replace', path: 'displayName', value: 'Babs Jensen' },
        { op: 'add', path: 'emails', value: [{ value: 'BJENSEN@example.com' }] },
        { op: 'remove', path: 'nickName' },
        { op: 'replace', path: 'name', value: { givenName: 'Barbara' } },
      ],
      userSchema,
    );
    expect(result).toEqual({ resource: user, changed: [], modified: false });
    expect(result.resource).toBe(user);
  });

  it('edits its own copies in place across operations', () => {
    const user = bjensen();
    const result = applyPatch(
      user,
      [
        { op: 'replace', path: 'name.givenName', value: 'A' },
        { op: 'replace', path: 'name.familyName', value: 'B' },
        { op: 'replace', path: 'name.middleName', value: 'C' },
      ],
      userSchema,
    );
    expect(result.resource.name).toEqual({ formatted: 'Ms. Barbara J Jensen III', familyName: 'B', givenName: 'A', middleName: 'C' });
    expect(result.changed).toEqual(['name.givenName', 'name.familyName', 'name.middleName']);
  });
});

describe('names are case-insensitive and written canonically', () => {
  it('in paths, filters and URNs', () => {
    const result = applyPatch(
      bjensen(),
      [
        { op: 'replace', path: 'NAME.GIVENNAME', value: 'Babs' },
        { op: 'replace', path: 'Emails[TYPE eq "WORK"].Value', value: 'babs@example.com' },
        { op: 'add', path: 'URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER:Manager', value: { Value: 'm1' } },
      ],
      userSchema,
    );
    expect((result.resource.name as ScimObject).givenName).toBe('Babs');
    expect((result.resource.emails as ScimObject[])[0]!.value).toBe('babs@example.com');
    expect(result.resource[ENTERPRISE_URI]).toEqual({ manager: { value: 'm1' } });
    expect(result.resource.schemas).toEqual([USER_URI, ENTERPRISE_URI]);
  });

  it('in value keys and extension keys', () => {
    const result = applyPatch(
      bjensen(),
      [
        {
          op: 'add',
          value: { NickName: 'Babs', NAME: { MiddleName: 'J' }, 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:user': { COSTCENTER: '4130' } },
        },
      ],
      userSchema,
    );
    expect(result.resource.nickName).toBe('Babs');
    expect((result.resource.name as ScimObject).middleName).toBe('J');
    expect(result.resource[ENTERPRISE_URI]).toEqual({ costCenter: '4130' });
  });
});

describe('mutability', () => {
  it.each([
    ['replace id', { op: 'replace', path: 'id', value: 'x' }],
    ['remove id', { op: 'remove', path: 'id' }],
    ['replace meta', { op: 'replace', path: 'meta', value: { version: 'W/"9"' } }],
    ['replace meta.version', { op: 'replace', path: 'meta.version', value: 'W/"9"' }],
    ['path-less meta', { op: 'replace', value: { meta: { version: 'W/"9"' } } }],
    ['path-less id', { op: 'replace', value: { id: 'other' } }],
    ['add groups', { op: 'add', path: 'groups', value: [{ value: 'g1' }] }],
    ['remove groups filter', { op: 'remove', path: 'groups[value eq "g1"]' }],
    ['manager.displayName', { op: 'replace', path: `${ENTERPRISE_URI}:manager.displayName`, value: 'Boss' }],
  ] as [string, PatchOperation][])('%s is 400 mutability', (_name, op) => {
    expect(scimTypeOf(bjensen(), [op])).toBe('mutability');
  });

  it('ignores read-only sub-attributes inside a value', () => {
    const result = applyPatch(bjensen(), [{ op: 'add', path: `${ENTERPRISE_URI}:manager`, value: { value: 'm1', displayName: 'Boss' } }], userSchema);
    expect(result.resource[ENTERPRISE_URI]).toEqual({ manager: { value: 'm1' } });
  });

  it('allows an immutable attribute to be set once', () => {
    const result = applyPatch(device(), [{ op: 'add', path: 'assetTag', value: 'A-1' }], deviceSchema);
    expect(result.resource.assetTag).toBe('A-1');
    const again = deepFreeze(result.resource);
    expect(applyPatch(again, [{ op: 'replace', path: 'assetTag', value: 'A-1' }], deviceSchema).modified).toBe(false);
    expect(scimTypeOf(again, [{ op: 'replace', path: 'assetTag', value: 'A-2' }], deviceSchema)).toBe('mutability');
    expect(scimTypeOf(again, [{ op: 'remove', path: 'assetTag' }], deviceSchema)).toBe('mutability');
  });

  it('protects immutable sub-attributes of complex values', () => {
    expect(scimTypeOf(device(), [{ op: 'replace', path: 'location.site', value: 'Branch' }], deviceSchema)).toBe('mutability');
    expect(scimTypeOf(device(), [{ op: 'replace', path: 'location', value: { site: 'Branch' } }], deviceSchema)).toBe('mutability');
    expect(scimTypeOf(device(), [{ op: 'replace', path: 'ports[value eq "eth0"].serialNo', value: 'P-2' }], deviceSchema)).toBe('mutability');
    expect(scimTypeOf(device(), [{ op: 'replace', path: 'ports[value eq "eth0"]', value: { value: 'eth0', kind: 'wan' } }], deviceSchema)).toBe('mutability');
    const ok = applyPatch(
      device(),
      [
        { op: 'replace', path: 'location', value: { room: '102' } },
        { op: 'add', path: 'ports[value eq "eth1"].serialNo', value: 'P-9' },
      ],
      deviceSchema,
    );
    expect(ok.resource.location).toEqual({ site: 'HQ', room: '102' });
    expect((ok.resource.ports as ScimObject[])[1]).toEqual({ value: 'eth1', kind: 'lan', serialNo: 'P-9' });
  });

  it('refuses to unassign a required attribute, by remove or by clearing', () => {
    expect(scimTypeOf(device(), [{ op: 'remove', path: 'serial' }], deviceSchema)).toBe('mutability');
    expect(scimTypeOf(device(), [{ op: 'replace', path: 'serial', value: '' }], deviceSchema)).toBe('mutability');
  });

  it('refuses to remove a required extension, and removes an optional one by its URN', () => {
    expect(scimTypeOf(device(), [{ op: 'remove', path: WARRANTY_URI }], deviceSchema)).toBe('mutability');
    const user = deepFreeze({ ...bjensen(), schemas: [USER_URI, ENTERPRISE_URI], [ENTERPRISE_URI]: { costCenter: '1' } });
    const result = applyPatch(user, [{ op: 'remove', path: ENTERPRISE_URI }], userSchema);
    expect(result.resource).not.toHaveProperty(ENTERPRISE_URI);
    expect(result.resource.schemas).toEqual([USER_URI]);
    expect(result.changed).toEqual([ENTERPRISE_URI]);
  });

  it('lets write-only attributes be written', () => {
    expect(applyPatch(device(), [{ op: 'replace', path: 'secret', value: 's3cret' }], deviceSchema).resource.secret).toBe('s3cret');
    expect(applyPatch(bjensen(), [{ op: 'replace', path: 'password', value: 't1meMa$heen' }], userSchema).resource.password).toBe('t1meMa$heen');
  });
});

describe('extension paths', () => {
  it('adds to an extension with its URN as the path', () => {
    const result = applyPatch(bjensen(), [{ op: 'add', path: ENTERPRISE_URI, value: { department: 'Tour Operations', manager: { value: 'm1' } } }], userSchema);
    expect(result.resource[ENTERPRISE_URI]).toEqual({ department: 'Tour Operations', manager: { value: 'm1' } });
    expect(result.resource.schemas).toEqual([USER_URI, ENTERPRISE_URI]);
  });

  it('removes an extension attribute and keeps the extension while it has others', () => {
    const user = deepFreeze({ ...bjensen(), schemas: [USER_URI, ENTERPRISE_URI], [ENTERPRISE_URI]: { costCenter: '1', division: 'Theme Park' } });
    const result = applyPatch(user, [{ op: 'remove', path: `${ENTERPRISE_URI}:costCenter` }], userSchema);
    expect(result.resource[ENTERPRISE_URI]).toEqual({ division: 'Theme Park' });
    expect(result.resource.schemas).toEqual([USER_URI, ENTERPRISE_URI]);
  });

  it('manages schemas through its own path', () => {
    const user = deepFreeze({ ...bjensen(), schemas: [USER_URI, ENTERPRISE_URI], [ENTERPRISE_URI]: { costCenter: '1' } });
    const dropped = applyPatch(user, [{ op: 'replace', path: 'schemas', value: [USER_URI] }], userSchema);
    expect(dropped.resource.schemas).toEqual([USER_URI]);
    expect(dropped.resource).not.toHaveProperty(ENTERPRISE_URI);
    const added = applyPatch(bjensen(), [{ op: 'add', path: 'schemas', value: [ENTERPRISE_URI] }], userSchema);
    expect(added.resource.schemas).toEqual([USER_URI, ENTERPRISE_URI]);
    expect(scimTypeOf(bjensen(), [{ op: 'add', path: 'schemas', value: ['urn:example:unknown'] }])).toBe('invalidValue');
    expect(scimTypeOf(bjensen(), [{ op: 'remove', path: 'schemas' }])).toBe('mutability');
    expect(scimTypeOf(bjensen(), [{ op: 'replace', path: 'schemas', value: [ENTERPRISE_URI] }])).toBe('invalidValue');
  });
});

describe('multi-valued attributes', () => {
  it('appends only values not already present, comparing value as caseExact says', () => {
    const result = applyPatch(device(), [{ op: 'add', path: 'ports', value: [{ value: 'ETH0', kind: 'usb' }, { value: 'eth1' }] }], deviceSchema);
    // ports.value is caseExact, so ETH0 is a new port; eth1 is already there.
    expect((result.resource.ports as ScimObject[]).map((p) => p.value)).toEqual(['eth0', 'eth1', 'ETH0']);
    const users = applyPatch(bjensen(), [{ op: 'add', path: 'emails', value: [{ value: 'BABS@JENSEN.ORG', type: 'home' }] }], userSchema);
    expect(users.modified).toBe(false);
  });

  it('merges new sub-attributes into a value that is already present', () => {
    const result = applyPatch(bjensen(), [{ op: 'add', path: 'emails', value: [{ value: 'babs@jensen.org', display: 'Home mail' }] }], userSchema);
    expect((result.resource.emails as ScimObject[])[1]).toEqual({ value: 'babs@jensen.org', type: 'home', display: 'Home mail' });
  });

  it('de-duplicates simple multi-valued attributes', () => {
    const withTags = deepFreeze({ ...device(), tags: ['a', 'b'] });
    const result = applyPatch(withTags, [{ op: 'add', path: 'tags', value: ['B', 'c', 'c'] }], deviceSchema);
    expect(result.resource.tags).toEqual(['a', 'b', 'c']);
  });

  it('replaces all values, and an empty array unassigns the attribute', () => {
    const replaced = applyPatch(bjensen(), [{ op: 'replace', path: 'emails', value: [{ value: 'x@example.com' }] }], userSchema);
    expect(replaced.resource.emails).toEqual([{ value: 'x@example.com' }]);
    const cleared = applyPatch(bjensen(), [{ op: 'replace', path: 'emails', value: [] }], userSchema);
    expect(cleared.resource).not.toHaveProperty('emails');
  });

  it('sets or removes a sub-attribute on every value when no filter is given', () => {
    const set = applyPatch(bjensen(), [{ op: 'replace', path: 'emails.display', value: 'mail' }], userSchema);
    expect((set.resource.emails as ScimObject[]).every((e) => e.display === 'mail')).toBe(true);
    const removed = applyPatch(bjensen(), [{ op: 'remove', path: 'emails.primary' }], userSchema);
    expect(removed.resource.emails).toEqual([
      { value: 'bjensen@example.com', type: 'work' },
      { value: 'babs@jensen.org', type: 'home' },
    ]);
  });

  it('removes a sub-attribute of matching values and drops values left empty', () => {
    const user = deepFreeze({ ...bjensen(), ims: [{ value: 'babs' }, { value: 'bj', type: 'aim' }] });
    const result = applyPatch(user, [{ op: 'remove', path: 'ims[value eq "babs"].value' }], userSchema);
    expect(result.resource.ims).toEqual([{ value: 'bj', type: 'aim' }]);
  });

  it('merges an add through a value filter into each matching value', () => {
    const result = applyPatch(bjensen(), [{ op: 'add', path: 'emails[type eq "home"]', value: { display: 'Home' } }], userSchema);
    expect((result.resource.emails as ScimObject[])[1]).toEqual({ value: 'babs@jensen.org', type: 'home', display: 'Home' });
  });

  it('is 400 invalidValue when several written values are primary', () => {
    const op: PatchOperation = {
      op: 'replace',
      path: 'emails',
      value: [
        { value: 'a@x.org', primary: true },
        { value: 'b@x.org', primary: true },
      ],
    };
    expect(scimTypeOf(bjensen(), [op])).toBe('invalidValue');
  });

  it('is 400 noTarget when a remove filter matches nothing', () => {
    expect(scimTypeOf(bjensen(), [{ op: 'remove', path: 'emails[type eq "other"]' }])).toBe('noTarget');
    expect(scimTypeOf(bjensen(), [{ op: 'replace', path: 'phoneNumbers.display', value: 'x' }])).toBe('noTarget');
  });
});

describe('invalid paths and values', () => {
  it.each([
    ['an unknown attribute', 'nickname2'],
    ['an unknown sub-attribute', 'name.nickName'],
    ['a filter on a single-valued attribute', 'name[givenName eq "x"]'],
    ['a filter on an unknown sub-attribute', 'emails[kind eq "work"]'],
    ['an unknown sub-attribute after a filter', 'emails[type eq "work"].label'],
    ['broken syntax', 'emails[type eq "work"'],
    ['an unknown extension', 'urn:example:nothing:2.0:User:thing'],
    ['a nested value filter', 'emails[type eq "work" and ims[value eq "x"]]'],
  ])('%s is 400 invalidPath', (_name, path) => {
    expect(scimTypeOf(bjensen(), [{ op: 'replace', path, value: 'x' }])).toBe('invalidPath');
  });

  it('an unknown attribute in a path-less value is skipped, or 400 invalidPath in strict mode', () => {
    const input = bjensen();
    const result = applyPatch(input, [{ op: 'add', value: { notAnAttribute: 1 } }], userSchema);
    expect(result.modified).toBe(false);
    expect(result.resource).toBe(input);
    expect(
      errorOf(() => applyPatch(bjensen(), [{ op: 'add', value: { notAnAttribute: 1 } }], userSchema, { tolerances: STRICT_PATCH_TOLERANCES })).scimType,
    ).toBe('invalidPath');
  });

  it.each([
    ['an object for a string', { op: 'replace', path: 'displayName', value: { text: 'x' } }],
    ['an array for a string', { op: 'replace', path: 'name.givenName', value: ['x'] }],
    ['a number for a complex attribute', { op: 'replace', path: 'name', value: 42 }],
    ['an empty path-less value', { op: 'add', value: {} }],
    ['a member without a value', { op: 'add', path: 'emails', value: [{ type: 'work', value: { nested: true } }] }],
  ] as [string, PatchOperation][])('%s is 400 invalidValue', (_name, op) => {
    expect(scimTypeOf(bjensen(), [op])).toBe('invalidValue');
  });

  it('skips a sub-attribute the schema does not define, as POST and PUT do, and refuses it under the strict tolerances', () => {
    const op: PatchOperation = { op: 'add', path: 'name', value: { nick: 'x', givenName: 'Babs' } };
    const result = applyPatch(bjensen(), [op], userSchema);
    expect(result.resource.name).toEqual({ ...(bjensen().name as object), givenName: 'Babs' });
    expect(errorOf(() => applyPatch(bjensen(), [op], userSchema, { tolerances: STRICT_PATCH_TOLERANCES })).scimType).toBe('invalidValue');
  });

  it('refuses operations built without the parser the same way', () => {
    expect(scimTypeOf(bjensen(), [{ op: 'Move' as 'add', path: 'title', value: 'x' }])).toBe('invalidSyntax');
    expect(scimTypeOf(bjensen(), [{ op: 'remove' }])).toBe('noTarget');
    expect(scimTypeOf(bjensen(), [{ op: 'add', path: 'title' }])).toBe('invalidValue');
  });

  it('names the failing operation', () => {
    const err = errorOf(() =>
      applyPatch(
        bjensen(),
        [
          { op: 'add', path: 'title', value: 'x' },
          { op: 'add', path: 'bogus', value: 'y' },
        ],
        userSchema,
      ),
    );
    expect(err.detail).toMatch(/^Operation 2: /);
  });
});

describe('hostile input', () => {
  it('answers deeply nested values with a ScimError, not a stack overflow', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i++) deep = { value: deep };
    expect(scimTypeOf(bjensen(), [{ op: 'add', path: 'emails', value: [deep] }])).toBe('invalidValue');
    const strict = { tolerances: STRICT_PATCH_TOLERANCES };
    expect(errorOf(() => applyPatch(bjensen(), [{ op: 'replace', path: 'name', value: deep }], userSchema, strict)).scimType).toBe('invalidValue');
    // Tolerated, the unknown sub-attribute is skipped without being descended into.
    expect(applyPatch(bjensen(), [{ op: 'replace', path: 'name', value: deep }], userSchema).modified).toBe(false);
  });

  it('answers a deeply nested filter with 400 invalidPath', () => {
    const path = `emails[${'('.repeat(5000)}type eq "work"${')'.repeat(5000)}]`;
    expect(scimTypeOf(bjensen(), [{ op: 'remove', path }])).toBe('invalidPath');
  });

  it('does not let __proto__ keys reach an object prototype', () => {
    const value = JSON.parse('{"__proto__": {"polluted": true}, "givenName": "x"}') as unknown;
    const named = applyPatch(bjensen(), [{ op: 'add', path: 'name', value }], userSchema).resource.name as Record<string, unknown>;
    expect(named.givenName).toBe('x');
    expect(Object.hasOwn(named, '__proto__')).toBe(false);
    expect(Object.getPrototypeOf(named)).toBe(Object.prototype);
    expect(errorOf(() => applyPatch(bjensen(), [{ op: 'add', path: 'name', value }], userSchema, { tolerances: STRICT_PATCH_TOLERANCES })).scimType).toBe(
      'invalidValue',
    );
    const pathless = JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    expect(applyPatch(bjensen(), [{ op: 'add', value: pathless }], userSchema).modified).toBe(false);
    expect(errorOf(() => applyPatch(bjensen(), [{ op: 'add', value: pathless }], userSchema, { tolerances: STRICT_PATCH_TOLERANCES })).scimType).toBe(
      'invalidPath',
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('applies the strict tolerances it is given', () => {
    const op: PatchOperation = { op: 'replace', path: 'emails[type eq "other"].value', value: 'x@example.com' };
    expect(applyPatch(bjensen(), [op], userSchema).modified).toBe(true);
    expect(errorOf(() => applyPatch(bjensen(), [op], userSchema, { tolerances: STRICT_PATCH_TOLERANCES })).scimType).toBe('noTarget');
  });
});

describe('long multi-valued attributes', () => {
  const many = (n: number) => Array.from({ length: n }, (_, i) => ({ value: `user-${i}`, display: `User ${i}` }));

  it('adds to a 20,000-member group, skipping members already present in any case', () => {
    const group = deepFreeze({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], id: 'g', displayName: 'All', members: many(20_000) });
    const adds = [...Array.from({ length: 2000 }, (_, i) => ({ value: `new-${i}` })), { value: 'USER-5' }, { value: 'user-19999' }, { value: 'new-7' }];
    const result = applyPatch(group, [{ op: 'add', path: 'members', value: adds }], groupSchema);
    const members = result.resource.members as ScimObject[];
    expect(members).toHaveLength(22_000);
    expect(members[5]).toBe((group.members as ScimObject[])[5]);
    expect(members[21_999]).toEqual({ value: 'new-1999' });
  });

  it('removes listed members from a 20,000-member group', () => {
    const group = deepFreeze({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], id: 'g', displayName: 'All', members: many(20_000) });
    const result = applyPatch(
      group,
      [{ op: 'remove', path: 'members', value: [{ value: 'user-0' }, { value: 'User-19999' }, { value: 'absent' }] }],
      groupSchema,
    );
    const members = result.resource.members as ScimObject[];
    expect(members).toHaveLength(19_998);
    expect(members[0]!.value).toBe('user-1');
    expect(members[members.length - 1]!.value).toBe('user-19998');
  });
});

describe('work bound of value filters', () => {
  it('refuses with tooMany a request whose filters would examine too many elements', () => {
    const emails = Array.from({ length: 500 }, (_, i) => ({ value: `e${i}@example.com`, type: 'work' }));
    const user = deepFreeze({ ...bjensen(), emails });
    const ops: PatchOperation[] = Array.from({ length: 10 }, (_, i) => ({ op: 'replace', path: 'emails[value sw "e"].display', value: `d${i}` }));
    expect(applyPatch(user, ops, userSchema, { maxFilterWork: 5000 }).modified).toBe(true);
    const err = errorOf(() => applyPatch(user, ops, userSchema, { maxFilterWork: 4999 }));
    expect(err.status).toBe(400);
    expect(err.scimType).toBe('tooMany');
  });
});
