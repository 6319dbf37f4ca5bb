import { defineAttribute } from './define-attribute.js';
import type { SchemaDefinition } from './types.js';

/** URI of the Enterprise User extension (RFC 7643 §4.3). */
export const ENTERPRISE_USER_SCHEMA_URI = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** The Enterprise User extension schema of RFC 7643 §4.3 and §8.7.1. */
export const ENTERPRISE_USER_SCHEMA: SchemaDefinition = {
  id: ENTERPRISE_USER_SCHEMA_URI,
  name: 'EnterpriseUser',
  description: 'Enterprise User',
  attributes: [
    defineAttribute('employeeNumber', 'string', { description: 'Identifier assigned by the organisation, typically numeric.' }),
    defineAttribute('costCenter', 'string', { description: 'Name of the cost center.' }),
    defineAttribute('organization', 'string', { description: 'Name of the organisation.' }),
    defineAttribute('division', 'string', { description: 'Name of the division.' }),
    defineAttribute('department', 'string', { description: 'Name of the department.' }),
    defineAttribute('manager', 'complex', {
      description: "The user's manager.",
      subAttributes: [
        defineAttribute('value', 'string', { description: "The id of the manager's User resource." }),
        defineAttribute('$ref', 'reference', { referenceTypes: ['User'], description: "URI of the manager's User resource." }),
        defineAttribute('displayName', 'string', { mutability: 'readOnly', description: "The manager's display name." }),
      ],
    }),
  ],
};
