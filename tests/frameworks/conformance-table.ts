/**
 * One table of SCIM requests that every recipe in examples/ answers, with what the reference
 * (examples/http-server.ts on node:http) must answer. The table is a sequence: later requests use
 * the ids earlier ones created, and each recipe starts empty, so every recipe sees the same state.
 */

/** The tenants every recipe serves; acme has a User extension of its own. */
export const ACME_EXTENSION = 'urn:example:params:scim:schemas:extension:acme:2.0:User';
export const TENANTS = {
  tenants: [
    {
      id: 'acme',
      token: 'acme-token',
      permissions: { maxUsers: 10 },
      extensions: [
        {
          resourceType: 'User',
          schema: {
            id: ACME_EXTENSION,
            name: 'AcmeUser',
            attributes: [
              {
                name: 'badge',
                type: 'string',
                multiValued: false,
                required: false,
                caseExact: false,
                mutability: 'readWrite',
                returned: 'default',
                uniqueness: 'none',
              },
              {
                name: 'level',
                type: 'integer',
                multiValued: false,
                required: false,
                caseExact: false,
                mutability: 'readWrite',
                returned: 'default',
                uniqueness: 'none',
              },
            ],
          },
        },
      ],
    },
    { id: 'globex', token: 'globex-token', isolationLevel: 'strict', permissions: { canDelete: false } },
  ],
};

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const SEARCH = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';
const BULK = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';

/** One request of the table. `{name}` in a path or body is a value an earlier step captured. */
export interface Step {
  name: string;
  /** Whose token is sent: a tenant's, or none. */
  as: 'acme' | 'globex' | 'none';
  method: string;
  /** Path and query under the origin, as sent on the wire. */
  path: string;
  /** A JSON value (sent as JSON text) or raw text. */
  body?: unknown;
  /** Content-Type of the body; `application/scim+json` unless given, none when null. */
  contentType?: string | null;
  headers?: Record<string, string>;
  /** What the reference must answer. */
  status: number;
  /** Captures the response's `id` under this name. */
  capture?: string;
}

const patch = (...operations: unknown[]) => ({ schemas: [PATCH_OP], Operations: operations });

