import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { bearerToken, lowerHeaders, type ScimOperationHandler, type TenantContext, type TenantResolver, type TenantResolverFunction } from '../server/index.js';
import { checkHttpOptions, type ScimMcpHttpOptions } from './http-options.js';
import { SESSION_NOT_FOUND, TRANSPORT_ERROR, jsonRpcErrorResponse } from './json-rpc-response.js';
import { McpSessions } from './mcp-sessions.js';
import { serveNode } from './node-bridge.js';
import { createScimMcpServer } from './scim-mcp-server.js';
import { TENANT_KEY, reportMcpError } from './tool-context.js';

/** What a request's credential hands to the tools: the tenant it resolved, never the secret. */
function authInfoOf(tenant: TenantContext): AuthInfo {
  return { token: '', clientId: tenant.clientId ?? tenant.tenantId, scopes: [], extra: { [TENANT_KEY]: tenant } };
}

/**
 * Many tenants' MCP servers over Streamable HTTP, behind the same `TenantResolver` as SCIM.
 *
 * Every request is authenticated before anything else is read: its bearer token resolves the tenant
 * (a missing or unknown token is a 401, before any body is read and before any tool can run). A
 * session is bound to the tenant whose credential opened it; a session id presented with another
 * tenant's credential is answered like an unknown one (404), so tenant A's token never reaches
 * tenant B's directory, whatever the session id or the tool arguments say. Each request's own
 * tenant context reaches the tools, so a permission changed or a token revoked takes effect at once.
 *
 * `fetch(request)` serves the Fetch API (Node 20+, Deno, Bun, Hono, Next.js route handlers);
 * `node(req, res)` serves `node:http`.
 */
export class ScimMcpHttpHandler {
  private readonly resolver: TenantResolver;
  private readonly sessions: McpSessions;
  private readonly options: ScimMcpHttpOptions;

  /**
   * @param operations - the operation handler every tool call goes through (`scim.operations` to share a `ScimServer`'s).
   * @param options - the tenant resolver, and the limits and tool options.
   * @throws TypeError naming the key for a missing resolver, an unknown option or a wrong value.
   */
  constructor(
    readonly operations: ScimOperationHandler,
    options: ScimMcpHttpOptions,
  ) {
    checkHttpOptions(options);
    this.options = options;
    const r: TenantResolver | TenantResolverFunction = options.tenantResolver;
    this.resolver = typeof r === 'function' ? { resolve: async (input) => r(input) } : r;
    this.sessions = new McpSessions({
      maxSessions: options.maxSessions ?? 1000,
      maxSessionsPerTenant: options.maxSessionsPerTenant ?? 20,
      idleTimeoutMs: options.sessionIdleTimeoutMs ?? 30 * 60_000,
    });
  }

  /** How many MCP sessions are open. */
  get sessionCount(): number {
    return this.sessions.size;
  }

  /** Answers one MCP request of the Fetch API. */
  readonly fetch = async (request: Request): Promise<Response> => {
    const origin = request.headers.get('origin');
    if (origin !== null && !this.originAllowed(origin)) return jsonRpcErrorResponse(403, TRANSPORT_ERROR, 'Forbidden: this Origin may not use the MCP server');
    let tenant: TenantContext | null;
    try {
      tenant = await this.authenticate(request);
    } catch (error) {
      (this.options.onError ?? reportMcpError)(error);
      return jsonRpcErrorResponse(500, TRANSPORT_ERROR, 'Internal server error');
    }
    if (!tenant) return this.unauthenticated();
    const sessionId = request.headers.get('mcp-session-id');
    if (sessionId !== null) {
      const session = this.sessions.use(sessionId);
      if (!session || session.tenantId !== tenant.tenantId) return jsonRpcErrorResponse(404, SESSION_NOT_FOUND, 'Session not found');
      return session.transport.handleRequest(request, { authInfo: authInfoOf(tenant) });
    }
    if (request.method !== 'POST') return jsonRpcErrorResponse(400, TRANSPORT_ERROR, 'Bad Request: no valid session id; initialize first');
    return this.open(request, tenant);
  };

  /** Answers one MCP request of `node:http`. */
  readonly node = (req: IncomingMessage, res: ServerResponse): Promise<void> => serveNode(req, res, this.fetch);

  /** Closes every session (for example on shutdown). */
  async close(): Promise<void> {
    await this.sessions.closeAll();
  }

  /** The tenant the request's credential names, with the SCIM base URL its resources point to; null for none. */
  private async authenticate(request: Request): Promise<TenantContext | null> {
    const raw: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      raw[name] = value;
    });
    const headers = lowerHeaders(raw);
    const token = bearerToken(headers.authorization);
    const configured = this.options.scimBaseUrl;
    const baseUrl = typeof configured === 'string' ? configured : '';
    const requestId = globalThis.crypto.randomUUID();
    const resolved = await this.resolver.resolve({
      ...(token !== undefined ? { token } : {}),
      headers,
      path: new URL(request.url).pathname,
      baseUrl,
      requestId,
    });
    if (!resolved) {
      // On the operator's trail: the URL of an MCP endpoint names no tenant.
      this.operations.auditAuthenticationRefusal({ requestId, reason: token === undefined ? 'noCredential' : 'invalidCredential' });
      return null;
    }
    return { ...resolved, baseUrl: typeof configured === 'function' ? configured(resolved) : resolved.baseUrl || baseUrl };
  }

  /** Opens a session for an initialize request, bound to its tenant. */
  private async open(request: Request, tenant: TenantContext): Promise<Response> {
    if (!this.sessions.hasRoom(tenant.tenantId))
      return jsonRpcErrorResponse(503, TRANSPORT_ERROR, 'Too many MCP sessions; try again later', { 'Retry-After': '60' });
    const { readOnly, actor, serverInfo, onError } = this.options;
    const server = createScimMcpServer(this.operations, {
      tenant,
      readOnly: typeof readOnly === 'function' ? readOnly(tenant) : (readOnly ?? false),
      ...(actor ? { actor } : {}),
      ...(serverInfo ? { serverInfo } : {}),
      ...(onError ? { onError } : {}),
    });
    const transport: WebStandardStreamableHTTPServerTransport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => globalThis.crypto.randomUUID(),
      onsessioninitialized: (id) => this.sessions.add({ id, tenantId: tenant.tenantId, server, transport, lastUsed: Date.now() }),
      onsessionclosed: (id) => this.sessions.remove(id),
      maxRequestBodySize: this.options.maxBodyBytes ?? this.operations.maxPayloadBytes,
    });
    transport.onclose = () => {
      if (transport.sessionId !== undefined) this.sessions.remove(transport.sessionId);
    };
    await server.connect(transport);
    const response = await transport.handleRequest(request, { authInfo: authInfoOf(tenant) });
    // Anything but an initialize request leaves no session: the server made for it goes.
    if (transport.sessionId === undefined) await server.close();
    return response;
  }

  private originAllowed(origin: string): boolean {
    const allowed = this.options.allowedOrigins;
    return allowed === '*' || (allowed ?? []).includes(origin);
  }

  private unauthenticated(): Response {
    const metadata = this.options.resourceMetadataUrl;
    const challenge = `Bearer realm="mcp"${metadata ? `, resource_metadata="${metadata}"` : ''}`;
    return jsonRpcErrorResponse(401, TRANSPORT_ERROR, 'Authentication required: a valid bearer token for this tenant', { 'WWW-Authenticate': challenge });
  }
}
