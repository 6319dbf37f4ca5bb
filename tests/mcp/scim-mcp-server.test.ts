/**
 * createScimMcpServer on its own: tools that follow what resource types declare (not their names),
 * member changes that reach storage as deltas, read-only mode, option checks, unexpected failures,
 * the actor, and the session registry's limits.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  callbackAuditSink,
  defineAttribute,
  GROUP_RESOURCE_TYPE,
  InMemoryStorage,
  ScimOperationHandler,
  SchemaRegistry,
  USER_RESOURCE_TYPE,
  type AuditEvent,
  type MemberChangeResult,
  type MemberDelta,
  type QueryResult,
  type ResourceTypeDefinition,
  type ResourceTypeModel,
  type ScimResource,
  type StorageQuery,
  type TenantContext,
  type WriteOptions,
  type ReadOptions,
} from '../../src/index.js';
import { createScimMcpServer, type ScimMcpServerOptions } from '../../src/mcp/index.js';
import { McpSessions, type McpSession } from '../../src/mcp/mcp-sessions.js';
import { READ_TOOLS, call, ok } from './mcp-fixture.js';

const tenant: TenantContext = {
  tenantId: 'acme',
  clientId: 'acme-okta',
  isolationLevel: 'standard',
  permissions: {},
  baseUrl: 'https://scim.example.com/scim/v2',
};
const open: { client: Client; server: McpServer }[] = [];

async function connect(operations: ScimOperationHandler, options: Partial<ScimMcpServerOptions> = {}, name = 'unit-agent'): Promise<Client> {
  const server = createScimMcpServer(operations, { tenant, ...options });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await server.connect(a);
  const client = new Client({ name, version: '1.0.0' });
  await client.connect(b);
  open.push({ client, server });
  return client;
}

afterEach(async () => {
  for (const { client, server } of open.splice(0)) {
    await client.close();
    await server.close();
  }
});

const DEVICE_URI = 'urn:example:params:scim:schemas:Device';
const TEAM_URI = 'urn:example:params:scim:schemas:Team';
const DEVICE: ResourceTypeDefinition = { id: 'Device', name: 'Device', endpoint: '/Devices', schema: DEVICE_URI };
const TEAM: ResourceTypeDefinition = {
  id: 'Team',
  name: 'Team',
  endpoint: '/Teams',
  schema: TEAM_URI,
  membership: { attribute: 'crew', memberTypes: ['User', 'Device'] },
};

function registry(): SchemaRegistry {
  return new SchemaRegistry({
    schemas: [
      {
        id: DEVICE_URI,
        name: 'Device',
        attributes: [defineAttribute('serialNumber', 'string', { required: true, uniqueness: 'server' }), defineAttribute('active', 'boolean')],
      },
      {
        id: TEAM_URI,
        name: 'Team',
        attributes: [
          defineAttribute('displayName', 'string', { required: true }),
          defineAttribute('crew', 'complex', {
            multiValued: true,
            subAttributes: [defineAttribute('value', 'string', { mutability: 'immutable' }), defineAttribute('type', 'string', { mutability: 'immutable' })],
          }),
        ],
      },
    ],
    resourceTypes: [USER_RESOURCE_TYPE, GROUP_RESOURCE_TYPE, DEVICE, TEAM],
  });
}

/** An in-memory storage that counts how members and whole resources are written. */
class CountingStorage extends InMemoryStorage {
  readonly calls = { updateMembers: 0, replace: 0, getWithMembers: 0 };
  override updateMembers(t: TenantContext, type: ResourceTypeModel, id: string, delta: MemberDelta, options?: WriteOptions): Promise<MemberChangeResult> {
    this.calls.updateMembers++;
    return super.updateMembers(t, type, id, delta, options);
  }
  override replace(t: TenantContext, type: ResourceTypeModel, id: string, body: Record<string, unknown>, options?: WriteOptions): Promise<ScimResource> {
    this.calls.replace++;
    return super.replace(t, type, id, body, options);
  }
  override get(t: TenantContext, type: ResourceTypeModel, id: string, options?: ReadOptions): Promise<ScimResource | null> {
    if (type.members && !options?.excludeMembers) this.calls.getWithMembers++;
    return super.get(t, type, id, options);
  }
}

