import { describe, expect, it } from 'vitest';
import { defineAttribute } from '../../src/schema/define-attribute.js';
import { DISCOVERY_SCHEMAS } from '../../src/schema/discovery-schemas.js';
import { ENTERPRISE_USER_SCHEMA_URI } from '../../src/schema/enterprise-user-schema.js';
import { GROUP_SCHEMA_URI } from '../../src/schema/group-schema.js';
import { SchemaRegistry } from '../../src/schema/schema-registry.js';
import type { AttributeDefinition, SchemaDefinition } from '../../src/schema/types.js';
import { USER_SCHEMA_URI } from '../../src/schema/user-schema.js';

const ACME_URI = 'urn:acme:params:scim:schemas:extension:acme:2.0:User';
const ACME: SchemaDefinition = {
  id: ACME_URI,
  name: 'AcmeUser',
  attributes: [defineAttribute('badgeNumber', 'string'), defineAttribute('clearance', 'integer')],
};

describe('SchemaRegistry defaults', () => {
  it('serves User (with the optional enterprise extension) and Group', () => {
    const reg = new SchemaRegistry();
    const types = reg.resourceTypes('t1');
    expect(types.map((t) => t.name)).toEqual(['User', 'Group']);
    expect(types[0]!.schema).toBe(USER_SCHEMA_URI);
    expect(types[0]!.schemaExtensions).toEqual([{ schema: ENTERPRISE_USER_SCHEMA_URI, required: false }]);
    expect(types[1]!.schema).toBe(GROUP_SCHEMA_URI);
  });

  it('lists resource schemas then the three discovery schemas', () => {
    const ids = new SchemaRegistry().schemas('t1').map((s) => s.id);
    expect(ids).toEqual([
      USER_SCHEMA_URI,
      ENTERPRISE_USER_SCHEMA_URI,
      GROUP_SCHEMA_URI,
      'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig',
      'urn:ietf:params:scim:schemas:core:2.0:ResourceType',
      'urn:ietf:params:scim:schemas:core:2.0:Schema',
    ]);
  });

  it('finds schemas, resource types and endpoints case-insensitively', () => {
    const reg = new SchemaRegistry();
    expect(reg.schema('t1', USER_SCHEMA_URI.toUpperCase())?.id).toBe(USER_SCHEMA_URI);
    expect(reg.schema('t1', 'urn:ietf:params:scim:schemas:core:2.0:schema')?.name).toBe('Schema');
    expect(reg.schema('t1', 'urn:nope')).toBeUndefined();
    expect(reg.resourceType('t1', 'user')?.name).toBe('User');
    expect(reg.resourceTypeByEndpoint('t1', '/users')?.name).toBe('User');
    expect(reg.resourceTypeByEndpoint('t1', 'Groups')?.name).toBe('Group');
    expect(reg.resourceTypeByEndpoint('t1', '/Devices')).toBeUndefined();
    expect(reg.resourceType('t1', 'Device')).toBeUndefined();
    expect(reg.resourceSchema('t1', 'Device')).toBeUndefined();
  });

  it('builds resource schemas that resolve paths to canonical keys', () => {
    const rs = new SchemaRegistry().resourceSchema('t1', 'user');
    const given = rs?.resolveText('NAME.GIVENNAME');
    expect(given && 'keys' in given ? given.keys : undefined).toEqual(['name', 'givenName']);
    const resolved = rs?.resolveText(`${ENTERPRISE_USER_SCHEMA_URI}:manager.value`);
    expect(resolved && 'keys' in resolved ? resolved.keys : undefined).toEqual([ENTERPRISE_USER_SCHEMA_URI, 'manager', 'value']);
  });

  it('keeps two registries apart', () => {
    const a = new SchemaRegistry();
    const b = new SchemaRegistry();
    a.addSchema(ACME);
    a.addResourceType({ id: 'Device', name: 'Device', endpoint: '/Devices', schema: ACME_URI });
    expect(a.resourceType('t', 'Device')).toBeDefined();
    expect(b.resourceType('t', 'Device')).toBeUndefined();
    expect(b.schemas('t').some((s) => s.id === ACME_URI)).toBe(false);
  });

  it('accepts custom resource types and schemas', () => {
    const reg = new SchemaRegistry({
      schemas: [ACME],
      resourceTypes: [{ id: 'Badge', name: 'Badge', endpoint: '/Badges', schema: ACME_URI }],
    });
    expect(reg.resourceTypes('t').map((t) => t.name)).toEqual(['Badge']);
    expect(reg.schemas('t').map((s) => s.id)).toEqual([ACME_URI, ...DISCOVERY_SCHEMAS.map((s) => s.id)]);
  });
});

