import type { ScimError } from '../error/scim-error.js';
import type { ContractCase } from './contract-cases.js';
import { user, group, statusCounts, USER, GROUP } from './contract-kit.js';

/** Resource-count quotas, atomic under concurrency. */
export const QUOTA_CASES: readonly ContractCase[] = [
  [
    '100 concurrent creates with 10 slots left: exactly 10 succeed, 90 get a 403 naming the quota',
    async ({ storage, tenant, expect }) => {
      const t = tenant();
      for (let i = 0; i < 5; i++) await storage.create(t, USER, user(`pre${i}`));
      const quota = { maxCount: 15, quotaName: 'maxUsers' };
      const results = await Promise.allSettled(Array.from({ length: 100 }, (_, i) => storage.create(t, USER, user(`q${i}`), quota)));
      const { ok, byStatus } = statusCounts(results);
      expect(ok).toBe(10);
      expect(byStatus).toEqual({ 403: 90 });
      const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect((refused?.reason as ScimError).detail).toContain('maxUsers');
      expect(await storage.count(t, USER)).toBe(15);
    },
  ],
  [
    'counts only the tenant and the resource type; a delete frees a slot',
    async ({ storage, tenant, expect, expectScimError }) => {
      const t = tenant();
      const other = tenant('other');
      for (let i = 0; i < 3; i++) await storage.create(other, USER, user(`o${i}`));
      await storage.create(t, GROUP, group('g'));
      const quota = { maxCount: 2, quotaName: 'maxUsers' };
      const a = await storage.create(t, USER, user('a'), quota);
      await storage.create(t, USER, user('b'), quota);
      await expectScimError(storage.create(t, USER, user('c'), quota), 403);
      await storage.delete(t, USER, a.id);
      await storage.create(t, USER, user('c'), quota);
      expect(await storage.count(t, USER)).toBe(2);
    },
  ],
];
