import type { MembershipDefinition } from './membership.js';

/** SCIM attribute data types (RFC 7643 §2.3). */
export type AttributeType = 'string' | 'boolean' | 'decimal' | 'integer' | 'dateTime' | 'reference' | 'binary' | 'complex';
/** RFC 7643 §7 mutability. */
export type Mutability = 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
/** RFC 7643 §7 returned. */
export type Returned = 'always' | 'never' | 'default' | 'request';
/** RFC 7643 §7 uniqueness. */
export type Uniqueness = 'none' | 'server' | 'global';

/** One attribute of a schema, as RFC 7643 §7 describes it. Schemas are data. */
export interface AttributeDefinition {
  readonly name: string;
  readonly type: AttributeType;
  readonly multiValued: boolean;
  readonly description?: string;
  readonly required: boolean;
  readonly caseExact: boolean;
  readonly mutability: Mutability;
  readonly returned: Returned;
  readonly uniqueness: Uniqueness;
  readonly canonicalValues?: readonly string[];
  readonly referenceTypes?: readonly string[];
  readonly subAttributes?: readonly AttributeDefinition[];
}

/** A schema (RFC 7643 §7). */
export interface SchemaDefinition {
  readonly id: string;
  readonly name: string;
  readonly description?: string;
  readonly attributes: readonly AttributeDefinition[];
}

/** A resource type (RFC 7643 §6). */
export interface ResourceTypeDefinition {
  /** Usually the same as `name`. */
  readonly id: string;
  readonly name: string;
  /** Endpoint path, with a leading slash: `/Users`. */
  readonly endpoint: string;
  readonly description?: string;
  /** Core schema URI. */
  readonly schema: string;
  readonly schemaExtensions?: readonly { readonly schema: string; readonly required: boolean }[];
  /** Present when the type's resources hold members (a Group): see {@link MembershipDefinition}. */
  readonly membership?: MembershipDefinition;
}

/**
 * An attribute path as written in filters, `attributes=` and PATCH paths:
 * `[uri:]attr[.sub]`. Names are as the client wrote them; resolution makes them canonical.
 */
export interface AttrPath {
  /** Schema URI prefix, when the path was written with one. */
  readonly uri?: string;
  readonly attr: string;
  readonly sub?: string;
}

/** An attribute path resolved against a resource type's schemas. */
export interface ResolvedAttribute {
  /** Schema URI that defines the top-level attribute (`urn:...:core:2.0:User` for `id`, `meta` too). */
  readonly schemaUri: string;
  /** True when the attribute lives under an extension URN key in the resource object. */
  readonly extension: boolean;
  /** The top-level attribute. */
  readonly attribute: AttributeDefinition;
  /** The sub-attribute, when the path named one. */
  readonly subAttribute?: AttributeDefinition;
  /** The attribute the path ends at: `subAttribute ?? attribute`. */
  readonly target: AttributeDefinition;
  /**
   * Canonical keys from the resource root: `['name', 'givenName']`,
   * `['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User', 'manager', 'value']`.
   */
  readonly keys: readonly string[];
}

/** A JSON object as SCIM moves it around. */
export type ScimObject = Record<string, unknown>;

/** Server-maintained resource metadata (RFC 7643 §3.1). */
export interface ResourceMeta {
  resourceType: string;
  created: string;
  lastModified: string;
  /** Weak entity tag, `W/"<n>"`, with n monotonic per resource. */
  version: string;
  /** Absent in storage; added from the tenant's base URL on output. */
  location?: string;
}

/** A resource in canonical form: canonical attribute names, extensions under their URN keys. */
export interface ScimResource extends ScimObject {
  id: string;
  schemas: string[];
  meta: ResourceMeta;
}