describe('createScimMcpServer', () => {
  it('gives each resource type the tools its declaration calls for, whatever its name', async () => {
    const client = await connect(new ScimOperationHandler({ schemas: registry() }));
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'search_devices',
        'create_device',
        'deactivate_device',
        'reactivate_device',
        'delete_device',
        'search_teams',
        'add_team_members',
        'remove_team_members',
      ]),
    );
    expect(names).not.toContain('deactivate_team');
    expect(names).not.toContain('add_device_members');
    const describeTypes = (await client.listTools()).tools.find((t) => t.name === 'describe_resource_types');
    expect((describeTypes?.inputSchema.properties?.name as { enum?: string[] }).enum?.sort()).toEqual(['Device', 'Group', 'Team', 'User']);
    expect(await ok(client, 'describe_resource_types', { name: 'Device' })).toMatchObject({ totalResults: 1, Resources: [{ name: 'Device' }] });
    const device = await ok(client, 'create_device', { serialNumber: 'SN-1', active: true });
    expect((await ok(client, 'deactivate_device', { id: device.id })).active).toBe(false);
    const user = await ok(client, 'create_user', { userName: 'pilot' });
    const team = await ok(client, 'create_team', { displayName: 'Flight' });
    await ok(client, 'add_team_members', { id: team.id, memberIds: [user.id, device.id] });
    const crew = (await ok(client, 'get_team', { id: team.id })).crew as { value: string; type: string }[];
    expect(crew.map((m) => [m.value, m.type]).sort()).toEqual(
      [
        [user.id, 'User'],
        [device.id, 'Device'],
      ].sort(),
    );
    await ok(client, 'remove_team_members', { id: team.id, memberIds: [device.id] });
    expect(((await ok(client, 'get_team', { id: team.id })).crew as unknown[]).length).toBe(1);
  });

  it('changes members as deltas: the group is never rewritten nor loaded with its members', async () => {
    const storage = new CountingStorage();
    const client = await connect(new ScimOperationHandler({ storage }));
    const users = await Promise.all(['m1', 'm2', 'm3'].map((userName) => ok(client, 'create_user', { userName })));
    const group = await ok(client, 'create_group', { displayName: 'Delta' });
    storage.calls.getWithMembers = 0;
    await ok(client, 'add_group_members', { id: group.id, memberIds: users.map((u) => u.id) });
    await ok(client, 'remove_group_members', { id: group.id, memberIds: [users[0]?.id, users[1]?.id] });
    expect(storage.calls).toEqual({ updateMembers: 2, replace: 0, getWithMembers: 0 });
    const members = (await ok(client, 'get_group', { id: group.id })).members as { value: string }[];
    expect(members.map((m) => m.value)).toEqual([users[2]?.id]);
  });

  it('in read-only mode lists and runs only the read tools; the resources stay', async () => {
    const operations = new ScimOperationHandler();
    const client = await connect(operations, { readOnly: true });
    const tools = (await client.listTools()).tools;
    expect(tools.map((t) => t.name)).toEqual(READ_TOOLS);
    expect(tools.every((t) => t.annotations?.readOnlyHint === true)).toBe(true);
    for (const tool of ['create_user', 'delete_user', 'add_group_members']) {
      const outcome = await call(client, tool, { userName: 'x', id: 'x', memberIds: ['x'] });
      expect(outcome.ok).toBe(false);
      expect(outcome.text).toMatch(new RegExp(`Tool ${tool} not found`));
    }
    expect((await operations.handle({ tenant, operation: 'list', resourceType: 'User' })).kind === 'list').toBe(true);
    expect((await client.listResources()).resources.length).toBeGreaterThan(5);
  });

  it('checks its options when they are given', () => {
    const operations = new ScimOperationHandler();
    const make = (options: unknown) => () => createScimMcpServer(operations, options as ScimMcpServerOptions);
    expect(make(undefined)).toThrow(/tenant/);
    expect(make({})).toThrow(/option tenant/);
    expect(make({ tenant: { tenantId: '' } })).toThrow(/option tenant/);
    expect(make({ tenant, readonly: true })).toThrow(/unknown option readonly/);
    expect(make({ tenant, readOnly: 'yes' })).toThrow(/option readOnly must be a boolean/);
    expect(make({ tenant, currentTenant: tenant })).toThrow(/option currentTenant must be a function/);
  });

  it('answers an unexpected failure as a bare 500 that reveals nothing, and reports it', async () => {
    const reported: unknown[] = [];
    class BrokenStorage extends InMemoryStorage {
      override query(_t: TenantContext, _type: ResourceTypeModel, _q: StorageQuery): Promise<QueryResult> {
        return Promise.reject(new Error('disk on fire at /var/lib/secret'));
      }
    }
    const client = await connect(new ScimOperationHandler({ storage: new BrokenStorage(), onError: (e) => reported.push(e) }));
    const outcome = await call(client, 'search_users', { filter: 'userName pr' });
    expect(outcome.error?.status).toBe(500);
    expect(outcome.text).not.toContain('disk on fire');
    expect(reported).toEqual([expect.objectContaining({ message: 'disk on fire at /var/lib/secret' })]);
    expect((await call(client, 'describe_resource_types')).ok).toBe(true);
  });

  it('reports a failure around a call to onError, or to stderr when none is given', async () => {
    const failing = () => Promise.reject(new Error('tenant directory unreachable'));
    const reported: unknown[] = [];
    const told = await connect(new ScimOperationHandler(), { currentTenant: failing, onError: (e) => reported.push(e) });
    expect((await call(told, 'search_users')).error).toMatchObject({ status: 500 });
    expect(reported).toEqual([expect.objectContaining({ message: 'tenant directory unreachable' })]);
    const stderr = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const silent = await connect(new ScimOperationHandler(), { currentTenant: failing });
      const outcome = await call(silent, 'search_users');
      expect(outcome.error).toMatchObject({ status: 500 });
      expect(outcome.text).not.toContain('unreachable');
      expect(stderr).toHaveBeenCalledWith(expect.stringContaining('scim-server/mcp'), expect.objectContaining({ message: 'tenant directory unreachable' }));
    } finally {
      stderr.mockRestore();
    }
  });

  it('names the actor of each call with the actor option', async () => {
    const events: AuditEvent[] = [];
    const operations = new ScimOperationHandler({ audit: callbackAuditSink((e) => void events.push(e)) });
    const client = await connect(operations, { actor: ({ tenant: t, client: c, tool }) => `${t.tenantId}/${c?.name}@${c?.version}/${tool}` }, 'review-bot');
    await ok(client, 'create_user', { userName: 'actor' });
    expect(events.map((e) => e.clientId)).toEqual(['acme/review-bot@1.0.0/create_user']);
  });
});

describe('McpSessions', () => {
  const session = (id: string, tenantId: string, closed: string[]): McpSession =>
    ({ id, tenantId, lastUsed: 0, server: { close: async () => void closed.push(id) }, transport: {} }) as unknown as McpSession;

  it('closes sessions left idle, and only those', async () => {
    let now = 0;
    const closed: string[] = [];
    const sessions = new McpSessions({ maxSessions: 10, maxSessionsPerTenant: 10, idleTimeoutMs: 1000 }, () => now);
    sessions.add(session('a', 't1', closed));
    now = 600;
    sessions.add(session('b', 't1', closed));
    now = 1500;
    expect(sessions.use('b')).toBeDefined();
    now = 1700;
    await sessions.sweep();
    expect(closed).toEqual(['a']);
    expect(sessions.use('a')).toBeUndefined();
    expect(sessions.size).toBe(1);
    await sessions.closeAll();
    expect(closed).toEqual(['a', 'b']);
  });
});
