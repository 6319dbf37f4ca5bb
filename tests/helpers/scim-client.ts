import { ScimServer, StaticTenantResolver, type ScimResponse, type ScimServerOptions, type TenantDefinition } from '../../src/index.js';

export type Body = Record<string, unknown>;

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const SEARCH = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';
export const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** A server with tenants `a`, `b` (token `token-a`, `token-b`, ...) and a small client bound to one tenant. */
export function testServer(
  tenants: TenantDefinition[] = [
    { id: 'a', token: 'token-a', isolationLevel: 'strict' },
    { id: 'b', token: 'token-b', isolationLevel: 'standard' },
    { id: 'c', token: 'token-c', isolationLevel: 'shared' },
  ],
  options: Partial<ScimServerOptions> = {},
): { server: ScimServer; as: (tenant: string) => Client; resolver: StaticTenantResolver } {
  const resolver = new StaticTenantResolver(tenants);
  const server = new ScimServer({ tenantResolver: resolver, ...options });
  const tokens = Object.fromEntries(tenants.map((t) => [t.id, t.token as string]));
  return { server, resolver, as: (tenant) => new Client(server, tokens[tenant] as string) };
}

export class Client {
  constructor(
    readonly server: ScimServer,
    readonly token: string,
    readonly base = '/scim/v2',
  ) {}

  request(
    method: string,
    path: string,
    body?: unknown,
    extra: { query?: Record<string, string> | string; headers?: Record<string, string> } = {},
  ): Promise<ScimResponse> {
    return this.server.handle({
      method,
      path: `${this.base}${path}`,
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/scim+json', ...(extra.headers ?? {}) },
      ...(extra.query !== undefined ? { query: extra.query } : {}),
      ...(body !== undefined ? { body } : {}),
    });
  }

  get(path: string, query?: Record<string, string> | string, headers?: Record<string, string>): Promise<ScimResponse> {
    return this.request('GET', path, undefined, { ...(query !== undefined ? { query } : {}), ...(headers ? { headers } : {}) });
  }
  post(path: string, body: unknown, query?: Record<string, string>): Promise<ScimResponse> {
    return this.request('POST', path, body, query ? { query } : {});
  }
  put(path: string, body: unknown, headers?: Record<string, string>): Promise<ScimResponse> {
    return this.request('PUT', path, body, headers ? { headers } : {});
  }
  patch(path: string, operations: unknown[], headers?: Record<string, string>, query?: Record<string, string>): Promise<ScimResponse> {
    return this.request('PATCH', path, { schemas: [PATCH_OP], Operations: operations }, { ...(headers ? { headers } : {}), ...(query ? { query } : {}) });
  }
  delete(path: string, headers?: Record<string, string>): Promise<ScimResponse> {
    return this.request('DELETE', path, undefined, headers ? { headers } : {});
  }

  async createUser(userName: string, extra: Body = {}): Promise<Body> {
    const r = await this.post('/Users', { schemas: [USER_SCHEMA], userName, ...extra });
    if (r.status !== 201) throw new Error(`create ${userName}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body as Body;
  }

  async createGroup(displayName: string, members: string[] = [], extra: Body = {}): Promise<Body> {
    const r = await this.post('/Groups', { schemas: [GROUP_SCHEMA], displayName, members: members.map((value) => ({ value })), ...extra });
    if (r.status !== 201) throw new Error(`create group ${displayName}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body as Body;
  }
}

/** The body of an error response, checked to be SCIM Error JSON. */
export function errorOf(r: ScimResponse): { status: string; scimType?: string; detail?: string } {
  const b = r.body as Body;
  if (!Array.isArray(b?.schemas) || b.schemas[0] !== ERROR) throw new Error(`not a SCIM error: ${JSON.stringify(b)}`);
  return b as { status: string; scimType?: string; detail?: string };
}
