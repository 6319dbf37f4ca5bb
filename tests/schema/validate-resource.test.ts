import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ScimError } from '../../src/error/scim-error.js';
import { defineAttribute } from '../../src/schema/define-attribute.js';
import { SchemaRegistry } from '../../src/schema/schema-registry.js';
import type { ScimObject, ScimResource, SchemaDefinition } from '../../src/schema/types.js';
import { validateResource, type ValidateResourceOptions } from '../../src/schema/validate-resource.js';
import { errorOf } from '../helpers/scim-errors.js';

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const TYPES = 'urn:example:params:scim:schemas:extension:types:2.0:User';
const NEEDED = 'urn:example:params:scim:schemas:extension:needed:2.0:User';

const TYPES_EXT: SchemaDefinition = {
  id: TYPES,
  name: 'Types',
  attributes: [
    defineAttribute('str', 'string'),
    defineAttribute('flag', 'boolean'),
    defineAttribute('ratio', 'decimal'),
    defineAttribute('count', 'integer'),
    defineAttribute('seen', 'dateTime'),
    defineAttribute('link', 'reference', { referenceTypes: ['external'] }),
    defineAttribute('blob', 'binary'),
    defineAttribute('tags', 'string', { multiValued: true }),
    defineAttribute('level', 'string', { canonicalValues: ['low', 'high'] }),
    defineAttribute('badge', 'string', { mutability: 'immutable' }),
    defineAttribute('serial', 'string', { mutability: 'immutable', caseExact: true }),
    defineAttribute('office', 'complex', {
      subAttributes: [defineAttribute('building', 'string', { mutability: 'immutable' }), defineAttribute('room', 'string')],
    }),
    defineAttribute('codes', 'complex', {
      multiValued: true,
      subAttributes: [
        defineAttribute('code', 'string', { required: true }),
        defineAttribute('type', 'string', { canonicalValues: ['a', 'b'] }),
        defineAttribute('primary', 'boolean'),
      ],
    }),
    defineAttribute('stamp', 'string', { mutability: 'readOnly' }),
  ],
};

const NEEDED_EXT: SchemaDefinition = {
  id: NEEDED,
  name: 'Needed',
  attributes: [defineAttribute('costCode', 'string', { required: true }), defineAttribute('note', 'string')],
};

const registry = new SchemaRegistry();
registry.addTenantExtension('typed', 'User', TYPES_EXT);
registry.addTenantExtension('strict', 'User', NEEDED_EXT, true);
const userSchema = registry.resourceSchema('plain', 'User')!;
const groupSchema = registry.resourceSchema('plain', 'Group')!;
const typedSchema = registry.resourceSchema('typed', 'User')!;
const strictSchema = registry.resourceSchema('strict', 'User')!;

const create: ValidateResourceOptions = { mode: 'create' };
const tolerant: ValidateResourceOptions = { mode: 'create', coerceStrings: true };

function fixture(name: string): ScimObject {
  return JSON.parse(readFileSync(new URL(`../fixtures/rfc7643/${name}`, import.meta.url), 'utf8')) as ScimObject;
}

function typed(ext: ScimObject, options: ValidateResourceOptions = create): ScimObject {
  const out = validateResource({ userName: 'u', [TYPES]: ext }, typedSchema, options);
  return (out[TYPES] ?? {}) as ScimObject;
}

function expectError(fn: () => unknown, status: number, scimType: string | undefined, detail?: RegExp | string): ScimError {
  const e = errorOf(fn);
  expect(e.status).toBe(status);
  expect(e.scimType).toBe(scimType);
  if (detail !== undefined) expect(e.detail).toMatch(detail);
  return e;
}

function resource(body: ScimObject): ScimResource {
  return {
    ...body,
    id: 'r1',
    schemas: [CORE],
    meta: { resourceType: 'User', created: '2020-01-01T00:00:00Z', lastModified: '2020-01-01T00:00:00Z', version: 'W/"1"' },
  } as ScimResource;
}

