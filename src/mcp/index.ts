/**
 * Model Context Protocol: every tenant's SCIM directory as tools for AI agents, over the official
 * SDK (`@modelcontextprotocol/sdk`, an optional peer dependency, with `zod`).
 *
 * - {@link createScimMcpServer}: one tenant's `McpServer`, its tools shaped by the tenant's own
 *   schemas, every call checked, limited and audited by the `ScimOperationHandler`.
 * - {@link ScimMcpHttpHandler}: many tenants over Streamable HTTP, each request's bearer token
 *   resolved by the same `TenantResolver` as SCIM, sessions bound to their tenant.
 * - {@link connectScimMcpStdio}: the one tenant of a token, over stdio.
 *
 * See docs/mcp.md.
 *
 * @packageDocumentation
 * @module scim-server/mcp
 */
export { createScimMcpServer } from './scim-mcp-server.js';
export type { ScimMcpServerOptions } from './scim-mcp-server.js';
export { ScimMcpHttpHandler } from './http-handler.js';
export type { ScimMcpHttpOptions } from './http-options.js';
export { connectScimMcpStdio } from './stdio.js';
export type { ScimMcpStdioOptions } from './stdio.js';
export { defaultActor } from './tool-context.js';
export type { ActorNamer, ToolCallActor } from './tool-context.js';
export type { ScimToolError } from './tool-result.js';
export { RESOURCE_URIS } from './discovery-resources.js';
export { MAX_MEMBERS_PER_CALL } from './member-tools.js';
