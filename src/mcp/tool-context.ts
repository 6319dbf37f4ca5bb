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

/** Where MCP failures go when no `onError` is given: stderr, so that none goes unseen. */
export function reportMcpError(error: unknown): void {
  console.error('scim-server/mcp: an MCP request failed:', error);
}

/** What a tool callback receives besides its arguments: the transport's authentication, if any. */
export interface ToolExtra {
  readonly authInfo?: { readonly extra?: Record<string, unknown> };
}

/** What a {@link ToolContext} needs. */
export interface ToolContextOptions {
  /** The operation handler every call goes through. */
  readonly operations: ScimOperationHandler;
  /** The tenant the server is bound to. */
  readonly tenant: TenantContext;
  /** The MCP server, for the client's name. */
  readonly server: McpServer;
  /** Names the actor of each call. */
  readonly actor: ActorNamer;
  /** Told of failures that are not SCIM errors. */
  readonly onError?: ((error: unknown) => void) | undefined;
  /** The bound tenant as its credential resolves now, or null once it no longer does. */
  readonly currentTenant?: (() => Promise<TenantContext | null>) | undefined;
}

/** One tenant's tools: runs their operations through the handler as that tenant, with the MCP client as the actor. */
export class ToolContext {
  readonly operations: ScimOperationHandler;
  readonly tenant: TenantContext;

  /** @param options - the handler, the bound tenant, the server and how calls are attributed. */
  constructor(private readonly options: ToolContextOptions) {
    this.operations = options.operations;
    this.tenant = options.tenant;
  }

  /**
   * The tenant a call runs for, as its credential resolves at this call (so a permission changed or
   * a token revoked since the session began counts): the tenant a transport resolved for the call's
   * own request, else the bound tenant resolved again, else the bound tenant as it was.
   *
   * @throws ScimError 401 when the credential no longer resolves, or names another tenant.
   */
  async tenantOf(extra: ToolExtra | undefined): Promise<TenantContext> {
    const fromRequest = extra?.authInfo?.extra?.[TENANT_KEY] as TenantContext | undefined;
    const current = fromRequest ?? (this.options.currentTenant ? await this.options.currentTenant() : this.tenant);
    if (typeof current !== 'object' || current === null) throw this.refuse('invalidCredential', 'The credential of this session is no longer valid');
    if (current.tenantId !== this.tenant.tenantId) throw this.refuse('tenantMismatch', 'This session belongs to another tenant');
    return current;
  }

  /** A 401 for a call whose credential no longer holds, recorded in the bound tenant's audit trail. */
  private refuse(reason: 'invalidCredential' | 'tenantMismatch', detail: string): ScimError {
    this.operations.auditAuthenticationRefusal({ tenantId: this.tenant.tenantId, requestId: globalThis.crypto.randomUUID(), reason });
    return new ScimError(401, detail);
  }

  /** Runs one operation for a tool call. */
  async run(tool: string, extra: ToolExtra | undefined, request: Omit<ScimOperationRequest, 'tenant' | 'actor'>): Promise<ScimOperationResponse> {
    const tenant = await this.tenantOf(extra);
    const client = this.options.server.server.getClientVersion();
    const actor = this.options.actor({ tenant, tool, ...(client ? { client: { name: client.name, version: client.version } } : {}) });
    return this.operations.handle({ ...request, tenant, actor });
  }

  /** Runs a tool's body; a failure that is not a SCIM answer becomes a bare 500 tool error that reveals nothing. */
  async guard(body: () => Promise<CallToolResult>): Promise<CallToolResult> {
    try {
      return await body();
    } catch (error) {
      const scim = error instanceof ScimError ? error : undefined;
      if (!scim) (this.options.onError ?? reportMcpError)(error);
      const answer = scim ?? new ScimError(500, 'Internal server error');
      return scimErrorResult({ kind: 'error', status: answer.status, error: answer });
    }
  }
}