describe('per-tenant extensions', () => {
  it('are visible and usable only for their tenant', () => {
    const reg = new SchemaRegistry();
    reg.addTenantExtension('acme', 'User', ACME, true);

    const acmeUser = reg.resourceType('acme', 'User');
    expect(acmeUser?.schemaExtensions).toEqual([
      { schema: ENTERPRISE_USER_SCHEMA_URI, required: false },
      { schema: ACME_URI, required: true },
    ]);
    expect(reg.resourceType('other', 'User')?.schemaExtensions).toEqual([{ schema: ENTERPRISE_USER_SCHEMA_URI, required: false }]);
    expect(reg.resourceTypeByEndpoint('acme', '/Users')?.schemaExtensions?.length).toBe(2);

    expect(reg.schema('acme', ACME_URI)).toBe(ACME);
    expect(reg.schema('other', ACME_URI)).toBeUndefined();
    expect(reg.schemas('acme').map((s) => s.id)).toContain(ACME_URI);
    expect(reg.schemas('other').map((s) => s.id)).not.toContain(ACME_URI);

    const acmeSchema = reg.resourceSchema('acme', 'User');
    const otherSchema = reg.resourceSchema('other', 'User');
    expect(acmeSchema?.resolveText(`${ACME_URI}:badgeNumber`)).toBeDefined();
    expect(acmeSchema?.extensions.find((e) => e.schema.id === ACME_URI)?.required).toBe(true);
    expect(otherSchema?.resolveText(`${ACME_URI}:badgeNumber`)).toBeUndefined();
    expect(otherSchema?.schemaUris).not.toContain(ACME_URI);
    expect(reg.resourceSchema('acme', 'Group')?.schemaUris).toEqual([GROUP_SCHEMA_URI]);
  });

  it('does not change the global resource type definitions', () => {
    const reg = new SchemaRegistry();
    reg.addTenantExtension('acme', 'User', ACME);
    reg.addTenantExtension('acme', 'User', ACME);
    expect(reg.resourceType('acme', 'User')?.schemaExtensions?.length).toBe(2);
    expect(reg.resourceType('x', 'User')?.schemaExtensions?.length).toBe(1);
  });

  it('disappear with removeTenantExtensions', () => {
    const reg = new SchemaRegistry();
    reg.addTenantExtension('acme', 'User', ACME);
    reg.removeTenantExtensions('acme');
    expect(reg.schema('acme', ACME_URI)).toBeUndefined();
    expect(reg.resourceSchema('acme', 'User')?.schemaUris).toEqual([USER_SCHEMA_URI, ENTERPRISE_USER_SCHEMA_URI]);
  });

  it('reject unknown resource types and clashing ids', () => {
    const reg = new SchemaRegistry();
    expect(() => reg.addTenantExtension('acme', 'Device', ACME)).toThrow(TypeError);
    expect(() => reg.addTenantExtension('', 'User', ACME)).toThrow(TypeError);
    expect(() => reg.addTenantExtension('acme', 'User', { ...ACME, id: ENTERPRISE_USER_SCHEMA_URI })).toThrow(TypeError);
    expect(() => reg.addTenantExtension('acme', 'User', { ...ACME, id: USER_SCHEMA_URI })).toThrow(TypeError);
    expect(() => reg.addTenantExtension('acme', 'Group', { ...ACME, id: ENTERPRISE_USER_SCHEMA_URI })).toThrow(TypeError);
    expect(() => reg.addTenantExtension('acme', 'Group', { ...ACME, id: 'urn:ietf:params:scim:schemas:core:2.0:Schema' })).toThrow(TypeError);
    reg.addTenantExtension('acme', 'User', ACME);
    expect(() => reg.addTenantExtension('acme', 'Group', { ...ACME, attributes: [] })).toThrow(TypeError);
  });
});

