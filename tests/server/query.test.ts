import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENTERPRISE, GROUP_SCHEMA, SEARCH, USER_SCHEMA, testServer, type Body, type Client } from '../helpers/scim-client.js';

const fixture = (name: string): Body => JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'rfc7643', name), 'utf8')) as Body;

async function people(c: Client): Promise<Body[]> {
  const out: Body[] = [];
  const rows: [string, string, string, boolean, string[]][] = [
    ['bjensen', 'Barbara', 'Jensen', true, ['bjensen@example.com:work', 'babs@jensen.org:home']],
    ['jsmith', 'John', 'Smith', false, ['john@example.org:work']],
    ['adoe', 'Alice', 'Doe', true, ['alice@home.example:home']],
    ['zed', 'Zed', 'Zulu', true, []],
    ['mmouse', 'Minnie', 'Mouse', true, ['minnie@example.com:home', 'mm@example.com:work']],
  ];
  for (const [userName, givenName, familyName, active, emails] of rows) {
    out.push(
      await c.createUser(userName, {
        name: { givenName, familyName },
        active,
        ...(emails.length ? { emails: emails.map((e) => ({ value: e.split(':')[0], type: e.split(':')[1] })) } : {}),
        ...(userName === 'zed' ? {} : { title: `${givenName} title` }),
      }),
    );
  }
  return out;
}

const names = (r: { body?: unknown }) => (((r.body as Body).Resources as Body[]) ?? []).map((u) => u.userName);

describe('filters through the server', () => {
  it('applies value-path filters to one element at a time', async () => {
    const { as } = testServer();
    const c = as('a');
    await people(c);
    const r = await c.get('/Users', { filter: 'emails[type eq "work" and value co "example.com"]' });
    expect(names(r).sort()).toEqual(['bjensen', 'mmouse']);
    // minnie@example.com is home, mm@example.com is work: both conditions on one element
    const strict = await c.get('/Users', { filter: 'emails[type eq "home" and value sw "mm"]' });
    expect(names(strict)).toEqual([]);
    const combined = await c.get('/Users', { filter: 'userName eq "bjensen" and (emails[type eq "work" and value co "example.com"] or title pr)' });
    expect(names(combined)).toEqual(['bjensen']);
    const not = await c.get('/Users', { filter: 'not (active eq true) or title pr and name.familyName sw "Z"' });
    expect(names(not)).toEqual(['jsmith']);
  });

  it('refuses a bad filter with 400 invalidFilter naming the position', async () => {
    const { as } = testServer();
    const r = await as('a').get('/Users', { filter: 'userName eq' });
    expect(r.status).toBe(400);
    expect((r.body as Body).scimType).toBe('invalidFilter');
    expect((r.body as Body).detail).toMatch(/position/);
    const unknown = await as('a').get('/Users', { filter: 'shoeSize gt 3' });
    expect((unknown.body as Body).scimType).toBe('invalidFilter');
  });

  it('answers a filter on a secret attribute in a URL with sensitive, and in a body with invalidFilter', async () => {
    const { as } = testServer();
    const get = await as('a').get('/Users', { filter: 'password eq "hunter2"' });
    expect(get.status).toBe(400);
    expect((get.body as Body).scimType).toBe('sensitive');
    const post = await as('a').post('/Users/.search', { schemas: [SEARCH], filter: 'password eq "hunter2"' });
    expect(post.status).toBe(400);
    expect((post.body as Body).scimType).toBe('invalidFilter');
  });
});

describe('sorting and index paging', () => {
  it('sorts by any attribute in both orders and pages through a stable sequence', async () => {
    const { as } = testServer();
    const c = as('a');
    await people(c);
    const asc = await c.get('/Users', { sortBy: 'name.givenName' });
    expect(names(asc)).toEqual(['adoe', 'bjensen', 'jsmith', 'mmouse', 'zed']);
    const desc = await c.get('/Users', { sortBy: 'userName', sortOrder: 'descending' });
    expect(names(desc)).toEqual(['zed', 'mmouse', 'jsmith', 'bjensen', 'adoe']);
    const byEmail = await c.get('/Users', { sortBy: 'emails' });
    expect(names(byEmail).at(-1)).toBe('zed');
    for (const count of [1, 2, 3, 4]) {
      const seen: unknown[] = [];
      for (let start = 1; start <= 5; start += count) {
        const page = await c.get('/Users', { startIndex: String(start), count: String(count) });
        seen.push(...names(page));
      }
      expect(seen).toEqual(names(await c.get('/Users')));
    }
    const bad = await c.get('/Users', { sortOrder: 'sideways', sortBy: 'userName' });
    expect(bad.status).toBe(400);
  });

  it('treats startIndex below 1 as 1 and a negative count as 0', async () => {
    const { as } = testServer();
    const c = as('a');
    await people(c);
    const r = await c.get('/Users', { startIndex: '-4', count: '2' });
    expect((r.body as Body).startIndex).toBe(1);
    expect(names(r)).toHaveLength(2);
    const none = await c.get('/Users', { count: '-1' });
    expect((none.body as Body).totalResults).toBe(5);
    expect(names(none)).toEqual([]);
  });
});

