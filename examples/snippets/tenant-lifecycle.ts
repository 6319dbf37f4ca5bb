// Tenants come and go at runtime: add one, change its permissions, remove it and its data.
import assert from 'node:assert/strict';
import { InMemoryStorage, ScimServer, StaticTenantResolver } from 'scim-server';

const storage = new InMemoryStorage();
const resolver = new StaticTenantResolver();
const scim = new ScimServer({ tenantResolver: resolver, storage });
const post = (token: string, userName: string) =>
  scim.handle({ method: 'POST', path: '/scim/v2/Users', headers: { authorization: `Bearer ${token}` }, body: { userName } });

await resolver.addTenant({ id: 'newco', token: 'newco-token', isolationLevel: 'strict' });
assert.equal((await post('newco-token', 'first')).status, 201);

resolver.setPermissions('newco', { readOnly: true }); // e.g. an unpaid invoice
assert.equal((await post('newco-token', 'second')).status, 403);

resolver.removeTenant('newco'); // its tokens stop working at once
await scim.dropTenant('newco'); // and its data is deleted
assert.equal((await post('newco-token', 'third')).status, 401);
assert.equal(storage.storeOf('newco'), undefined);
console.log('tenant lifecycle: ok');
