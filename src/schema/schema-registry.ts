import { COMMON_ATTRIBUTES } from './common-attributes.js';
import { DISCOVERY_SCHEMAS } from './discovery-schemas.js';
import { ENTERPRISE_USER_SCHEMA } from './enterprise-user-schema.js';
import { GROUP_SCHEMA } from './group-schema.js';
import { assertValidMembership, buildResourceTypeModel, type ModelSource, type ResourceTypeModel } from './membership.js';
import { createResourceSchema, type ResourceSchema } from './resource-schema.js';
import { GROUP_RESOURCE_TYPE, USER_RESOURCE_TYPE } from './resource-types.js';
import { assertValidSchemaDefinition } from './schema-definition-check.js';
import type { ResourceTypeDefinition, SchemaDefinition } from './types.js';
import { USER_SCHEMA } from './user-schema.js';

/** Options of {@link SchemaRegistry}. */
export interface SchemaRegistryOptions {
  /**
   * Schemas to register on top of the built-in User, Enterprise User and Group schemas; one with
   * the id of a built-in schema replaces it.
   */
  schemas?: readonly SchemaDefinition[];
  /** The resource types served. Defaults to User (with the Enterprise User extension) and Group. */
  resourceTypes?: readonly ResourceTypeDefinition[];
  /**
   * A real-client tolerance: an attribute named without its schema URI (`manager`,
   * `employeeNumber`) in a PATCH path, a filter, `sortBy` or `attributes` is the attribute of the
   * one extension of the resource type (the tenant's own extensions included) that defines it, when
   * the core schema has none of that name. When several extensions define it, the request is a 400
   * naming them. Defaults to true; false requires the URI (RFC 7644 §3.10).
   */
  unqualifiedExtensionAttributes?: boolean;
}

/** An extension schema one tenant added to one resource type. */
interface TenantExtension {
  readonly schema: SchemaDefinition;
  readonly required: boolean;
}

/** Endpoints the server itself answers; no resource type may take them. */
const RESERVED_ENDPOINTS = new Set(['schemas', 'resourcetypes', 'serviceproviderconfig', 'serviceproviderconfigs', 'bulk', 'me', '.search']);
const ENDPOINT = /^\/[A-Za-z0-9._~-]+$/;
const COMMON_NAMES = new Set(COMMON_ATTRIBUTES.map((a) => a.name.toLowerCase()));

function endpointKey(endpoint: string): string {
  const trimmed = endpoint.trim();
  return (trimmed.startsWith('/') ? trimmed.slice(1) : trimmed).toLowerCase();
}

function checkTenantId(tenantId: string): void {
  if (typeof tenantId !== 'string' || tenantId.length === 0) throw new TypeError('tenantId must be a non-empty string');
}

function sameDefinition(a: SchemaDefinition, b: SchemaDefinition): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The schemas and resource types one `ScimServer` serves, and each tenant's view of them.
 *
 * Everything lives on the instance: two registries in one process never share schemas, and a
 * tenant's extension schemas are visible and usable for that tenant only. {@link resourceSchema}
 * results are cached (shared between tenants that have no extension of that type) and rebuilt
 * when schemas, resource types or the tenant's extensions change.
 */
export class SchemaRegistry {
  private readonly schemaById = new Map<string, SchemaDefinition>();
  private readonly typeByName = new Map<string, ResourceTypeDefinition>();
  /** tenant id → lower-cased resource type name → extensions. */
  private readonly tenantExtensions = new Map<string, Map<string, TenantExtension[]>>();
  /** Resource schemas of tenants without extensions of the type, by lower-cased type name. */
  private readonly sharedCache = new Map<string, ResourceSchema>();
  /** Resource schemas of tenants with extensions: tenant id → lower-cased type name → schema. */
  private readonly tenantCache = new Map<string, Map<string, ResourceSchema>>();
  /** Resource type models by lower-cased type name. */
  private readonly modelCache = new Map<string, ResourceTypeModel>();
  private readonly unqualifiedExtensionAttributes: boolean;

