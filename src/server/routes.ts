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

/**
 * The one or two segments after the first `/` of a path, trailing slashes left out (`/Users/1/`
 * gives `Users` and `1`); undefined for none, more than two, or an empty one.
 */
function segmentsOf(path: string): { head: string; rest: string | undefined } | undefined {
  let end = path.length;
  while (end > 0 && path.charCodeAt(end - 1) === 47) end--; // trailing '/'
  const first = path.indexOf('/');
  if (first < 0 || first >= end) return undefined;
  const second = path.indexOf('/', first + 1);
  if (second < 0 || second >= end) return first + 1 < end ? { head: path.slice(first + 1, end), rest: undefined } : undefined;
  const third = path.indexOf('/', second + 1);
  if ((third >= 0 && third < end) || second === first + 1) return undefined;
  return { head: path.slice(first + 1, second), rest: path.slice(second + 1, end) };
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
  const parts = segmentsOf(resourcePath);
  if (!parts) return undefined;
  const head = parts.head.toLowerCase();
  const second = parts.rest === undefined ? undefined : decode(parts.rest);
  if (parts.rest !== undefined && second === undefined) return undefined;
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

const READ_ONLY: readonly string[] = Object.freeze(['GET', 'HEAD']);
const POST_ONLY: readonly string[] = Object.freeze(['POST']);
const NONE: readonly string[] = Object.freeze([]);
const COLLECTION: readonly string[] = Object.freeze(['GET', 'HEAD', 'POST']);
const RESOURCE: readonly string[] = Object.freeze(['GET', 'HEAD', 'PUT', 'PATCH', 'DELETE']);

/** Methods each route kind answers, for 405 `Allow`. Wherever GET is answered, HEAD is too (RFC 9110 §9.3.2). */
export function allowedMethods(route: Route): readonly string[] {
  switch (route.kind) {
    case 'serviceProviderConfig':
    case 'resourceTypes':
    case 'schemas':
      return READ_ONLY;
    case 'rootSearch':
    case 'search':
    case 'bulk':
      return POST_ONLY;
    case 'me':
      return NONE;
    case 'collection':
      return COLLECTION;
    case 'resource':
      return RESOURCE;
  }
}
