import type { StorageProvider } from '../storage/storage-provider.js';
import { isScimError } from '../error/scim-error.js';
import type { SortSpec } from '../query/ast.js';
import type { ScimResource } from '../schema/types.js';
import type { TenantContext } from '../tenant/tenant-context.js';
import type { ContractCase } from './contract-cases.js';
import { user, group, USER, GROUP } from './contract-kit.js';

/** Five users with names, emails and external ids to query. */
async function seedUsers(storage: StorageProvider, t: TenantContext): Promise<ScimResource[]> {
  const rows: [string, string, string, string][] = [
    ['bjensen', 'Jensen', 'bjensen@example.com', 'e-1'],
    ['jsmith', 'Smith', 'jsmith@example.org', 'e-2'],
    ['Adoe', 'Doe', 'adoe@example.com', 'E-3'],
    ['mjackson', 'Jackson', 'mj@example.com', 'e-4'],
    ['zed', 'Zimmerman', 'zed@example.net', 'e-5'],
  ];
  const out: ScimResource[] = [];
  for (const [userName, familyName, email, externalId] of rows) {
    out.push(
      await storage.create(t, USER, user(userName, { externalId, name: { familyName }, emails: [{ value: email, type: 'work' }], active: userName !== 'zed' })),
    );
  }
  return out;
}