  /**
   * @throws TypeError when a schema definition is malformed or a resource type names a schema that
   * is not registered.
   */
  constructor(options: SchemaRegistryOptions = {}) {
    this.unqualifiedExtensionAttributes = options.unqualifiedExtensionAttributes ?? true;
    for (const schema of [USER_SCHEMA, ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, ...(options.schemas ?? [])]) this.addSchema(schema);
    for (const rt of options.resourceTypes ?? [USER_RESOURCE_TYPE, GROUP_RESOURCE_TYPE]) this.addResourceType(rt);
  }

  /**
   * Registers a schema for every tenant (replacing one with the same id). Resource types refer to
   * it by id.
   *
   * @throws TypeError when the definition is malformed or takes a discovery schema's id.
   */
  addSchema(schema: SchemaDefinition): void {
    assertValidSchemaDefinition(schema);
    const key = schema.id.toLowerCase();
    if (DISCOVERY_SCHEMAS.some((d) => d.id.toLowerCase() === key)) {
      throw new TypeError(`Schema ${schema.id} is a discovery schema and cannot be replaced`);
    }
    for (const rt of this.typeByName.values()) {
      if (rt.schema.toLowerCase() !== key) continue;
      this.checkCoreAttributes(schema);
      assertValidMembership(rt, schema, [...this.typeByName.values()]);
    }
    this.schemaById.set(key, schema);
    this.invalidateAll();
  }

  /**
   * Registers a resource type (replacing one with the same name). Its core schema and extension
   * schemas must already be registered.
   *
   * @throws TypeError for a malformed definition, an unknown schema, or an endpoint already taken.
   */
  addResourceType(rt: ResourceTypeDefinition): void {
    if (typeof rt !== 'object' || rt === null) throw new TypeError('Invalid resource type: not an object');
    if (typeof rt.name !== 'string' || rt.name.length === 0) throw new TypeError('Invalid resource type: name must be a non-empty string');
    if (typeof rt.id !== 'string' || rt.id.length === 0) throw new TypeError(`Invalid resource type ${rt.name}: id must be a non-empty string`);
    if (typeof rt.endpoint !== 'string' || !ENDPOINT.test(rt.endpoint)) {
      throw new TypeError(`Invalid resource type ${rt.name}: endpoint must be one path segment with a leading slash, such as "/Users"`);
    }
    const endpoint = endpointKey(rt.endpoint);
    if (RESERVED_ENDPOINTS.has(endpoint)) throw new TypeError(`Invalid resource type ${rt.name}: endpoint ${rt.endpoint} is reserved`);
    const nameKey = rt.name.toLowerCase();
    for (const other of this.typeByName.values()) {
      if (other.name.toLowerCase() !== nameKey && endpointKey(other.endpoint) === endpoint) {
        throw new TypeError(`Invalid resource type ${rt.name}: endpoint ${rt.endpoint} is already used by ${other.name}`);
      }
    }
    const core = this.schemaById.get(String(rt.schema).toLowerCase());
    if (!core) throw new TypeError(`Invalid resource type ${rt.name}: schema ${String(rt.schema)} is not registered`);
    this.checkCoreAttributes(core);
    assertValidMembership(rt, core, [...this.typeByName.values()]);
    const seen = new Set<string>([core.id.toLowerCase()]);
    for (const ext of rt.schemaExtensions ?? []) {
      const key = String(ext.schema).toLowerCase();
      if (!this.schemaById.has(key)) throw new TypeError(`Invalid resource type ${rt.name}: extension schema ${String(ext.schema)} is not registered`);
      if (typeof ext.required !== 'boolean') throw new TypeError(`Invalid resource type ${rt.name}: extension ${ext.schema} needs a boolean required`);
      if (seen.has(key)) throw new TypeError(`Invalid resource type ${rt.name}: schema ${ext.schema} is listed twice`);
      seen.add(key);
    }
    this.typeByName.set(nameKey, rt);
    this.invalidateAll();
  }

