import { describe, expect, it } from 'vitest';
import { GROUP_SCHEMA, SEARCH, USER_SCHEMA, testServer, type Body, type Client } from '../helpers/scim-client.js';

interface Owned {
  users: Body[];
  groups: Body[];
}

async function populate(client: Client, tag: string): Promise<Owned> {
  const users = [
    await client.createUser(`shared-name@example.com`, { externalId: `ext-${tag}`, emails: [{ value: `x@${tag}.example`, type: 'work' }] }),
    await client.createUser(`only-${tag}@example.com`, { displayName: `Only ${tag}` }),
  ];
  const groups = [
    await client.createGroup(
      `Group ${tag}`,
      users.map((u) => u.id as string),
    ),
  ];
  return { users, groups };
}

const tenants = ['a', 'b', 'c'];

describe('tenant isolation across every endpoint', () => {
  it('never lets one tenant see, change or reference another tenant’s resources', async () => {
    const { as } = testServer();
    const owned: Record<string, Owned> = {};
    for (const t of tenants) owned[t] = await populate(as(t), t);
    const versions = async (t: string) => {
      const c = as(t);
      const out: Record<string, unknown> = {};
      for (const r of [...owned[t]!.users, ...owned[t]!.groups]) {
        const path = (r.meta as Body).resourceType === 'User' ? 'Users' : 'Groups';
        const got = await c.get(`/${path}/${r.id}`);
        expect(got.status).toBe(200);
        out[r.id as string] = got.body;
      }
      return out;
    };
    const before = Object.fromEntries(await Promise.all(tenants.map(async (t) => [t, await versions(t)] as const)));

    for (const me of tenants) {
      const client = as(me);
      const myUser = owned[me]!.users[0]!.id as string;
      const myGroup = owned[me]!.groups[0]!.id as string;
      for (const other of tenants.filter((t) => t !== me)) {
        for (const u of owned[other]!.users) {
          const id = u.id as string;
          expect((await client.get(`/Users/${id}`)).status).toBe(404);
          expect((await client.get(`/Groups/${id}`)).status).toBe(404);
          expect((await client.put(`/Users/${id}`, { schemas: [USER_SCHEMA], userName: 'taken-over' })).status).toBe(404);
          expect((await client.patch(`/Users/${id}`, [{ op: 'replace', path: 'active', value: false }])).status).toBe(404);
          expect((await client.delete(`/Users/${id}`)).status).toBe(404);
          const byId = await client.get('/Users', { filter: `id eq "${id}"` });
          expect((byId.body as Body).totalResults).toBe(0);
          const searched = await client.post('/.search', { schemas: [SEARCH], filter: `id eq "${id}"` });
          expect((searched.body as Body).totalResults).toBe(0);
          const asMember = await client.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: `steal ${id}`, members: [{ value: id }] });
          expect(asMember.status).toBe(400);
          const addMember = await client.patch(`/Groups/${myGroup}`, [{ op: 'add', path: 'members', value: [{ value: id }] }]);
          expect(addMember.status).toBe(400);
          const putMember = await client.put(`/Groups/${myGroup}`, { schemas: [GROUP_SCHEMA], displayName: 'x', members: [{ value: id }] });
          expect(putMember.status).toBe(400);
        }
        for (const g of owned[other]!.groups) {
          const id = g.id as string;
          expect((await client.get(`/Groups/${id}`)).status).toBe(404);
          expect((await client.patch(`/Groups/${id}`, [{ op: 'add', path: 'members', value: [{ value: myUser }] }])).status).toBe(404);
          expect((await client.put(`/Groups/${id}`, { schemas: [GROUP_SCHEMA], displayName: 'mine now' })).status).toBe(404);
          expect((await client.delete(`/Groups/${id}`)).status).toBe(404);
          const filtered = await client.get('/Groups', { filter: `displayName eq "Group ${other}"` });
          expect((filtered.body as Body).totalResults).toBe(0);
        }
        const onlyTheirs = await client.get('/Users', { filter: `userName eq "only-${other}@example.com" or externalId eq "ext-${other}"` });
        expect((onlyTheirs.body as Body).totalResults).toBe(0);
        const byEmail = await client.get('/Users', { filter: `emails[value co "${other}.example"]` });
        expect((byEmail.body as Body).totalResults).toBe(0);
      }
      const mine = new Set([...owned[me]!.users, ...owned[me]!.groups].map((r) => r.id));
      const users = await client.get('/Users', { count: '200' });
      expect((users.body as Body).totalResults).toBe(2);
      for (const r of (users.body as Body).Resources as Body[]) expect(mine.has(r.id)).toBe(true);
      const shared = await client.get('/Users', { filter: 'userName eq "shared-name@example.com"' });
      expect((shared.body as Body).totalResults).toBe(1);
      expect(((shared.body as Body).Resources as Body[])[0]?.id).toBe(owned[me]!.users[0]!.id);
      const root = await client.post('/.search', { schemas: [SEARCH], count: 200, sortBy: 'meta.created' });
      expect((root.body as Body).totalResults).toBe(3);
      for (const r of (root.body as Body).Resources as Body[]) expect(mine.has(r.id)).toBe(true);
      // A user's derived groups never list another tenant's groups.
      const me0 = (await client.get(`/Users/${myUser}`)).body as Body;
      for (const g of (me0.groups as Body[]) ?? []) expect(mine.has(g.value)).toBe(true);
    }

    const after = Object.fromEntries(await Promise.all(tenants.map(async (t) => [t, await versions(t)] as const)));
    expect(after).toEqual(before);
  });

  it('builds meta.location and $ref from each tenant’s own base URL', async () => {
    const { server } = testServer();
    const mk = async (token: string, origin: string) =>
      server.handle({
        method: 'POST',
        path: '/scim/v2/Users',
        origin,
        headers: { authorization: `Bearer ${token}` },
        body: { schemas: [USER_SCHEMA], userName: 'same' },
      });
    const [ra, rb] = await Promise.all([mk('token-a', 'https://a.example.com'), mk('token-b', 'https://b.example.com')]);
    expect(((ra.body as Body).meta as Body).location).toMatch(/^https:\/\/a\.example\.com\/scim\/v2\/Users\//);
    expect(((rb.body as Body).meta as Body).location).toMatch(/^https:\/\/b\.example\.com\/scim\/v2\/Users\//);
  });
});

