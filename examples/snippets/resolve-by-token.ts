// Tenants by bearer token: tokens are kept only as SHA-256 digests and compared in constant time.
// Two tokens per tenant let a customer rotate without downtime.
import assert from 'node:assert/strict';
import { ScimServer, StaticTenantResolver, hashToken } from 'scim-server';

const resolver = new StaticTenantResolver([
  { id: 'acme', tokens: ['acme-old-token', 'acme-new-token'], isolationLevel: 'strict' },
  // A configuration that never holds the plain token stores its digest instead:
  { id: 'globex', tokenHashes: [await hashToken('globex-token')] },
]);
const scim = new ScimServer({ tenantResolver: resolver });

const get = (token: string) => scim.handle({ method: 'GET', path: '/scim/v2/Users', headers: { authorization: `Bearer ${token}` } });
assert.equal((await get('acme-old-token')).status, 200);
assert.equal((await get('acme-new-token')).status, 200);
assert.equal((await get('globex-token')).status, 200);

await resolver.revokeToken('acme', 'acme-old-token'); // rotation done
assert.equal((await get('acme-old-token')).status, 401);
console.log('token resolution: ok');