describe('RFC 7643 §8 examples', () => {
  it('§8.1 minimal user keeps userName and drops id and meta', () => {
    const input = fixture('user-minimal.json');
    expect(validateResource(input, userSchema, create)).toEqual({ schemas: [CORE], userName: 'bjensen@example.com' });
  });

  it('§8.2 full user keeps every attribute except id, meta and the read-only groups', () => {
    const input = fixture('user-full.json');
    const { id, meta, groups, ...expected } = input;
    expect([id, meta, groups].every((v) => v !== undefined)).toBe(true);
    const out = validateResource(input, userSchema, create);
    expect(out).toEqual(expected);
    expect(out.password).toBe('t1meMa$heen');
    expect(Object.keys(out).length).toBe(Object.keys(input).length - 3);
  });

  it('§8.3 enterprise user keeps the extension, minus the read-only manager.displayName', () => {
    const input = fixture('user-enterprise.json');
    const { id, meta, groups, ...expected } = input;
    expect([id, meta, groups].every((v) => v !== undefined)).toBe(true);
    const ext = structuredClone(expected[ENT]) as { manager: Record<string, unknown> };
    delete ext.manager.displayName;
    expected[ENT] = ext;
    const out = validateResource(input, userSchema, create);
    expect(out).toEqual(expected);
    expect(out.schemas).toEqual([CORE, ENT]);
  });

  it('§8.4 group keeps displayName and every member', () => {
    const input = fixture('group.json');
    const { id, meta, ...expected } = input;
    expect([id, meta].every((v) => v !== undefined)).toBe(true);
    expect(validateResource(input, groupSchema, create)).toEqual(expected);
  });

  it('does not modify its input', () => {
    const input = fixture('user-enterprise.json');
    const copy = structuredClone(input);
    validateResource(input, userSchema, create);
    expect(input).toEqual(copy);
  });
});

describe('canonical form', () => {
  it('matches attribute names case-insensitively, extension URN keys and keys inside complex values included', () => {
    const out = validateResource(
      {
        USERNAME: 'bjensen',
        Name: { GIVENNAME: 'Barbara', familyname: 'Jensen' },
        EMAILS: [{ VALUE: 'b@example.com', Type: 'work', PRIMARY: true }],
        [ENT.toUpperCase()]: { EmployeeNumber: '42', MANAGER: { VALUE: 'boss' } },
      },
      userSchema,
      create,
    );
    expect(out).toEqual({
      schemas: [CORE, ENT],
      userName: 'bjensen',
      name: { givenName: 'Barbara', familyName: 'Jensen' },
      emails: [{ value: 'b@example.com', type: 'work', primary: true }],
      [ENT]: { employeeNumber: '42', manager: { value: 'boss' } },
    });
  });

  it('accepts extension attributes written as qualified top-level keys', () => {
    const out = validateResource(
      { userName: 'u', [`${ENT}:employeeNumber`]: '7', [`${ENT.toLowerCase()}:Manager.Value`]: 'boss', [`${CORE}:displayName`]: 'U' },
      userSchema,
      create,
    );
    expect(out).toEqual({ schemas: [CORE, ENT], userName: 'u', displayName: 'U', [ENT]: { employeeNumber: '7', manager: { value: 'boss' } } });
  });

  it('ignores unknown attributes, at the top, inside complex values and under unknown URNs', () => {
    const out = validateResource(
      { userName: 'u', shoeSize: 42, name: { givenName: 'A', nickname2: 'x' }, 'urn:other:ext': { a: 1 }, [ENT]: { hobby: 'golf' } },
      userSchema,
      create,
    );
    expect(out).toEqual({ schemas: [CORE], userName: 'u', name: { givenName: 'A' } });
  });

  it('treats null, [] and empty complex values as unassigned', () => {
    const out = validateResource(
      { userName: 'u', displayName: null, emails: [], phoneNumbers: [null], name: { givenName: null }, [ENT]: { department: null }, addresses: [{}] },
      userSchema,
      create,
    );
    expect(out).toEqual({ schemas: [CORE], userName: 'u' });
  });

  it('keeps empty strings and false values (they are values)', () => {
    const out = validateResource({ userName: 'u', nickName: '', active: false }, userSchema, create);
    expect(out).toEqual({ schemas: [CORE], userName: 'u', nickName: '', active: false });
  });

  it('ignores read-only attributes from input, on create and on replace', () => {
    const body = {
      userName: 'u',
      id: 'client-chosen',
      meta: { created: 'yesterday' },
      groups: [{ value: 'g1' }],
      [ENT]: { manager: { value: 'm', displayName: 'Boss' } },
    };
    const expected = { schemas: [CORE, ENT], userName: 'u', [ENT]: { manager: { value: 'm' } } };
    expect(validateResource(body, userSchema, create)).toEqual(expected);
    const existing = resource({ userName: 'u', groups: [{ value: 'g0' }] });
    expect(validateResource(body, userSchema, { mode: 'replace', existing })).toEqual(expected);
  });

  it('ignores read-only extension attributes, nested or qualified', () => {
    expect(typed({ stamp: 'x', str: 'y' })).toEqual({ str: 'y' });
    const out = validateResource({ userName: 'u', [`${TYPES}:stamp`]: 'x', [`${ENT}:manager.displayName`]: 'Boss' }, typedSchema, create);
    expect(out).toEqual({ schemas: [CORE], userName: 'u' });
  });

  it('keeps writeOnly values such as password', () => {
    expect(validateResource({ userName: 'u', password: 's3cret' }, userSchema, create).password).toBe('s3cret');
  });

  it('lists in schemas only the core URI and the extensions present', () => {
    const out = validateResource({ schemas: [CORE, ENT], userName: 'u' }, userSchema, create);
    expect(out.schemas).toEqual([CORE]);
    const withExt = validateResource({ userName: 'u', [ENT]: { department: 'R&D' } }, userSchema, create);
    expect(withExt.schemas).toEqual([CORE, ENT]);
  });

  it('tolerates a missing schemas member and schemas in any case', () => {
    expect(validateResource({ userName: 'u' }, userSchema, create).schemas).toEqual([CORE]);
    expect(validateResource({ schemas: [CORE.toUpperCase()], userName: 'u' }, userSchema, create).schemas).toEqual([CORE]);
  });
});

