// Every change and every refusal is an audit event: time, tenant, client, request id, action,
// resource, version, outcome, status, and the attribute paths changed (never their values).
import assert from 'node:assert/strict';
import { ScimServer, StaticTenantResolver, callbackAuditSink, jsonLinesAuditSink, type AuditEvent } from 'scim-server';

const events: AuditEvent[] = [];
const scim = new ScimServer({
  tenantResolver: new StaticTenantResolver([{ id: 'acme', token: 'acme', clientId: 'okta-prod', permissions: { canDelete: false } }]),
  audit: [
    callbackAuditSink((event) => void events.push(event)),
    jsonLinesAuditSink(process.stdout), // one JSON object per line, for your log pipeline
  ],
});

const created = await scim.handle({
  method: 'POST',
  path: '/scim/v2/Users',
  headers: { authorization: 'Bearer acme', 'x-request-id': 'req-42' },
  body: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'kim', password: 'never-logged' },
});
await scim.handle({ method: 'DELETE', path: `/scim/v2/Users/${(created.body as { id: string }).id}`, headers: { authorization: 'Bearer acme' } });

assert.deepEqual(
  events.map((e) => [e.action, e.outcome, e.status, e.reason]),
  [
    ['create', 'success', 201, undefined],
    ['delete', 'refused', 403, 'canDelete'],
  ],
);
assert.equal(events[0]?.requestId, 'req-42');
assert.equal(events[0]?.clientId, 'okta-prod');
assert.ok(!JSON.stringify(events).includes('never-logged'));
console.log('audit trail: ok');
