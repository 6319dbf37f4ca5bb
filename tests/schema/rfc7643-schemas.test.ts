import { describe, expect, it } from 'vitest';
import {
  COMMON_ATTRIBUTES,
  DISCOVERY_SCHEMAS,
  ENTERPRISE_USER_SCHEMA,
  GROUP_RESOURCE_TYPE,
  GROUP_SCHEMA,
  RESOURCE_TYPE_SCHEMA,
  SCHEMA_SCHEMA,
  SERVICE_PROVIDER_CONFIG_SCHEMA,
  USER_RESOURCE_TYPE,
  USER_SCHEMA,
  SchemaRegistry,
  assertValidSchemaDefinition,
  compileProjection,
  createResourceSchema,
  parseAttributeList,
  parseAttributePath,
  projectResource,
  validateResource,
} from '../../src/schema/index.js';
import type { AttributeDefinition, SchemaDefinition } from '../../src/schema/index.js';

function attr(schema: SchemaDefinition, path: string): AttributeDefinition {
  const [top, sub] = path.split('.');
  const a = schema.attributes.find((x) => x.name === top);
  if (!a) throw new Error(`${schema.name} has no ${top}`);
  if (sub === undefined) return a;
  const s = a.subAttributes?.find((x) => x.name === sub);
  if (!s) throw new Error(`${schema.name} has no ${path}`);
  return s;
}

describe('core User schema (RFC 7643 §4.1, §8.7.1)', () => {
  it('has the id and every attribute of §4.1, in order', () => {
    expect(USER_SCHEMA.id).toBe('urn:ietf:params:scim:schemas:core:2.0:User');
    expect(USER_SCHEMA.attributes.map((a) => a.name)).toEqual([
      'userName',
      'name',
      'displayName',
      'nickName',
      'profileUrl',
      'title',
      'userType',
      'preferredLanguage',
      'locale',
      'timezone',
      'active',
      'password',
      'emails',
      'phoneNumbers',
      'ims',
      'photos',
      'addresses',
      'groups',
      'entitlements',
      'roles',
      'x509Certificates',
    ]);
    expect(attr(USER_SCHEMA, 'name').subAttributes?.map((a) => a.name)).toEqual([
      'formatted',
      'familyName',
      'givenName',
      'middleName',
      'honorificPrefix',
      'honorificSuffix',
    ]);
    expect(attr(USER_SCHEMA, 'addresses').subAttributes?.map((a) => a.name)).toEqual([
      'formatted',
      'streetAddress',
      'locality',
      'region',
      'postalCode',
      'country',
      'type',
      'primary',
    ]);
    expect(attr(USER_SCHEMA, 'groups').subAttributes?.map((a) => a.name)).toEqual(['value', '$ref', 'display', 'type']);
    for (const name of ['emails', 'phoneNumbers', 'ims', 'photos', 'entitlements', 'roles', 'x509Certificates']) {
      expect(attr(USER_SCHEMA, name).subAttributes?.map((a) => a.name)).toEqual(['value', 'display', 'type', 'primary']);
      expect(attr(USER_SCHEMA, name).multiValued).toBe(true);
    }
  });

  it('has the characteristics of §8.7.1', () => {
    expect(attr(USER_SCHEMA, 'userName')).toMatchObject({
      type: 'string',
      required: true,
      caseExact: false,
      uniqueness: 'server',
      mutability: 'readWrite',
      returned: 'default',
    });
    expect(attr(USER_SCHEMA, 'password')).toMatchObject({ mutability: 'writeOnly', returned: 'never' });
    expect(attr(USER_SCHEMA, 'active').type).toBe('boolean');
    expect(attr(USER_SCHEMA, 'profileUrl')).toMatchObject({ type: 'reference', referenceTypes: ['external'] });
    expect(attr(USER_SCHEMA, 'photos.value')).toMatchObject({ type: 'reference', referenceTypes: ['external'] });
    expect(attr(USER_SCHEMA, 'x509Certificates.value').type).toBe('binary');
    expect(attr(USER_SCHEMA, 'groups').mutability).toBe('readOnly');
    for (const sub of ['value', '$ref', 'display', 'type']) expect(attr(USER_SCHEMA, `groups.${sub}`).mutability).toBe('readOnly');
    expect(attr(USER_SCHEMA, 'groups.$ref').referenceTypes).toEqual(['User', 'Group']);
    expect(attr(USER_SCHEMA, 'groups.type').canonicalValues).toEqual(['direct', 'indirect']);
    expect(attr(USER_SCHEMA, 'emails.type').canonicalValues).toEqual(['work', 'home', 'other']);
    expect(attr(USER_SCHEMA, 'phoneNumbers.type').canonicalValues).toEqual(['work', 'home', 'mobile', 'fax', 'pager', 'other']);
    expect(attr(USER_SCHEMA, 'ims.type').canonicalValues).toEqual(['aim', 'gtalk', 'icq', 'xmpp', 'msn', 'skype', 'qq', 'yahoo']);
    expect(attr(USER_SCHEMA, 'photos.type').canonicalValues).toEqual(['photo', 'thumbnail']);
    expect(attr(USER_SCHEMA, 'addresses.type').canonicalValues).toEqual(['work', 'home', 'other']);
    expect(attr(USER_SCHEMA, 'emails.primary').type).toBe('boolean');
  });
});

