/**
 * The MCP scenarios over the SDK's in-memory transport: a tenant's server is made the way a stdio
 * server is, from its token (`connectScimMcpStdio` with the transport given), and the SDK's Client
 * talks to it.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { describe, expect, it } from 'vitest';
import { connectScimMcpStdio } from '../../src/mcp/index.js';
import { call, mcpFixture, ok } from './mcp-fixture.js';
import { mcpScenarios } from './mcp-scenarios.js';

mcpScenarios('the in-memory transport', async (fixture) => {
  const servers: McpServer[] = [];
  return {
    connect: async (token, clientName = 'scenario-agent') => {
      const [serverSide, clientSide] = InMemoryTransport.createLinkedPair();
      servers.push(await connectScimMcpStdio(fixture.operations, { tenantResolver: fixture.resolver, token, transport: serverSide }));
      const client = new Client({ name: clientName, version: '1.0.0' });
      await client.connect(clientSide);
      return client;
    },
    close: async () => {
      await Promise.all(servers.map((s) => s.close()));
    },
  };
});

describe('a server bound to one token (stdio)', () => {
  it('resolves its token again at each call: a permission changed or the token revoked counts at once', async () => {
    const fixture = await mcpFixture();
    await fixture.resolver.addTenant({ id: 'solo', token: 'solo-token' });
    const [serverSide, clientSide] = InMemoryTransport.createLinkedPair();
    const server = await connectScimMcpStdio(fixture.operations, { tenantResolver: fixture.resolver, token: 'solo-token', transport: serverSide });
    const client = new Client({ name: 'solo-agent', version: '1.0.0' });
    await client.connect(clientSide);
    try {
      await ok(client, 'create_user', { userName: 'solo.one' });
      fixture.resolver.setPermissions('solo', { readOnly: true });
      expect((await call(client, 'create_user', { userName: 'solo.two' })).error).toMatchObject({ status: 403 });
      expect((await ok<{ totalResults: number }>(client, 'search_users')).totalResults).toBe(1);
      await fixture.resolver.revokeToken('solo', 'solo-token');
      const revoked = await call(client, 'search_users');
      expect(revoked.error).toMatchObject({ status: 401 });
      expect(revoked.text).not.toContain('solo.one');
      expect(fixture.events.at(-1)).toMatchObject({ tenantId: 'solo', action: 'authenticate', outcome: 'refused', status: 401, reason: 'invalidCredential' });
    } finally {
      await client.close();
      await server.close();
    }
  });

  it('refuses to start without a token, or with one that names no tenant', async () => {
    const fixture = await mcpFixture();
    for (const [token, reason] of [
      [undefined, 'noCredential'],
      ['', 'noCredential'],
      ['no-such-token', 'invalidCredential'],
    ] as const) {
      await expect(
        connectScimMcpStdio(fixture.operations, { tenantResolver: fixture.resolver, token, transport: InMemoryTransport.createLinkedPair()[0] }),
      ).rejects.toMatchObject({ status: 401 });
      // On the operator's trail, without the token.
      expect(fixture.events.at(-1)).toMatchObject({ tenantId: '', action: 'authenticate', outcome: 'refused', reason });
    }
    expect(JSON.stringify(fixture.events)).not.toContain('no-such-token');
  });
});
