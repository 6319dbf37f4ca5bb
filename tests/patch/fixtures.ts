import { createResourceSchema } from '../../src/schema/resource-schema.js';
import type { ResourceSchema } from '../../src/schema/resource-schema.js';
import { defineAttribute } from '../../src/schema/define-attribute.js';
import { ENTERPRISE_USER_SCHEMA, ENTERPRISE_USER_SCHEMA_URI } from '../../src/schema/enterprise-user-schema.js';
import { GROUP_SCHEMA } from '../../src/schema/group-schema.js';
import { GROUP_RESOURCE_TYPE, USER_RESOURCE_TYPE } from '../../src/schema/resource-types.js';
import { USER_SCHEMA } from '../../src/schema/user-schema.js';
import type { ScimObject, SchemaDefinition } from '../../src/schema/types.js';

export const USER_URI = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_URI = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE_URI = ENTERPRISE_USER_SCHEMA_URI;
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** User with the Enterprise User extension, as RFC 7643 defines them. */
export const userSchema: ResourceSchema = createResourceSchema(USER_RESOURCE_TYPE, USER_SCHEMA, [{ schema: ENTERPRISE_USER_SCHEMA, required: false }]);

/** Group, as RFC 7643 defines it. */
export const groupSchema: ResourceSchema = createResourceSchema(GROUP_RESOURCE_TYPE, GROUP_SCHEMA);

/** A made-up resource type with the characteristics the mutability rules turn on. */
const DEVICE_SCHEMA: SchemaDefinition = {
  id: 'urn:example:schemas:Device',
  name: 'Device',
  attributes: [
    defineAttribute('serial', 'string', { required: true }),
    defineAttribute('assetTag', 'string', { mutability: 'immutable' }),
    defineAttribute('firmware', 'string', { mutability: 'readOnly' }),
    defineAttribute('secret', 'string', { mutability: 'writeOnly', returned: 'never' }),
    defineAttribute('enabled', 'boolean'),
    defineAttribute('tags', 'string', { multiValued: true }),
    defineAttribute('location', 'complex', {
      subAttributes: [
        defineAttribute('site', 'string', { mutability: 'immutable' }),
        defineAttribute('room', 'string'),
        defineAttribute('checked', 'dateTime', { mutability: 'readOnly' }),
      ],
    }),
    defineAttribute('ports', 'complex', {
      multiValued: true,
      subAttributes: [
        defineAttribute('value', 'string', { caseExact: true }),
        defineAttribute('kind', 'string'),
        defineAttribute('serialNo', 'string', { mutability: 'immutable' }),
        defineAttribute('primary', 'boolean'),
      ],
    }),
  ],
};

const REQUIRED_EXTENSION: SchemaDefinition = {
  id: 'urn:example:schemas:extension:Warranty',
  name: 'Warranty',
  attributes: [defineAttribute('expires', 'dateTime'), defineAttribute('vendor', 'string')],
};

/** Schema of the made-up Device type (with a required extension). */
export const deviceSchema: ResourceSchema = createResourceSchema(
  { id: 'Device', name: 'Device', endpoint: '/Devices', schema: DEVICE_SCHEMA.id, schemaExtensions: [{ schema: REQUIRED_EXTENSION.id, required: true }] },
  DEVICE_SCHEMA,
  [{ schema: REQUIRED_EXTENSION, required: true }],
);
export const WARRANTY_URI = REQUIRED_EXTENSION.id;

/** Freezes `value` and everything inside it, so any mutation throws (ES modules are strict). */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
  }
  return value;
}

/** A PatchOp body around `operations`. */
export function patchBody(...operations: unknown[]): ScimObject {
  return { schemas: [PATCH_OP], Operations: operations };
}

/** The User of RFC 7643 §8.2, trimmed to what the PATCH examples touch. */
export function bjensen(): ScimObject {
  return deepFreeze({
    schemas: [USER_URI],
    id: '2819c223-7f76-453a-919d-413861904646',
    externalId: 'bjensen',
    meta: {
      resourceType: 'User',
      created: '2010-01-23T04:56:22Z',
      lastModified: '2011-05-13T04:42:34Z',
      version: 'W/"3694e05e9dff591"',
    },
    userName: 'bjensen@example.com',
    name: { formatted: 'Ms. Barbara J Jensen III', familyName: 'Jensen', givenName: 'Barbara' },
    displayName: 'Babs Jensen',
    emails: [
      { value: 'bjensen@example.com', type: 'work', primary: true },
      { value: 'babs@jensen.org', type: 'home' },
    ],
    addresses: [
      {
        type: 'work',
        streetAddress: '100 Universal City Plaza',
        locality: 'Hollywood',
        region: 'CA',
        postalCode: '91608',
        country: 'USA',
        primary: true,
      },
      { type: 'home', streetAddress: '456 Hollywood Blvd', locality: 'Hollywood', region: 'CA', postalCode: '91608', country: 'USA' },
    ],
    active: true,
  });
}

export const BABS = '2819c223-7f76-453a-919d-413861904646';
export const JAMES = '08e1d05d-121c-4561-8b96-473d93df9210';

/** The Group of RFC 7643 §8.4. */
export function tourGuides(): ScimObject {
  return deepFreeze({
    schemas: [GROUP_URI],
    id: 'e9e30dba-f08f-4109-8486-d5c6a331660a',
    displayName: 'Tour Guides',
    members: [
      { value: BABS, $ref: `https://example.com/v2/Users/${BABS}`, display: 'Babs Jensen' },
      { value: '902c246b-6245-4190-8e05-00816be7344a', $ref: 'https://example.com/v2/Users/902c246b-6245-4190-8e05-00816be7344a', display: 'Mandy Pepperidge' },
    ],
    meta: { resourceType: 'Group', created: '2010-01-23T04:56:22Z', lastModified: '2011-05-13T04:42:34Z', version: 'W/"3694e05e9dff592"' },
  });
}