/** Filters, sorting and index paging. */
export const QUERY_CASES: readonly ContractCase[] = [
  [
    'with no filter returns everything in creation order',
    async ({ storage, tenant, query, expect }) => {
      const t = tenant();
      const users = await seedUsers(storage, t);
      const r = await query(t, 'User');
      expect(r.totalResults).toBe(5);
      expect(r.resources.map((x) => x.id)).toEqual(users.map((u) => u.id));
    },
  ],
  [
    'userName eq matches case-insensitively',
    async ({ storage, tenant, query, expect }) => {
      const t = tenant();
      const users = await seedUsers(storage, t);
      const r = await query(t, 'User', { filterText: 'userName eq "BJENSEN"' });
      expect(r.totalResults).toBe(1);
      expect(r.resources[0]!.id).toBe(users[0]!.id);
    },
  ],
  [
    'externalId eq matches exactly',
    async ({ storage, tenant, query, expect }) => {
      const t = tenant();
      const users = await seedUsers(storage, t);
      expect((await query(t, 'User', { filterText: 'externalId eq "E-3"' })).resources.map((x) => x.id)).toEqual([users[2]!.id]);
      expect((await query(t, 'User', { filterText: 'externalId eq "e-3"' })).totalResults).toBe(0);
    },
  ],
  [
    'evaluates compound filters, sub-attributes and value paths',
    async ({ storage, tenant, query, expect }) => {
      const t = tenant();
      const users = await seedUsers(storage, t);
      const ids = async (f: string) => (await query(t, 'User', { filterText: f })).resources.map((x) => x.userName);
      expect(await ids('name.familyName sw "J"')).toEqual(['bjensen', 'mjackson']);
      expect(await ids('emails[type eq "work" and value ew "example.com"]')).toEqual(['bjensen', 'Adoe', 'mjackson']);
      expect(await ids('userName eq "jsmith" or active eq false')).toEqual(['jsmith', 'zed']);
      expect(await ids('not (emails.value co "example.com") and userName pr')).toEqual(['jsmith', 'zed']);
      expect(users).toHaveLength(5);
    },
  ],
  [
    'sorts ascending and descending',
    async ({ storage, tenant, query, expect }) => {
      const t = tenant();
      await seedUsers(storage, t);
      const sort = (order: SortSpec['order']): SortSpec => ({ path: { attr: 'userName' }, order });
      const asc = (await query(t, 'User', { sort: sort('ascending') })).resources.map((x) => x.userName);
      const desc = (await query(t, 'User', { sort: sort('descending') })).resources.map((x) => x.userName);
      expect(asc).toEqual(['Adoe', 'bjensen', 'jsmith', 'mjackson', 'zed']);
      expect(desc).toEqual([...asc].reverse());
    },
  ],
  [
    'pages with a 1-based startIndex; count 0 returns only the total',
    async ({ storage, tenant, query, expect }) => {
      const t = tenant();
      const users = await seedUsers(storage, t);
      const page = await query(t, 'User', { startIndex: 2, count: 2 });
      expect(page.totalResults).toBe(5);
      expect(page.resources.map((x) => x.id)).toEqual([users[1]!.id, users[2]!.id]);
      const none = await query(t, 'User', { count: 0 });
      expect(none).toEqual({ resources: [], totalResults: 5 });
      const filteredNone = await query(t, 'User', { count: 0, filterText: 'active eq true' });
      expect(filteredNone).toEqual({ resources: [], totalResults: 4 });
      const beyond = await query(t, 'User', { startIndex: 9, count: 5 });
      expect(beyond).toEqual({ resources: [], totalResults: 5 });
    },
  ],
  [
    'pages concatenate to the full result, in a stable order, for any page size',
    async ({ storage, tenant, query, expect }) => {
      const t = tenant();
      for (let i = 0; i < 23; i++) await storage.create(t, USER, user(`user${i % 7}-${i}`, { title: i % 3 === 0 ? 'same' : `t${i % 4}` }));
      for (const base of [{}, { sort: { path: { attr: 'title' }, order: 'ascending' } as SortSpec }, { filterText: 'title ne "t1"' }]) {
        const all = (await query(t, 'User', { ...base, count: 1000 })).resources.map((x) => x.id);
        for (const count of [1, 2, 3, 5, 7, 10, 23, 50]) {
          const seen: string[] = [];
          for (let start = 1; start <= all.length; start += count) {
            const page = await query(t, 'User', { ...base, startIndex: start, count });
            expect(page.totalResults).toBe(all.length);
            seen.push(...page.resources.map((x) => x.id));
          }
          expect(seen).toEqual(all);
        }
      }
    },
  ],
  [
    'Group displayName eq is case-insensitive, and results carry members unless excluded',
    async ({ storage, tenant, query, expect, memberValues }) => {
      const t = tenant();
      const u = await storage.create(t, USER, user('member'));
      const g = await storage.create(t, GROUP, group('Engineering', { members: [{ value: u.id, type: 'User' }] }));
      await storage.create(t, GROUP, group('Sales'));
      const r = await query(t, 'Group', { filterText: 'displayName eq "engineering"' });
      expect(r.resources.map((x) => x.id)).toEqual([g.id]);
      expect(memberValues(r.resources[0]!)).toEqual([u.id]);
      const slim = await query(t, 'Group', { filterText: 'displayName eq "engineering"', excludeMembers: true });
      expect(slim.resources[0]!.members).toBeUndefined();
    },
  ],
  [
    'filters groups on their members',
    async ({ storage, tenant, query, expect }) => {
      const t = tenant();
      const u = await storage.create(t, USER, user('member'));
      const g = await storage.create(t, GROUP, group('With', { members: [{ value: u.id, type: 'User' }] }));
      await storage.create(t, GROUP, group('Without'));
      const r = await query(t, 'Group', { filterText: `members[value eq "${u.id}"]`, excludeMembers: true });
      expect(r.resources.map((x) => x.id)).toEqual([g.id]);
      expect(r.resources[0]!.members).toBeUndefined();
    },
  ],
  [
    'filters users on the groups they belong to',
    async ({ storage, tenant, query, expect, groupValues }) => {
      const t = tenant();
      const a = await storage.create(t, USER, user('a'));
      await storage.create(t, USER, user('b'));
      const c = await storage.create(t, USER, user('c'));
      const g = await storage.create(t, GROUP, group('G', { members: [{ value: a.id }, { value: c.id }] }));
      const r = await query(t, 'User', { filterText: `groups.value eq "${g.id}"` });
      expect(r.resources.map((x) => x.id)).toEqual([a.id, c.id]);
      expect(groupValues(r.resources[0]!)).toEqual([g.id]);
    },
  ],
  [
    'an unknown attribute in the filter is a 400 invalidFilter or matches nothing, never an error of another kind',
    async ({ storage, tenant, query, expect }) => {
      const t = tenant();
      await seedUsers(storage, t);
      try {
        const r = await query(t, 'User', { filterText: 'noSuchAttribute eq "x"' });
        expect(r.totalResults).toBe(0);
      } catch (err) {
        expect(isScimError(err) && err.status === 400 && err.scimType === 'invalidFilter').toBe(true);
      }
    },
  ],
];
