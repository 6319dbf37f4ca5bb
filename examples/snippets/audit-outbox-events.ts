// The audit trail in PostgreSQL and SCIM events out of it. With `auditOutbox`, each change's audit
// event is written in the change's own transaction; PostgresAuditLog's sink stores the other events
// (refusals, failures); ScimEventPublisher signs change events as Security Event Tokens and delivers them.
import assert from 'node:assert/strict';
import { ScimServer, StaticTenantResolver } from 'scim-server';
import { openPGlite, PostgresAuditLog, PostgresStorage, ScimEventPublisher } from 'scim-server/postgres';

const client = await openPGlite(); // or: await connectPostgres(process.env.DATABASE_URL)
const storage = new PostgresStorage(client, { auditOutbox: true });
await storage.migrate();
const auditLog = new PostgresAuditLog(client, { retention: { days: 400, keep: 100_000 } });
const scim = new ScimServer({
  storage,
  audit: auditLog.sink(),
  tenantResolver: new StaticTenantResolver([{ id: 'shop', token: 'shop' }]),
});
const headers = { authorization: 'Bearer shop' };
assert.equal((await scim.handle({ method: 'POST', path: '/scim/v2/Users', headers, body: { userName: 'ann' } })).status, 201);
assert.equal((await scim.handle({ method: 'POST', path: '/scim/v2/Users', headers, body: { userName: 'ann' } })).status, 409);

// The tenant's trail, in order, a page at a time: the change (kept with it) and the failed attempt.
const page = await auditLog.read('shop', { after: 0, limit: 50 });
assert.deepEqual(
  page.entries.map((e) => [e.sequence, e.event.action, e.event.status]),
  [
    [1, 'create', 201],
    [2, 'create', 409],
  ],
);
await auditLog.prune(); // deletes what the retention policy lets go; run it from a daily job

// Events: here to a function; give `endpoint` instead to push them to a receiver (RFC 8935).
const { privateKey } = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
const tokens: string[] = [];
const publisher = new ScimEventPublisher(client, {
  issuer: 'https://scim.example.com',
  signingKey: { alg: 'ES256', privateKey, kid: 'events-2025' },
  destinations: (tenantId) => (tenantId === 'shop' ? { audience: 'https://hooks.shop.example', deliver: async (token) => void tokens.push(token) } : undefined),
});
await publisher.publish(); // or publisher.start() to look every second, and publisher.stop() on shutdown
assert.equal(tokens.length, 1); // one change, one token; the failed attempt is no event
const claims = JSON.parse(Buffer.from(tokens[0]?.split('.')[1] ?? '', 'base64url').toString());
assert.deepEqual(Object.keys(claims.events), ['urn:ietf:params:scim:event:prov:create:notice']);
await storage.close();
console.log('audit outbox and events: ok');
