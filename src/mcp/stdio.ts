import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ScimError, type ScimOperationHandler, type TenantContext, type TenantResolver, type TenantResolverFunction } from '../server/index.js';
import { type ScimMcpServerOptions, createScimMcpServer } from './scim-mcp-server.js';

/** Options of {@link connectScimMcpStdio}. */
export interface ScimMcpStdioOptions extends Omit<ScimMcpServerOptions, 'tenant' | 'currentTenant'> {
  /** Resolves the token to its tenant: the same resolver as the `ScimServer`. */
  tenantResolver: TenantResolver | TenantResolverFunction;
  /** The bearer token of the one tenant this server serves (for example `$SCIM_TENANT_TOKEN`). */
  token: string | undefined;
  /** The SCIM base URL that `meta.location` and `$ref` in tool results start with. */
  scimBaseUrl?: string;
  /** The transport to connect; default the SDK's stdio transport on this process's stdin and stdout. */
  transport?: Transport;
}

/**
 * Resolves the token's tenant, then serves that one tenant's MCP server over stdio (or the given
 * transport): the way an MCP host launches a local server. A missing or unknown token is refused
 * before anything is served.
 *
 * @returns the connected server; `close()` it to stop.
 * @throws ScimError 401 when the token is missing or names no tenant.
 */
export async function connectScimMcpStdio(operations: ScimOperationHandler, options: ScimMcpStdioOptions): Promise<McpServer> {
  const { tenantResolver, token, scimBaseUrl, transport, ...serverOptions } = options;
  if (typeof token !== 'string' || token.trim() === '') {
    operations.auditAuthenticationRefusal({ requestId: globalThis.crypto.randomUUID(), reason: 'noCredential' });
    throw new ScimError(401, 'A tenant token is required (SCIM_TENANT_TOKEN)');
  }
  const resolver: TenantResolver = typeof tenantResolver === 'function' ? { resolve: async (input) => tenantResolver(input) } : tenantResolver;
  const baseUrl = scimBaseUrl ?? '';
  const bearer = token.trim();
  // Resolved at start, and again before each call: a token revoked or a permission changed while
  // the process runs counts at once, as it does over HTTP.
  const resolve = async (): Promise<TenantContext | null> => {
    const resolved = await resolver.resolve({
      token: bearer,
      headers: { authorization: `Bearer ${bearer}` },
      path: '',
      baseUrl,
      requestId: globalThis.crypto.randomUUID(),
    });
    return resolved ? { ...resolved, baseUrl: resolved.baseUrl || baseUrl } : null;
  };
  const tenant = await resolve();
  if (!tenant) {
    // On the operator's trail: a token that names no tenant names no trail of its own.
    operations.auditAuthenticationRefusal({ requestId: globalThis.crypto.randomUUID(), reason: 'invalidCredential' });
    throw new ScimError(401, 'The tenant token names no tenant');
  }
  const server = createScimMcpServer(operations, { ...serverOptions, tenant, currentTenant: resolve });
  const { StdioServerTransport } = await import('@modelcontextprotocol/sdk/server/stdio.js');
  await server.connect(transport ?? new StdioServerTransport());
  return server;
}
