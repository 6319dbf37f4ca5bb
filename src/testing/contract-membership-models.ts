import { parseFilter } from '../query/filter-parser.js';
import type { ScimResource } from '../schema/types.js';
import type { ContractCase } from './contract-cases.js';
import { user, group, USER, GROUP, TEAM, USER_IN_TEAMS, CREW, USER_SCHEMA_RT_WITH_TEAMS, team } from './contract-kit.js';
import { v4 as uuidv4 } from 'uuid';

/** Membership comes from the resource type model, not from type names: a Team of its own holds members too. */
export const MEMBERSHIP_MODEL_CASES: readonly ContractCase[] = [
  [
    'a type of its own holds members of several types; its members show it in their reverse attribute',
    async ({ storage, tenant, expect, memberValues, people }) => {
      const t = tenant();
      const [a] = await people(t, 1);
      const g = await storage.create(t, GROUP, group('g'));
      const tm = await storage.create(t, TEAM, team('Blue', { members: [{ value: a.id }, { value: g.id, type: 'Group' }] }));
      expect(memberValues(tm)).toEqual([a.id, g.id].sort());
      const read = await storage.get(t, TEAM, tm.id);
      expect(read?.meta.resourceType).toBe('Team');
      expect((read?.members as { value: string; type?: string }[]).find((m) => m.value === a.id)?.type).toBe('User');
      expect((await storage.get(t, USER_IN_TEAMS, a.id))?.teams).toEqual([{ value: tm.id, display: 'Blue', type: 'direct' }]);
      // the model decides what a read shows: without the Team relation a User shows no teams
      expect((await storage.get(t, USER, a.id))?.teams).toBeUndefined();
      expect((await storage.get(t, GROUP, g.id))?.teams).toBeUndefined();
      expect(await storage.get(t, GROUP, tm.id)).toBeNull();
    },
  ],
  [
    'member deltas, member limits and deletes work for it as for a Group',
    async ({ storage, tenant, expect, expectScimError, versionOf, memberValues, people }) => {
      const t = tenant();
      const [a, b, c] = await people(t, 3);
      const tm = await storage.create(t, TEAM, team('t', { members: [{ value: a.id }] }));
      const r = await storage.updateMembers(t, TEAM, tm.id, { add: [{ value: b.id }], remove: [a.id] });
      expect(r.added).toEqual([b.id]);
      expect(r.removed).toEqual([a.id]);
      expect(versionOf(r.resource)).toBe(versionOf(tm) + 1);
      await expectScimError(storage.updateMembers(t, TEAM, tm.id, { add: [{ value: c.id }] }, { maxMembers: 1 }), 403);
      await storage.delete(t, USER, b.id);
      const after = await storage.get(t, TEAM, tm.id);
      expect(memberValues(after)).toEqual([]);
      expect(versionOf(after as ScimResource)).toBe(versionOf(r.resource) + 1);
    },
  ],
  [
    'refuses members of a type the container does not allow, and ids of nothing',
    async ({ storage, tenant, expect, expectScimError, memberValues, people }) => {
      const t = tenant();
      const [a] = await people(t, 1);
      const g = await storage.create(t, GROUP, group('g'));
      await expectScimError(storage.create(t, CREW, team('c', { crew: [{ value: g.id }] })), 400, 'invalidValue');
      const crew = await storage.create(t, CREW, team('c', { crew: [{ value: a.id }] }));
      expect(memberValues({ ...crew, members: crew.crew } as ScimResource)).toEqual([a.id]);
      await expectScimError(storage.updateMembers(t, CREW, crew.id, { add: [{ value: g.id }] }), 400, 'invalidValue');
      await expectScimError(storage.updateMembers(t, TEAM, crew.id, { add: [{ value: uuidv4() }] }), 404);
      expect(await storage.count(t, CREW)).toBe(1);
    },
  ],
  [
    'ignores a body value for a derived reverse attribute, and refuses a member change on a type that holds none',
    async ({ storage, tenant, expect, memberValues, people }) => {
      const t = tenant();
      const [a] = await people(t, 1);
      const tm = await storage.create(t, TEAM, team('t'));
      const replaced = await storage.replace(t, USER_IN_TEAMS, a.id, user('p0', { teams: [{ value: tm.id }] }));
      expect(replaced.teams).toBeUndefined();
      expect(memberValues(await storage.get(t, TEAM, tm.id))).toEqual([]);
      let refused = false;
      await storage.updateMembers(t, USER, a.id, { add: [{ value: tm.id }] }).catch(() => (refused = true));
      expect(refused).toBe(true);
    },
  ],
  [
    'filters see the reverse attribute the model declares',
    async ({ storage, tenant, expect, people }) => {
      const t = tenant();
      const [a, b] = await people(t, 2);
      const tm = await storage.create(t, TEAM, team('t', { members: [{ value: a.id }] }));
      const r = await storage.query(t, USER_IN_TEAMS, {
        schema: USER_SCHEMA_RT_WITH_TEAMS,
        filter: parseFilter(`teams.value eq "${tm.id}"`),
        startIndex: 1,
        count: 10,
      });
      expect(r.resources.map((x) => x.id)).toEqual([a.id]);
      expect(r.resources[0]?.teams).toEqual([{ value: tm.id, display: 't', type: 'direct' }]);
      expect(b.id).not.toBe(a.id);
    },
  ],
];
