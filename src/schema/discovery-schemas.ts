import { defineAttribute } from './define-attribute.js';
import type { AttributeDefinition, SchemaDefinition } from './types.js';

/** URI of the ServiceProviderConfig schema (RFC 7643 §5). */
export const SERVICE_PROVIDER_CONFIG_SCHEMA_URI = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';
/** URI of the ResourceType schema (RFC 7643 §6). */
export const RESOURCE_TYPE_SCHEMA_URI = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';
/** URI of the Schema schema (RFC 7643 §7). */
export const SCHEMA_SCHEMA_URI = 'urn:ietf:params:scim:schemas:core:2.0:Schema';

const readOnly = { mutability: 'readOnly' } as const;

/** A `{ supported }` feature block of the service provider configuration. */
function feature(name: string, description: string, extra: readonly AttributeDefinition[] = []): AttributeDefinition {
  return defineAttribute(name, 'complex', {
    ...readOnly,
    required: true,
    description,
    subAttributes: [defineAttribute('supported', 'boolean', { ...readOnly, required: true, description: 'Whether the operation is supported.' }), ...extra],
  });
}

/** The schema of the `/ServiceProviderConfig` resource, as RFC 7643 §8.7.2 gives it, with RFC 9865's `pagination`. */
export const SERVICE_PROVIDER_CONFIG_SCHEMA: SchemaDefinition = {
  id: SERVICE_PROVIDER_CONFIG_SCHEMA_URI,
  name: 'Service Provider Configuration',
  description: "Schema for representing the service provider's configuration",
  attributes: [
    defineAttribute('documentationUri', 'reference', {
      ...readOnly,
      referenceTypes: ['external'],
      description: 'Human-readable help for the service provider.',
    }),
    feature('patch', 'PATCH configuration options.'),
    feature('bulk', 'Bulk configuration options.', [
      defineAttribute('maxOperations', 'integer', { ...readOnly, required: true, description: 'Largest number of operations in one bulk request.' }),
      defineAttribute('maxPayloadSize', 'integer', { ...readOnly, required: true, description: 'Largest bulk request body, in bytes.' }),
    ]),
    feature('filter', 'Filter configuration options.', [
      defineAttribute('maxResults', 'integer', { ...readOnly, required: true, description: 'Largest number of resources one response returns.' }),
    ]),
    feature('changePassword', 'Password change configuration options.'),
    feature('sort', 'Sort configuration options.'),
    feature('etag', 'Entity tag configuration options.'),
    defineAttribute('pagination', 'complex', {
      ...readOnly,
      description: 'Pagination configuration options (RFC 9865).',
      subAttributes: [
        defineAttribute('cursor', 'boolean', { ...readOnly, required: true, description: 'Whether cursor-based pagination is supported.' }),
        defineAttribute('index', 'boolean', { ...readOnly, required: true, description: 'Whether index-based pagination is supported.' }),
        defineAttribute('defaultPaginationMethod', 'string', {
          ...readOnly,
          canonicalValues: ['cursor', 'index'],
          description: 'The pagination method used when a request names none.',
        }),
        defineAttribute('defaultPageSize', 'integer', { ...readOnly, description: 'Page size when a request gives no count.' }),
        defineAttribute('maxPageSize', 'integer', { ...readOnly, description: 'Largest page a response returns.' }),
        defineAttribute('cursorTimeout', 'integer', { ...readOnly, description: 'Seconds a cursor stays valid after it is issued.' }),
      ],
    }),
    defineAttribute('authenticationSchemes', 'complex', {
      ...readOnly,
      multiValued: true,
      required: true,
      description: 'Authentication schemes the service provider accepts.',
      subAttributes: [
        defineAttribute('type', 'string', {
          ...readOnly,
          required: true,
          canonicalValues: ['oauth', 'oauth2', 'oauthbearertoken', 'httpbasic', 'httpdigest'],
          description: 'The kind of scheme (RFC 7643 §5).',
        }),
        defineAttribute('name', 'string', { ...readOnly, required: true, description: 'Common name of the scheme, such as "OAuth Bearer Token".' }),
        defineAttribute('description', 'string', { ...readOnly, required: true, description: 'Description of the scheme.' }),
        defineAttribute('specUri', 'reference', { ...readOnly, referenceTypes: ['external'], description: 'URI of the specification of the scheme.' }),
        defineAttribute('documentationUri', 'reference', { ...readOnly, referenceTypes: ['external'], description: 'URI of help for the scheme.' }),
        defineAttribute('primary', 'boolean', { ...readOnly, description: 'Whether this is the preferred scheme.' }),
      ],
    }),
  ],
};

