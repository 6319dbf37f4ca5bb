/**
 * The tenants, data and MCP client helpers the MCP scenarios share, whatever the transport.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  callbackAuditSink,
  ScimOperationHandler,
  StaticTenantResolver,
  TokenBucketRateLimiter,
  type AuditEvent,
  type SchemaDefinition,
  type TenantContext,
} from '../../src/index.js';

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const ACME_EXTENSION_URI = 'urn:example:params:scim:schemas:extension:acme:2.0:User';

/** A schema extension that only tenant acme has. */
export const ACME_EXTENSION: SchemaDefinition = {
  id: ACME_EXTENSION_URI,
  name: 'AcmeUser',
  description: 'What Acme keeps about its people.',
  attributes: [
    {
      name: 'costCenter',
      type: 'string',
      multiValued: false,
      description: 'The cost centre the person is billed to.',
      required: false,
      caseExact: false,
      mutability: 'readWrite',
      returned: 'default',
      uniqueness: 'none',
    },
    {
      name: 'badgeNumber',
      type: 'integer',
      multiValued: false,
      required: false,
      caseExact: false,
      mutability: 'readWrite',
      returned: 'default',
      uniqueness: 'none',
    },
  ],
};

/** The bearer token of each tenant. */
export const TOKENS = {
  acme: 'mcp-token-acme',
  globex: 'mcp-token-globex',
  viewer: 'mcp-token-viewer',
  small: 'mcp-token-small',
  throttled: 'mcp-token-throttled',
  expired: 'mcp-token-expired',
} as const;

export type TenantName = keyof typeof TOKENS;

/** Every tool a tenant with Users and Groups gets, in the order they are listed. */
export const ALL_TOOLS = [
  'search_users',
  'get_user',
  'create_user',
  'update_user',
  'deactivate_user',
  'reactivate_user',
  'delete_user',
  'search_groups',
  'get_group',
  'create_group',
  'update_group',
  'add_group_members',
  'remove_group_members',
  'delete_group',
  'describe_schemas',
  'describe_resource_types',
  'describe_service_provider_config',
];

export const READ_TOOLS = [
  'search_users',
  'get_user',
  'search_groups',
  'get_group',
  'describe_schemas',
  'describe_resource_types',
  'describe_service_provider_config',
];

/** A fresh handler, resolver and audit trail, with tenant viewer's directory seeded (it may not write it itself). */
export async function mcpFixture() {
  const events: AuditEvent[] = [];
  const resolver = new StaticTenantResolver([
    { id: 'acme', token: TOKENS.acme, clientId: 'acme-okta', isolationLevel: 'strict', permissions: { maxUsers: 50 } },
    { id: 'globex', token: TOKENS.globex, clientId: 'globex-entra', isolationLevel: 'shared' },
    { id: 'viewer', token: TOKENS.viewer, permissions: { readOnly: true } },
    { id: 'small', token: TOKENS.small, permissions: { maxUsers: 1 } },
    { id: 'throttled', token: TOKENS.throttled, permissions: { rateLimit: { requestsPerSecond: 1, burst: 2 } } },
    { id: 'expired', token: TOKENS.expired, permissions: { expiresAt: '2020-01-01T00:00:00Z' } },
  ]);
  await resolver.whenReady();
  // The clock never moves, so the throttled tenant's bucket never refills during a test.
  const operations = new ScimOperationHandler({
    audit: callbackAuditSink((e) => void events.push(e)),
    rateLimiter: new TokenBucketRateLimiter({ now: () => 0 }),
  });
  operations.schemas.addTenantExtension('acme', 'User', ACME_EXTENSION);
  const writer: TenantContext = { tenantId: 'viewer', isolationLevel: 'standard', permissions: {}, baseUrl: '' };
  const user = await operations.handle({ tenant: writer, operation: 'create', resourceType: 'User', data: { schemas: [USER_SCHEMA], userName: 'vera' } });
  const group = await operations.handle({ tenant: writer, operation: 'create', resourceType: 'Group', data: { displayName: 'Auditors' } });
  if (user.kind !== 'resource' || group.kind !== 'resource') throw new Error('seeding failed');
  events.length = 0;
  return { operations, resolver, events, viewer: { userId: String(user.resource.id), groupId: String(group.resource.id) } };
}

export type McpFixture = Awaited<ReturnType<typeof mcpFixture>>;

/** Opens an MCP client for a tenant's token, over some transport. */
export type Connect = (token: string, clientName?: string) => Promise<Client>;

/** One resource, as a tool answers it. */
export type Resource = Record<string, unknown> & { id: string; meta?: { version?: string; location?: string } };

/** What a tool call answered: its structured content, or its SCIM error. */
export interface Outcome {
  readonly ok: boolean;
  readonly data: Record<string, unknown>;
  readonly error: { status: number; scimType?: string; detail: string; retryAfterSeconds?: number } | undefined;
  readonly text: string;
}

/** Calls a tool and reads its answer: structured content on success, the SCIM error on `isError`. */
export async function call(client: Client, name: string, args: Record<string, unknown> = {}): Promise<Outcome> {
  const result = await client.callTool({ name, arguments: args });
  const content = result.content as { type: string; text?: string }[];
  const text = content.map((c) => c.text ?? '').join('\n');
  if (result.isError) {
    let error: Outcome['error'];
    try {
      error = JSON.parse(text) as Outcome['error'];
    } catch {
      error = { status: 0, detail: text };
    }
    return { ok: false, data: {}, error, text };
  }
  return { ok: true, data: (result.structuredContent ?? {}) as Record<string, unknown>, error: undefined, text };
}

/** Calls a tool that must succeed and answers its structured content. */
export async function ok<T = Resource>(client: Client, name: string, args: Record<string, unknown> = {}): Promise<T> {
  const outcome = await call(client, name, args);
  if (!outcome.ok) throw new Error(`${name} failed: ${outcome.text}`);
  return outcome.data as T;
}

/** Every property name in a JSON Schema, nested ones included. */
export function propertyNames(schema: unknown): string[] {
  if (typeof schema !== 'object' || schema === null) return [];
  const out: string[] = [];
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties' && typeof value === 'object' && value !== null) {
      for (const [name, sub] of Object.entries(value)) out.push(name, ...propertyNames(sub));
    } else if (typeof value === 'object') {
      out.push(...propertyNames(value));
    }
  }
  return out;
}