describe('schemas and body syntax (invalidSyntax)', () => {
  it.each([
    ['a string', CORE],
    ['an object', { 0: CORE }],
    ['non-strings', [CORE, 7]],
  ])('rejects schemas given as %s', (_label, schemas) => {
    expectError(() => validateResource({ schemas, userName: 'u' }, userSchema, create), 400, 'invalidSyntax', /schemas/);
  });

  it('ignores an unknown extension URI (another tenant’s extension included) with its attributes', () => {
    const out = validateResource({ schemas: [CORE, 'urn:nope'], userName: 'u', 'urn:nope': { costCenter: 'x' } }, userSchema, create);
    expect(out).toEqual({ schemas: [CORE], userName: 'u' });
  });

  it('rejects the core schema of another resource type', () => {
    expect(validateResource({ schemas: [CORE, TYPES], userName: 'u', [TYPES]: { str: 's' } }, userSchema, create)).toEqual({ schemas: [CORE], userName: 'u' });
    expectError(() => validateResource({ schemas: [GROUP], displayName: 'g' }, userSchema, create), 400, 'invalidSyntax');
  });

  it.each([null, [], 'text', 42])('rejects a body that is not an object: %j', (body) => {
    expectError(() => validateResource(body, userSchema, create), 400, 'invalidSyntax');
  });

  it('rejects the same attribute given twice in different case', () => {
    expectError(() => validateResource({ userName: 'a', USERNAME: 'b' }, userSchema, create), 400, 'invalidSyntax', /userName/);
    expectError(
      () => validateResource({ userName: 'a', name: { givenName: 'a', GivenName: 'b' } }, userSchema, create),
      400,
      'invalidSyntax',
      /name\.givenName/,
    );
  });
});

