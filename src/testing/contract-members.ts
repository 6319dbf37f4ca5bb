import type { ScimResource } from '../schema/types.js';
import type { ContractCase } from './contract-cases.js';
import { isScimError } from '../error/scim-error.js';
import { user, group, rejection, USER, GROUP, GROUP_SCHEMA_RT } from './contract-kit.js';
import { v4 as uuidv4 } from 'uuid';

/** Group members as a set beside the group, and the groups users show. */
export const MEMBER_CASES: readonly ContractCase[] = [
  [
    'a Group body sets the member set (duplicates count once); users show their groups',
    async ({ storage, tenant, expect, memberValues, people }) => {
      const t = tenant();
      const [a, b] = await people(t, 2);
      const g = await storage.create(
        t,
        GROUP,
        group('Admins', { members: [{ value: a.id, type: 'User' }, { value: b.id, type: 'User', display: 'p1' }, { value: a.id }] }),
      );
      expect(memberValues(g)).toEqual([a.id, b.id].sort());
      const read = await storage.get(t, GROUP, g.id);
      expect(memberValues(read)).toEqual([a.id, b.id].sort());
      const bRef = (read?.members as { value: string; type?: string; display?: string }[]).find((m) => m.value === b.id);
      expect(bRef).toMatchObject({ value: b.id, type: 'User', display: 'p1' });
      const ua = await storage.get(t, USER, a.id);
      expect(ua?.groups).toEqual([{ value: g.id, display: 'Admins', type: 'direct' }]);
    },
  ],
  [
    'ignores groups in a User body',
    async ({ storage, tenant, expect, memberValues }) => {
      const t = tenant();
      const g = await storage.create(t, GROUP, group('real'));
      const u = await storage.create(t, USER, user('u', { groups: [{ value: g.id, display: 'real' }] }));
      expect(u.groups).toBeUndefined();
      expect(memberValues(await storage.get(t, GROUP, g.id))).toEqual([]);
      const r = await storage.replace(t, USER, u.id, user('u', { groups: [{ value: g.id }] }));
      expect(r.groups).toBeUndefined();
    },
  ],
  [
    'excludeMembers leaves the members out',
    async ({ storage, tenant, expect, people }) => {
      const t = tenant();
      const [a] = await people(t, 1);
      const g = await storage.create(t, GROUP, group('g', { members: [{ value: a.id, type: 'User' }] }));
      const read = await storage.get(t, GROUP, g.id, { excludeMembers: true });
      expect(read?.members).toBeUndefined();
      expect(read?.displayName).toBe('g');
    },
  ],
  [
    'updateMembers adds and removes with set semantics and reports the net change',
    async ({ storage, tenant, expect, memberValues, groupValues, people }) => {
      const t = tenant();
      const [a, b, c] = await people(t, 3);
      const g = await storage.create(t, GROUP, group('g', { members: [{ value: a.id, type: 'User' }] }));
      const r1 = await storage.updateMembers(t, GROUP, g.id, {
        add: [
          { value: a.id, type: 'User' },
          { value: b.id, type: 'User' },
          { value: b.id, type: 'User' },
        ],
      });
      expect(r1.added).toEqual([b.id]);
      expect(r1.removed).toEqual([]);
      expect(r1.resource.meta.version).toBe('W/"2"');
      expect(r1.resource.id).toBe(g.id);
      const r2 = await storage.updateMembers(t, GROUP, g.id, { remove: [a.id, c.id] });
      expect(r2.added).toEqual([]);
      expect(r2.removed).toEqual([a.id]);
      expect(r2.resource.meta.version).toBe('W/"3"');
      expect(memberValues(await storage.get(t, GROUP, g.id))).toEqual([b.id]);
      expect(groupValues(await storage.get(t, USER, a.id))).toEqual([]);
      expect(groupValues(await storage.get(t, USER, b.id))).toEqual([g.id]);
    },
  ],
  [
    'a change that changes nothing keeps the version',
    async ({ storage, tenant, expect, people }) => {
      const t = tenant();
      const [a, b] = await people(t, 2);
      const g = await storage.create(t, GROUP, group('g', { members: [{ value: a.id, type: 'User' }] }));
      const r = await storage.updateMembers(t, GROUP, g.id, { add: [{ value: a.id, type: 'User' }], remove: [b.id] });
      expect(r.added).toEqual([]);
      expect(r.removed).toEqual([]);
      expect(r.resource.meta.version).toBe(g.meta.version);
      expect((await storage.get(t, GROUP, g.id))?.meta).toEqual(g.meta);
    },
  ],
  [
    'removeAll empties the set before adding',
    async ({ storage, tenant, expect, memberValues, people }) => {
      const t = tenant();
      const [a, b, c] = await people(t, 3);
      const g = await storage.create(t, GROUP, group('g', { members: [{ value: a.id }, { value: b.id }] }));
      const r = await storage.updateMembers(t, GROUP, g.id, { removeAll: true, add: [{ value: b.id }, { value: c.id }] });
      expect(r.added).toEqual([c.id]);
      expect(r.removed).toEqual([a.id]);
      expect(memberValues(await storage.get(t, GROUP, g.id))).toEqual([b.id, c.id].sort());
    },
  ],
  [
    'updateMembers on an unknown group, or on a User id, is a 404',
    async ({ storage, tenant, expectScimError, people }) => {
      const t = tenant();
      const [a] = await people(t, 1);
      await expectScimError(storage.updateMembers(t, GROUP, uuidv4(), { add: [{ value: a.id }] }), 404);
      await expectScimError(storage.updateMembers(t, GROUP, a.id, { remove: [a.id] }), 404);
    },
  ],
  [
    'replace without members empties the set; with memberDelta it applies the delta and ignores body.members',
    async ({ storage, tenant, expect, memberValues, groupValues, people }) => {
      const t = tenant();
      const [a, b, c] = await people(t, 3);
      const g = await storage.create(t, GROUP, group('g', { members: [{ value: a.id }, { value: b.id }] }));
      const r1 = await storage.replace(t, GROUP, g.id, group('g1', { members: [{ value: a.id }, { value: b.id }] }), {
        memberDelta: { add: [{ value: c.id, type: 'User' }], remove: [a.id] },
      });
      expect(r1.displayName).toBe('g1');
      expect(memberValues(r1)).toEqual([b.id, c.id].sort());
      expect(r1.meta.version).toBe('W/"2"');
      const r2 = await storage.replace(t, GROUP, g.id, group('g2'));
      expect(memberValues(r2)).toEqual([]);
      expect(memberValues(await storage.get(t, GROUP, g.id))).toEqual([]);
      expect(groupValues(await storage.get(t, USER, b.id))).toEqual([]);
      const r3 = await storage.replace(t, GROUP, g.id, group('g3', { members: [{ value: a.id }] }));
      expect(memberValues(r3)).toEqual([a.id]);
      expect(groupValues(await storage.get(t, USER, a.id))).toEqual([g.id]);
    },
  ],
  [
    'deleting a member takes it out of every group and bumps those groups',
    async ({ storage, tenant, expect, versionOf, memberValues, people }) => {
      const t = tenant();
      const [a, b] = await people(t, 2);
      const g1 = await storage.create(t, GROUP, group('g1', { members: [{ value: a.id }, { value: b.id }] }));
      const g2 = await storage.create(t, GROUP, group('g2', { members: [{ value: a.id }] }));
      const outcome = await storage.delete(t, USER, a.id);
      const r1 = await storage.get(t, GROUP, g1.id);
      const r2 = await storage.get(t, GROUP, g2.id);
      // The delete reports each group it changed, with the version the group now has: the
      // server audits those changes as changes of their own.
      const reported = [...(outcome?.containers ?? [])].sort((x, y) => x.id.localeCompare(y.id));
      expect(reported).toEqual(
        [
          { resourceType: 'Group', id: g1.id, version: r1?.meta.version },
          { resourceType: 'Group', id: g2.id, version: r2?.meta.version },
        ].sort((x, y) => x.id.localeCompare(y.id)),
      );
      expect((await storage.delete(t, USER, b.id))?.containers).toEqual([
        { resourceType: 'Group', id: g1.id, version: (await storage.get(t, GROUP, g1.id))?.meta.version },
      ]);
      expect((await storage.delete(t, GROUP, g2.id))?.containers).toEqual([]);
      expect(memberValues(r1)).toEqual([b.id]);
      expect(memberValues(r2)).toEqual([]);
      expect(versionOf(r1 as ScimResource)).toBeGreaterThan(versionOf(g1));
      expect(versionOf(r2 as ScimResource)).toBeGreaterThan(versionOf(g2));
      expect(await storage.get(t, USER, a.id)).toBeNull();
    },
  ],
  [
    'deleting a group removes it from its members and from groups that contain it',
    async ({ storage, tenant, expect, memberValues, people }) => {
      const t = tenant();
      const [a] = await people(t, 1);
      const inner = await storage.create(t, GROUP, group('inner', { members: [{ value: a.id, type: 'User' }] }));
      const outer = await storage.create(t, GROUP, group('outer', { members: [{ value: inner.id, type: 'Group' }] }));
      expect(memberValues(await storage.get(t, GROUP, outer.id))).toEqual([inner.id]);
      await storage.delete(t, GROUP, inner.id);
      expect((await storage.get(t, USER, a.id))?.groups).toBeUndefined();
      expect(memberValues(await storage.get(t, GROUP, outer.id))).toEqual([]);
    },
  ],
  [
    "a user's groups show the group's current displayName",
    async ({ storage, tenant, expect, people }) => {
      const t = tenant();
      const [a] = await people(t, 1);
      const g = await storage.create(t, GROUP, group('Before', { members: [{ value: a.id }] }));
      await storage.replace(t, GROUP, g.id, group('After', { members: [{ value: a.id }] }));
      expect((await storage.get(t, USER, a.id))?.groups).toEqual([{ value: g.id, display: 'After', type: 'direct' }]);
    },
  ],
  [
    'maxMembers refuses growth past the limit with a 403 naming maxMembersPerGroup; removals still work',
    async ({ storage, tenant, expect, expectScimError, memberValues, people }) => {
      const t = tenant();
      const ps = await people(t, 4);
      const refs = ps.map((p) => ({ value: p.id, type: 'User' }));
      const err = await expectScimError(storage.create(t, GROUP, group('big', { members: refs }), { maxMembers: 3 }), 403);
      expect(err.detail).toContain('maxMembersPerGroup');
      expect(await storage.count(t, GROUP)).toBe(0);
      const g = await storage.create(t, GROUP, group('g', { members: refs.slice(0, 2) }), { maxMembers: 3 });
      await storage.updateMembers(t, GROUP, g.id, { add: [refs[2]!] }, { maxMembers: 3 });
      const e2 = await expectScimError(storage.updateMembers(t, GROUP, g.id, { add: [refs[3]!] }, { maxMembers: 3 }), 403);
      expect(e2.detail).toContain('maxMembersPerGroup');
      await expectScimError(storage.replace(t, GROUP, g.id, group('g', { members: refs }), { maxMembers: 3 }), 403);
      expect(memberValues(await storage.get(t, GROUP, g.id))).toHaveLength(3);
      const r = await storage.updateMembers(t, GROUP, g.id, { remove: [refs[0]!.value] }, { maxMembers: 1 });
      expect(r.removed).toEqual([refs[0]!.value]);
    },
  ],
  [
    'a member change is all or nothing',
    async ({ storage, tenant, expect, memberValues, people }) => {
      const t = tenant();
      const [a, b] = await people(t, 2);
      const g = await storage.create(t, GROUP, group('g', { members: [{ value: a.id }] }));
      await rejection(storage.updateMembers(t, GROUP, g.id, { remove: [a.id], add: [{ value: b.id }, { value: uuidv4() }] }));
      expect(memberValues(await storage.get(t, GROUP, g.id))).toEqual([a.id]);
      expect((await storage.get(t, GROUP, g.id))?.meta.version).toBe(g.meta.version);
    },
  ],
  [
    'members deleted while changes add them: each add lands before the delete or is a 400, and no membership outlives its member',
    async ({ storage, tenant, expect, memberValues, people }) => {
      const t = tenant();
      const ps = await people(t, 12);
      const g = await storage.create(t, GROUP, group('g'));
      const statusOf = (work: Promise<unknown>): Promise<number> =>
        work.then(
          () => 200,
          (err: unknown) => (isScimError(err) ? err.status : Promise.reject(err)),
        );
      const racing = ps.map((p, i) => {
        const calls = (): [Promise<number>, Promise<number>, Promise<number>] => {
          const add = () => statusOf(storage.updateMembers(t, GROUP, g.id, { add: [{ value: p.id, type: 'User' }] }));
          const create = () => statusOf(storage.create(t, GROUP, group(`with-${i}`, { members: [{ value: p.id, type: 'User' }] })));
          const remove = () => statusOf(storage.delete(t, USER, p.id));
          if (i % 2 === 0) {
            const r = remove();
            return [r, add(), create()];
          }
          const [a, c] = [add(), create()];
          return [remove(), a, c];
        };
        return Promise.all(calls());
      });
      for (const [remove, add, create] of await Promise.all(racing)) {
        expect(remove, 'the delete of the member').toBe(200);
        expect([200, 400], 'an add of the member').toContain(add);
        expect([200, 400], 'a create that lists the member').toContain(create);
      }
      expect(await storage.count(t, USER)).toBe(0);
      expect(memberValues(await storage.get(t, GROUP, g.id))).toEqual([]);
      const groups = await storage.query(t, GROUP, { schema: GROUP_SCHEMA_RT, startIndex: 1, count: 100 });
      for (const each of groups.resources) expect(memberValues(each), String(each.displayName)).toEqual([]);
    },
  ],
];
