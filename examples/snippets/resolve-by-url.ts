// Tenants by URL: each tenant has its own base URL, /tenants/{tenantId}/scim/v2. The token must
// belong to the tenant the URL names, or the answer is 401 with no data.
import assert from 'node:assert/strict';
import { ScimServer, StaticTenantResolver, pathTenantLocator } from 'scim-server';

const scim = new ScimServer({
  tenantResolver: new StaticTenantResolver([
    { id: 'acme', token: 'acme-token' },
    { id: 'globex', token: 'globex-token' },
  ]),
  locator: pathTenantLocator('/tenants/{tenantId}/scim/v2'),
});

const created = await scim.handle({
  method: 'POST',
  path: '/tenants/acme/scim/v2/Users',
  origin: 'https://scim.example.com',
  headers: { authorization: 'Bearer acme-token', 'content-type': 'application/scim+json' },
  body: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'wile.e' },
});
const user = created.body as { id: string; meta: { location: string } };
assert.equal(user.meta.location, `https://scim.example.com/tenants/acme/scim/v2/Users/${user.id}`);

const mismatch = await scim.handle({ method: 'GET', path: '/tenants/acme/scim/v2/Users', headers: { authorization: 'Bearer globex-token' } });
assert.equal(mismatch.status, 401);
console.log('URL resolution: ok');
