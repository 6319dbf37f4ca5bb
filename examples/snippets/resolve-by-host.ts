// Tenants by host: acme.scim.example.com serves tenant "acme"; URLs in responses use that host.
import assert from 'node:assert/strict';
import { ScimServer, StaticTenantResolver, hostTenantLocator } from 'scim-server';

const scim = new ScimServer({
  tenantResolver: new StaticTenantResolver([{ id: 'acme', token: 'acme-token' }]),
  locator: hostTenantLocator({ domain: 'scim.example.com', basePath: '/scim/v2' }),
});

const r = await scim.handle({
  method: 'POST',
  path: '/scim/v2/Users',
  headers: { host: 'acme.scim.example.com', authorization: 'Bearer acme-token', 'content-type': 'application/scim+json' },
  body: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'road.runner' },
});
assert.equal(r.status, 201);
assert.match((r.body as { meta: { location: string } }).meta.location, /^https:\/\/acme\.scim\.example\.com\/scim\/v2\/Users\//);

const other = await scim.handle({ method: 'GET', path: '/scim/v2/Users', headers: { host: 'globex.scim.example.com', authorization: 'Bearer acme-token' } });
assert.equal(other.status, 401);
console.log('host resolution: ok');