  /**
   * Adds an extension schema to one resource type for one tenant only: it appears in that
   * tenant's `/Schemas`, `/ResourceTypes` and resource schema, and nowhere else. Adding an
   * extension with the same id again replaces it.
   *
   * @throws TypeError for an unknown resource type, a malformed schema, or an id that clashes
   * with a different schema already visible to the tenant.
   */
  addTenantExtension(tenantId: string, resourceTypeName: string, schema: SchemaDefinition, required = false): void {
    checkTenantId(tenantId);
    const rt = this.typeByName.get(String(resourceTypeName).toLowerCase());
    if (!rt) throw new TypeError(`Unknown resource type ${resourceTypeName}`);
    if (typeof required !== 'boolean') throw new TypeError('required must be a boolean');
    assertValidSchemaDefinition(schema);
    const key = schema.id.toLowerCase();
    if (DISCOVERY_SCHEMAS.some((d) => d.id.toLowerCase() === key)) throw new TypeError(`Schema ${schema.id} is a discovery schema`);
    if (rt.schema.toLowerCase() === key) throw new TypeError(`Schema ${schema.id} is the core schema of ${rt.name}`);
    if ((rt.schemaExtensions ?? []).some((e) => e.schema.toLowerCase() === key)) {
      throw new TypeError(`Schema ${schema.id} is already an extension of ${rt.name} for every tenant`);
    }
    const global = this.schemaById.get(key);
    if (global && !sameDefinition(global, schema)) {
      throw new TypeError(`Schema ${schema.id} is already registered with a different definition`);
    }
    let byType = this.tenantExtensions.get(tenantId);
    if (!byType) {
      byType = new Map();
      this.tenantExtensions.set(tenantId, byType);
    }
    for (const [typeKey, list] of byType) {
      if (typeKey === rt.name.toLowerCase()) continue;
      const other = list.find((e) => e.schema.id.toLowerCase() === key);
      if (other && !sameDefinition(other.schema, schema)) {
        throw new TypeError(`Schema ${schema.id} is already used by this tenant with a different definition`);
      }
    }
    const typeKey = rt.name.toLowerCase();
    const list = (byType.get(typeKey) ?? []).filter((e) => e.schema.id.toLowerCase() !== key);
    list.push({ schema, required });
    byType.set(typeKey, list);
    this.tenantCache.delete(tenantId);
  }

  /** Removes every extension schema of a tenant (for example when the tenant is deleted). */
  removeTenantExtensions(tenantId: string): void {
    this.tenantExtensions.delete(tenantId);
    this.tenantCache.delete(tenantId);
  }

  /** The resource types as the tenant sees them: its own extensions listed in `schemaExtensions`. */
  resourceTypes(tenantId: string): ResourceTypeDefinition[] {
    return [...this.typeByName.values()].map((rt) => this.view(tenantId, rt));
  }

  /** One resource type by name (case-insensitive), as the tenant sees it. */
  resourceType(tenantId: string, name: string): ResourceTypeDefinition | undefined {
    const rt = this.typeByName.get(String(name).toLowerCase());
    return rt ? this.view(tenantId, rt) : undefined;
  }

  /** The resource type served at an endpoint, `/Users` or `Users`, case-insensitively. */
  resourceTypeByEndpoint(tenantId: string, endpoint: string): ResourceTypeDefinition | undefined {
    const key = endpointKey(String(endpoint));
    for (const rt of this.typeByName.values()) {
      if (endpointKey(rt.endpoint) === key) return this.view(tenantId, rt);
    }
    return undefined;
  }

  /**
   * The resource type's schemas for this tenant, able to resolve attribute paths. Cached: the same
   * object is returned until schemas, resource types or the tenant's extensions change.
   */
  resourceSchema(tenantId: string, resourceTypeName: string): ResourceSchema | undefined {
    const typeKey = String(resourceTypeName).toLowerCase();
    const rt = this.typeByName.get(typeKey);
    if (!rt) return undefined;
    const own = this.tenantExtensions.get(tenantId)?.get(typeKey);
    if (!own || own.length === 0) {
      let shared = this.sharedCache.get(typeKey);
      if (!shared) {
        shared = this.build(rt, []);
        this.sharedCache.set(typeKey, shared);
      }
      return shared;
    }
    let byType = this.tenantCache.get(tenantId);
    if (!byType) {
      byType = new Map();
      this.tenantCache.set(tenantId, byType);
    }
    let schema = byType.get(typeKey);
    if (!schema) {
      schema = this.build(this.view(tenantId, rt), own);
      byType.set(typeKey, schema);
    }
    return schema;
  }

