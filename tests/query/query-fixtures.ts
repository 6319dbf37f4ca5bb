import { createResourceSchema } from '../../src/schema/resource-schema.js';
import type { ResourceSchema } from '../../src/schema/resource-schema.js';
import { ENTERPRISE_USER_SCHEMA } from '../../src/schema/enterprise-user-schema.js';
import { GROUP_SCHEMA } from '../../src/schema/group-schema.js';
import { GROUP_RESOURCE_TYPE, USER_RESOURCE_TYPE } from '../../src/schema/resource-types.js';
import { USER_SCHEMA } from '../../src/schema/user-schema.js';
import type { AttributeDefinition, AttributeType, SchemaDefinition } from '../../src/schema/types.js';

export const USER_URI = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE_URI = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** The User resource type with the Enterprise extension, from the library's schema data. */
export const userSchema: ResourceSchema = createResourceSchema(USER_RESOURCE_TYPE, USER_SCHEMA, [{ schema: ENTERPRISE_USER_SCHEMA, required: false }]);

export const groupSchema: ResourceSchema = createResourceSchema(GROUP_RESOURCE_TYPE, GROUP_SCHEMA);

function attr(name: string, type: AttributeType, extra: Partial<AttributeDefinition> = {}): AttributeDefinition {
  return {
    name,
    type,
    multiValued: false,
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    ...extra,
  };
}

export const TYPES_URI = 'urn:example:params:scim:schemas:core:2.0:Thing';
export const TYPES_EXT_URI = 'urn:example:params:scim:schemas:extension:tags:2.0:Thing';

/** A schema with one attribute of every type, to test each operator against each type. */
export const typesSchemaDefinition: SchemaDefinition = {
  id: TYPES_URI,
  name: 'Thing',
  attributes: [
    attr('label', 'string'),
    attr('code', 'string', { caseExact: true }),
    attr('enabled', 'boolean'),
    attr('size', 'integer'),
    attr('weight', 'decimal'),
    attr('seen', 'dateTime'),
    attr('home', 'reference', { caseExact: true, referenceTypes: ['external'] }),
    attr('blob', 'binary', { caseExact: true }),
    attr('aliases', 'string', { multiValued: true }),
    attr('scores', 'integer', { multiValued: true }),
    attr('parts', 'complex', {
      multiValued: true,
      subAttributes: [
        attr('value', 'string'),
        attr('kind', 'string', { caseExact: true }),
        attr('count', 'integer'),
        attr('primary', 'boolean'),
        attr('at', 'dateTime'),
      ],
    }),
    attr('shape', 'complex', { subAttributes: [attr('width', 'integer'), attr('color', 'string')] }),
  ],
};

export const typesExtension: SchemaDefinition = {
  id: TYPES_EXT_URI,
  name: 'Tags',
  attributes: [attr('tag', 'string'), attr('tags', 'complex', { multiValued: true, subAttributes: [attr('value', 'string'), attr('kind', 'string')] })],
};

export const typesSchema: ResourceSchema = createResourceSchema(
  { id: 'Thing', name: 'Thing', endpoint: '/Things', schema: TYPES_URI, schemaExtensions: [{ schema: TYPES_EXT_URI, required: false }] },
  typesSchemaDefinition,
  [{ schema: typesExtension, required: false }],
);

/** The filter examples of RFC 7644 §3.4.2.2, each with the ids of {@link rfcUsers} it selects. */
export const rfcFilterExamples: readonly (readonly [string, readonly string[]])[] = [
  ['userName eq "bjensen"', ['u1']],
  [`name.familyName co "O'Malley"`, ['u2']],
  ['userName sw "J"', ['u2', 'u3']],
  ['urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J"', ['u2', 'u3']],
  ['title pr', ['u1', 'u3']],
  ['meta.lastModified gt "2011-05-13T04:42:34Z"', ['u2', 'u5']],
  ['meta.lastModified ge "2011-05-13T04:42:34Z"', ['u1', 'u2', 'u4', 'u5']],
  ['meta.lastModified lt "2011-05-13T04:42:34Z"', ['u3']],
  ['meta.lastModified le "2011-05-13T04:42:34Z"', ['u1', 'u3', 'u4']],
  ['title pr and userType eq "Employee"', ['u1', 'u3']],
  ['title pr or userType eq "Intern"', ['u1', 'u2', 'u3', 'u5']],
  ['schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"', ['u1']],
  ['userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")', ['u1', 'u3']],
  ['userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")', ['u4', 'u5']],
  ['userType eq "Employee" and (emails.type eq "work")', ['u1', 'u3']],
  ['userType eq "Employee" and emails[type eq "work" and value co "@example.com"]', ['u1']],
  ['emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]', ['u1', 'u2']],
];