describe('cursor paging (RFC 9865)', () => {
  it('walks every page with nextCursor and back with previousCursor', async () => {
    const { as } = testServer();
    const c = as('a');
    await people(c);
    const seen: unknown[] = [];
    let r = await c.get('/Users', { cursor: '', count: '2', sortBy: 'userName' });
    const first = r.body as Body;
    expect(first.startIndex).toBeUndefined();
    seen.push(...names(r));
    let pages = 1;
    while ((r.body as Body).nextCursor) {
      r = await c.get('/Users', { cursor: (r.body as Body).nextCursor as string, count: '2', sortBy: 'userName' });
      seen.push(...names(r));
      pages++;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(['adoe', 'bjensen', 'jsmith', 'mmouse', 'zed']);
    const back = await c.get('/Users', { cursor: (r.body as Body).previousCursor as string, count: '2', sortBy: 'userName' });
    expect(names(back)).toEqual(['jsmith', 'mmouse']);
    const viaSearch = await c.post('/Users/.search', { schemas: [SEARCH], cursor: '', count: 10 });
    expect((viaSearch.body as Body).totalResults).toBe(5);
    expect((viaSearch.body as Body).nextCursor).toBeUndefined();
  });

  it('refuses a tampered cursor, another tenant’s, another query’s, and an expired one', async () => {
    let now = new Date('2026-06-01T00:00:00Z');
    const { as } = testServer(undefined, { now: () => now, cursorTimeoutSeconds: 60 });
    const a = as('a');
    const b = as('b');
    await people(a);
    await people(b);
    const first = await a.get('/Users', { cursor: '', count: '2' });
    const next = (first.body as Body).nextCursor as string;
    expect(typeof next).toBe('string');
    const flip = next.slice(0, -2) + (next.at(-2) === 'A' ? 'B' : 'A') + next.at(-1);
    for (const r of [
      await a.get('/Users', { cursor: flip, count: '2' }),
      await b.get('/Users', { cursor: next, count: '2' }),
      await a.get('/Users', { cursor: next, count: '2', filter: 'active eq true' }),
      await a.get('/Groups', { cursor: next, count: '2' }),
    ]) {
      expect(r.status).toBe(400);
      expect((r.body as Body).scimType).toBe('invalidCursor');
      expect(JSON.stringify(r.body)).not.toMatch(/bjensen|jsmith/);
    }
    now = new Date('2026-06-01T00:05:00Z');
    const late = await a.get('/Users', { cursor: next, count: '2' });
    expect(late.status).toBe(400);
    expect((late.body as Body).scimType).toBe('expiredCursor');
  });
});

describe('projection on every response', () => {
  it('honours attributes and excludedAttributes on POST, PUT, PATCH, GET, list and search', async () => {
    const { as } = testServer();
    const c = as('a');
    const created = await c.post(
      '/Users',
      { schemas: [USER_SCHEMA], userName: 'proj', title: 'T', name: { givenName: 'P', familyName: 'Q' } },
      { attributes: 'userName,name.givenName' },
    );
    expect(created.body).toEqual({ schemas: [USER_SCHEMA], id: (created.body as Body).id, userName: 'proj', name: { givenName: 'P' } });
    const id = (created.body as Body).id as string;
    const put = await c.request(
      'PUT',
      `/Users/${id}`,
      { schemas: [USER_SCHEMA], userName: 'proj', title: 'U' },
      { query: { excludedAttributes: 'meta,title' } },
    );
    expect((put.body as Body).meta).toBeUndefined();
    expect((put.body as Body).title).toBeUndefined();
    expect((put.body as Body).userName).toBe('proj');
    const patched = await c.patch(`/Users/${id}`, [{ op: 'replace', path: 'title', value: 'V' }], undefined, { attributes: 'title' });
    expect(patched.body).toEqual({ schemas: [USER_SCHEMA], id, title: 'V' });
    const got = await c.get(`/Users/${id}`, { attributes: 'meta.version' });
    expect(got.body).toEqual({ schemas: [USER_SCHEMA], id, meta: { version: 'W/"3"' } });
    const list = await c.get('/Users', { attributes: 'userName' });
    expect(((list.body as Body).Resources as Body[])[0]).toEqual({ schemas: [USER_SCHEMA], id, userName: 'proj' });
  });
});

describe('RFC 7643 §8 example resources', () => {
  it.each(['user-minimal.json', 'user-full.json', 'user-enterprise.json'])('round-trips %s through POST and GET', async (name) => {
    const { as } = testServer();
    const c = as('a');
    const input = fixture(name);
    const created = await c.post('/Users', input);
    expect(created.status).toBe(201);
    const got = (await c.get(`/Users/${(created.body as Body).id}`)).body as Body;
    for (const [key, value] of Object.entries(input)) {
      if (['id', 'meta', 'password', 'groups', 'schemas'].includes(key)) continue;
      if (key === ENTERPRISE) {
        const { manager, ...rest } = value as Body;
        expect(got[key]).toMatchObject(rest);
        expect((got[key] as Body).manager).toMatchObject({ value: (manager as Body).value });
        continue;
      }
      expect(got[key], key).toEqual(value);
    }
    expect(got.password).toBeUndefined();
    expect(new Set(got.schemas as string[])).toEqual(new Set(input.schemas as string[]));
  });

  it('round-trips the group example with members of the same tenant', async () => {
    const { as } = testServer();
    const c = as('a');
    const input = fixture('group.json');
    const members = input.members as Body[];
    const ids: string[] = [];
    for (const m of members) ids.push((await c.createUser(String(m.display))).id as string);
    const created = await c.post('/Groups', { ...input, members: members.map((m, i) => ({ ...m, value: ids[i] })) });
    expect(created.status).toBe(201);
    const got = (await c.get(`/Groups/${(created.body as Body).id}`)).body as Body;
    expect(got.displayName).toBe(input.displayName);
    expect((got.members as Body[]).map((m) => m.display)).toEqual(members.map((m) => m.display));
    expect(got.schemas).toEqual([GROUP_SCHEMA]);
  });
});

describe('root search sorted across resource types', () => {
  it('merges Users and Groups by one sort, with types lacking the attribute last', async () => {
    const { as } = testServer();
    const c = as('a');
    // Alternate creation between types so that a per-type concatenation would be visibly wrong;
    // storage stamps meta.created itself, so leave a few milliseconds between creations.
    const order: string[] = [];
    for (const [i, kind] of ['User', 'Group', 'User', 'Group', 'User'].entries()) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      const made = kind === 'User' ? await c.createUser(`u${i}`) : await c.createGroup(`g${i}`);
      order.push(made.id as string);
    }
    const desc = await c.post('/.search', { schemas: [SEARCH], sortBy: 'meta.created', sortOrder: 'descending' });
    expect(((desc.body as Body).Resources as Body[]).map((r) => r.id)).toEqual([...order].reverse());
    const page = await c.post('/.search', { schemas: [SEARCH], sortBy: 'meta.created', startIndex: 2, count: 2 });
    expect(((page.body as Body).Resources as Body[]).map((r) => r.id)).toEqual(order.slice(1, 3));
    const byName = await c.post('/.search', { schemas: [SEARCH], sortBy: 'userName' });
    const kinds = ((byName.body as Body).Resources as Body[]).map((r) => (r.meta as Body).resourceType);
    expect(kinds).toEqual(['User', 'User', 'User', 'Group', 'Group']);
    const bad = await c.post('/.search', { schemas: [SEARCH], sortBy: 'shoeSize' });
    expect(bad.status).toBe(400);
    const badOrder = await c.post('/.search', { schemas: [SEARCH], sortBy: 'userName', sortOrder: 'sideways' });
    expect(badOrder.status).toBe(400);
  });
});
