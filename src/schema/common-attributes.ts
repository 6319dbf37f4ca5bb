import type { AttributeDefinition } from './types.js';

/** RFC 7643 §3.1 common attributes, part of every resource type. */
export const COMMON_ATTRIBUTES: readonly AttributeDefinition[] = [
  {
    name: 'id',
    type: 'string',
    multiValued: false,
    description: 'Unique identifier for the resource, assigned by the service provider.',
    required: false,
    caseExact: true,
    mutability: 'readOnly',
    returned: 'always',
    uniqueness: 'server',
  },
  {
    name: 'externalId',
    type: 'string',
    multiValued: false,
    description: 'Identifier of the resource as defined by the provisioning client.',
    required: false,
    caseExact: true,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
  },
  {
    name: 'meta',
    type: 'complex',
    multiValued: false,
    description: 'Resource metadata maintained by the service provider.',
    required: false,
    caseExact: false,
    mutability: 'readOnly',
    returned: 'default',
    uniqueness: 'none',
    subAttributes: [
      { name: 'resourceType', type: 'string', multiValued: false, required: false, caseExact: true, mutability: 'readOnly', returned: 'default', uniqueness: 'none', description: 'Name of the resource type.' },
      { name: 'created', type: 'dateTime', multiValued: false, required: false, caseExact: false, mutability: 'readOnly', returned: 'default', uniqueness: 'none', description: 'When the resource was added.' },
      { name: 'lastModified', type: 'dateTime', multiValued: false, required: false, caseExact: false, mutability: 'readOnly', returned: 'default', uniqueness: 'none', description: 'When the resource was last changed.' },
      { name: 'location', type: 'reference', referenceTypes: ['uri'], multiValued: false, required: false, caseExact: true, mutability: 'readOnly', returned: 'default', uniqueness: 'none', description: 'URI of the resource.' },
      { name: 'version', type: 'string', multiValued: false, required: false, caseExact: true, mutability: 'readOnly', returned: 'default', uniqueness: 'none', description: 'Version (weak entity tag) of the resource.' },
    ],
  },
];