  /**
   * What the layers below the schema need to know of a resource type (its name and its part in
   * memberships), or undefined for an unknown type. The same for every tenant; cached until schemas
   * or resource types change.
   */
  model(resourceTypeName: string): ResourceTypeModel | undefined {
    const key = String(resourceTypeName).toLowerCase();
    let model = this.modelCache.get(key);
    if (model) return model;
    const sources = [...this.typeByName.values()].map((rt) => this.modelSource(rt));
    const own = sources.find((s) => s.name.toLowerCase() === key);
    if (!own) return undefined;
    model = buildResourceTypeModel(own, sources);
    this.modelCache.set(key, model);
    return model;
  }

  private modelSource(rt: ResourceTypeDefinition): ModelSource {
    const names = new Set((this.schemaById.get(rt.schema.toLowerCase())?.attributes ?? []).map((a) => a.name.toLowerCase()));
    return { name: rt.name, membership: rt.membership, hasAttribute: (name) => names.has(name.toLowerCase()) };
  }

  /**
   * Every schema visible to the tenant: each resource type's core and extension schemas (its own
   * extensions included), then the ServiceProviderConfig, ResourceType and Schema schemas.
   */
  schemas(tenantId: string): SchemaDefinition[] {
    const out: SchemaDefinition[] = [];
    const seen = new Set<string>();
    const push = (schema: SchemaDefinition | undefined): void => {
      if (!schema) return;
      const key = schema.id.toLowerCase();
      if (seen.has(key)) return;
      seen.add(key);
      out.push(schema);
    };
    const own = this.tenantExtensions.get(tenantId);
    for (const [typeKey, rt] of this.typeByName) {
      push(this.schemaById.get(rt.schema.toLowerCase()));
      for (const ext of rt.schemaExtensions ?? []) push(this.schemaById.get(ext.schema.toLowerCase()));
      for (const ext of own?.get(typeKey) ?? []) push(ext.schema);
    }
    for (const schema of DISCOVERY_SCHEMAS) push(schema);
    return out;
  }

  /** One schema visible to the tenant, by id (case-insensitive). */
  schema(tenantId: string, id: string): SchemaDefinition | undefined {
    const key = String(id).toLowerCase();
    return this.schemas(tenantId).find((s) => s.id.toLowerCase() === key);
  }

  private view(tenantId: string, rt: ResourceTypeDefinition): ResourceTypeDefinition {
    const own = this.tenantExtensions.get(tenantId)?.get(rt.name.toLowerCase());
    if (!own || own.length === 0) return rt;
    return {
      ...rt,
      schemaExtensions: [...(rt.schemaExtensions ?? []), ...own.map((e) => ({ schema: e.schema.id, required: e.required }))],
    };
  }

  private build(rt: ResourceTypeDefinition, own: readonly TenantExtension[]): ResourceSchema {
    const core = this.schemaById.get(rt.schema.toLowerCase());
    if (!core) throw new TypeError(`Schema ${rt.schema} of resource type ${rt.name} is not registered`);
    const extensions: { schema: SchemaDefinition; required: boolean }[] = [];
    const ownIds = new Set(own.map((e) => e.schema.id.toLowerCase()));
    for (const ext of rt.schemaExtensions ?? []) {
      if (ownIds.has(ext.schema.toLowerCase())) continue;
      const schema = this.schemaById.get(ext.schema.toLowerCase());
      if (!schema) throw new TypeError(`Extension schema ${ext.schema} of resource type ${rt.name} is not registered`);
      extensions.push({ schema, required: ext.required });
    }
    for (const ext of own) extensions.push({ schema: ext.schema, required: ext.required });
    return createResourceSchema(rt, core, extensions, { unqualifiedExtensionAttributes: this.unqualifiedExtensionAttributes });
  }

  private checkCoreAttributes(core: SchemaDefinition): void {
    for (const attr of core.attributes) {
      if (COMMON_NAMES.has(attr.name.toLowerCase())) {
        throw new TypeError(`Schema ${core.id} cannot define "${attr.name}": it is a common attribute of every resource`);
      }
    }
  }

  private invalidateAll(): void {
    this.modelCache.clear();
    this.sharedCache.clear();
    this.tenantCache.clear();
  }
}
