import { ENTERPRISE_USER_SCHEMA_URI } from '../schema/enterprise-user-schema.js';
import type { ContractCase } from './contract-cases.js';
import { user, userNameUnique, statusCounts, USER } from './contract-kit.js';

/** Unique values, checked atomically. */
export const UNIQUENESS_CASES: readonly ContractCase[] = [
  [
    'refuses a userName that differs only in case, with a 409 naming the attribute',
    async ({ storage, tenant, expect, expectScimError }) => {
      const t = tenant();
      await storage.create(t, USER, user('BJensen'), userNameUnique('BJensen'));
      const err = await expectScimError(storage.create(t, USER, user('bjensen'), userNameUnique('bjensen')), 409, 'uniqueness');
      expect(err.detail).toContain('userName');
      expect(await storage.count(t, USER)).toBe(1);
    },
  ],
  [
    'compares the NFC text it is given exactly after case folding: non-ASCII case folds, fullwidth letters stay other letters',
    async ({ storage, tenant, query, expect, expectScimError }) => {
      // The server stores identifying text in NFC and normalises filter literals the same way;
      // a storage compares what it is given, folding case and nothing else.
      const t = tenant();
      await storage.create(t, USER, user('\u00c1dmin'), userNameUnique('\u00c1dmin'));
      await expectScimError(storage.create(t, USER, user('\u00e1DMIN'), userNameUnique('\u00e1DMIN')), 409, 'uniqueness');
      await storage.create(t, USER, user('\uff41dmin'), userNameUnique('\uff41dmin'));
      await storage.create(t, USER, user('admin'), userNameUnique('admin'));
      const names = async (filterText: string) => (await query(t, 'User', { filterText })).resources.map((r) => r.userName);
      expect(await names('userName eq "\u00e1dmin"')).toEqual(['\u00c1dmin']);
      expect(await names('userName eq "admin"')).toEqual(['admin']);
      expect(await names('userName eq "\uff41dmin"')).toEqual(['\uff41dmin']);
      expect(await storage.count(t, USER)).toBe(3);
    },
  ],
  [
    'with caseExact, values differing in case are distinct',
    async ({ storage, tenant, expectScimError }) => {
      const t = tenant();
      const c = (v: string) => ({ unique: [{ keys: ['externalId'], value: v, caseExact: true }] });
      await storage.create(t, USER, user('a', { externalId: 'Ext-1' }), c('Ext-1'));
      await storage.create(t, USER, user('b', { externalId: 'ext-1' }), c('ext-1'));
      await expectScimError(storage.create(t, USER, user('c', { externalId: 'Ext-1' }), c('Ext-1')), 409, 'uniqueness');
    },
  ],
  [
    'checks attributes below the root, extension attributes included',
    async ({ storage, tenant, expect, expectScimError }) => {
      const t = tenant();
      const c = (v: string) => ({ unique: [{ keys: [ENTERPRISE_USER_SCHEMA_URI, 'employeeNumber'], value: v, caseExact: false }] });
      await storage.create(t, USER, user('a', { [ENTERPRISE_USER_SCHEMA_URI]: { employeeNumber: 'E1' } }), c('E1'));
      await storage.create(t, USER, user('b', { [ENTERPRISE_USER_SCHEMA_URI]: { employeeNumber: 'E2' } }), c('E2'));
      const err = await expectScimError(storage.create(t, USER, user('c', { [ENTERPRISE_USER_SCHEMA_URI]: { employeeNumber: 'e1' } }), c('e1')), 409);
      expect(err.detail).toContain('employeeNumber');
    },
  ],
  [
    'the same value in another tenant is fine',
    async ({ storage, tenant, expect }) => {
      const a = tenant('a');
      const b = tenant('b');
      await storage.create(a, USER, user('shared-name'), userNameUnique('shared-name'));
      const inB = await storage.create(b, USER, user('Shared-Name'), userNameUnique('Shared-Name'));
      expect(inB.userName).toBe('Shared-Name');
    },
  ],
  [
    'on replace a resource does not conflict with itself, but does with others',
    async ({ storage, tenant, expect, expectScimError }) => {
      const t = tenant();
      const a = await storage.create(t, USER, user('alice'), userNameUnique('alice'));
      await storage.create(t, USER, user('bob'), userNameUnique('bob'));
      const same = await storage.replace(t, USER, a.id, user('ALICE'), userNameUnique('ALICE'));
      expect(same.userName).toBe('ALICE');
      await expectScimError(storage.replace(t, USER, a.id, user('Bob'), userNameUnique('Bob')), 409, 'uniqueness');
      expect((await storage.get(t, USER, a.id))?.userName).toBe('ALICE');
    },
  ],
  [
    'frees a value when its holder is deleted or renamed',
    async ({ storage, tenant, expect }) => {
      const t = tenant();
      const a = await storage.create(t, USER, user('one'), userNameUnique('one'));
      const b = await storage.create(t, USER, user('two'), userNameUnique('two'));
      await storage.delete(t, USER, a.id);
      await storage.create(t, USER, user('One'), userNameUnique('One'));
      await storage.replace(t, USER, b.id, user('three'), userNameUnique('three'));
      await storage.create(t, USER, user('TWO'), userNameUnique('TWO'));
      expect(await storage.count(t, USER)).toBe(3);
    },
  ],
  [
    'concurrent creates of the same userName: exactly one succeeds',
    async ({ storage, tenant, expect }) => {
      const t = tenant();
      const names = Array.from({ length: 30 }, (_, i) => (i % 2 ? 'Racer' : 'racer'));
      const results = await Promise.allSettled(names.map((n) => storage.create(t, USER, user(n), userNameUnique(n))));
      const { ok, byStatus } = statusCounts(results);
      expect(ok).toBe(1);
      expect(byStatus).toEqual({ 409: 29 });
      expect(await storage.count(t, USER)).toBe(1);
    },
  ],
];
