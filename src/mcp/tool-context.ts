import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { ScimError, type ScimOperationHandler, type ScimOperationRequest, type ScimOperationResponse, type TenantContext } from '../server/index.js';
import { scimErrorResult } from './tool-result.js';

/** The key under which a transport hands each request's freshly resolved tenant to the tools (`authInfo.extra`). */
export const TENANT_KEY = 'scimTenant';

/** What the audit actor of a tool call is made from. */
export interface ToolCallActor {
  /** The tenant the call runs for, as its credential resolved it. */
  readonly tenant: TenantContext;
  /** The MCP client, as it named itself when it connected (`clientInfo`); self-declared, so never the only name. */
  readonly client?: { readonly name: string; readonly version: string };
  /** The tool called. */
  readonly tool: string;
}

/** Names the actor of a tool call in audit events. */
export type ActorNamer = (call: ToolCallActor) => string;

/**
 * The default actor: the MCP client as it named itself, beside the credential's client id, which
 * is what authenticated the call: `acme-okta via mcp:claude-code`, or `mcp:claude-code`.
 */
export const defaultActor: ActorNamer = ({ tenant, client }) => {
  const mcp = `mcp:${client?.name ?? 'unknown-client'}`;
  return tenant.clientId !== undefined ? `${tenant.clientId} via ${mcp}` : mcp;
};

/** What a tool callback receives besides its arguments: the transport's authentication, if any. */
export interface ToolExtra {
  readonly authInfo?: { readonly extra?: Record<string, unknown> };
}

/** One tenant's tools: runs their operations through the handler as that tenant, with the MCP client as the actor. */
export class ToolContext {
  /**
   * @param operations - the operation handler every call goes through.
   * @param tenant - the tenant the server is bound to.
   * @param server - the MCP server, for the client's name.
   * @param actor - names the actor of each call.
   * @param onError - told of failures that are not SCIM errors.
   */
  constructor(
    readonly operations: ScimOperationHandler,
    readonly tenant: TenantContext,
    private readonly server: McpServer,
    private readonly actor: ActorNamer,
    private readonly onError: ((error: unknown) => void) | undefined,
  ) {}

  /**
   * The tenant a call runs for: the one its own request's credential resolved (so a permission
   * changed or a token revoked since the session began counts), which must be the tenant the
   * server is bound to; else the bound tenant.
   *
   * @throws ScimError 401 when a transport hands over another tenant.
   */
  tenantOf(extra: ToolExtra | undefined): TenantContext {
    const fresh = extra?.authInfo?.extra?.[TENANT_KEY] as TenantContext | undefined;
    if (fresh === undefined) return this.tenant;
    if (typeof fresh !== 'object' || fresh === null || fresh.tenantId !== this.tenant.tenantId) {
      throw new ScimError(401, 'This session belongs to another tenant');
    }
    return fresh;
  }

  /** Runs one operation for a tool call. */
  async run(tool: string, extra: ToolExtra | undefined, request: Omit<ScimOperationRequest, 'tenant' | 'actor'>): Promise<ScimOperationResponse> {
    const tenant = this.tenantOf(extra);
    const client = this.server.server.getClientVersion();
    const actor = this.actor({ tenant, tool, ...(client ? { client: { name: client.name, version: client.version } } : {}) });
    return this.operations.handle({ ...request, tenant, actor });
  }

  /** Runs a tool's body; a failure that is not a SCIM answer becomes a bare 500 tool error that reveals nothing. */
  async guard(body: () => Promise<CallToolResult>): Promise<CallToolResult> {
    try {
      return await body();
    } catch (error) {
      const scim = error instanceof ScimError ? error : undefined;
      if (!scim) this.onError?.(error);
      const answer = scim ?? new ScimError(500, 'Internal server error');
      return scimErrorResult({ kind: 'error', status: answer.status, error: answer });
    }
  }
}