export const TABLE: readonly Step[] = [
  { name: 'service provider config', as: 'acme', method: 'GET', path: '/scim/v2/ServiceProviderConfig', status: 200 },
  { name: 'schemas, with the tenant extension', as: 'acme', method: 'GET', path: '/scim/v2/Schemas', status: 200 },
  { name: 'one resource type', as: 'acme', method: 'GET', path: '/scim/v2/ResourceTypes/User', status: 200 },
  { name: 'no token', as: 'none', method: 'GET', path: '/scim/v2/Users', status: 401 },
  {
    name: 'create with application/scim+json, enterprise and tenant extension',
    as: 'acme',
    method: 'POST',
    path: '/scim/v2/Users',
    body: {
      schemas: [USER, ENTERPRISE, ACME_EXTENSION],
      userName: 'bjensen',
      name: { givenName: 'Barbara', familyName: 'Jensen' },
      emails: [{ value: 'bjensen@example.com', type: 'work', primary: true }],
      [ENTERPRISE]: { employeeNumber: '701984', department: 'Tour Operations' },
      [ACME_EXTENSION]: { badge: 'B-17', level: 3 },
    },
    status: 201,
    capture: 'bjensen',
  },
  {
    name: 'create with application/json, as Okta sends it',
    as: 'acme',
    method: 'POST',
    path: '/scim/v2/Users',
    contentType: 'application/json; charset=utf-8',
    // The password is hashed on the recipe's runtime (Web Crypto PBKDF2; 100,000 iterations on workerd, as on Workers).
    body: { schemas: [USER], userName: 'jsmith', active: true, displayName: 'John Smith', password: 'Okta-Passw0rd' },
    status: 201,
    capture: 'jsmith',
  },
  {
    name: 'create without a Content-Type',
    as: 'acme',
    method: 'POST',
    path: '/scim/v2/Users',
    contentType: null,
    body: { schemas: [USER], userName: 'no.type' },
    status: 201,
    capture: 'noType',
  },
  { name: 'delete it again', as: 'acme', method: 'DELETE', path: '/scim/v2/Users/{noType}', status: 204 },
  { name: 'repeated parameter: the last one counts', as: 'acme', method: 'GET', path: '/scim/v2/Users?count=2&count=1&sortBy=userName', status: 200 },
  { name: 'duplicate userName', as: 'acme', method: 'POST', path: '/scim/v2/Users', body: { schemas: [USER], userName: 'BJENSEN' }, status: 409 },
  {
    name: 'malformed JSON as application/json',
    as: 'acme',
    method: 'POST',
    path: '/scim/v2/Users',
    contentType: 'application/json',
    body: '{"schemas":',
    status: 400,
  },
  { name: 'malformed JSON as application/scim+json', as: 'acme', method: 'POST', path: '/scim/v2/Users', body: '{"schemas":', status: 400 },
  { name: 'a JSON string, not an object', as: 'acme', method: 'POST', path: '/scim/v2/Users', contentType: 'application/json', body: '"bjensen"', status: 400 },
  { name: 'empty application/json body', as: 'acme', method: 'POST', path: '/scim/v2/Users', contentType: 'application/json', body: '', status: 400 },
  { name: 'unsupported media type', as: 'acme', method: 'POST', path: '/scim/v2/Users', contentType: 'text/plain', body: 'userName=x', status: 415 },
  {
    name: 'wrong type for the tenant extension',
    as: 'acme',
    method: 'POST',
    path: '/scim/v2/Users',
    body: { schemas: [USER], userName: 'x', [ACME_EXTENSION]: { level: 'high' } },
    status: 400,
  },
  { name: 'read one', as: 'acme', method: 'GET', path: '/scim/v2/Users/{bjensen}', status: 200 },
  { name: 'read one, not modified', as: 'acme', method: 'GET', path: '/scim/v2/Users/{bjensen}', headers: { 'if-none-match': 'W/"1"' }, status: 304 },
  { name: 'filter, + for spaces', as: 'acme', method: 'GET', path: '/scim/v2/Users?filter=userName+eq+%22jsmith%22', status: 200 },
  {
    name: 'filter, %20 for spaces, with attributes',
    as: 'acme',
    method: 'GET',
    path: '/scim/v2/Users?filter=userName%20eq%20%22bjensen%22&attributes=userName,emails',
    status: 200,
  },
  { name: 'sorted page', as: 'acme', method: 'GET', path: '/scim/v2/Users?sortBy=userName&sortOrder=descending&startIndex=1&count=1', status: 200 },
  { name: 'invalid filter', as: 'acme', method: 'GET', path: '/scim/v2/Users?filter=userName+eq', status: 400 },
  { name: 'excluded attributes on one', as: 'acme', method: 'GET', path: `/scim/v2/Users/{jsmith}?excludedAttributes=emails,${ENTERPRISE}`, status: 200 },
  {
    name: 'replace with application/json',
    as: 'acme',
    method: 'PUT',
    path: '/scim/v2/Users/{bjensen}',
    contentType: 'application/json',
    body: { schemas: [USER, ACME_EXTENSION], userName: 'bjensen', name: { givenName: 'Babs' }, [ACME_EXTENSION]: { badge: 'B-18', level: 4 } },
    status: 200,
  },
  {
    name: 'PATCH the way Entra ID sends it',
    as: 'acme',
    method: 'PATCH',
    path: '/scim/v2/Users/{bjensen}',
    body: patch({ op: 'Replace', value: { active: 'False', 'name.familyName': 'Jensen-Smith' } }),
    status: 200,
  },
  {
    name: 'PATCH one tenant extension attribute',
    as: 'acme',
    method: 'PATCH',
    path: '/scim/v2/Users/{bjensen}',
    contentType: 'application/json',
    body: patch({ op: 'replace', path: `${ACME_EXTENSION}:level`, value: 5 }),
    status: 200,
  },
  {
    name: 'PATCH with a stale ETag',
    as: 'acme',
    method: 'PATCH',
    path: '/scim/v2/Users/{bjensen}',
    headers: { 'if-match': 'W/"1"' },
    body: patch({ op: 'replace', path: 'title', value: 'x' }),
    status: 412,
  },
  {
    name: 'create a group with a member',
    as: 'acme',
    method: 'POST',
    path: '/scim/v2/Groups',
    body: { schemas: [GROUP], displayName: 'Tour Guides', members: [{ value: '{bjensen}' }] },
    status: 201,
    capture: 'guides',
  },
  {
    name: 'add a member',
    as: 'acme',
    method: 'PATCH',
    path: '/scim/v2/Groups/{guides}',
    body: patch({ op: 'add', path: 'members', value: [{ value: '{jsmith}' }] }),
    status: 204,
  },
  { name: 'read the group', as: 'acme', method: 'GET', path: '/scim/v2/Groups/{guides}', status: 200 },
  {
    name: 'remove a member with a value filter',
    as: 'acme',
    method: 'PATCH',
    path: '/scim/v2/Groups/{guides}',
    body: patch({ op: 'remove', path: 'members[value eq "{jsmith}"]' }),
    status: 204,
  },
  {
    name: 'search by POST',
    as: 'acme',
    method: 'POST',
    path: '/scim/v2/Users/.search',
    body: { schemas: [SEARCH], filter: 'name.familyName sw "Jensen"', attributes: ['userName', 'name'] },
    status: 200,
  },
  {
    name: 'search across types',
    as: 'acme',
    method: 'POST',
    path: '/scim/v2/.search',
    body: { schemas: [SEARCH], sortBy: 'meta.created', count: 5 },
    status: 200,
  },
  {
    name: 'bulk',
    as: 'acme',
    method: 'POST',
    path: '/scim/v2/Bulk',
    body: {
      schemas: [BULK],
      Operations: [
        { method: 'POST', path: '/Users', bulkId: 'u1', data: { schemas: [USER], userName: 'bulk.user' } },
        { method: 'PATCH', path: '/Groups/{guides}', data: patch({ op: 'add', path: 'members', value: [{ value: 'bulkId:u1' }] }) },
      ],
    },
    status: 200,
  },
  { name: 'list groups with members', as: 'acme', method: 'GET', path: '/scim/v2/Groups?attributes=displayName,members', status: 200 },
  { name: 'another tenant sees nothing', as: 'globex', method: 'GET', path: '/scim/v2/Users', status: 200 },
  { name: 'another tenant cannot read by id', as: 'globex', method: 'GET', path: '/scim/v2/Users/{jsmith}', status: 404 },
  { name: 'another tenant has no acme schema', as: 'globex', method: 'GET', path: `/scim/v2/Schemas/${ACME_EXTENSION}`, status: 404 },
  {
    name: 'globex creates',
    as: 'globex',
    method: 'POST',
    path: '/scim/v2/Users',
    body: { schemas: [USER], userName: 'bjensen' },
    status: 201,
    capture: 'globexUser',
  },
  { name: 'globex may not delete', as: 'globex', method: 'DELETE', path: '/scim/v2/Users/{globexUser}', status: 403 },
  { name: 'delete', as: 'acme', method: 'DELETE', path: '/scim/v2/Users/{jsmith}', status: 204 },
  { name: 'deleted is gone', as: 'acme', method: 'GET', path: '/scim/v2/Users/{jsmith}', status: 404 },
  { name: 'no such endpoint under the base', as: 'acme', method: 'GET', path: '/scim/v2/Widgets', status: 404 },
  { name: 'method not allowed on a collection', as: 'acme', method: 'PUT', path: '/scim/v2/Users', body: { schemas: [USER], userName: 'x' }, status: 405 },
  { name: 'final state', as: 'acme', method: 'GET', path: '/scim/v2/Users?sortBy=userName', status: 200 },
];

