// One tenant's directory as MCP tools, on any transport of the official SDK (here its in-memory
// pair, with the SDK's own client). Every call runs through the operation handler as that tenant.
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { ScimOperationHandler, callbackAuditSink, type AuditEvent, type TenantContext } from 'scim-server';
import { createScimMcpServer } from 'scim-server/mcp';

const events: AuditEvent[] = [];
const operations = new ScimOperationHandler({ audit: callbackAuditSink((e) => void events.push(e)) });
const tenant: TenantContext = { tenantId: 'acme', clientId: 'acme-okta', isolationLevel: 'standard', permissions: { maxUsers: 1 }, baseUrl: 'https://scim.example.com/scim/v2' };

const [serverSide, clientSide] = InMemoryTransport.createLinkedPair();
await createScimMcpServer(operations, { tenant }).connect(serverSide);
const agent = new Client({ name: 'onboarding-agent', version: '1.0.0' });
await agent.connect(clientSide);

const created = await agent.callTool({ name: 'create_user', arguments: { userName: 'bjensen', EnterpriseUser: { department: 'Tours' } } });
const user = created.structuredContent as { id: string; meta: { location: string } };
assert.equal(user.meta.location, `https://scim.example.com/scim/v2/Users/${user.id}`);

// A refusal is a tool result with isError, and its text the SCIM status, scimType and detail.
const scimError = (result: Awaited<ReturnType<Client['callTool']>>) => JSON.parse((result.content as { text: string }[])[0]!.text);
const refused = await agent.callTool({ name: 'create_user', arguments: { userName: 'kim' } });
assert.equal(refused.isError, true);
assert.deepEqual(scimError(refused), { status: 403, detail: 'Quota exceeded: maxUsers (1)' });
const invalid = await agent.callTool({ name: 'search_users', arguments: { filter: 'userName eq' } });
assert.equal(scimError(invalid).scimType, 'invalidFilter');
assert.match(scimError(invalid).detail, /^Invalid filter at position 12/);

// The audit trail names the credential's client and the MCP client.
assert.deepEqual(events.map((e) => [e.action, e.outcome, e.clientId]), [
  ['create', 'success', 'acme-okta via mcp:onboarding-agent'],
  ['create', 'refused', 'acme-okta via mcp:onboarding-agent'],
]);
await agent.close();
console.log('MCP tools: ok');
