import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineAttribute } from '../../src/schema/define-attribute.js';
import { compileProjection, parseAttributeList, projectResource } from '../../src/schema/projection.js';
import { SchemaRegistry } from '../../src/schema/schema-registry.js';
import type { ScimObject, SchemaDefinition } from '../../src/schema/types.js';

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const RET = 'urn:example:params:scim:schemas:extension:returned:2.0:User';

const RETURNED_EXT: SchemaDefinition = {
  id: RET,
  name: 'Returned',
  attributes: [
    defineAttribute('onRequest', 'string', { returned: 'request' }),
    defineAttribute('always', 'string', { returned: 'always' }),
    defineAttribute('secret', 'string', { returned: 'never', mutability: 'writeOnly' }),
    defineAttribute('plain', 'string'),
    defineAttribute('card', 'complex', {
      subAttributes: [
        defineAttribute('number', 'string', { returned: 'never' }),
        defineAttribute('holder', 'string'),
        defineAttribute('kind', 'string', { returned: 'always' }),
        defineAttribute('note', 'string', { returned: 'request' }),
      ],
    }),
  ],
};

const registry = new SchemaRegistry();
registry.addTenantExtension('ret', 'User', RETURNED_EXT);
const userSchema = registry.resourceSchema('t', 'User')!;
const retSchema = registry.resourceSchema('ret', 'User')!;

const stored = (): ScimObject => {
  const user = JSON.parse(readFileSync(new URL('../fixtures/rfc7643/user-enterprise.json', import.meta.url), 'utf8')) as ScimObject;
  return user;
};

const ret = (): ScimObject => ({
  schemas: [CORE, RET],
  id: 'r1',
  userName: 'u',
  meta: { resourceType: 'User', created: '2020-01-01T00:00:00Z', lastModified: '2021-01-01T00:00:00Z', version: 'W/"3"' },
  [RET]: {
    onRequest: 'r',
    always: 'a',
    secret: 's',
    plain: 'p',
    card: { number: '4111', holder: 'H', kind: 'visa', note: 'n' },
  },
});

describe('returned characteristic without parameters', () => {
  it('never returns password, returns everything else by default', () => {
    const user = stored();
    const out = projectResource(user, userSchema);
    const { password, ...expected } = user;
    expect(password).toBeDefined();
    expect(out).toEqual(expected);
  });

  it('leaves out request-only and never attributes and sub-attributes', () => {
    expect(projectResource(ret(), retSchema)[RET]).toEqual({ always: 'a', plain: 'p', card: { holder: 'H', kind: 'visa' } });
  });

  it('does not modify the resource', () => {
    const user = stored();
    const copy = structuredClone(user);
    projectResource(user, userSchema, { attributes: ['userName'] });
    projectResource(user, userSchema, { excludedAttributes: ['emails'] });
    expect(user).toEqual(copy);
  });
});

describe('attributes', () => {
  it('returns the named attributes plus always-returned ones (id, schemas)', () => {
    const out = projectResource(stored(), userSchema, { attributes: ['userName', 'displayName'] });
    expect(out).toEqual({
      schemas: [CORE, ENT],
      id: '2819c223-7f76-453a-919d-413861904646',
      userName: 'bjensen@example.com',
      displayName: 'Babs Jensen',
    });
  });

  it('matches names case-insensitively and ignores unknown ones', () => {
    const out = projectResource(stored(), userSchema, { attributes: ['USERNAME', 'shoeSize', 'name.nothing', 'a.b.c', ''] });
    expect(Object.keys(out).sort()).toEqual(['id', 'schemas', 'userName']);
  });

  it('selects a sub-attribute of a complex attribute', () => {
    const out = projectResource(stored(), userSchema, { attributes: ['name.givenName', 'name.familyName'] });
    expect(out.name).toEqual({ givenName: 'Barbara', familyName: 'Jensen' });
  });

  it('applies a sub-attribute selection to each element of a multi-valued attribute', () => {
    const out = projectResource(stored(), userSchema, { attributes: ['emails.value', 'phoneNumbers.type'] });
    expect(out.emails).toEqual([{ value: 'bjensen@example.com' }, { value: 'babs@jensen.org' }]);
    expect(out.phoneNumbers).toEqual([{ type: 'work' }, { type: 'mobile' }]);
  });

  it('drops elements and attributes left empty', () => {
    const out = projectResource(stored(), userSchema, { attributes: ['emails.display', 'ims.primary'] });
    expect(out).not.toHaveProperty('emails');
    expect(out).not.toHaveProperty('ims');
  });

  it('selects meta sub-attributes', () => {
    const out = projectResource(stored(), userSchema, { attributes: ['meta.lastModified', 'meta.VERSION'] });
    expect(out.meta).toEqual({ lastModified: '2011-05-13T04:42:34Z', version: 'W/"3694e05e9dff591"' });
  });

  it('selects extension attributes by qualified path', () => {
    const out = projectResource(stored(), userSchema, { attributes: [`${ENT}:employeeNumber`, `${ENT.toLowerCase()}:manager.value`] });
    expect(out[ENT]).toEqual({ employeeNumber: '701984', manager: { value: '26118915-6090-4610-87e4-49d8ca9f808d' } });
    expect(out).not.toHaveProperty('userName');
  });

  it('selects a whole extension by its bare URN', () => {
    const user = stored();
    const out = projectResource(user, userSchema, { attributes: [ENT] });
    expect(out[ENT]).toEqual(user[ENT]);
    expect(Object.keys(out).sort()).toEqual(['id', 'schemas', ENT].sort());
  });

  it('removes an extension left empty but keeps schemas as it is', () => {
    const out = projectResource(stored(), userSchema, { attributes: ['userName'] });
    expect(out).not.toHaveProperty(ENT);
    expect(out.schemas).toEqual([CORE, ENT]);
  });

  it('returns request-only attributes and sub-attributes only when named', () => {
    const out = projectResource(ret(), retSchema, { attributes: [`${RET}:onRequest`, `${RET}:card.note`] });
    expect(out[RET]).toEqual({ onRequest: 'r', always: 'a', card: { kind: 'visa', note: 'n' } });
    const whole = projectResource(ret(), retSchema, { attributes: [`${RET}:card`] });
    expect(whole[RET]).toEqual({ always: 'a', card: { holder: 'H', kind: 'visa' } });
  });

  it('never returns never-returned attributes, even when named', () => {
    const out = projectResource(ret(), retSchema, { attributes: [`${RET}:secret`, `${RET}:card.number`, 'password'] });
    // naming card.number brings card in, with its always-returned sub-attribute only
    expect(out[RET]).toEqual({ always: 'a', card: { kind: 'visa' } });
    expect(projectResource(stored(), userSchema, { attributes: ['password'] })).not.toHaveProperty('password');
  });
});

