import { defineAttribute } from './define-attribute.js';
import type { SchemaDefinition } from './types.js';

/** URI of the core Group schema (RFC 7643 §4.2). */
export const GROUP_SCHEMA_URI = 'urn:ietf:params:scim:schemas:core:2.0:Group';

/**
 * The core Group schema of RFC 7643 §4.2 and §8.7.1.
 *
 * `displayName` is required, as §4.2 states (the §8.7.1 representation marks it optional).
 * `members.display` is not in the §8.7.1 representation but is used by the §8.4 example and by
 * clients; it is immutable like the other member sub-attributes.
 */
export const GROUP_SCHEMA: SchemaDefinition = {
  id: GROUP_SCHEMA_URI,
  name: 'Group',
  description: 'Group',
  attributes: [
    defineAttribute('displayName', 'string', { required: true, description: 'Human-readable name of the group.' }),
    defineAttribute('members', 'complex', {
      multiValued: true,
      description: 'Users and groups that belong to the group.',
      subAttributes: [
        defineAttribute('value', 'string', { mutability: 'immutable', description: 'The id of the member resource.' }),
        defineAttribute('$ref', 'reference', { mutability: 'immutable', referenceTypes: ['User', 'Group'], description: 'URI of the member resource.' }),
        defineAttribute('display', 'string', { mutability: 'immutable', description: 'Human-readable name of the member.' }),
        defineAttribute('type', 'string', { mutability: 'immutable', canonicalValues: ['User', 'Group'], description: 'Resource type of the member.' }),
      ],
    }),
  ],
};
