import type { SchemaRegistry } from '../schema/schema-registry.js';
import type { ResourceTypeDefinition } from '../schema/types.js';

/** What a request path addresses, below the SCIM base path. */
export type Route =
  | { kind: 'serviceProviderConfig' }
  | { kind: 'resourceTypes'; id?: string }
  | { kind: 'schemas'; id?: string }
  | { kind: 'rootSearch' }
  | { kind: 'bulk' }
  | { kind: 'me' }
  | { kind: 'collection'; resourceType: ResourceTypeDefinition }
  | { kind: 'search'; resourceType: ResourceTypeDefinition }
  | { kind: 'resource'; resourceType: ResourceTypeDefinition; id: string };

function decode(segment: string): string | undefined {
  if (!segment.includes('%')) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** Finds the resource type served at an endpoint segment (`users`, lower case, no slash). */
export type EndpointLookup = (endpoint: string) => ResourceTypeDefinition | undefined;

/** A lookup over a list of resource types. */
function listLookup(resourceTypes: readonly ResourceTypeDefinition[]): EndpointLookup {
  return (endpoint) => resourceTypes.find((rt) => rt.endpoint.replace(/^\//, '').toLowerCase() === endpoint);
}

/** The tenant's resource types by endpoint segment, looked up in the registry without building a list. */
export function tenantEndpoints(schemas: SchemaRegistry, tenantId: string): EndpointLookup {
  // Registered endpoints are plain segments: a segment with spaces around it names none of them.
  return (endpoint) => (endpoint.trim() === endpoint ? schemas.resourceTypeByEndpoint(tenantId, endpoint) : undefined);
}

/**
 * Matches a resource path (`/Users/123`, `/Schemas/urn:...`, `/.search`) against the fixed
 * endpoints and the tenant's resource types (a list, or a lookup by lower-case endpoint segment).
 * A trailing slash is accepted; endpoint names match case-insensitively. Returns undefined for
 * anything else.
 */
export function matchRoute(resourcePath: string, resourceTypes: readonly ResourceTypeDefinition[] | EndpointLookup): Route | undefined {
  const trimmed = resourcePath.replace(/\/+$/, '');
  const parts = trimmed.split('/').slice(1);
  if (parts.length === 0 || parts.some((p) => p === '')) return undefined;
  if (parts.length > 2) return undefined;
  const head = (parts[0] as string).toLowerCase();
  const second = parts.length === 2 ? decode(parts[1] as string) : undefined;
  if (parts.length === 2 && second === undefined) return undefined;
  switch (head) {
    case 'serviceproviderconfig':
      return second === undefined ? { kind: 'serviceProviderConfig' } : undefined;
    case 'resourcetypes':
      return second === undefined ? { kind: 'resourceTypes' } : { kind: 'resourceTypes', id: second };
    case 'schemas':
      return second === undefined ? { kind: 'schemas' } : { kind: 'schemas', id: second };
    case '.search':
      return second === undefined ? { kind: 'rootSearch' } : undefined;
    case 'bulk':
      return second === undefined ? { kind: 'bulk' } : undefined;
    case 'me':
      return { kind: 'me' };
    default:
      break;
  }
  const resourceType = (typeof resourceTypes === 'function' ? resourceTypes : listLookup(resourceTypes))(head);
  if (!resourceType) return undefined;
  if (second === undefined) return { kind: 'collection', resourceType };
  if (second === '.search') return { kind: 'search', resourceType };
  return { kind: 'resource', resourceType, id: second };
}

/** Methods each route kind answers, for 405 `Allow`. Wherever GET is answered, HEAD is too (RFC 9110 §9.3.2). */
export function allowedMethods(route: Route): string[] {
  switch (route.kind) {
    case 'serviceProviderConfig':
    case 'resourceTypes':
    case 'schemas':
      return ['GET', 'HEAD'];
    case 'rootSearch':
    case 'search':
    case 'bulk':
      return ['POST'];
    case 'me':
      return [];
    case 'collection':
      return ['GET', 'HEAD', 'POST'];
    case 'resource':
      return ['GET', 'HEAD', 'PUT', 'PATCH', 'DELETE'];
  }
}