/** A request on the wire: what a transport sends. */
export interface WireRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** A response as it came off the wire: status, headers with lower-case names, body text. */
export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The Host every request carries, so that absolute URLs do not depend on the port a recipe got. */
export const HOST = 'scim.example.test';

/**
 * Headers a platform's HTTP stack adds or frames differently, which say nothing about SCIM: the
 * body is compared byte for byte, so its length is compared too.
 */
export const TRANSPORT_HEADERS: ReadonlySet<string> = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);

const TOKENS = { acme: 'acme-token', globex: 'globex-token', none: undefined } as const;

function fill(text: string, captured: Map<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => captured.get(name) ?? whole);
}

/** The wire request for a step, with captured ids filled in. */
export function wireRequest(step: Step, index: number, captured: Map<string, string>): WireRequest {
  const token = TOKENS[step.as];
  const body = step.body === undefined ? undefined : fill(typeof step.body === 'string' ? step.body : JSON.stringify(step.body), captured);
  return {
    method: step.method,
    path: fill(step.path, captured),
    headers: {
      host: HOST,
      'x-request-id': `conformance-${index + 1}`,
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined && step.contentType !== null ? { 'content-type': step.contentType ?? 'application/scim+json' } : {}),
      ...(step.headers ?? {}),
    },
    ...(body !== undefined ? { body } : {}),
  };
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const TIMESTAMP = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z/g;

/**
 * A response with what differs between any two runs replaced: resource ids (random UUIDs the
 * server generates) by `<id-n>`, numbered in order of first appearance in the run so that equal ids
 * stay equal, and timestamps (`meta.created`, `meta.lastModified`) by `<time>`. Transport headers
 * are left out.
 */
export function normalise(response: WireResponse, ids: Map<string, string>): WireResponse {
  const replace = (text: string) =>
    text
      .replace(UUID, (id) => {
        if (!ids.has(id)) ids.set(id, `<id-${ids.size + 1}>`);
        return ids.get(id) as string;
      })
      .replace(TIMESTAMP, '<time>');
  const headers: Record<string, string> = {};
  for (const name of Object.keys(response.headers).sort()) {
    if (!TRANSPORT_HEADERS.has(name)) headers[name] = replace(response.headers[name] as string);
  }
  return { status: response.status, headers, body: replace(response.body) };
}

/** Runs the table through `send`, returning each normalised response in order. */
export async function runTable(send: (request: WireRequest) => Promise<WireResponse>): Promise<WireResponse[]> {
  const captured = new Map<string, string>();
  const ids = new Map<string, string>();
  const out: WireResponse[] = [];
  for (const [index, step] of TABLE.entries()) {
    const response = await send(wireRequest(step, index, captured));
    if (step.capture && response.status < 300) {
      const id = (JSON.parse(response.body) as { id?: unknown }).id;
      if (typeof id === 'string') captured.set(step.capture, id);
    }
    out.push(normalise(response, ids));
  }
  return out;
}
