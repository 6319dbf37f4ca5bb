// A schema extension for one tenant: validated, filterable, sortable, patchable, and listed only in
// that tenant's /Schemas and /ResourceTypes. Other tenants see it as unknown and ignore it.
import assert from 'node:assert/strict';
import { ScimServer, StaticTenantResolver, type SchemaDefinition } from 'scim-server';

const ACME_USER = 'urn:example:params:scim:schemas:extension:acme:2.0:User';
const acmeUser: SchemaDefinition = {
  id: ACME_USER,
  name: 'AcmeUser',
  description: 'Attributes only Acme provisions',
  attributes: [
    { name: 'costCenter', type: 'string', multiValued: false, required: false, caseExact: false, mutability: 'readWrite', returned: 'default', uniqueness: 'none' },
  ],
};

const scim = new ScimServer({
  tenantResolver: new StaticTenantResolver([
    { id: 'acme', token: 'acme' },
    { id: 'globex', token: 'globex' },
  ]),
});
scim.schemas.addTenantExtension('acme', 'User', acmeUser);

const call = (token: string, method: string, path: string, body?: unknown, query?: Record<string, string>) =>
  scim.handle({ method, path: `/scim/v2${path}`, headers: { authorization: `Bearer ${token}` }, body, ...(query ? { query } : {}) });
const body = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ACME_USER], userName: 'bob', [ACME_USER]: { costCenter: 'CC-7' } };

const acme = await call('acme', 'POST', '/Users', body);
assert.deepEqual((acme.body as Record<string, unknown>)[ACME_USER], { costCenter: 'CC-7' });
const found = await call('acme', 'GET', '/Users', undefined, { filter: `${ACME_USER}:costCenter eq "cc-7"` });
assert.equal((found.body as { totalResults: number }).totalResults, 1);

const globex = await call('globex', 'POST', '/Users', body);
assert.equal((globex.body as Record<string, unknown>)[ACME_USER], undefined);
const schemas = await call('globex', 'GET', `/Schemas/${ACME_USER}`);
assert.equal(schemas.status, 404);
console.log('per-tenant extensions: ok');