describe('resource schema cache', () => {
  it('returns the same object until something changes', () => {
    const reg = new SchemaRegistry();
    const a = reg.resourceSchema('t1', 'User');
    expect(reg.resourceSchema('t1', 'user')).toBe(a);
    // tenants without extensions share one resource schema
    expect(reg.resourceSchema('t2', 'User')).toBe(a);
  });

  it('is invalidated for the tenant whose extensions change, and only for it', () => {
    const reg = new SchemaRegistry();
    const before = reg.resourceSchema('acme', 'User');
    const other = reg.resourceSchema('other', 'User');
    reg.addTenantExtension('acme', 'User', ACME);
    const after = reg.resourceSchema('acme', 'User');
    expect(after).not.toBe(before);
    expect(after?.schemaUris).toContain(ACME_URI);
    expect(reg.resourceSchema('acme', 'User')).toBe(after);
    expect(reg.resourceSchema('other', 'User')).toBe(other);

    const v2: SchemaDefinition = { ...ACME, attributes: [...ACME.attributes, defineAttribute('floor', 'integer')] };
    reg.addTenantExtension('acme', 'User', v2);
    const replaced = reg.resourceSchema('acme', 'User');
    expect(replaced).not.toBe(after);
    expect(replaced?.resolveText(`${ACME_URI}:floor`)).toBeDefined();

    reg.removeTenantExtensions('acme');
    const removed = reg.resourceSchema('acme', 'User');
    expect(removed).not.toBe(replaced);
    expect(removed?.schemaUris).not.toContain(ACME_URI);
  });

  it('is invalidated when a schema is replaced', () => {
    const reg = new SchemaRegistry();
    const before = reg.resourceSchema('t', 'User');
    expect(before?.resolveText('building')).toBeUndefined();
    const enterprise = reg.schema('t', ENTERPRISE_USER_SCHEMA_URI) as SchemaDefinition;
    reg.addSchema({ ...enterprise, attributes: [...enterprise.attributes, defineAttribute('building', 'string')] });
    const after = reg.resourceSchema('t', 'User');
    expect(after).not.toBe(before);
    expect(after?.resolveText(`${ENTERPRISE_USER_SCHEMA_URI}:building`)).toBeDefined();
    expect(after?.resolveText('building')).toMatchObject({ schemaUri: ENTERPRISE_USER_SCHEMA_URI, extension: true });
    expect(before?.resolveText(`${ENTERPRISE_USER_SCHEMA_URI}:building`)).toBeUndefined();
  });
});

describe('schema definition checks', () => {
  const bad = (attributes: readonly AttributeDefinition[], id = 'urn:x:bad'): SchemaDefinition => ({ id, name: 'Bad', attributes });
  const reg = new SchemaRegistry();

  it.each([
    ['a name that is not an ATTRNAME', [defineAttribute('1st', 'string')]],
    ['a name with a dot', [defineAttribute('a.b', 'string')]],
    ['$ref at the top level', [defineAttribute('$ref', 'reference')]],
    ['duplicate names differing in case', [defineAttribute('badge', 'string'), defineAttribute('Badge', 'string')]],
    ['duplicate sub-attribute names', [defineAttribute('c', 'complex', { subAttributes: [defineAttribute('v', 'string'), defineAttribute('V', 'string')] })]],
    ['sub-attributes under a simple attribute', [defineAttribute('s', 'string', { subAttributes: [defineAttribute('v', 'string')] })]],
    [
      'a complex sub-attribute',
      [defineAttribute('c', 'complex', { subAttributes: [defineAttribute('d', 'complex', { subAttributes: [defineAttribute('v', 'string')] })] })],
    ],
    ['a complex attribute without sub-attributes', [defineAttribute('c', 'complex')]],
    ['an unknown type', [{ ...defineAttribute('x', 'string'), type: 'text' } as unknown as AttributeDefinition]],
    ['an unknown mutability', [{ ...defineAttribute('x', 'string'), mutability: 'sometimes' } as unknown as AttributeDefinition]],
    ['a non-boolean multiValued', [{ ...defineAttribute('x', 'string'), multiValued: 'yes' } as unknown as AttributeDefinition]],
    ['an attribute named schemas', [defineAttribute('schemas', 'string')]],
  ])('rejects %s', (_label, attributes) => {
    expect(() => reg.addSchema(bad(attributes))).toThrow(TypeError);
    expect(() => reg.addTenantExtension('t', 'User', bad(attributes))).toThrow(TypeError);
  });

  it('rejects an id that is not a URN', () => {
    expect(() => reg.addSchema(bad([defineAttribute('x', 'string')], 'acme-user'))).toThrow(TypeError);
  });

  it('rejects resource types with unknown schemas, reserved or taken endpoints, or common attribute names', () => {
    const r = new SchemaRegistry({ schemas: [ACME] });
    expect(() => r.addResourceType({ id: 'D', name: 'D', endpoint: '/D', schema: 'urn:missing' })).toThrow(TypeError);
    expect(() =>
      r.addResourceType({ id: 'D', name: 'D', endpoint: '/D', schema: ACME_URI, schemaExtensions: [{ schema: 'urn:missing', required: false }] }),
    ).toThrow(TypeError);
    expect(() => r.addResourceType({ id: 'D', name: 'D', endpoint: '/Schemas', schema: ACME_URI })).toThrow(TypeError);
    expect(() => r.addResourceType({ id: 'D', name: 'D', endpoint: '/users', schema: ACME_URI })).toThrow(TypeError);
    expect(() => r.addResourceType({ id: 'D', name: 'D', endpoint: 'Devices', schema: ACME_URI })).toThrow(TypeError);
    r.addSchema({ id: 'urn:x:withid', name: 'X', attributes: [defineAttribute('ID', 'string')] });
    expect(() => r.addResourceType({ id: 'D', name: 'D', endpoint: '/D', schema: 'urn:x:withid' })).toThrow(TypeError);
  });

  it('accepts the built-in schemas (they pass the same checks)', () => {
    expect(() => new SchemaRegistry()).not.toThrow();
  });
});
