// One /Bulk request creates a user and a group that lists it, through a bulkId reference.
// Each operation is checked like a single request: permissions, quotas and tenant isolation.
import assert from 'node:assert/strict';
import { ScimServer, StaticTenantResolver } from 'scim-server';

const scim = new ScimServer({
  tenantResolver: new StaticTenantResolver([{ id: 'acme', token: 'acme', permissions: { maxBulkOperations: 100 } }]),
});

const r = await scim.handle({
  method: 'POST',
  path: '/scim/v2/Bulk',
  headers: { authorization: 'Bearer acme', 'content-type': 'application/scim+json' },
  body: {
    schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
    failOnErrors: 1,
    Operations: [
      // The group comes first but refers to the user by bulkId: the user is created before it.
      {
        method: 'POST',
        path: '/Groups',
        bulkId: 'g1',
        data: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Tour Guides', members: [{ value: 'bulkId:u1' }] },
      },
      { method: 'POST', path: '/Users', bulkId: 'u1', data: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'bjensen' } },
    ],
  },
});
const operations = (r.body as { Operations: { bulkId: string; status: string; location: string }[] }).Operations;
assert.deepEqual(operations.map((o) => [o.bulkId, o.status]), [['u1', '201'], ['g1', '201']]);

const group = await scim.handle({ method: 'GET', path: new URL(operations[1]!.location, 'http://x').pathname, headers: { authorization: 'Bearer acme' } });
const members = (group.body as { members: { value: string }[] }).members;
assert.equal(members[0]?.value, operations[0]!.location.split('/').pop());
console.log('bulk: ok');
