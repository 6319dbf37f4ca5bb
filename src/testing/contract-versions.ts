import type { ContractCase } from './contract-cases.js';
import { user, USER } from './contract-kit.js';

/** Versions: W/"n", one step per change. */
export const VERSION_CASES: readonly ContractCase[] = [
  [
    'grow by one on every replace: W/"1", W/"2", ...',
    async ({ storage, tenant, expect, versionOf }) => {
      const t = tenant();
      let r = await storage.create(t, USER, user('v'));
      const seen = [versionOf(r)];
      for (let i = 0; i < 5; i++) {
        r = await storage.replace(t, USER, r.id, user('v', { nickName: `n${i}` }));
        seen.push(versionOf(r));
      }
      expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
    },
  ],
  [
    'are per resource',
    async ({ storage, tenant, expect }) => {
      const t = tenant();
      const a = await storage.create(t, USER, user('a'));
      await storage.replace(t, USER, a.id, user('a'));
      const b = await storage.create(t, USER, user('b'));
      expect(b.meta.version).toBe('W/"1"');
    },
  ],
];
