import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ScimOperationHandler, TenantContext } from '../server/index.js';
import { registerDiscoveryResources } from './discovery-resources.js';
import { discoveryTools } from './discovery-tools.js';
import { hasActiveFlag, lifecycleTools } from './lifecycle-tools.js';
import { memberTools } from './member-tools.js';
import { getTool, searchTool } from './read-tools.js';
import { resourceTypeTools } from './resource-type-tools.js';
import { type ActorNamer, ToolContext, defaultActor } from './tool-context.js';
import { type ToolDefinition, isReadOnly } from './tool-definition.js';
import { createTool, deleteTool, updateTool } from './write-tools.js';

/** Options of {@link createScimMcpServer}. */
export interface ScimMcpServerOptions {
  /**
   * The tenant the server is bound to, already resolved from a credential (`TenantResolver`): its
   * schemas shape the tools, and every call runs as it. Required: there is no default tenant.
   */
  tenant: TenantContext;
  /** Expose only the tools that read (search, get, describe); the write tools are not listed and cannot be called. Default false. */
  readOnly?: boolean;
  /** Names the actor of a tool call in audit events. Default: `<clientId> via mcp:<client name>`. */
  actor?: ActorNamer;
  /** The server's name and version as MCP clients see them. Default `scim-server`. */
  serverInfo?: { name: string; version: string };
  /** Told of failures inside a tool that are not SCIM errors (the client gets a bare 500 tool error). Default: stderr. */
  onError?: (error: unknown) => void;
  /**
   * The tenant as its credential resolves now, asked before each call so that a revoked token or a
   * changed permission counts at once: null refuses the call with 401, and another tenant id too.
   * Without it (and without a transport that resolves each request, as {@link ScimMcpHttpHandler}
   * does), calls run as `tenant` was given.
   */
  currentTenant?: () => Promise<TenantContext | null>;
}

const OPTION_KEYS: ReadonlySet<string> = new Set(['tenant', 'readOnly', 'actor', 'serverInfo', 'onError', 'currentTenant']);

function checkOptions(options: ScimMcpServerOptions): void {
  if (typeof options !== 'object' || options === null) throw new TypeError('createScimMcpServer needs options with a tenant');
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.has(key)) throw new TypeError(`createScimMcpServer: unknown option ${key}`);
  }
  const tenant = options.tenant as TenantContext | undefined;
  if (typeof tenant !== 'object' || tenant === null || typeof tenant.tenantId !== 'string' || tenant.tenantId === '') {
    throw new TypeError('createScimMcpServer: option tenant must be a resolved TenantContext');
  }
  if (options.readOnly !== undefined && typeof options.readOnly !== 'boolean') throw new TypeError('createScimMcpServer: option readOnly must be a boolean');
  for (const key of ['actor', 'onError', 'currentTenant'] as const) {
    if (options[key] !== undefined && typeof options[key] !== 'function') throw new TypeError(`createScimMcpServer: option ${key} must be a function`);
  }
}

/** Every tool of the tenant: per resource type it sees, then the discovery tools. */
function toolsOf(operations: ScimOperationHandler, context: ToolContext): ToolDefinition[] {
  const tenantId = context.tenant.tenantId;
  const tools: ToolDefinition[] = [];
  for (const type of operations.schemas.resourceTypes(tenantId)) {
    const schema = operations.schemas.resourceSchema(tenantId, type.name);
    if (!schema) continue;
    const t = resourceTypeTools(context, schema);
    tools.push(searchTool(t), getTool(t), createTool(t), updateTool(t));
    if (hasActiveFlag(t)) tools.push(...lifecycleTools(t));
    tools.push(...memberTools(t), deleteTool(t));
  }
  tools.push(...discoveryTools(context));
  return tools;
}

function instructions(tenant: TenantContext, readOnly: boolean): string {
  return [
    `The SCIM 2.0 directory of one organisation (tenant ${tenant.tenantId}): its users and groups as its identity provider provisions them.`,
    'Find resources with the search tools and SCIM filters (userName eq "bjensen"); change them with the create, update, deactivate and member tools.',
    readOnly ? 'This server is read-only.' : "Every change is checked against the tenant's permissions and quotas and recorded in its audit trail.",
    'A refusal or an invalid request is a tool error with the SCIM status, scimType and detail.',
  ].join(' ');
}

/**
 * An MCP server (of the official SDK) whose tools are one tenant's SCIM directory: search, get,
 * create, update (SCIM PATCH), deactivate and reactivate, delete, add and remove members, and the
 * discovery documents, with input schemas from the tenant's own SCIM schemas (its extensions
 * included) and the schemas, resource types and service provider configuration as resources.
 *
 * Every tool call goes through `operations.handle()` as the tenant: permissions (read-only and
 * expiry included), quotas, rate limits, preconditions and the audit trail apply exactly as they do
 * over HTTP, with the MCP client as the actor. A SCIM error is a tool result with `isError`.
 *
 * Connect it to any transport of the SDK; {@link ScimMcpHttpHandler} serves many tenants over
 * Streamable HTTP and {@link connectScimMcpStdio} one over stdio.
 *
 * @throws TypeError for a missing tenant or an unknown option.
 */
export function createScimMcpServer(operations: ScimOperationHandler, options: ScimMcpServerOptions): McpServer {
  checkOptions(options);
  const readOnly = options.readOnly ?? false;
  const server = new McpServer(options.serverInfo ?? { name: 'scim-server', version: '1' }, {
    instructions: instructions(options.tenant, readOnly),
  });
  const context = new ToolContext({
    operations,
    tenant: options.tenant,
    server,
    actor: options.actor ?? defaultActor,
    onError: options.onError,
    currentTenant: options.currentTenant,
  });
  for (const tool of toolsOf(operations, context)) {
    if (readOnly && !isReadOnly(tool)) continue;
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: tool.input,
        outputSchema: tool.output,
        annotations: { title: tool.title, ...tool.annotations },
      },
      (args, extra) => context.guard(() => tool.run(args as Record<string, unknown>, extra)),
    );
  }
  registerDiscoveryResources(server, context);
  return server;
}
