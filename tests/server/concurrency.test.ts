import { describe, expect, it } from 'vitest';
import { testServer, type Body } from '../helpers/scim-client.js';

describe('ETag concurrency', () => {
  it('lets exactly one of 50 concurrent PATCHes with the same If-Match win, and loses nothing', async () => {
    const { as } = testServer();
    const a = as('a');
    const u = await a.createUser('contended', { emails: [{ value: 'c@example.com', type: 'work' }] });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        a.patch(`/Users/${u.id}`, [{ op: 'add', path: 'phoneNumbers', value: [{ value: `+1-555-01${String(i).padStart(2, '0')}`, type: 'work' }] }], {
          'if-match': 'W/"1"',
        }),
      ),
    );
    const ok = results.filter((r) => r.status === 200);
    const stale = results.filter((r) => r.status === 412);
    expect(ok).toHaveLength(1);
    expect(stale).toHaveLength(49);
    for (const r of stale) expect((r.body as Body).status).toBe('412');
    const now = (await a.get(`/Users/${u.id}`)).body as Body;
    expect((now.meta as Body).version).toBe('W/"2"');
    expect(now.phoneNumbers).toEqual((ok[0]?.body as Body).phoneNumbers);
    expect(now.emails).toEqual([{ value: 'c@example.com', type: 'work' }]);
  });

  it('applies every one of 50 concurrent PATCHes without If-Match: none is lost', async () => {
    const { as } = testServer();
    const a = as('a');
    const u = await a.createUser('busy');
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        a.patch(`/Users/${u.id}`, [{ op: 'add', path: 'phoneNumbers', value: [{ value: `+1-555-02${String(i).padStart(2, '0')}`, type: 'work' }] }]),
      ),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    const now = (await a.get(`/Users/${u.id}`)).body as Body;
    expect((now.phoneNumbers as Body[]).length).toBe(50);
    expect((now.meta as Body).version).toBe('W/"51"');
  });

  it('adds every member of 50 concurrent member PATCHes to one group', async () => {
    const { as } = testServer();
    const a = as('a');
    const users = await Promise.all(Array.from({ length: 50 }, (_, i) => a.createUser(`m${i}`)));
    const g = await a.createGroup('crowd');
    const results = await Promise.all(users.map((u) => a.patch(`/Groups/${g.id}`, [{ op: 'add', path: 'members', value: [{ value: u.id }] }])));
    expect(results.every((r) => r.status === 204)).toBe(true);
    const now = (await a.get(`/Groups/${g.id}`)).body as Body;
    expect((now.members as Body[]).length).toBe(50);
    expect((now.meta as Body).version).toBe('W/"51"');
  });

  it('moves the version on every change, membership included, and not on a no-op', async () => {
    const { as } = testServer();
    const a = as('a');
    const u = await a.createUser('v');
    const g = await a.createGroup('vg');
    const version = async (path: string) => (((await a.get(path)).body as Body).meta as Body).version;
    expect(await version(`/Groups/${g.id}`)).toBe('W/"1"');
    await a.patch(`/Groups/${g.id}`, [{ op: 'add', path: 'members', value: [{ value: u.id }] }]);
    expect(await version(`/Groups/${g.id}`)).toBe('W/"2"');
    await a.patch(`/Groups/${g.id}`, [{ op: 'add', path: 'members', value: [{ value: u.id }] }]);
    expect(await version(`/Groups/${g.id}`)).toBe('W/"2"');
    await a.patch(`/Groups/${g.id}`, [{ op: 'remove', path: `members[value eq "${u.id}"]` }]);
    expect(await version(`/Groups/${g.id}`)).toBe('W/"3"');
    await a.patch(`/Users/${u.id}`, [{ op: 'replace', path: 'displayName', value: 'V' }]);
    expect(await version(`/Users/${u.id}`)).toBe('W/"2"');
    const del = await a.delete(`/Groups/${g.id}`, { 'if-match': 'W/"2"' });
    expect(del.status).toBe(412);
    expect((await a.delete(`/Groups/${g.id}`, { 'if-match': 'W/"3"' })).status).toBe(204);
  });
});