describe('quotas and permissions through the server', () => {
  it('lets exactly the free slots win when creates race for them', async () => {
    const { as } = testServer([{ id: 'q', token: 'tq', permissions: { maxUsers: 10 } }]);
    const client = as('q');
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => client.post('/Users', { schemas: [USER_SCHEMA], userName: `racer${i}` })));
    const created = results.filter((r) => r.status === 201);
    const refused = results.filter((r) => r.status === 403);
    expect(created).toHaveLength(10);
    expect(refused).toHaveLength(40);
    for (const r of refused) expect((r.body as Body).detail).toContain('maxUsers');
    const list = await client.get('/Users', { count: '0' });
    expect((list.body as Body).totalResults).toBe(10);
  });

  it('refuses denied operations with 403 naming the permission, and everything after expiry', async () => {
    let now = new Date('2026-01-01T00:00:00Z');
    const { as } = testServer(
      [
        { id: 'nodel', token: 't1', permissions: { canDelete: false, maxGroups: 1 } },
        { id: 'trial', token: 't2', permissions: { expiresAt: '2026-01-15T00:00:00Z' } },
      ],
      { now: () => now },
    );
    const u = await as('nodel').createUser('keep');
    const del = await as('nodel').delete(`/Users/${u.id}`);
    expect(del.status).toBe(403);
    expect((del.body as Body).detail).toContain('canDelete');
    await as('nodel').createGroup('one');
    const second = await as('nodel').post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'two' });
    expect(second.status).toBe(403);
    expect((second.body as Body).detail).toContain('maxGroups');
    const t = await as('trial').createUser('trialist');
    now = new Date('2026-01-16T00:00:00Z');
    for (const r of [
      await as('trial').get(`/Users/${t.id}`),
      await as('trial').get('/Users'),
      await as('trial').get('/ServiceProviderConfig'),
      await as('trial').post('/Users', { schemas: [USER_SCHEMA], userName: 'late' }),
    ]) {
      expect(r.status).toBe(403);
      expect((r.body as Body).detail).toContain('expiresAt');
    }
  });
});
