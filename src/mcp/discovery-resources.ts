import { type McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { McpError, type ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import type { ScimOperationRequest, ScimOperationResponse } from '../server/index.js';
import type { ToolContext, ToolExtra } from './tool-context.js';

/** The media type of the resources: SCIM JSON (RFC 7644 §8.1). */
const MEDIA_TYPE = 'application/scim+json';
/** JSON-RPC error code the MCP specification gives to a resource that does not exist. */
const RESOURCE_NOT_FOUND = -32002;
/** JSON-RPC "invalid request": what any other refusal (an expired tenant) is. */
const INVALID_REQUEST = -32600;

/** The URIs of the discovery documents: `scim://schemas/{id}`, `scim://resource-types/{name}`, `scim://service-provider-config`. */
export const RESOURCE_URIS = {
  schema: (id: string): string => `scim://schemas/${id}`,
  resourceType: (name: string): string => `scim://resource-types/${name}`,
  serviceProviderConfig: 'scim://service-provider-config',
} as const;

type Discovery = Omit<ScimOperationRequest, 'tenant' | 'actor'>;

/** Runs a discovery operation for a resource read; a SCIM error becomes an MCP error carrying its status. */
async function discover(context: ToolContext, extra: ToolExtra, request: Discovery): Promise<ScimOperationResponse> {
  const response = await context.run('resources/read', extra, request);
  if (response.kind !== 'error') return response;
  const { status, error } = response;
  throw new McpError(status === 404 ? RESOURCE_NOT_FOUND : INVALID_REQUEST, error.detail, { status, ...(error.scimType ? { scimType: error.scimType } : {}) });
}

function documents(response: ScimOperationResponse): Record<string, unknown>[] {
  if (response.kind === 'list') return response.list.Resources.map((r) => ({ ...r }));
  if (response.kind === 'resource') return [response.resource];
  return [];
}

function contents(uri: URL, response: ScimOperationResponse): ReadResourceResult {
  const [doc] = documents(response);
  return { contents: [{ uri: uri.href, mimeType: MEDIA_TYPE, text: JSON.stringify(doc ?? {}) }] };
}

/** A variable of a resource URI, percent-decoded when a client encoded it. */
function variable(value: string | string[] | undefined): string {
  const text = Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * The tenant's schemas, resource types and service provider configuration as MCP resources. Listing
 * and reading go through the operation handler, so they show the tenant's own extensions and answer
 * its expiry like the SCIM discovery endpoints do.
 */
export function registerDiscoveryResources(server: McpServer, context: ToolContext): void {
  const schemas = new ResourceTemplate('scim://schemas/{id}', {
    list: async (extra) => ({
      resources: documents(await discover(context, extra, { operation: 'getSchemas' })).map((s) => ({
        uri: RESOURCE_URIS.schema(String(s.id)),
        name: String(s.name ?? s.id),
        description: `SCIM schema ${String(s.id)}`,
        mimeType: MEDIA_TYPE,
      })),
    }),
  });
  server.registerResource('schema', schemas, { title: 'SCIM schema', mimeType: MEDIA_TYPE }, async (uri, vars, extra) =>
    contents(uri, await discover(context, extra, { operation: 'getSchemas', id: variable(vars.id) })),
  );
  const types = new ResourceTemplate('scim://resource-types/{name}', {
    list: async (extra) => ({
      resources: documents(await discover(context, extra, { operation: 'getResourceTypes' })).map((rt) => ({
        uri: RESOURCE_URIS.resourceType(String(rt.name)),
        name: String(rt.name),
        description: `SCIM resource type ${String(rt.name)} at ${String(rt.endpoint)}`,
        mimeType: MEDIA_TYPE,
      })),
    }),
  });
  server.registerResource('resource-type', types, { title: 'SCIM resource type', mimeType: MEDIA_TYPE }, async (uri, vars, extra) =>
    contents(uri, await discover(context, extra, { operation: 'getResourceTypes', id: variable(vars.name) })),
  );
  server.registerResource(
    'service-provider-config',
    RESOURCE_URIS.serviceProviderConfig,
    { title: 'SCIM service provider configuration', description: 'What this directory supports, with its limits.', mimeType: MEDIA_TYPE },
    async (uri, extra) => contents(uri, await discover(context, extra, { operation: 'getServiceProviderConfig' })),
  );
}
