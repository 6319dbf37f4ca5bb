// Isolation levels in memory: a strict tenant gets a store object of its own; standard and shared
// tenants share one store in which every record and index is keyed by tenant id.
import assert from 'node:assert/strict';
import { InMemoryStorage, ScimServer, StaticTenantResolver, TenantRoutedStorage } from 'scim-server';

const storage = new InMemoryStorage();
const scim = new ScimServer({
  storage,
  tenantResolver: new StaticTenantResolver([
    { id: 'bank', token: 'bank', isolationLevel: 'strict' },
    { id: 'shop', token: 'shop', isolationLevel: 'standard' },
    { id: 'club', token: 'club', isolationLevel: 'shared' },
  ]),
});
for (const t of ['bank', 'shop', 'club']) {
  await scim.handle({ method: 'POST', path: '/scim/v2/Users', headers: { authorization: `Bearer ${t}` }, body: { userName: 'same@example.com' } });
}
assert.notEqual(storage.storeOf('bank'), storage.storeOf('shop'));
assert.equal(storage.storeOf('shop'), storage.storeOf('club'));

// Silo: a storage (say, a database) per tenant, chosen by a factory.
const silos = new Map<string, InMemoryStorage>();
const siloed = new TenantRoutedStorage((tenant) => {
  if (!silos.has(tenant.tenantId)) silos.set(tenant.tenantId, new InMemoryStorage());
  return silos.get(tenant.tenantId) as InMemoryStorage;
});
const perTenant = new ScimServer({ storage: siloed, tenantResolver: new StaticTenantResolver([{ id: 'bank', token: 'bank' }]) });
await perTenant.handle({ method: 'POST', path: '/scim/v2/Users', headers: { authorization: 'Bearer bank' }, body: { userName: 'x' } });
assert.equal(silos.size, 1);
console.log('isolation levels: ok');
