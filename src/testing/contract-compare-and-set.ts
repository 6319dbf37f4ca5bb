import type { ScimResource } from '../schema/types.js';
import type { ContractCase } from './contract-cases.js';
import { user, group, statusCounts, USER, GROUP } from './contract-kit.js';

/** Writes against a stale version fail as a whole. */
export const COMPARE_AND_SET_CASES: readonly ContractCase[] = [
  [
    'replace with a stale expectedVersion is a 412 and changes nothing',
    async ({ storage, tenant, expect, expectScimError }) => {
      const t = tenant();
      const r1 = await storage.create(t, USER, user('cas'));
      const r2 = await storage.replace(t, USER, r1.id, user('cas', { nickName: 'two' }), { expectedVersion: r1.meta.version });
      expect(r2.meta.version).toBe('W/"2"');
      await expectScimError(storage.replace(t, USER, r1.id, user('cas', { nickName: 'stale' }), { expectedVersion: r1.meta.version }), 412);
      const now = await storage.get(t, USER, r1.id);
      expect(now?.nickName).toBe('two');
      expect(now?.meta.version).toBe('W/"2"');
    },
  ],
  [
    'delete with a stale expectedVersion is a 412; with the current one it deletes',
    async ({ storage, tenant, expect, expectScimError }) => {
      const t = tenant();
      const r1 = await storage.create(t, USER, user('d'));
      const r2 = await storage.replace(t, USER, r1.id, user('d'));
      await expectScimError(storage.delete(t, USER, r1.id, { expectedVersion: r1.meta.version }), 412);
      expect(await storage.get(t, USER, r1.id)).not.toBeNull();
      await storage.delete(t, USER, r1.id, { expectedVersion: r2.meta.version });
      expect(await storage.get(t, USER, r1.id)).toBeNull();
    },
  ],
  [
    'updateMembers with a stale expectedVersion is a 412',
    async ({ storage, tenant, expect, expectScimError, memberValues }) => {
      const t = tenant();
      const u = await storage.create(t, USER, user('m'));
      const g1 = await storage.create(t, GROUP, group('g'));
      await storage.replace(t, GROUP, g1.id, group('g2'));
      await expectScimError(storage.updateMembers(t, GROUP, g1.id, { add: [{ value: u.id, type: 'User' }] }, { expectedVersion: g1.meta.version }), 412);
      expect(memberValues(await storage.get(t, GROUP, g1.id))).toEqual([]);
    },
  ],
  [
    '50 concurrent replaces with the same expectedVersion: exactly one wins',
    async ({ storage, tenant, expect }) => {
      const t = tenant();
      const r = await storage.create(t, USER, user('race'));
      const results = await Promise.allSettled(
        Array.from({ length: 50 }, (_, i) => storage.replace(t, USER, r.id, user('race', { nickName: `w${i}` }), { expectedVersion: r.meta.version })),
      );
      const { ok, byStatus } = statusCounts(results);
      expect(ok).toBe(1);
      expect(byStatus).toEqual({ 412: 49 });
      const winner = results.find((x): x is PromiseFulfilledResult<ScimResource> => x.status === 'fulfilled');
      const now = await storage.get(t, USER, r.id);
      expect(now?.meta.version).toBe('W/"2"');
      expect(now?.nickName).toBe(winner?.value.nickName);
    },
  ],
  [
    '50 concurrent deletes with the same expectedVersion: exactly one succeeds',
    async ({ storage, tenant, expect }) => {
      const t = tenant();
      const r = await storage.create(t, USER, user('race'));
      const results = await Promise.allSettled(Array.from({ length: 50 }, () => storage.delete(t, USER, r.id, { expectedVersion: r.meta.version })));
      const { ok, byStatus } = statusCounts(results);
      expect(ok).toBe(1);
      expect((byStatus[412] ?? 0) + (byStatus[404] ?? 0)).toBe(49);
      expect(await storage.count(t, USER)).toBe(0);
    },
  ],
];
