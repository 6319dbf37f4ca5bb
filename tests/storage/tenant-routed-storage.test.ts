import { describe, expect, it } from 'vitest';
import * as vitest from 'vitest';
import { InMemoryStorage, SchemaRegistry, TenantRoutedStorage, type ResourceTypeModel, type TenantContext } from '../../src/index.js';
import { describeStorageContract } from '../../src/testing/index.js';

// Every tenant gets a storage of its own; the routed storage must still pass the whole contract.
describeStorageContract(vitest, 'TenantRoutedStorage (a storage per tenant)', () => {
  const silos = new Map<string, InMemoryStorage>();
  return new TenantRoutedStorage((tenant: TenantContext) => {
    let s = silos.get(tenant.tenantId);
    if (!s) {
      s = new InMemoryStorage();
      silos.set(tenant.tenantId, s);
    }
    return s;
  });
});

describe('TenantRoutedStorage routing', () => {
  it('sends each tenant to its own storage only', async () => {
    const silos = new Map<string, InMemoryStorage>();
    const routed = new TenantRoutedStorage((t) => {
      if (!silos.has(t.tenantId)) silos.set(t.tenantId, new InMemoryStorage());
      return silos.get(t.tenantId) as InMemoryStorage;
    });
    const USER = new SchemaRegistry().model('User') as ResourceTypeModel;
    const ctx = (tenantId: string): TenantContext => ({ tenantId, isolationLevel: 'shared', permissions: {}, baseUrl: '/scim/v2' });
    const u = await routed.create(ctx('x'), USER, { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'one' });
    expect(await silos.get('x')?.get(ctx('x'), USER, u.id)).not.toBeNull();
    expect(await routed.get(ctx('y'), USER, u.id)).toBeNull();
    expect(await silos.get('y')?.count(ctx('y'), USER)).toBe(0);
    await routed.dropTenant('x');
    expect(await silos.get('x')?.count(ctx('x'), USER)).toBe(0);
  });
});
