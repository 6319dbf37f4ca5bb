import type { ResourceTypeDefinition, SchemaDefinition } from '../schema/types.js';

const RESOURCE_TYPE_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';
const SCHEMA_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Schema';

/** A `/ResourceTypes` entry (RFC 7643 §6). */
export function renderResourceType(rt: ResourceTypeDefinition, baseUrl: string): Record<string, unknown> {
  return {
    schemas: [RESOURCE_TYPE_SCHEMA],
    id: rt.id,
    name: rt.name,
    endpoint: rt.endpoint,
    ...(rt.description ? { description: rt.description } : {}),
    schema: rt.schema,
    schemaExtensions: (rt.schemaExtensions ?? []).map((e) => ({ schema: e.schema, required: e.required })),
    meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/${encodeURIComponent(rt.id)}` },
  };
}

/** A `/Schemas` entry (RFC 7643 §7). */
export function renderSchema(schema: SchemaDefinition, baseUrl: string): Record<string, unknown> {
  return {
    schemas: [SCHEMA_SCHEMA],
    id: schema.id,
    name: schema.name,
    ...(schema.description ? { description: schema.description } : {}),
    attributes: schema.attributes,
    meta: { resourceType: 'Schema', location: `${baseUrl}/Schemas/${schema.id}` },
  };
}
