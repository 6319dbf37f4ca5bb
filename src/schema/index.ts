/**
 * The schema engine: RFC 7643 schemas as data, the per-tenant `SchemaRegistry`, resource validation
 * and coercion, `attributes` / `excludedAttributes` projection honouring `returned`, attribute paths,
 * and the discovery schemas. The root entry point re-exports what an integrator needs to declare
 * resource types; this subpath holds the whole engine.
 *
 * @packageDocumentation
 * @module scim-server/schema
 */
export type {
  AttributeType,
  Mutability,
  Returned,
  Uniqueness,
  AttributeDefinition,
  SchemaDefinition,
  ResourceTypeDefinition,
  AttrPath,
  ResolvedAttribute,
  ScimObject,
  ResourceMeta,
  ScimResource,
} from './types.js';
export type { MembershipDefinition, ResourceTypeModel, ReverseMembership } from './membership.js';
export { DEFAULT_DISPLAY_ATTRIBUTE } from './membership.js';
export type { ResourceSchema, ResourceSchemaOptions } from './resource-schema.js';
export { createResourceSchema } from './resource-schema.js';
export { parseAttributePath, formatAttributePath } from './attribute-path.js';
export { COMMON_ATTRIBUTES } from './common-attributes.js';
export type { AttributeOptions } from './define-attribute.js';
export { defineAttribute } from './define-attribute.js';
export { USER_SCHEMA, USER_SCHEMA_URI } from './user-schema.js';
export { GROUP_SCHEMA, GROUP_SCHEMA_URI } from './group-schema.js';
export { ENTERPRISE_USER_SCHEMA, ENTERPRISE_USER_SCHEMA_URI } from './enterprise-user-schema.js';
export {
  SERVICE_PROVIDER_CONFIG_SCHEMA,
  SERVICE_PROVIDER_CONFIG_SCHEMA_URI,
  RESOURCE_TYPE_SCHEMA,
  RESOURCE_TYPE_SCHEMA_URI,
  SCHEMA_SCHEMA,
  SCHEMA_SCHEMA_URI,
  DISCOVERY_SCHEMAS,
} from './discovery-schemas.js';
export { USER_RESOURCE_TYPE, GROUP_RESOURCE_TYPE } from './resource-types.js';
export type { SchemaRegistryOptions } from './schema-registry.js';
export { SchemaRegistry } from './schema-registry.js';
export { assertValidSchemaDefinition } from './schema-definition-check.js';
export type { ValidateResourceOptions } from './validate-resource.js';
export { DEFAULT_MAX_VALUES_PER_ATTRIBUTE, validateResource, DEFAULT_MAX_VALUES } from './validate-resource.js';
export { attributeValueEquals } from './attribute-value-equals.js';
export { checkedText, identifyingAttributes } from './text-rules.js';
export type { ProjectionOptions, Projector } from './projection.js';
export { projectResource, compileProjection, parseAttributeList } from './projection.js';