/** The schema of `/ResourceTypes` resources, as RFC 7643 §8.7.2 gives it. */
export const RESOURCE_TYPE_SCHEMA: SchemaDefinition = {
  id: RESOURCE_TYPE_SCHEMA_URI,
  name: 'ResourceType',
  description: 'Specifies the schema that describes a SCIM resource type',
  attributes: [
    defineAttribute('id', 'string', { ...readOnly, description: "The resource type's identifier, usually its name." }),
    defineAttribute('name', 'string', { ...readOnly, required: true, description: 'Name of the resource type, such as "User".' }),
    defineAttribute('description', 'string', { ...readOnly, description: 'Human-readable description of the resource type.' }),
    defineAttribute('endpoint', 'reference', {
      ...readOnly,
      required: true,
      referenceTypes: ['uri'],
      description: 'Endpoint path relative to the base URL, such as "/Users".',
    }),
    defineAttribute('schema', 'reference', {
      ...readOnly,
      required: true,
      caseExact: true,
      referenceTypes: ['uri'],
      description: 'URI of the core schema of the resource type.',
    }),
    defineAttribute('schemaExtensions', 'complex', {
      ...readOnly,
      multiValued: true,
      description: 'Extension schemas of the resource type.',
      subAttributes: [
        defineAttribute('schema', 'reference', {
          ...readOnly,
          required: true,
          caseExact: true,
          referenceTypes: ['uri'],
          description: 'URI of an extension schema.',
        }),
        defineAttribute('required', 'boolean', { ...readOnly, required: true, description: 'Whether resources must include the extension.' }),
      ],
    }),
  ],
};

/** Sub-attributes describing one attribute (the `attributes` entries of a Schema resource). */
function attributeCharacteristics(): AttributeDefinition[] {
  return [
    defineAttribute('name', 'string', { ...readOnly, required: true, caseExact: true, description: "The attribute's name." }),
    defineAttribute('type', 'string', {
      ...readOnly,
      required: true,
      canonicalValues: ['string', 'complex', 'boolean', 'decimal', 'integer', 'dateTime', 'reference', 'binary'],
      description: "The attribute's data type.",
    }),
    defineAttribute('multiValued', 'boolean', { ...readOnly, required: true, description: 'Whether the attribute holds a list of values.' }),
    defineAttribute('description', 'string', { ...readOnly, description: 'Human-readable description of the attribute.' }),
    defineAttribute('required', 'boolean', { ...readOnly, description: 'Whether the attribute must have a value.' }),
    defineAttribute('canonicalValues', 'string', { ...readOnly, multiValued: true, caseExact: true, description: 'Suggested values.' }),
    defineAttribute('caseExact', 'boolean', { ...readOnly, description: 'Whether string values compare case-sensitively.' }),
    defineAttribute('mutability', 'string', {
      ...readOnly,
      canonicalValues: ['readOnly', 'readWrite', 'immutable', 'writeOnly'],
      description: 'Whether and when the attribute may be changed.',
    }),
    defineAttribute('returned', 'string', {
      ...readOnly,
      canonicalValues: ['always', 'never', 'default', 'request'],
      description: 'When the attribute appears in responses.',
    }),
    defineAttribute('uniqueness', 'string', {
      ...readOnly,
      canonicalValues: ['none', 'server', 'global'],
      description: 'Scope in which values must be unique.',
    }),
    defineAttribute('referenceTypes', 'string', {
      ...readOnly,
      multiValued: true,
      caseExact: true,
      description: 'Resource types a reference may point to, or "external" or "uri".',
    }),
  ];
}

/**
 * The schema of `/Schemas` resources, as RFC 7643 §8.7.2 gives it. Its `attributes.subAttributes`
 * is the one place a complex sub-attribute is itself complex: it describes the sub-attributes of a
 * complex attribute with the same characteristics.
 */
export const SCHEMA_SCHEMA: SchemaDefinition = {
  id: SCHEMA_SCHEMA_URI,
  name: 'Schema',
  description: 'Specifies the schema attribute structure',
  attributes: [
    defineAttribute('id', 'string', { ...readOnly, required: true, description: 'URI of the schema.' }),
    defineAttribute('name', 'string', { ...readOnly, description: 'Human-readable name of the schema.' }),
    defineAttribute('description', 'string', { ...readOnly, description: 'Human-readable description of the schema.' }),
    defineAttribute('attributes', 'complex', {
      ...readOnly,
      multiValued: true,
      required: true,
      description: 'The attributes the schema defines.',
      subAttributes: [
        ...attributeCharacteristics(),
        defineAttribute('subAttributes', 'complex', {
          ...readOnly,
          multiValued: true,
          description: 'Sub-attributes of a complex attribute.',
          subAttributes: attributeCharacteristics(),
        }),
      ],
    }),
  ],
};

/** The three discovery schemas, in the order `/Schemas` lists them after the resource schemas. */
export const DISCOVERY_SCHEMAS: readonly SchemaDefinition[] = [SERVICE_PROVIDER_CONFIG_SCHEMA, RESOURCE_TYPE_SCHEMA, SCHEMA_SCHEMA];
