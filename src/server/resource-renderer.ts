import type { ResourceSchema } from '../schema/resource-schema.js';
import { projectResource } from '../schema/projection.js';
import type { ScimObject, ScimResource } from '../schema/types.js';

/** What a response asked for with `attributes` / `excludedAttributes`. */
export interface Projection {
  attributes?: readonly string[];
  excludedAttributes?: readonly string[];
}

function endpointFor(type: unknown): string {
  return typeof type === 'string' && type.toLowerCase() === 'group' ? 'Groups' : 'Users';
}

function withRefs(list: unknown, baseUrl: string, fixedEndpoint?: string): unknown {
  if (!Array.isArray(list)) return list;
  return list.map((item) => {
    if (typeof item !== 'object' || item === null) return item;
    const m = item as ScimObject;
    if (typeof m.value !== 'string') return m;
    const endpoint = fixedEndpoint ?? endpointFor(m.type);
    return { ...m, $ref: `${baseUrl}/${endpoint}/${encodeURIComponent(m.value)}` };
  });
}

/**
 * Prepares a stored resource for a response: `meta.location` and every `$ref` from the tenant's
 * own base URL, then the projection (which also drops `returned: never` attributes).
 */
export function renderResource(resource: ScimResource, schema: ResourceSchema, baseUrl: string, projection: Projection = {}): ScimObject {
  const endpoint = schema.resourceType.endpoint;
  const out: ScimObject = { ...resource };
  out.meta = { ...resource.meta, location: `${baseUrl}${endpoint}/${encodeURIComponent(resource.id)}` };
  if (out.members !== undefined) out.members = withRefs(out.members, baseUrl);
  if (out.groups !== undefined) out.groups = withRefs(out.groups, baseUrl, 'Groups');
  return projectResource(out, schema, projection);
}
