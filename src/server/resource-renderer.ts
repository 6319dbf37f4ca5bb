import type { ResourceTypeModel } from '../schema/membership.js';
import type { ResourceSchema } from '../schema/resource-schema.js';
import { projectResource } from '../schema/projection.js';
import type { ScimObject, ScimResource } from '../schema/types.js';

/** What a response asked for with `attributes` / `excludedAttributes`. */
export interface Projection {
  attributes?: readonly string[];
  excludedAttributes?: readonly string[];
}

/** Where a rendered resource's URLs point. */
export interface ResourceLinks {
  /** The tenant's own SCIM base URL, no trailing slash. */
  readonly baseUrl: string;
  /** The model of the resource's type: which attribute lists members and which list what it belongs to. */
  readonly model: ResourceTypeModel;
  /** The endpoint (`/Users`) of a resource type by name, any case; undefined for an unknown type. */
  endpointOf(typeName: string): string | undefined;
}

/** Adds `$ref` to the elements of a list that have a `value`, pointing at `endpointOf(element)`. */
function withRefs(list: unknown, baseUrl: string, endpointOf: (item: ScimObject) => string | undefined): unknown {
  if (!Array.isArray(list)) return list;
  return list.map((item) => {
    if (typeof item !== 'object' || item === null) return item;
    const m = item as ScimObject;
    if (typeof m.value !== 'string') return m;
    const endpoint = endpointOf(m);
    return endpoint === undefined ? m : { ...m, $ref: `${baseUrl}${endpoint}/${encodeURIComponent(m.value)}` };
  });
}

/**
 * How the elements of `attribute` get their `$ref`: members by their `type`, reverse references
 * (a User's `groups`) by their container type. Undefined for an attribute that holds no references.
 */
export function refsOf(attribute: string, links: ResourceLinks): ((list: unknown) => unknown) | undefined {
  const { baseUrl, model } = links;
  if (attribute === model.members?.attribute) {
    return (list) => withRefs(list, baseUrl, (m) => (typeof m.type === 'string' ? links.endpointOf(m.type) : undefined));
  }
  const relation = model.memberOf.find((r) => r.attribute === attribute);
  if (!relation) return undefined;
  const endpoint = links.endpointOf(relation.containerType);
  return (list) => withRefs(list, baseUrl, () => endpoint);
}

/**
 * Prepares a stored resource for a response: `meta.location` and every `$ref` (members by their
 * `type`, reverse references by their container type) from the tenant's own base URL, then the
 * projection (which also drops `returned: never` attributes).
 */
export function renderResource(resource: ScimResource, schema: ResourceSchema, links: ResourceLinks, projection: Projection = {}): ScimObject {
  const { baseUrl, model } = links;
  const out: ScimObject = { ...resource };
  out.meta = { ...resource.meta, location: `${baseUrl}${schema.resourceType.endpoint}/${encodeURIComponent(resource.id)}` };
  for (const attribute of [...(model.members ? [model.members.attribute] : []), ...model.memberOf.map((r) => r.attribute)]) {
    if (out[attribute] !== undefined) out[attribute] = refsOf(attribute, links)?.(out[attribute]) ?? out[attribute];
  }
  return projectResource(out, schema, projection);
}
