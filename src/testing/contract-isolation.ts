import { isScimError } from '../error/scim-error.js';
import type { IsolationLevel } from '../tenant/isolation-level.js';
import type { CaseContext, ContractCase } from './contract-cases.js';
import { GROUP, group, USER, user, userNameUnique } from './contract-kit.js';

/** Everything of a tenant goes with `dropTenant`, and nothing of any other tenant. */
export const DROP_CASES: readonly ContractCase[] = [
  [
    'dropTenant deletes everything of the tenant and nothing else',
    async ({ storage, tenant, query, expect, memberValues }) => {
      const a = tenant('a');
      const b = tenant('b');
      const ua = await storage.create(a, USER, user('same'), userNameUnique('same'));
      const ga = await storage.create(a, GROUP, group('g', { members: [{ value: ua.id }] }));
      const ub = await storage.create(b, USER, user('same'), userNameUnique('same'));
      const gb = await storage.create(b, GROUP, group('g', { members: [{ value: ub.id }] }));
      await storage.dropTenant(a.tenantId);
      expect(await storage.get(a, USER, ua.id)).toBeNull();
      expect(await storage.get(a, GROUP, ga.id)).toBeNull();
      expect(await storage.count(a, USER)).toBe(0);
      expect((await query(a, 'User')).totalResults).toBe(0);
      expect(memberValues(await storage.get(b, GROUP, gb.id))).toEqual([ub.id]);
      expect((await storage.get(b, USER, ub.id))?.groups).toEqual([{ value: gb.id, display: 'g', type: 'direct' }]);
      // the tenant can start again, and its old unique values are free
      const again = await storage.create(a, USER, user('same'), userNameUnique('same'));
      expect(again.meta.version).toBe('W/"1"');
      expect(await storage.count(a, USER)).toBe(1);
    },
  ],
];

/** A tenant at level `la` never sees or changes anything of a tenant at level `lb`. */
export function crossTenantCase(la: IsolationLevel, lb: IsolationLevel): ContractCase {
  return [
    `a ${la} tenant never sees or changes a ${lb} tenant's resources`,
    async ({ storage, tenantAt, query, expect, expectScimError, memberValues, groupValues }: CaseContext) => {
      const a = tenantAt(la, 'a');
      const b = tenantAt(lb, 'b');
      const ub = await storage.create(b, USER, user('victim', { externalId: 'x-1' }), userNameUnique('victim'));
      const gb = await storage.create(b, GROUP, group('victims', { members: [{ value: ub.id, type: 'User' }] }));
      const ua = await storage.create(a, USER, user('own'));

      expect(await storage.get(a, USER, ub.id)).toBeNull();
      expect(await storage.get(a, GROUP, gb.id)).toBeNull();
      await expectScimError(storage.replace(a, USER, ub.id, user('hijack')), 404);
      await expectScimError(storage.replace(a, GROUP, gb.id, group('hijack')), 404);
      await expectScimError(storage.delete(a, USER, ub.id), 404);
      await expectScimError(storage.delete(a, GROUP, gb.id), 404);
      await expectScimError(storage.updateMembers(a, GROUP, gb.id, { removeAll: true }), 404);
      expect((await storage.get(b, USER, ub.id))?.groups).toEqual([{ value: gb.id, display: 'victims', type: 'direct' }]);
      expect(await storage.count(a, USER)).toBe(1);
      expect(await storage.count(a, GROUP)).toBe(0);
      expect((await query(a, 'User')).resources.map((x) => x.id)).toEqual([ua.id]);
      expect((await query(a, 'User', { filterText: 'userName eq "victim"' })).totalResults).toBe(0);
      expect((await query(a, 'User', { filterText: 'externalId eq "x-1"' })).totalResults).toBe(0);
      expect((await query(a, 'Group', { filterText: 'displayName eq "victims"' })).totalResults).toBe(0);
      // the same unique value is free in A
      await storage.create(a, USER, user('Victim'), userNameUnique('Victim'));

      // A's group cannot take B's user as a member, or at least never shows it either way
      const ga = await storage.create(a, GROUP, group('mine'));
      try {
        await storage.updateMembers(a, GROUP, ga.id, { add: [{ value: ub.id, type: 'User' }] });
      } catch (err) {
        expect(isScimError(err) && err.status >= 400 && err.status < 500).toBe(true);
      }
      expect(memberValues(await storage.get(a, GROUP, ga.id))).not.toContain(ub.id);
      expect(groupValues(await storage.get(b, USER, ub.id))).toEqual([gb.id]);

      const bUser = await storage.get(b, USER, ub.id);
      expect(bUser?.userName).toBe('victim');
      expect(bUser?.meta.version).toBe('W/"1"');
      expect(memberValues(await storage.get(b, GROUP, gb.id))).toEqual([ub.id]);
      expect(await storage.count(b, USER)).toBe(1);

      await storage.dropTenant(a.tenantId);
      expect(await storage.get(b, USER, ub.id)).not.toBeNull();
      expect(await storage.count(b, GROUP)).toBe(1);
    },
  ];
}

function otherLevels(level: IsolationLevel): IsolationLevel[] {
  return (['strict', 'standard', 'shared'] as const).filter((l) => l !== level);
}

/** A tenant's isolation level may change only while it holds nothing. */
export const LEVEL_CHANGE_CASES: readonly ContractCase[] = [
  [
    'a tenant whose isolation level changed while it holds data gets a 503 naming the tenant and both levels',
    async ({ storage, level, tenant, query, expect, expectScimError }) => {
      const t = tenant('moved');
      const u = await storage.create(t, USER, user('stays'));
      for (const other of otherLevels(level)) {
        const moved = { ...t, isolationLevel: other };
        const calls = [() => storage.get(moved, USER, u.id), () => storage.create(moved, USER, user('new')), () => query(moved, 'User')];
        for (const call of calls) {
          const err = await expectScimError(call(), 503);
          expect(err.detail).toContain(t.tenantId);
          expect(err.detail).toContain(`"${level}"`);
          expect(err.detail).toContain(`"${other}"`);
        }
      }
      expect((await storage.get(t, USER, u.id))?.userName).toBe('stays');
      expect(await storage.count(t, USER)).toBe(1);
    },
  ],
  [
    'a tenant that holds nothing may change its isolation level',
    async ({ storage, level, tenant, expect, expectScimError }) => {
      const t = tenant('empty');
      const u = await storage.create(t, USER, user('gone'));
      await storage.delete(t, USER, u.id);
      const [other] = otherLevels(level);
      if (other === undefined) throw new Error('three levels expected');
      const moved = { ...t, isolationLevel: other };
      const again = await storage.create(moved, USER, user('again'));
      expect((await storage.get(moved, USER, again.id))?.userName).toBe('again');
      await expectScimError(storage.get(t, USER, again.id), 503);
      await storage.dropTenant(t.tenantId);
      expect(await storage.count(t, USER)).toBe(0);
    },
  ],
];