describe('types (invalidValue)', () => {
  it('accepts a value of every type', () => {
    const ext = {
      str: 's',
      flag: true,
      ratio: 1.5,
      count: 3,
      seen: '2015-07-01T12:00:00Z',
      link: 'https://example.com/x',
      blob: 'aGVsbG8=',
      tags: ['a', 'b'],
      level: 'high',
      office: { building: 'B1', room: '101' },
      codes: [{ code: 'c1', type: 'a', primary: true }],
    };
    expect(typed(ext)).toEqual(ext);
  });

  it.each([
    ['str', 5, /str: expected string/],
    ['flag', 'yes', /flag: expected boolean/],
    ['flag', 1, /flag: expected boolean/],
    ['ratio', 'x', /ratio: expected decimal/],
    ['count', 1.5, /count: expected integer/],
    ['count', '3', /count: expected integer/],
    ['seen', 'yesterday', /seen: expected dateTime/],
    ['seen', '2015-02-30T00:00:00Z', /seen: expected dateTime/],
    ['seen', '2015-07-01', /seen: expected dateTime/],
    ['seen', 1435752000, /seen: expected string/],
    ['link', { href: 'x' }, /link: expected string/],
    ['blob', 'not base64!', /blob: expected binary/],
    ['blob', 'abc', /blob: expected binary/],
    ['office', 'B1', /office: expected complex value/],
    ['office', ['B1'], /office: expected complex value/],
    ['tags', 'a', /tags: expected array/],
    ['tags', [1], /tags\[0\]: expected string/],
    ['codes', [{ code: 'c', primary: 'yes' }], /codes\[0\]\.primary: expected boolean/],
  ])('rejects %s = %j', (name, value, detail) => {
    const e = expectError(() => typed({ [name]: value }), 400, 'invalidValue', detail);
    expect(e.detail.startsWith(`${TYPES}:${name}`)).toBe(true);
  });

  it.each(['2015-07-01T12:00:00Z', '2015-07-01T12:00:00.123+02:00', '2016-02-29T23:59:59-05:00', '2015-07-01T12:00:00'])('accepts the dateTime %s', (seen) => {
    expect(typed({ seen }).seen).toBe(seen);
  });

  it('accepts an integer for a decimal and base64 with line breaks', () => {
    expect(typed({ ratio: 2 }).ratio).toBe(2);
    expect(typed({ blob: 'aGVs\nbG8=' }).blob).toBe('aGVs\nbG8=');
  });

  it('names the element of a multi-valued attribute in the detail', () => {
    expectError(
      () => validateResource({ userName: 'u', emails: [{ value: 'a@example.com' }, { value: 7 }] }, userSchema, create),
      400,
      'invalidValue',
      'emails[1].value: expected string',
    );
  });

  it('rejects a single value for a multi-valued attribute, and an array for a single-valued one', () => {
    expectError(
      () => validateResource({ userName: 'u', emails: { value: 'a@example.com' } }, userSchema, create),
      400,
      'invalidValue',
      /^emails: expected array/,
    );
    expectError(() => validateResource({ userName: ['u'] }, userSchema, create), 400, 'invalidValue', /^userName: expected string/);
  });

  it('rejects a non-object extension value', () => {
    expectError(() => validateResource({ userName: 'u', [ENT]: 'x' }, userSchema, create), 400, 'invalidValue', new RegExp(`^${ENT}: expected complex`));
  });
});

describe('required attributes', () => {
  it('requires userName on create and on replace', () => {
    expectError(() => validateResource({ displayName: 'x' }, userSchema, create), 400, 'invalidValue', /^userName: required/);
    expectError(() => validateResource({ userName: null }, userSchema, create), 400, 'invalidValue', /^userName: required/);
    expectError(() => validateResource({}, userSchema, { mode: 'replace', existing: resource({ userName: 'u' }) }), 400, 'invalidValue', /userName/);
  });

  it('requires displayName of a group', () => {
    expectError(() => validateResource({ members: [] }, groupSchema, create), 400, 'invalidValue', /^displayName: required/);
  });

  it('requires a required extension and its required attributes', () => {
    expectError(() => validateResource({ userName: 'u' }, strictSchema, create), 400, 'invalidValue', `${NEEDED}: required extension is missing`);
    expectError(
      () => validateResource({ userName: 'u', [NEEDED]: { note: 'n' } }, strictSchema, create),
      400,
      'invalidValue',
      `${NEEDED}:costCode: required attribute is missing`,
    );
    expect(validateResource({ userName: 'u', [NEEDED]: { costCode: 'c' } }, strictSchema, create)).toEqual({
      schemas: [CORE, ENT, NEEDED].filter((s) => s !== ENT),
      userName: 'u',
      [NEEDED]: { costCode: 'c' },
    });
  });

  it('requires required sub-attributes in each element', () => {
    expectError(() => typed({ codes: [{ code: 'a' }, { type: 'b' }] }), 400, 'invalidValue', `${TYPES}:codes[1].code: required attribute is missing`);
  });
});

