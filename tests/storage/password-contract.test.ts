/**
 * The password section of the storage contract, over the bundled in-memory storages: no storage
 * ever receives a clear-text password, at any isolation level.
 */
import { v4 as uuidv4 } from 'uuid';
import { describe } from 'vitest';
import { InMemoryStorage, type IsolationLevel, type StorageProvider, TenantRoutedStorage, type TenantContext } from '../../src/index.js';
import { describePasswordContract } from './contract-passwords.js';

const LEVELS: readonly IsolationLevel[] = ['strict', 'standard', 'shared'];

function tenantOf(level: IsolationLevel): TenantContext {
  const tenantId = `pw-${level}-${uuidv4()}`;
  return { tenantId, isolationLevel: level, permissions: {}, baseUrl: `https://example.test/${tenantId}/scim/v2` };
}

const STORAGES: readonly (readonly [string, () => StorageProvider])[] = [
  ['InMemoryStorage', () => new InMemoryStorage()],
  [
    'TenantRoutedStorage (a storage per tenant)',
    () => {
      const silos = new Map<string, InMemoryStorage>();
      return new TenantRoutedStorage((tenant: TenantContext) => {
        let s = silos.get(tenant.tenantId);
        if (!s) {
          s = new InMemoryStorage();
          silos.set(tenant.tenantId, s);
        }
        return s;
      });
    },
  ],
];

for (const [name, make] of STORAGES) {
  describe(`StorageProvider contract: ${name}, passwords`, () => {
    const storage = make();
    for (const level of LEVELS) {
      describe(`${level} tenant`, () =>
        describePasswordContract(
          () => storage,
          () => tenantOf(level),
        ));
    }
  });
}
