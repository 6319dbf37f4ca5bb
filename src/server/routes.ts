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
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/**
 * Matches a resource path (`/Users/123`, `/Schemas/urn:...`, `/.search`) against the fixed
 * endpoints and the tenant's resource types. A trailing slash is accepted; endpoint names match
 * case-insensitively. Returns undefined for anything else.
 */
export function matchRoute(resourcePath: string, resourceTypes: readonly ResourceTypeDefinition[]): Route | undefined {
  const trimmed = resourcePath.replace(/\/+$/, '');
  const parts = trimmed.split('/').slice(1);
  if (parts.length === 0 || parts.some((p) => p === '')) return undefined;
  const head = (parts[0] as string).toLowerCase();
  const rest = parts.slice(1).map(decode);
  if (rest.some((p) => p === undefined)) return undefined;
  const [second] = rest as string[];
  if (parts.length > 2) return undefined;
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
  const resourceType = resourceTypes.find((rt) => rt.endpoint.replace(/^\//, '').toLowerCase() === head);
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