describe('canonical values', () => {
  it('does not enforce them for type sub-attributes', () => {
    const out = validateResource({ userName: 'u', emails: [{ value: 'a@example.com', type: 'mobile-work' }] }, userSchema, create);
    expect(out.emails).toEqual([{ value: 'a@example.com', type: 'mobile-work' }]);
    expect(typed({ codes: [{ code: 'c', type: 'zzz' }] }).codes).toEqual([{ code: 'c', type: 'zzz' }]);
  });

  it('enforces them elsewhere, matching case-insensitively and writing the canonical spelling', () => {
    expect(typed({ level: 'HIGH' }).level).toBe('high');
    expectError(() => typed({ level: 'medium' }), 400, 'invalidValue', /level: expected one of "low", "high"/);
  });
});

describe('primary', () => {
  it('allows at most one primary value per attribute', () => {
    const two = [
      { value: 'a@example.com', primary: true },
      { value: 'b@example.com', primary: true },
    ];
    expectError(() => validateResource({ userName: 'u', emails: two }, userSchema, create), 400, 'invalidValue', /^emails: at most one/);
    const one = [
      { value: 'a@example.com', primary: true },
      { value: 'b@example.com', primary: false },
    ];
    expect(validateResource({ userName: 'u', emails: one }, userSchema, create).emails).toEqual(one);
  });

  it('counts coerced "True" strings', () => {
    const two = [
      { value: 'a@example.com', primary: 'True' },
      { value: 'b@example.com', primary: 'true' },
    ];
    expectError(() => validateResource({ userName: 'u', emails: two }, userSchema, tolerant), 400, 'invalidValue', /primary/);
  });
});

describe('immutable attributes on replace', () => {
  const existing = resource({ userName: 'u', [TYPES]: { badge: 'B-1', serial: 'AbC', office: { building: 'North', room: '1' } } });
  const replace: ValidateResourceOptions = { mode: 'replace', existing };
  const body = (ext: ScimObject): ScimObject => ({ userName: 'u', [TYPES]: ext });

  it('rejects a different value with mutability', () => {
    expectError(() => validateResource(body({ badge: 'B-2' }), typedSchema, replace), 400, 'mutability', `${TYPES}:badge`);
    expectError(() => validateResource(body({ badge: 'B-1', serial: 'abc' }), typedSchema, replace), 400, 'mutability', `${TYPES}:serial`);
    expectError(
      () => validateResource(body({ badge: 'B-1', office: { building: 'South' } }), typedSchema, replace),
      400,
      'mutability',
      `${TYPES}:office.building`,
    );
  });

  it('accepts the same value (case-insensitively unless caseExact)', () => {
    const out = validateResource(body({ badge: 'b-1', serial: 'AbC', office: { building: 'NORTH', room: '2' } }), typedSchema, replace);
    expect(out[TYPES]).toEqual({ badge: 'b-1', serial: 'AbC', office: { building: 'NORTH', room: '2' } });
  });

  it('keeps the stored value when the replace leaves it out', () => {
    const out = validateResource(body({ str: 'x' }), typedSchema, replace);
    expect(out[TYPES]).toEqual({ str: 'x', badge: 'B-1', serial: 'AbC', office: { building: 'North' } });
  });

  it('lets a value be set when none is stored, and ignores immutability on create', () => {
    const empty = resource({ userName: 'u' });
    expect(typed({ badge: 'B-9' }, { mode: 'replace', existing: empty }).badge).toBe('B-9');
    expect(typed({ badge: 'B-9' }, { mode: 'create', existing }).badge).toBe('B-9');
  });

  it('does not apply to members sub-attributes of a group (members come and go)', () => {
    const group = { ...resource({ displayName: 'g', members: [{ value: 'a' }] }), schemas: [GROUP] } as ScimResource;
    const out = validateResource({ displayName: 'g', members: [{ value: 'b' }] }, groupSchema, { mode: 'replace', existing: group });
    expect(out.members).toEqual([{ value: 'b' }]);
  });
});