describe('excludedAttributes', () => {
  it('removes default attributes, sub-attributes and whole extensions', () => {
    const user = stored();
    const out = projectResource(user, userSchema, { excludedAttributes: ['emails', 'name.middleName', ENT, 'meta.location'] });
    expect(out).not.toHaveProperty('emails');
    expect(out).not.toHaveProperty(ENT);
    expect(out.name).not.toHaveProperty('middleName');
    expect(out.name).toHaveProperty('givenName', 'Barbara');
    expect(out.meta).not.toHaveProperty('location');
    expect(out.meta).toHaveProperty('created');
    expect(out.userName).toBe('bjensen@example.com');
  });

  it('cannot remove always-returned attributes', () => {
    const out = projectResource(stored(), userSchema, { excludedAttributes: ['id', 'schemas', 'userName'] });
    expect(out.id).toBe('2819c223-7f76-453a-919d-413861904646');
    expect(out.schemas).toEqual([CORE, ENT]);
    expect(out).not.toHaveProperty('userName');
    const r = projectResource(ret(), retSchema, { excludedAttributes: [`${RET}:always`, RET] });
    expect(r[RET]).toEqual({ always: 'a' });
    const sub = projectResource(ret(), retSchema, { excludedAttributes: [`${RET}:card.kind`, `${RET}:card.holder`] });
    expect((sub[RET] as ScimObject).card).toEqual({ kind: 'visa' });
  });

  it('removes extension sub-attributes by qualified path', () => {
    const out = projectResource(stored(), userSchema, { excludedAttributes: [`${ENT}:manager.$ref`, `${ENT}:costCenter`] });
    expect(out[ENT]).toEqual({
      employeeNumber: '701984',
      organization: 'Universal Studios',
      division: 'Theme Park',
      department: 'Tour Operations',
      manager: { value: '26118915-6090-4610-87e4-49d8ca9f808d', displayName: 'John Smith' },
    });
  });

  it('combines with attributes: excluded wins for non-always attributes', () => {
    const out = projectResource(stored(), userSchema, { attributes: ['name', 'userName'], excludedAttributes: ['name.formatted'] });
    expect(Object.keys(out.name as object).sort()).toEqual(['familyName', 'givenName', 'honorificPrefix', 'honorificSuffix', 'middleName']);
  });
});

describe('compileProjection', () => {
  it('applies one prepared projection to many resources', () => {
    const project = compileProjection(userSchema, { attributes: ['userName'] });
    const a = project({ schemas: [CORE], id: '1', userName: 'a', displayName: 'A' });
    const b = project({ schemas: [CORE], id: '2', userName: 'b', title: 'B' });
    expect(a).toEqual({ schemas: [CORE], id: '1', userName: 'a' });
    expect(b).toEqual({ schemas: [CORE], id: '2', userName: 'b' });
  });
});

describe('parseAttributeList', () => {
  it('splits on commas, trims and drops empty names', () => {
    expect(parseAttributeList('userName, name.givenName ,,emails.value,')).toEqual(['userName', 'name.givenName', 'emails.value']);
    expect(parseAttributeList(`${ENT}:manager.value`)).toEqual([`${ENT}:manager.value`]);
  });

  it('returns an empty list for undefined or blank input', () => {
    expect(parseAttributeList(undefined)).toEqual([]);
    expect(parseAttributeList('  ')).toEqual([]);
  });
});