/** Users for the RFC 7644 §3.4.2.2 examples. Each is there to be selected, or not, by one example. */
export const rfcUsers = [
  {
    id: 'u1',
    schemas: [USER_URI, ENTERPRISE_URI],
    userName: 'bjensen',
    name: { familyName: 'Jensen', givenName: 'Barbara' },
    title: 'Tour Guide',
    userType: 'Employee',
    emails: [
      { value: 'bjensen@example.com', type: 'work', primary: true },
      { value: 'babs@jensen.org', type: 'home' },
    ],
    [ENTERPRISE_URI]: { employeeNumber: '701984' },
    meta: { resourceType: 'User', created: '2010-01-23T04:56:22Z', lastModified: '2011-05-13T04:42:34Z', version: 'W/"1"' },
  },
  {
    id: 'u2',
    schemas: [USER_URI],
    userName: 'jsmith',
    name: { familyName: "O'Malley", givenName: 'Jim' },
    userType: 'Intern',
    emails: [{ value: 'jim@example.org', type: 'home' }],
    ims: [{ value: 'jim@foo.com', type: 'xmpp' }],
    meta: { resourceType: 'User', created: '2010-02-01T00:00:00Z', lastModified: '2011-05-13T04:42:35Z', version: 'W/"1"' },
  },
  {
    id: 'u3',
    schemas: [USER_URI],
    userName: 'Jane',
    title: 'Engineer',
    userType: 'Employee',
    emails: [
      { value: 'jane@home.net', type: 'work' },
      { value: 'jane@example.com', type: 'home' },
    ],
    meta: { resourceType: 'User', created: '2010-03-01T00:00:00Z', lastModified: '2011-05-13T04:42:33.999Z', version: 'W/"1"' },
  },
  {
    id: 'u4',
    schemas: [USER_URI],
    userName: 'mpatel',
    userType: 'Contractor',
    emails: [{ value: 'mp@corp.test', type: 'work' }],
    meta: { resourceType: 'User', created: '2010-04-01T00:00:00Z', lastModified: '2011-05-13T06:42:34+02:00', version: 'W/"1"' },
  },
  {
    id: 'u5',
    schemas: [USER_URI],
    userName: 'ichen',
    title: '',
    userType: 'Intern',
    emails: [],
    meta: { resourceType: 'User', created: '2010-05-01T00:00:00Z', lastModified: '2012-01-01T00:00:00Z', version: 'W/"1"' },
  },
];

export const NAMES_URI = 'urn:example:params:scim:schemas:core:2.0:Names';

/**
 * Attribute names that plain objects and arrays inherit (`constructor`, `toString`, `length`): valid
 * ATTRNAMEs that a record without them must not appear to hold.
 */
export const inheritedNamesSchema: ResourceSchema = createResourceSchema(
  { id: 'Names', name: 'Names', endpoint: '/Names', schema: NAMES_URI },
  {
    id: NAMES_URI,
    name: 'Names',
    attributes: [
      attr('constructor', 'string'),
      attr('toString', 'string', { multiValued: true }),
      attr('valueOf', 'complex', { subAttributes: [attr('value', 'string'), attr('length', 'integer')] }),
      attr('hasOwnProperty', 'complex', { multiValued: true, subAttributes: [attr('value', 'string'), attr('isPrototypeOf', 'string')] }),
    ],
  },
);