describe('coerceStrings (Entra ID and Okta tolerance)', () => {
  it.each([
    ['True', true],
    ['FALSE', false],
    [' true ', true],
  ])('turns %j into %j for booleans', (text, value) => {
    expect(validateResource({ userName: 'u', active: text }, userSchema, tolerant).active).toBe(value);
  });

  it('turns numeric strings into integers and decimals', () => {
    expect(typed({ count: '42', ratio: '-1.25e2' }, tolerant)).toEqual({ count: 42, ratio: -125 });
    expectError(() => typed({ count: '4.2' }, tolerant), 400, 'invalidValue', /count: expected integer/);
    expectError(() => typed({ count: '99999999999999999999' }, tolerant), 400, 'invalidValue', /count/);
  });

  it('is off unless asked for', () => {
    expectError(() => validateResource({ userName: 'u', active: 'True' }, userSchema, create), 400, 'invalidValue', /^active: expected boolean/);
  });

  it('still rejects strings that are not booleans', () => {
    expectError(() => validateResource({ userName: 'u', active: 'yes' }, userSchema, tolerant), 400, 'invalidValue', /active/);
  });

  it('wraps a single value for a multi-valued attribute and takes a bare string for manager', () => {
    const out = validateResource({ userName: 'u', emails: { value: 'a@example.com' }, [ENT]: { manager: 'boss-id' } }, userSchema, tolerant);
    expect(out.emails).toEqual([{ value: 'a@example.com' }]);
    expect(out[ENT]).toEqual({ manager: { value: 'boss-id' } });
    expect(typed({ tags: 'solo' }, tolerant).tags).toEqual(['solo']);
  });
});

describe('hostile input', () => {
  it('does not overflow the stack on deeply nested values', () => {
    let deepArray: unknown = 'x';
    let deepObject: unknown = 'x';
    for (let i = 0; i < 100_000; i++) {
      deepArray = [deepArray];
      deepObject = { value: deepObject, givenName: deepObject };
    }
    for (const options of [create, tolerant]) {
      expectError(() => validateResource({ userName: 'u', emails: deepArray }, userSchema, options), 400, 'invalidValue');
      expectError(() => validateResource({ userName: 'u', name: deepObject }, userSchema, options), 400, 'invalidValue', /name\.givenName/);
      expectError(() => validateResource({ userName: deepObject }, userSchema, options), 400, 'invalidValue');
      expect(validateResource({ userName: 'u', junk: deepObject, [ENT]: deepObject }, userSchema, options)).toEqual({ schemas: [CORE], userName: 'u' });
    }
  });

  it('refuses more values than maxValues with 413', () => {
    const emails = Array.from({ length: 11 }, (_, i) => ({ value: `u${i}@example.com` }));
    expectError(() => validateResource({ userName: 'u', emails }, userSchema, { mode: 'create', maxValues: 10 }), 413, undefined);
    expect((validateResource({ userName: 'u', emails }, userSchema, { mode: 'create', maxValues: 11 }).emails as unknown[]).length).toBe(11);
  });

  it('never copies __proto__ or other unknown keys', () => {
    const body = JSON.parse('{"userName":"u","__proto__":{"polluted":true},"name":{"__proto__":{"x":1},"givenName":"g"}}') as unknown;
    const out = validateResource(body, userSchema, create);
    expect(out).toEqual({ schemas: [CORE], userName: 'u', name: { givenName: 'g' } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(out.name)).toBe(Object.prototype);
  });
});

describe('values per attribute', () => {
  it('refuses more than 1,000 values in one attribute, with invalidValue naming it', () => {
    const emails = Array.from({ length: 1001 }, (_, i) => ({ value: `e${i}@example.com` }));
    const err = errorOf(() => validateResource({ userName: 'u', emails }, userSchema, create));
    expect(err.status).toBe(400);
    expect(err.scimType).toBe('invalidValue');
    expect(err.detail).toContain('emails');
    expect(validateResource({ userName: 'u', emails: emails.slice(0, 1000) }, userSchema, create).emails).toHaveLength(1000);
    expect(validateResource({ userName: 'u', emails }, userSchema, { ...create, maxValuesPerAttribute: 2000 }).emails).toHaveLength(1001);
  });

  it('lets a group hold many more members', () => {
    const members = Array.from({ length: 5000 }, (_, i) => ({ value: `m${i}` }));
    expect(validateResource({ displayName: 'big', members }, groupSchema, create).members).toHaveLength(5000);
  });
});