describe('Group and Enterprise User schemas', () => {
  it('Group: required displayName and members with immutable sub-attributes', () => {
    expect(GROUP_SCHEMA.id).toBe('urn:ietf:params:scim:schemas:core:2.0:Group');
    expect(attr(GROUP_SCHEMA, 'displayName').required).toBe(true);
    expect(attr(GROUP_SCHEMA, 'members')).toMatchObject({ type: 'complex', multiValued: true, mutability: 'readWrite' });
    expect(attr(GROUP_SCHEMA, 'members.value').mutability).toBe('immutable');
    expect(attr(GROUP_SCHEMA, 'members.$ref')).toMatchObject({ type: 'reference', referenceTypes: ['User', 'Group'] });
    expect(attr(GROUP_SCHEMA, 'members.type').canonicalValues).toEqual(['User', 'Group']);
  });

  it('Enterprise User: the six attributes and a manager with a read-only displayName', () => {
    expect(ENTERPRISE_USER_SCHEMA.id).toBe('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User');
    expect(ENTERPRISE_USER_SCHEMA.attributes.map((a) => a.name)).toEqual(['employeeNumber', 'costCenter', 'organization', 'division', 'department', 'manager']);
    expect(attr(ENTERPRISE_USER_SCHEMA, 'manager.$ref').referenceTypes).toEqual(['User']);
    expect(attr(ENTERPRISE_USER_SCHEMA, 'manager.displayName').mutability).toBe('readOnly');
    expect(attr(ENTERPRISE_USER_SCHEMA, 'manager.value').mutability).toBe('readWrite');
  });

  it('resource types: User with the optional enterprise extension, Group', () => {
    expect(USER_RESOURCE_TYPE).toMatchObject({
      name: 'User',
      endpoint: '/Users',
      schema: USER_SCHEMA.id,
      schemaExtensions: [{ schema: ENTERPRISE_USER_SCHEMA.id, required: false }],
    });
    expect(GROUP_RESOURCE_TYPE).toMatchObject({ name: 'Group', endpoint: '/Groups', schema: GROUP_SCHEMA.id });
  });

  it('pass the schema definition checks', () => {
    for (const s of [USER_SCHEMA, GROUP_SCHEMA, ENTERPRISE_USER_SCHEMA]) expect(() => assertValidSchemaDefinition(s)).not.toThrow();
  });
});

describe('discovery schemas (RFC 7643 §8.7.2)', () => {
  it('has the three schemas with their URIs', () => {
    expect(DISCOVERY_SCHEMAS.map((s) => s.id)).toEqual([
      'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig',
      'urn:ietf:params:scim:schemas:core:2.0:ResourceType',
      'urn:ietf:params:scim:schemas:core:2.0:Schema',
    ]);
  });

  it('ServiceProviderConfig lists every feature block, all read-only', () => {
    expect(SERVICE_PROVIDER_CONFIG_SCHEMA.attributes.map((a) => a.name)).toEqual([
      'documentationUri',
      'patch',
      'bulk',
      'filter',
      'changePassword',
      'sort',
      'etag',
      'pagination',
      'authenticationSchemes',
    ]);
    expect(attr(SERVICE_PROVIDER_CONFIG_SCHEMA, 'pagination').subAttributes?.map((a) => a.name)).toEqual([
      'cursor',
      'index',
      'defaultPaginationMethod',
      'defaultPageSize',
      'maxPageSize',
      'cursorTimeout',
    ]);
    expect(attr(SERVICE_PROVIDER_CONFIG_SCHEMA, 'bulk').subAttributes?.map((a) => a.name)).toEqual(['supported', 'maxOperations', 'maxPayloadSize']);
    expect(attr(SERVICE_PROVIDER_CONFIG_SCHEMA, 'filter.maxResults').type).toBe('integer');
    expect(attr(SERVICE_PROVIDER_CONFIG_SCHEMA, 'authenticationSchemes').multiValued).toBe(true);
    expect(SERVICE_PROVIDER_CONFIG_SCHEMA.attributes.every((a) => a.mutability === 'readOnly')).toBe(true);
  });

  it('ResourceType and Schema describe their resources', () => {
    expect(RESOURCE_TYPE_SCHEMA.attributes.map((a) => a.name)).toEqual(['id', 'name', 'description', 'endpoint', 'schema', 'schemaExtensions']);
    expect(attr(RESOURCE_TYPE_SCHEMA, 'schemaExtensions').subAttributes?.map((a) => a.name)).toEqual(['schema', 'required']);
    expect(SCHEMA_SCHEMA.attributes.map((a) => a.name)).toEqual(['id', 'name', 'description', 'attributes']);
    const characteristics = attr(SCHEMA_SCHEMA, 'attributes').subAttributes?.map((a) => a.name);
    expect(characteristics).toEqual([
      'name',
      'type',
      'multiValued',
      'description',
      'required',
      'canonicalValues',
      'caseExact',
      'mutability',
      'returned',
      'uniqueness',
      'referenceTypes',
      'subAttributes',
    ]);
    expect(attr(SCHEMA_SCHEMA, 'attributes.subAttributes').subAttributes?.map((a) => a.name)).toEqual(characteristics?.slice(0, -1));
  });
});

describe('schema folder index', () => {
  it('exports the public names', () => {
    for (const fn of [createResourceSchema, parseAttributePath, validateResource, projectResource, compileProjection, parseAttributeList]) {
      expect(typeof fn).toBe('function');
    }
    expect(COMMON_ATTRIBUTES.map((a) => a.name)).toEqual(['id', 'externalId', 'meta']);
    expect(new SchemaRegistry().resourceTypes('t')).toHaveLength(2);
  });
});
