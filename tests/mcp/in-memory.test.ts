/**
 * The MCP scenarios over the SDK's in-memory transport: a tenant's server is made the way a stdio
 * server is, from its token (`connectScimMcpStdio` with the transport given), and the SDK's Client
 * talks to it.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { connectScimMcpStdio } from '../../src/mcp/index.js';
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
