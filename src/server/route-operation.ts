import { ScimError } from '../error/scim-error.js';
import type { TenantContext } from '../tenant/tenant-context.js';
import { param } from './http-request.js';
import { LIST_PARAMETER_NAMES } from './list-parameters.js';
import { ReceivedBody, type ScimOperation, type ScimOperationRequest, type ScimQuery } from './operation-request.js';
import { allowedMethods, type Route } from './routes.js';

/** What `ScimServer` knows of a request once it has found the tenant and the route, body aside. */
export interface RoutedHead {
  readonly method: string;
  readonly route: Route;
  /** Decoded query parameters. */
  readonly query: Readonly<Record<string, string | undefined>>;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly tenant: TenantContext;
  /** Who chose the request id. */
  readonly requestIdSource: 'client' | 'server';
}

/** The URL's list, search and projection parameters, names matched case-insensitively. */
function scimQuery(query: Readonly<Record<string, string | undefined>>): ScimQuery {
  const out: Record<string, string> = {};
  if (isEmpty(query)) return out;
  for (const name of LIST_PARAMETER_NAMES) {
    const value = param(query, name);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/** True when a record has no own enumerable key. */
function isEmpty(record: object): boolean {
  for (const key in record) if (Object.hasOwn(record, key)) return false;
  return true;
}

/** How an error detail names a method: as given when it is a short HTTP token, else generically. */
function methodLabel(method: string): string {
  return /^[A-Z0-9!#$%&'*+.^_`|~-]{1,24}$/.test(method) ? `Method ${method}` : 'This method';
}

const RESOURCE_METHODS: Readonly<Record<string, ScimOperation>> = { GET: 'get', HEAD: 'get', PUT: 'replace', PATCH: 'patch', DELETE: 'delete' };

/** The operation a route and method stand for, and whether it reads the URL's query. */
function operationOf(route: Route, method: string): { operation: ScimOperation; withQuery: boolean } {
  switch (route.kind) {
    case 'serviceProviderConfig':
      return { operation: 'getServiceProviderConfig', withQuery: true };
    case 'resourceTypes':
      return { operation: 'getResourceTypes', withQuery: true };
    case 'schemas':
      return { operation: 'getSchemas', withQuery: true };
    case 'rootSearch':
    case 'search':
      return { operation: 'search', withQuery: false };
    case 'bulk':
      return { operation: 'bulk', withQuery: false };
    case 'collection':
      return { operation: method === 'GET' || method === 'HEAD' ? 'list' : 'create', withQuery: true };
    case 'resource':
      return { operation: RESOURCE_METHODS[method] as ScimOperation, withQuery: true };
    case 'me':
      throw new ScimError(501, '/Me is not supported');
  }
}

/**
 * Checks that the route answers the method, from the request's head alone.
 *
 * @throws ScimError 405 (with `Allow`) for a method the route does not answer, 501 for `/Me`.
 */
export function checkMethod(route: Route, method: string): void {
  if (route.kind === 'me') throw new ScimError(501, '/Me is not supported');
  if (!allowedMethods(route).includes(method)) {
    throw new ScimError(405, `${methodLabel(method)} is not allowed here`, undefined, { Allow: allowedMethods(route).join(', ') });
  }
}

/**
 * Maps an HTTP request to the SCIM operation it stands for: the route and method give the
 * operation, the resource type and id (HEAD as GET); the URL's parameters the query; `If-Match`
 * and `If-None-Match` the preconditions; the body is passed on unparsed, with its media type.
 *
 * @throws ScimError 405 (with `Allow`) for a method the route does not answer, 501 for `/Me`.
 */
export function operationRequest(req: RoutedHead, body: unknown, requestId: string): ScimOperationRequest {
  const { route, method, headers } = req;
  checkMethod(route, method);
  const { operation, withQuery } = operationOf(route, method);
  // Built field by field (no spreads): this runs for every request.
  const out: { -readonly [K in keyof ScimOperationRequest]: ScimOperationRequest[K] } = {
    tenant: req.tenant,
    operation,
    requestId,
    requestIdSource: req.requestIdSource,
  };
  if (route.kind === 'collection' || route.kind === 'search' || route.kind === 'resource') out.resourceType = route.resourceType.name;
  const id = route.kind === 'resource' || route.kind === 'schemas' || route.kind === 'resourceTypes' ? route.id : undefined;
  if (id !== undefined) out.id = id;
  if (body !== undefined) out.data = new ReceivedBody(body, headers['content-type']);
  if (withQuery) out.query = scimQuery(req.query);
  const ifMatch = headers['if-match'];
  if (ifMatch !== undefined) out.ifMatch = ifMatch;
  const ifNoneMatch = headers['if-none-match'];
  if (ifNoneMatch !== undefined) out.ifNoneMatch = ifNoneMatch;
  return out;
}
