/**
 * Targeted hostile-input tests for the HTTP-facing layers: prototype pollution, bulkId tricks across
 * tenants, X-Request-Id injection, filter, PATCH and body bounds, methods, authentication, what
 * error details reveal across tenants, and the node:http and Fetch adapters on real sockets.
 */
import { connect } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toFetchHandler } from '../../src/adapters/fetch.js';
import {
  pathTenantLocator,
  ScimServer,
  StaticTenantResolver,
  type ResourceProvider,
  type ScimRequest,
  type ScimResource,
  type ScimResponse,
} from '../../src/index.js';
import { listen, type HttpHarness } from '../helpers/http-harness.js';
import { ERROR, errorOf, GROUP_SCHEMA, PATCH_OP, SEARCH, testServer, USER_SCHEMA, type Body, type Client } from '../helpers/scim-client.js';

const BULK = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const UNKNOWN_ID = '0190a1b2-0000-7000-8000-000000000000';

/** Own property names anywhere in a JSON value. */
function allKeys(value: unknown, into = new Set<string>()): Set<string> {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v !== 'object' || v === null) continue;
    for (const k of Object.keys(v)) into.add(k);
    for (const child of Object.values(v)) stack.push(child);
  }
  return into;
}

function expectPrototypesClean(): void {
  for (const probe of [{}, [], JSON.parse('{}'), Object.create({})] as Record<string, unknown>[]) {
    expect(probe.polluted).toBeUndefined();
    expect(probe.admin).toBeUndefined();
    expect(probe.x).toBeUndefined();
  }
  expect(Object.keys(Object.prototype)).toEqual([]);
  expect(Object.keys(Array.prototype)).toEqual([]);
}

async function timed<T>(f: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await f();
  return { value, ms: performance.now() - start };
}

function id(body: unknown): string {
  return (body as { id: string }).id;
}

// -------------------------------------------------------------------------------------------------

describe('prototype pollution', () => {
  afterEach(expectPrototypesClean);

  const hostileUser = (userName: string, managerId: string): string =>
    `{"schemas":["${USER_SCHEMA}","${ENTERPRISE}"],"userName":"${userName}",` +
    `"__proto__":{"polluted":"yes","admin":true},"constructor":{"prototype":{"polluted":"yes"}},"prototype":{"polluted":"yes"},` +
    `"name":{"givenName":"g","__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}},` +
    `"emails":[{"value":"a@example.com","__proto__":{"polluted":"yes"}}],` +
    `"${ENTERPRISE}":{"__proto__":{"polluted":"yes"},"manager":{"__proto__":{"x":1},"value":"${managerId}"}}}`;

  it('POST and PUT bodies with __proto__, constructor and prototype at every level store and return none of them', async () => {
    const { as } = testServer();
    const a = as('a');
    const manager = await a.createUser('manager');
    for (const [i, asObject] of [false, true].entries()) {
      const text = hostileUser(`hostile${i}`, id(manager));
      const body = asObject ? JSON.parse(text) : text;
      const created = await a.post('/Users', body);
      expect(created.status).toBe(201);
      const replaced = await a.put(
        `/Users/${id(created.body)}`,
        asObject ? JSON.parse(hostileUser(`replaced${i}`, id(manager))) : hostileUser(`replaced${i}`, id(manager)),
      );
      expect(replaced.status).toBe(200);
      const read = await a.get(`/Users/${id(created.body)}`);
      for (const r of [created, replaced, read]) {
        const keys = allKeys(r.body);
        for (const bad of ['__proto__', 'constructor', 'prototype', 'polluted', 'admin'])
          expect(keys.has(bad), `${bad} in ${JSON.stringify(r.body)}`).toBe(false);
      }
      expect((read.body as Body).userName).toBe(`replaced${i}`);
      expect(((read.body as Record<string, Body>)[ENTERPRISE]?.manager as Body).value).toBe(id(manager));
    }
  });

  it('PATCH paths through __proto__, constructor, prototype and Object methods are invalidPath for every op', async () => {
    const { as } = testServer();
    const a = as('a');
    const user = await a.createUser('alice');
    const paths = [
      '__proto__',
      '__proto__.polluted',
      'constructor.prototype.polluted',
      'name.__proto__.polluted',
      'name.constructor',
      'prototype.polluted',
      'emails[__proto__ eq "x"].value',
      'emails.__proto__',
      'toString',
      'hasOwnProperty',
      'constructor',
    ];
    for (const op of ['add', 'replace', 'remove']) {
      for (const path of paths) {
        const r = await a.patch(`/Users/${id(user)}`, [{ op, path, value: { polluted: 'yes' } }]);
        expect(r.status, `${op} ${path}`).toBe(400);
        expect(errorOf(r).scimType, `${op} ${path}`).toBe('invalidPath');
      }
    }
    // Path-less values and sub-attribute values with the same keys, sent as text so that the keys are own properties.
    const texts = [
      `{"schemas":["${PATCH_OP}"],"Operations":[{"op":"replace","value":{"__proto__":{"polluted":"yes"}}}]}`,
      `{"schemas":["${PATCH_OP}"],"Operations":[{"op":"replace","value":{"constructor":{"prototype":{"polluted":"yes"}}}}]}`,
      `{"schemas":["${PATCH_OP}"],"Operations":[{"op":"add","value":{"__proto__.polluted":"yes","constructor.prototype.polluted":"yes"}}]}`,
      `{"schemas":["${PATCH_OP}"],"Operations":[{"op":"add","path":"emails","value":[{"value":"x@example.com","__proto__":{"polluted":"yes"}}]}]}`,
      `{"schemas":["${PATCH_OP}"],"Operations":[{"op":"replace","path":"name","value":{"givenName":"g","__proto__":{"polluted":"yes"}}}]}`,
      `{"schemas":["${PATCH_OP}"],"__proto__":{"Operations":[{"op":"replace","path":"nickName","value":"sneaky"}]},"Operations":[]}`,
    ];
    for (const text of texts) {
      const r = await a.request('PATCH', `/Users/${id(user)}`, text);
      expect([200, 400], text).toContain(r.status);
      if (r.status === 400) expect(errorOf(r).status).toBe('400');
    }
    const read = await a.get(`/Users/${id(user)}`);
    const keys = allKeys(read.body);
    for (const bad of ['__proto__', 'constructor', 'prototype', 'polluted']) expect(keys.has(bad)).toBe(false);
    expect((read.body as Body).nickName).toBeUndefined();
  });

  it('a bulk request with __proto__ in the envelope, an operation and its data runs only what it says', async () => {
    const { as } = testServer();
    const a = as('a');
    const keep = await a.createUser('keep');
    const text =
      `{"schemas":["${BULK}"],"__proto__":{"failOnErrors":1,"Operations":[]},"Operations":[` +
      `{"__proto__":{"method":"DELETE","path":"/Users/${id(keep)}"}},` +
      `{"method":"POST","path":"/Users","bulkId":"__proto__","data":${hostileUser('bulk-proto', id(keep))}},` +
      `{"method":"POST","path":"/Users","bulkId":"constructor","data":{"schemas":["${USER_SCHEMA}"],"userName":"bulk-ctor"}},` +
      `{"method":"POST","path":"/Groups","bulkId":"g","data":{"schemas":["${GROUP_SCHEMA}"],"displayName":"bulk group",` +
      `"members":[{"value":"bulkId:__proto__"},{"value":"bulkId:constructor"},{"value":"bulkId:toString"}]}}]}`;
    const r = await a.request('POST', '/Bulk', text);
    expect(r.status).toBe(200);
    const ops = (r.body as { Operations: { method?: string; bulkId?: string; status: string; response?: { scimType?: string } }[] }).Operations;
    // The operation hidden behind __proto__ has no method of its own: it fails, and deletes nothing.
    expect(ops.find((o) => o.method === undefined)?.status).toBe('400');
    expect((await a.get(`/Users/${id(keep)}`)).status).toBe(200);
    expect(ops.find((o) => o.bulkId === '__proto__')?.status).toBe('201');
    expect(ops.find((o) => o.bulkId === 'constructor')?.status).toBe('201');
    // "bulkId:toString" names no POST of this request: Object.prototype.toString is not a bulkId.
    const group = ops.find((o) => o.bulkId === 'g');
    expect(group?.status).toBe('409');
    expect(group?.response?.scimType).toBe('invalidValue');
    const users = await a.get('/Users', { filter: 'userName sw "bulk-"' });
    expect((users.body as { totalResults: number }).totalResults).toBe(2);
    for (const bad of ['__proto__', 'polluted', 'admin']) expect(allKeys(users.body).has(bad)).toBe(false);
  });

  it('bulkIds named __proto__ and constructor resolve like any other name', async () => {
    const { as } = testServer();
    const a = as('a');
    const r = await a.post(
      '/Bulk',
      JSON.parse(
        `{"schemas":["${BULK}"],"Operations":[` +
          `{"method":"POST","path":"/Groups","bulkId":"g","data":{"schemas":["${GROUP_SCHEMA}"],"displayName":"pg","members":[{"value":"bulkId:__proto__"},{"value":"bulkId:constructor"}]}},` +
          `{"method":"POST","path":"/Users","bulkId":"__proto__","data":{"schemas":["${USER_SCHEMA}"],"userName":"p-user"}},` +
          `{"method":"POST","path":"/Users","bulkId":"constructor","data":{"schemas":["${USER_SCHEMA}"],"userName":"c-user"}}]}`,
      ),
    );
    const ops = (r.body as { Operations: { bulkId: string; status: string; location: string }[] }).Operations;
    expect(ops.map((o) => o.status)).toEqual(['201', '201', '201']);
    const groupId = (ops.find((o) => o.bulkId === 'g') as { location: string }).location.split('/').pop() as string;
    const group = await a.get(`/Groups/${groupId}`);
    const memberIds = ((group.body as { members: { value: string }[] }).members ?? []).map((m) => m.value).sort();
    const userIds = ops
      .filter((o) => o.bulkId !== 'g')
      .map((o) => o.location.split('/').pop() as string)
      .sort();
    expect(memberIds).toEqual(userIds);
  });

  it('.search ignores parameters hidden behind __proto__', async () => {
    const { as } = testServer();
    const a = as('a');
    await a.createUser('one');
    await a.createUser('two');
    const r = await a.request('POST', '/Users/.search', `{"schemas":["${SEARCH}"],"__proto__":{"filter":"userName eq \\"one\\"","count":0}}`);
    expect(r.status).toBe(200);
    expect((r.body as { totalResults: number; Resources: unknown[] }).Resources).toHaveLength(2);
  });

  it('headers and query objects with own __proto__ keys neither authenticate nor filter', async () => {
    const { server, as } = testServer();
    await as('a').createUser('one');
    await as('a').createUser('two');
    const sneaky = await server.handle({ method: 'GET', path: '/scim/v2/Users', headers: JSON.parse('{"__proto__":{"authorization":"Bearer token-a"}}') });
    expect(sneaky.status).toBe(401);
    const viaQuery = await server.handle({
      method: 'GET',
      path: '/scim/v2/Users',
      headers: { authorization: 'Bearer token-a' },
      query: JSON.parse('{"__proto__":"x"}'),
    });
    expect(viaQuery.status).toBe(200);
    expect((viaQuery.body as { totalResults: number }).totalResults).toBe(2);
    const raw = await server.handle({
      method: 'GET',
      path: '/scim/v2/Users',
      headers: { authorization: 'Bearer token-a' },
      query: '__proto__=1&constructor=2&count=1',
    });
    expect(raw.status).toBe(200);
    expect((raw.body as { itemsPerPage: number }).itemsPerPage).toBe(1);
  });
});

// -------------------------------------------------------------------------------------------------

describe('bulk requests and other tenants', () => {
  let a: Client;
  let b: Client;
  beforeEach(() => {
    const t = testServer([
      { id: 'a', token: 'token-a', isolationLevel: 'shared' },
      { id: 'b', token: 'token-b', isolationLevel: 'shared' },
    ]);
    a = t.as('a');
    b = t.as('b');
  });

  it('a bulkId is local to its request: concurrent requests of two tenants with the same bulkIds each get their own resources', async () => {
    const request = (userName: string): Body => ({
      schemas: [BULK],
      Operations: [
        { method: 'POST', path: '/Groups', bulkId: 'grp', data: { schemas: [GROUP_SCHEMA], displayName: 'team', members: [{ value: 'bulkId:usr' }] } },
        { method: 'POST', path: '/Users', bulkId: 'usr', data: { schemas: [USER_SCHEMA], userName } },
        { method: 'PATCH', path: '/Users/bulkId:usr', data: { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'nickName', value: userName }] } },
      ],
    });
    const [ra, rb] = await Promise.all([a.post('/Bulk', request('in-a')), b.post('/Bulk', request('in-b'))]);
    for (const [client, r, name] of [
      [a, ra, 'in-a'],
      [b, rb, 'in-b'],
    ] as const) {
      const ops = (r.body as { Operations: { bulkId?: string; status: string; location: string }[] }).Operations;
      expect(ops.map((o) => o.status)).toEqual(['201', '201', '200']);
      const groupId = (ops.find((o) => o.bulkId === 'grp') as { location: string }).location.split('/').pop() as string;
      const group = await client.get(`/Groups/${groupId}`);
      const member = (group.body as { members: { value: string }[] }).members[0]?.value as string;
      const user = await client.get(`/Users/${member}`);
      expect((user.body as Body).userName).toBe(name);
      expect((user.body as Body).nickName).toBe(name);
    }
  });

  it("a reference to another request's bulkId fails with 409 and resolves to nothing", async () => {
    await a.post('/Bulk', {
      schemas: [BULK],
      Operations: [{ method: 'POST', path: '/Users', bulkId: 'shared-name', data: { schemas: [USER_SCHEMA], userName: 'made-by-a' } }],
    });
    const r = await b.post('/Bulk', {
      schemas: [BULK],
      Operations: [
        { method: 'POST', path: '/Groups', bulkId: 'g', data: { schemas: [GROUP_SCHEMA], displayName: 'steal', members: [{ value: 'bulkId:shared-name' }] } },
        { method: 'DELETE', path: '/Users/bulkId:shared-name' },
      ],
    });
    const ops = (r.body as { Operations: { status: string; response?: { scimType?: string; detail?: string } }[] }).Operations;
    expect(ops.map((o) => o.status)).toEqual(['409', '409']);
    for (const o of ops) expect(o.response?.scimType).toBe('invalidValue');
    expect(JSON.stringify(r.body)).not.toContain('made-by-a');
    expect(((await a.get('/Users')).body as { totalResults: number }).totalResults).toBe(1);
  });

  it("operations on another tenant's ids answer exactly as for ids that do not exist, and change nothing", async () => {
    const victimUser = await a.createUser('victim', { nickName: 'untouched' });
    const victimGroup = await a.createGroup('victims', [id(victimUser)]);
    const own = await b.createUser('own');
    const ops = (target: string, group: string): Body => ({
      schemas: [BULK],
      Operations: [
        { method: 'DELETE', path: `/Users/${target}` },
        { method: 'PUT', path: `/Users/${target}`, version: 'W/"1"', data: { schemas: [USER_SCHEMA], userName: 'taken-over' } },
        { method: 'PATCH', path: `/Users/${target}`, data: { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'nickName', value: 'owned' }] } },
        { method: 'PATCH', path: `/Groups/${group}`, data: { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: id(own) }] }] } },
        { method: 'POST', path: '/Groups', bulkId: 'x', data: { schemas: [GROUP_SCHEMA], displayName: 'mine', members: [{ value: target }] } },
      ],
    });
    const foreign = await b.post('/Bulk', ops(id(victimUser), id(victimGroup)));
    const unknown = await b.post('/Bulk', ops(UNKNOWN_ID, UNKNOWN_ID));
    const normalise = (r: ScimResponse): string =>
      JSON.stringify(r.body).replaceAll(id(victimUser), '<id>').replaceAll(id(victimGroup), '<id>').replaceAll(UNKNOWN_ID, '<id>');
    expect(normalise(foreign)).toBe(normalise(unknown));
    expect((foreign.body as { Operations: { status: string }[] }).Operations.map((o) => o.status)).toEqual(['404', '404', '404', '404', '400']);
    const after = await a.get(`/Users/${id(victimUser)}`);
    expect((after.body as Body).nickName).toBe('untouched');
    expect((after.body as Body).meta).toEqual(victimUser.meta);
    const group = await a.get(`/Groups/${id(victimGroup)}`);
    expect((group.body as { members: { value: string }[] }).members.map((m) => m.value)).toEqual([id(victimUser)]);
  });
});

// -------------------------------------------------------------------------------------------------

describe('X-Request-Id', () => {
  const SAFE = /^[A-Za-z0-9._:-]{1,128}$/;

  it('echoes a safe id and replaces anything else, on success, 401, 404 and 400 alike', async () => {
    const { server } = testServer();
    const requests: ScimRequest[] = [
      { method: 'GET', path: '/scim/v2/Users', headers: { authorization: 'Bearer token-a' } },
      { method: 'GET', path: '/scim/v2/Users', headers: {} },
      { method: 'GET', path: '/elsewhere', headers: {} },
      { method: 'GET', path: '/scim/v2/Users', headers: { authorization: 'Bearer token-a' }, query: { filter: '(' } },
    ];
    const unsafe = [
      'abc\r\nSet-Cookie: session=stolen',
      'a b',
      '<script>alert(1)</script>',
      'x'.repeat(129),
      'ü',
      '',
      'id\u0000',
      '"quoted"',
      'r'.repeat(100_000),
    ];
    for (const base of requests) {
      const ok = await server.handle({ ...base, headers: { ...base.headers, 'X-Request-Id': 'trace-1.2:3_4' } });
      expect(ok.headers['X-Request-Id']).toBe('trace-1.2:3_4');
      for (const given of unsafe) {
        const r = await server.handle({ ...base, headers: { ...base.headers, 'x-request-id': given } });
        const echoed = r.headers['X-Request-Id'] as string;
        expect(echoed).not.toBe(given);
        expect(echoed).toMatch(SAFE);
        expect(JSON.stringify(r.body)).not.toContain('Set-Cookie');
        expect(JSON.stringify(r.body)).not.toContain('<script>');
      }
    }
  });

  it('never carries an injected value into the detail of a 500', async () => {
    const failing: ResourceProvider = {
      resourceType: 'User',
      create: () => Promise.reject(new Error('database at /srv/secret/db.sqlite is down')),
      get: () => Promise.reject(new Error('boom')),
      replace: () => Promise.reject(new Error('boom')),
      patch: () => Promise.reject(new Error('boom')),
      delete: () => Promise.reject(new Error('boom')),
      list: () => Promise.reject(new Error('boom')),
    };
    const errors: unknown[] = [];
    const { server } = testServer(undefined, { providers: { User: failing }, onError: (e) => errors.push(e) });
    const r = await server.handle({
      method: 'POST',
      path: '/scim/v2/Users',
      headers: { authorization: 'Bearer token-a', 'content-type': 'application/scim+json', 'x-request-id': 'x\r\nInjected: 1' },
      body: { schemas: [USER_SCHEMA], userName: 'u' },
    });
    expect(r.status).toBe(500);
    const text = JSON.stringify(r.body);
    expect(text).not.toContain('Injected');
    expect(text).not.toContain('/srv/secret');
    expect(text).not.toContain('Error:');
    expect(errorOf(r).detail).toContain(r.headers['X-Request-Id'] as string);
    expect(errors).toHaveLength(1);
  });
});

// -------------------------------------------------------------------------------------------------

describe('filter bounds', () => {
  it('refuses a 1 MiB filter with 400 invalidFilter, from a URL and from a search body', async () => {
    const { as } = testServer();
    const a = as('a');
    const huge = `userName eq "${'a'.repeat(1 << 20)}"`;
    const viaGet = await timed(() => a.get('/Users', { filter: huge }));
    expect(viaGet.value.status).toBe(400);
    expect(errorOf(viaGet.value).scimType).toBe('invalidFilter');
    const nearLimit = `userName eq "${'a'.repeat(1_000_000)}"`;
    const viaSearch = await timed(() => a.post('/Users/.search', { schemas: [SEARCH], filter: nearLimit }));
    expect(viaSearch.value.status).toBe(400);
    expect(errorOf(viaSearch.value).scimType).toBe('invalidFilter');
    // The detail does not echo the megabyte back.
    expect((errorOf(viaGet.value).detail ?? '').length).toBeLessThan(1000);
  });

  it('refuses deep nesting and long chains without exhausting the stack', async () => {
    const { as } = testServer();
    const a = as('a');
    const filters = [
      `${'('.repeat(100_000)}userName pr${')'.repeat(100_000)}`,
      `${'not ('.repeat(50_000)}userName pr${')'.repeat(50_000)}`,
      `${'emails['.repeat(50_000)}value pr${']'.repeat(50_000)}`,
      Array.from({ length: 50_000 }, (_, i) => `userName eq "u${i}"`).join(' or '),
      Array.from({ length: 3000 }, (_, i) => `emails[value eq "x${i}" or type eq "w"]`).join(' and '),
      // Within the length limit: as deep as the text allows.
      `${'('.repeat(2000)}userName pr${')'.repeat(2000)}`,
      `${'emails[value pr and '.repeat(150)}type pr${']'.repeat(150)}`,
      `${'not ('.repeat(600)}userName pr${')'.repeat(600)}`,
    ];
    for (const filter of filters) {
      const { value: r } = await timed(() => a.get('/Users', { filter }));
      expect(r.status, filter.slice(0, 40)).toBe(400);
      expect(errorOf(r).scimType).toBe('invalidFilter');
    }
  });

  it('answers the longest accepted or-chain', async () => {
    const { as } = testServer();
    const a = as('a');
    for (let i = 0; i < 50; i++) await a.createUser(`u${i}`, { emails: [{ value: `u${i}@example.com`, type: 'work' }] });
    let filter = '';
    for (let i = 0; filter.length < 3900; i++) filter += `${i ? ' or ' : ''}emails[value eq "u${i}@example.com" or type eq "home"]`;
    const { value: r } = await timed(() => a.get('/Users', { filter }));
    expect(r.status).toBe(200);
    expect((r.body as { totalResults: number }).totalResults).toBeGreaterThan(10);
  });
});

// -------------------------------------------------------------------------------------------------

describe('PATCH bounds', () => {
  it('refuses 10,000 operations in one request with 400 tooMany', async () => {
    const { as } = testServer();
    const a = as('a');
    const user = await a.createUser('many');
    const ops = Array.from({ length: 10_000 }, (_, i) => ({ op: 'replace', path: 'nickName', value: `n${i}` }));
    const { value: r } = await timed(() => a.patch(`/Users/${id(user)}`, ops));
    expect(r.status).toBe(400);
    expect(errorOf(r).scimType).toBe('tooMany');
    expect(((await a.get(`/Users/${id(user)}`)).body as Body).nickName).toBeUndefined();
  });

  // A PATCH costs (operations × elements × filter terms). Both factors are bounded: a multi-valued
  // attribute holds at most 1,000 values (a Group's members excepted), and the value filters of one
  // request may compare at most 2,000,000 elements in all.
  it('bounds the work of filtered operations: long attributes are refused, and so are requests that would scan too much', async () => {
    const { as } = testServer();
    const a = as('a');
    const emails = Array.from({ length: 20_000 }, (_, i) => ({ value: `e${i}` }));
    const wide = await a.post('/Users', { schemas: [USER_SCHEMA], userName: 'wide', emails });
    expect(wide.status).toBe(400);
    expect(errorOf(wide).scimType).toBe('invalidValue');

    const members = await Promise.all(Array.from({ length: 20 }, (_, i) => a.createUser(`m${i}`)));
    const group = await a.createGroup(
      'big',
      members.map((m) => id(m)),
    );
    const gid = id(group);
    const cheap = Array.from({ length: 1000 }, () => ({ op: 'remove', path: 'members[display co "nobody"]' }));
    expect((await a.patch(`/Groups/${gid}`, cheap)).status).toBe(204);
    const server = as('a').server;
    const storage = server.storage;
    const tenant = { tenantId: 'a', isolationLevel: 'strict' as const, permissions: {}, baseUrl: '/scim/v2' };
    const many = [];
    const [userType, groupType] = [server.schemas.model('User'), server.schemas.model('Group')];
    if (!userType || !groupType) throw new Error('the built-in types have models');
    for (let i = 0; i < 5000; i++) many.push((await storage.create(tenant, userType, { schemas: [USER_SCHEMA], userName: `bulk${i}` })).id);
    await storage.updateMembers(tenant, groupType, gid, { add: many.map((value) => ({ value, type: 'User' })) });
    const costly = Array.from({ length: 1000 }, () => ({ op: 'remove', path: 'members[display co "nobody"]' }));
    const r = await a.patch(`/Groups/${gid}`, costly);
    expect(r.status).toBe(400);
    expect(errorOf(r).scimType).toBe('tooMany');
  });
});

// -------------------------------------------------------------------------------------------------

describe('body bounds', () => {
  const N = 100_000;
  const repeat = (item: string, n = N): string => Array(n).fill(item).join(',');

  it('refuses or drops 100,000-element arrays in user, group, bulk, PATCH and search bodies', async () => {
    const { as } = testServer();
    const a = as('a');
    const user = await a.createUser('patched');
    const cases: { label: string; method: string; path: string; text: string }[] = [
      {
        label: 'emails with values',
        method: 'POST',
        path: '/Users',
        text: `{"schemas":["${USER_SCHEMA}"],"userName":"a1","emails":[${Array.from({ length: N }, (_, i) => `{"value":"e${i}@x"}`).join(',')}]}`,
      },
      { label: 'emails as numbers', method: 'POST', path: '/Users', text: `{"schemas":["${USER_SCHEMA}"],"userName":"a2","emails":[${repeat('0')}]}` },
      { label: 'emails as empty objects', method: 'POST', path: '/Users', text: `{"schemas":["${USER_SCHEMA}"],"userName":"a3","emails":[${repeat('{}')}]}` },
      { label: 'emails as nulls', method: 'POST', path: '/Users', text: `{"schemas":["${USER_SCHEMA}"],"userName":"a4","emails":[${repeat('null')}]}` },
      { label: 'an unknown attribute', method: 'POST', path: '/Users', text: `{"schemas":["${USER_SCHEMA}"],"userName":"a5","foo":[${repeat('0')}]}` },
      {
        label: 'members',
        method: 'POST',
        path: '/Groups',
        text: `{"schemas":["${GROUP_SCHEMA}"],"displayName":"g1","members":[${Array.from({ length: N }, (_, i) => `{"value":"${i}"}`).join(',')}]}`,
      },
      {
        label: 'members as empty objects',
        method: 'POST',
        path: '/Groups',
        text: `{"schemas":["${GROUP_SCHEMA}"],"displayName":"g2","members":[${repeat('{}')}]}`,
      },
      { label: 'bulk operations', method: 'POST', path: '/Bulk', text: `{"schemas":["${BULK}"],"Operations":[${repeat('{}')}]}` },
      { label: 'PATCH operations', method: 'PATCH', path: `/Users/${id(user)}`, text: `{"schemas":["${PATCH_OP}"],"Operations":[${repeat('{}')}]}` },
      {
        label: 'a PATCH value',
        method: 'PATCH',
        path: `/Users/${id(user)}`,
        text: `{"schemas":["${PATCH_OP}"],"Operations":[{"op":"add","path":"emails","value":[${repeat('{}')}]}]}`,
      },
      {
        label: 'search attributes',
        method: 'POST',
        path: '/Users/.search',
        text: `{"schemas":["${SEARCH}"],"attributes":[${Array.from({ length: N }, (_, i) => `"a${i}"`).join(',')}]}`,
      },
    ];
    for (const c of cases) {
      const { value: r } = await timed(() => a.request(c.method, c.path, c.text));
      if (r.status >= 400) {
        expect([400, 413], c.label).toContain(r.status);
        expect(errorOf(r).status).toBe(String(r.status));
        continue;
      }
      // Accepted only when nothing of the array was kept.
      expect([200, 201], c.label).toContain(r.status);
      const stored = c.method === 'POST' ? await a.get(`${c.path}/${id(r.body)}`) : await a.get(c.path);
      expect(JSON.stringify(stored.body).length, c.label).toBeLessThan(10_000);
    }
  });

  // Open in src/schema (validation): an empty-string element becomes {"value": ""} and is kept, so
  // one 400 KB body stores a 100,000-element `emails` that every later PATCH has to walk.
  it('refuses or drops a 100,000-element emails array of empty strings', async () => {
    const { as } = testServer();
    const a = as('a');
    const { value: r } = await timed(() => a.request('POST', '/Users', `{"schemas":["${USER_SCHEMA}"],"userName":"blank","emails":[${repeat('""')}]}`));
    if (r.status >= 400) {
      expect([400, 413]).toContain(r.status);
      return;
    }
    const stored = await a.get(`/Users/${id(r.body)}`);
    expect(((stored.body as Body).emails as unknown[] | undefined)?.length ?? 0).toBeLessThanOrEqual(1000);
  });

  it('refuses nesting deeper than the limit as text, as bytes and as an object, without a stack overflow', async () => {
    const { as } = testServer();
    const a = as('a');
    const deepText = `{"schemas":["${USER_SCHEMA}"],"userName":"deep","x":${'['.repeat(200_000)}${']'.repeat(200_000)}}`;
    let deepObject: unknown = 1;
    for (let i = 0; i < 100_000; i++) deepObject = { a: deepObject };
    for (const body of [deepText, new TextEncoder().encode(deepText), { schemas: [USER_SCHEMA], userName: 'deep', x: deepObject }]) {
      const r = await a.request('POST', '/Users', body);
      expect(r.status).toBe(400);
      expect(errorOf(r).scimType).toBe('invalidSyntax');
    }
  });

  it('takes 1e309, NUL and lone surrogates without a 500 and answers with plain JSON', async () => {
    const { as } = testServer();
    const a = as('a');
    const bodies = [
      `{"schemas":["${USER_SCHEMA}"],"userName":"n1","x":1e309}`,
      `{"schemas":["${USER_SCHEMA}"],"userName":"n2","active":1e309}`,
      `{"schemas":["${USER_SCHEMA}"],"userName":"n3","active":-1e309}`,
      `{"schemas":["${USER_SCHEMA}"],"userName":"nul\\u0000inside","displayName":"\\u0000"}`,
      `{"schemas":["${USER_SCHEMA}"],"userName":"\\ud800lone"}`,
      `{"schemas":["${USER_SCHEMA}"],"userName":"big","x":123456789012345678901234567890}`,
    ];
    for (const text of bodies) {
      const r = await a.request('POST', '/Users', text);
      expect([201, 400], text).toContain(r.status);
      expect(JSON.parse(JSON.stringify(r.body))).toEqual(r.body);
      expect(JSON.stringify(r.body)).not.toContain('Infinity');
    }
    const search = await a.request('POST', '/.search', `{"schemas":["${SEARCH}"],"count":1e309,"startIndex":-1e309}`);
    expect(search.status).toBe(400);
    expect(errorOf(search).scimType).toBe('invalidValue');
  });

  it('refuses bytes that are not UTF-8 with 400 invalidSyntax, after authentication', async () => {
    const { server, as } = testServer();
    const bytes = new Uint8Array([
      ...new TextEncoder().encode(`{"schemas":["${USER_SCHEMA}"],"userName":"`),
      0xff,
      0xfe,
      0xc0,
      0xaf,
      ...new TextEncoder().encode('"}'),
    ]);
    const r = await as('a').request('POST', '/Users', bytes);
    expect(r.status).toBe(400);
    expect(errorOf(r)).toMatchObject({ scimType: 'invalidSyntax' });
    expect(errorOf(r).detail).toMatch(/UTF-8/);
    const anonymous = await server.handle({ method: 'POST', path: '/scim/v2/Users', headers: { 'content-type': 'application/scim+json' }, body: bytes });
    expect(anonymous.status).toBe(401);
    // Valid UTF-8 bytes are fine.
    const ok = await as('a').request('POST', '/Users', new TextEncoder().encode(JSON.stringify({ schemas: [USER_SCHEMA], userName: 'bytes-ü' })));
    expect(ok.status).toBe(201);
    expect((ok.body as Body).userName).toBe('bytes-ü');
  });

  it('refuses non-object roots on every endpoint that takes a body', async () => {
    const { as } = testServer();
    const a = as('a');
    const user = await a.createUser('root');
    const group = await a.createGroup('root');
    const targets: [string, string][] = [
      ['POST', '/Users'],
      ['PUT', `/Users/${id(user)}`],
      ['PATCH', `/Users/${id(user)}`],
      ['PATCH', `/Groups/${id(group)}`],
      ['POST', '/Bulk'],
      ['POST', '/Users/.search'],
      ['POST', '/.search'],
    ];
    for (const [method, path] of targets) {
      for (const text of ['5', '"text"', 'true', '[]', '[{}]', 'null ', '{', '{"a":1,}', 'NaN']) {
        const r = await a.request(method, path, text);
        expect(r.status, `${method} ${path} ${text}`).toBe(400);
        expect(['invalidSyntax', 'invalidValue']).toContain(errorOf(r).scimType);
      }
    }
  });

  it('refuses paging values of the wrong JSON type in a search body with 400 invalidValue (not 500)', async () => {
    const { as } = testServer();
    const a = as('a');
    for (const pair of ['"count":{}', '"count":[1]', '"count":true', '"startIndex":{}', '"startIndex":[2]', '"startIndex":false', '"count":"ten"']) {
      const r = await a.request('POST', '/Users/.search', `{"schemas":["${SEARCH}"],${pair}}`);
      expect(r.status, pair).toBe(400);
      expect(errorOf(r).scimType, pair).toBe('invalidValue');
    }
  });

  it('bounds attributes and excludedAttributes: repeats are free, more than 256 distinct or over-long paths are refused', async () => {
    const { as } = testServer();
    const a = as('a');
    for (let i = 0; i < 20; i++) await a.createUser(`p${i}`, { name: { givenName: `g${i}` } });
    const repeats = Array.from({ length: 60_000 }, (_, i) => (i % 2 ? 'name.givenName' : 'NAME.GIVENNAME'));
    const ok = await timed(() => a.post('/Users/.search', { schemas: [SEARCH], attributes: repeats }));
    expect(ok.value.status).toBe(200);
    expect(((ok.value.body as { Resources: Body[] }).Resources[0] as Body).name).toBeDefined();
    const distinct = Array.from({ length: 60_000 }, (_, i) => `x${i}`);
    for (const body of [
      { attributes: distinct },
      { excludedAttributes: distinct },
      { attributes: [`name.${'a'.repeat(600)}`] },
      { attributes: distinct.join(',') },
    ]) {
      const { value: r } = await timed(() => a.post('/Users/.search', { schemas: [SEARCH], ...body }));
      expect(r.status).toBe(400);
      expect(errorOf(r).scimType).toBe('invalidValue');
    }
    const viaQuery = await a.get('/Users', { attributes: Array.from({ length: 300 }, (_, i) => `y${i}`).join(',') });
    expect(viaQuery.status).toBe(400);
  });

  it('refuses an over-long sortBy without echoing it back', async () => {
    const { as } = testServer();
    const a = as('a');
    for (const r of [await a.get('/Users', { sortBy: 'a'.repeat(100_000) }), await a.post('/.search', { schemas: [SEARCH], sortBy: 'b'.repeat(500_000) })]) {
      expect(r.status).toBe(400);
      expect(errorOf(r).scimType).toBe('invalidValue');
      expect(JSON.stringify(r.body).length).toBeLessThan(1000);
    }
    expect((await a.get('/Users', { sortBy: `${ENTERPRISE}:manager.value` })).status).toBe(200);
  });
});

// -------------------------------------------------------------------------------------------------

describe('methods', () => {
  it('answers unknown and unsupported methods with a SCIM 405 naming the allowed ones, on every kind of endpoint', async () => {
    const { as } = testServer();
    const a = as('a');
    const user = await a.createUser('m');
    const endpoints: [string, string[]][] = [
      ['/Users', ['GET', 'HEAD', 'POST']],
      [`/Users/${id(user)}`, ['GET', 'HEAD', 'PUT', 'PATCH', 'DELETE']],
      ['/Users/.search', ['POST']],
      ['/.search', ['POST']],
      ['/Bulk', ['POST']],
      ['/Schemas', ['GET', 'HEAD']],
      ['/ResourceTypes', ['GET', 'HEAD']],
      ['/ServiceProviderConfig', ['GET', 'HEAD']],
    ];
    for (const [path, allowed] of endpoints) {
      for (const method of ['FOO', 'TRACE', 'CONNECT', 'PROPFIND', 'HEAD', 'OPTIONS', 'X'.repeat(5000), 'GET\r\nX: y', '']) {
        if (allowed.includes(method)) continue;
        const r = await a.request(method, path);
        expect(r.status, `${method.slice(0, 10)} ${path}`).toBe(405);
        expect(r.headers['X-Request-Id']).toBeDefined();
        if (method === 'HEAD') {
          // HEAD is answered as GET would be, without a body: here, a 405 where GET is not allowed.
          expect(r.body).toBeUndefined();
          expect(r.headers.Allow?.split(', ').sort()).toEqual([...allowed].sort());
          continue;
        }
        expect(errorOf(r).status).toBe('405');
        expect(r.headers.Allow?.split(', ').sort()).toEqual([...allowed].sort());
        expect(r.headers['Content-Type']).toMatch(/^application\/scim\+json/);
        // A method that is not an HTTP token is not echoed back.
        expect((errorOf(r).detail ?? '').length).toBeLessThan(100);
        expect(errorOf(r).detail).not.toContain('\r');
      }
    }
  });

  it('takes methods in any case', async () => {
    const { as } = testServer();
    const a = as('a');
    expect((await a.request('get', '/Users')).status).toBe(200);
    expect((await a.request('pOsT', '/Users', { schemas: [USER_SCHEMA], userName: 'case' })).status).toBe(201);
  });

  it('OPTIONS is 405 with Allow once authenticated, and 401 without credentials like everything else', async () => {
    const { server, as } = testServer();
    const r = await as('a').request('OPTIONS', '/Users');
    expect(r.status).toBe(405);
    expect(r.headers.Allow).toBe('GET, HEAD, POST');
    const anonymous = await server.handle({ method: 'OPTIONS', path: '/scim/v2/Users', headers: {} });
    expect(anonymous.status).toBe(401);
  });

  it('HEAD answers as GET would, headers and status included, without a body; and 401 without credentials', async () => {
    const { server, as } = testServer();
    const a = as('a');
    const user = await a.createUser('head');
    for (const path of ['/Users', `/Users/${id(user)}`, '/Users/nobody', '/Schemas', '/ResourceTypes/User', '/ServiceProviderConfig', '/Nowhere']) {
      const get = await a.request('GET', path);
      const head = await a.request('HEAD', path);
      expect(head.status, path).toBe(get.status);
      expect(head.body, path).toBeUndefined();
      const { 'X-Request-Id': _g, ...getHeaders } = get.headers;
      const { 'X-Request-Id': _h, ...headHeaders } = head.headers;
      expect(headHeaders, path).toEqual(getHeaders);
    }
    const anonymous = await server.handle({ method: 'HEAD', path: '/scim/v2/Users', headers: {} });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toBeUndefined();
    expect(anonymous.headers['WWW-Authenticate']).toBe('Bearer realm="scim"');
  });

  it('/Me is 501 (RFC 7644 §3.11) for an authenticated client and 401 otherwise', async () => {
    const { server, as } = testServer();
    for (const method of ['GET', 'PUT', 'PATCH', 'DELETE', 'POST']) {
      const r = await as('a').request(method, '/Me');
      expect(r.status).toBe(501);
      expect(errorOf(r).status).toBe('501');
      expect((await server.handle({ method, path: '/scim/v2/Me', headers: {} })).status).toBe(401);
    }
  });
});

// -------------------------------------------------------------------------------------------------

describe('authentication', () => {
  const tenants = [
    { id: 'a', token: 'token-a', isolationLevel: 'strict' as const },
    { id: 'b', token: 'token-b', isolationLevel: 'shared' as const },
  ];

  it('no endpoint, discovery included, answers without a valid credential, and every refusal is the same 401', async () => {
    const resolver = new StaticTenantResolver(tenants);
    const byToken = new ScimServer({ tenantResolver: resolver });
    const byUrl = new ScimServer({ tenantResolver: resolver, locator: pathTenantLocator('/tenants/{tenantId}/scim/v2') });
    const user = await byToken.handle({
      method: 'POST',
      path: '/scim/v2/Users',
      headers: { authorization: 'Bearer token-a' },
      body: { schemas: [USER_SCHEMA], userName: 'secret-name' },
    });
    const resources = [
      '/Users',
      `/Users/${id(user.body)}`,
      '/Groups',
      '/Users/.search',
      '/.search',
      '/Bulk',
      '/Me',
      '/Schemas',
      `/Schemas/${USER_SCHEMA}`,
      '/ResourceTypes',
      '/ResourceTypes/User',
      '/ServiceProviderConfig',
      '/NoSuchEndpoint',
      '/Users/%E0%A4%A',
    ];
    const credentials: (string | string[] | undefined)[] = [
      undefined,
      '',
      'Bearer',
      'Bearer wrong',
      'Basic dG9rZW4tYTp4',
      'Token token-a',
      'Bearer token-a token-b',
      'Bearer token-a\u0000',
      ['Bearer token-a', 'Bearer token-b'],
      `Bearer ${'x'.repeat(100_000)}`,
      'Bearer token-a\r\nX-Admin: 1',
    ];
    const bodies = new Set<string>();
    let count = 0;
    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'FOO']) {
      for (const resource of resources) {
        const requests: [ScimServer, ScimRequest][] = [];
        for (const authorization of credentials) {
          const headers = authorization === undefined ? {} : { authorization };
          requests.push([byToken, { method, path: `/scim/v2${resource}`, headers, body: { schemas: [USER_SCHEMA], userName: 'x' } }]);
          requests.push([byUrl, { method, path: `/tenants/a/scim/v2${resource}`, headers }]);
        }
        // A valid token for another tenant than the URL names, and a URL tenant nobody has.
        requests.push([byUrl, { method, path: `/tenants/a/scim/v2${resource}`, headers: { authorization: 'Bearer token-b' } }]);
        requests.push([byUrl, { method, path: `/tenants/nobody/scim/v2${resource}`, headers: { authorization: 'Bearer token-a' } }]);
        for (const [server, request] of requests) {
          const r = await server.handle(request);
          expect(r.status, `${method} ${request.path}`).toBe(401);
          expect(r.headers['WWW-Authenticate']).toBe('Bearer realm="scim"');
          expect(r.headers['Content-Type']).toMatch(/^application\/scim\+json/);
          expect(Object.keys(r.headers).sort()).toEqual(['Content-Type', 'WWW-Authenticate', 'X-Request-Id']);
          // HEAD is answered without a body, the 401 included.
          if (method !== 'HEAD') bodies.add(JSON.stringify(r.body));
          else expect(r.body).toBeUndefined();
          count++;
        }
      }
    }
    expect(count).toBeGreaterThan(2000);
    expect([...bodies]).toEqual([JSON.stringify({ schemas: [ERROR], status: '401', detail: 'Authentication required: a valid bearer token for this tenant' })]);
  });
});

// -------------------------------------------------------------------------------------------------

describe('what error details reveal about other tenants', () => {
  /** Two tenants in the one shared store, where a leak would be easiest. */
  function pair(): { a: Client; b: Client } {
    const t = testServer([
      { id: 'a', token: 'token-a', isolationLevel: 'shared' },
      { id: 'b', token: 'token-b', isolationLevel: 'shared' },
    ]);
    return { a: t.as('a'), b: t.as('b') };
  }

  it("409 uniqueness speaks only of the tenant's own values, and reads the same whether another tenant has the name", async () => {
    const { a, b } = pair();
    const other = await a.createUser('taken', { externalId: 'ext-1' });
    // Another tenant's userName is no conflict at all.
    const free = await b.post('/Users', { schemas: [USER_SCHEMA], userName: 'taken', externalId: 'ext-1' });
    expect(free.status).toBe(201);
    const clash = await b.post('/Users', { schemas: [USER_SCHEMA], userName: 'TAKEN' });
    expect(clash.status).toBe(409);
    expect(errorOf(clash).scimType).toBe('uniqueness');
    // Same conflict where no other tenant has the name.
    await b.createUser('lonely');
    const alone = await b.post('/Users', { schemas: [USER_SCHEMA], userName: 'LONELY' });
    expect(errorOf(alone).detail?.replace('LONELY', '<name>')).toBe(errorOf(clash).detail?.replace('TAKEN', '<name>'));
    expect(JSON.stringify(clash.body)).not.toContain(id(other));
    expect(JSON.stringify(clash.body)).not.toContain(id(free.body));
  });

  it("400 member references read the same for another tenant's user or group as for an id that does not exist", async () => {
    const { a, b } = pair();
    const foreignUser = await a.createUser('foreign');
    const foreignGroup = await a.createGroup('foreign-group');
    const ownGroup = await b.createGroup('own');
    let n = 0;
    const attempts = (target: string): Promise<ScimResponse>[] => [
      b.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'g', members: [{ value: target }] }),
      b.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'h', members: [{ value: target, type: 'Group' }] }),
      b.patch(`/Groups/${id(ownGroup)}`, [{ op: 'add', path: 'members', value: [{ value: target }] }]),
      b.put(`/Groups/${id(ownGroup)}`, { schemas: [GROUP_SCHEMA], displayName: 'own', members: [{ value: target }] }),
    ];
    const shape = (r: ScimResponse, target: string): string => JSON.stringify(r.body).replaceAll(target, '<id>');
    for (const target of [id(foreignUser), id(foreignGroup)]) {
      const foreign = await Promise.all(attempts(target));
      const unknown = await Promise.all(attempts(UNKNOWN_ID));
      for (let i = 0; i < foreign.length; i++) {
        const f = foreign[i] as ScimResponse;
        const u = unknown[i] as ScimResponse;
        expect(f.status, `attempt ${i}`).toBe(400);
        expect(errorOf(f).scimType).toBe('invalidValue');
        expect(shape(f, target), `attempt ${i}`).toBe(shape(u, UNKNOWN_ID));
      }
      // A manager is a plain value: accepted either way, never filled in from the other tenant.
      for (const value of [target, UNKNOWN_ID]) {
        const r = await b.post('/Users', { schemas: [USER_SCHEMA, ENTERPRISE], userName: `m${n++}`, [ENTERPRISE]: { manager: { value } } });
        expect(r.status).toBe(201);
        expect((r.body as Record<string, Body>)[ENTERPRISE]).toEqual({ manager: { value } });
      }
    }
    const group = await b.get(`/Groups/${id(ownGroup)}`);
    expect((group.body as Body).members ?? []).toEqual([]);
    // Removing another tenant's member id from an own group is the same no-op as an unknown id.
    const rf = await b.patch(`/Groups/${id(ownGroup)}`, [{ op: 'remove', path: `members[value eq "${id(foreignUser)}"]` }]);
    const ru = await b.patch(`/Groups/${id(ownGroup)}`, [{ op: 'remove', path: `members[value eq "${UNKNOWN_ID}"]` }]);
    expect(rf.status).toBe(ru.status);
  });

  it("preconditions on another tenant's resource are 404 like an unknown id, and an own 412 names no other tenant's version", async () => {
    const { a, b } = pair();
    const foreign = await a.createUser('foreign');
    for (let i = 0; i < 4; i++) await a.patch(`/Users/${id(foreign)}`, [{ op: 'replace', path: 'nickName', value: `v${i}` }]);
    const own = await b.createUser('own');
    for (const ifMatch of ['W/"5"', 'W/"1"', '*', 'W/"1", W/"5"', '"5"']) {
      const calls = (target: string): Promise<ScimResponse>[] => [
        b.put(`/Users/${target}`, { schemas: [USER_SCHEMA], userName: 'x' }, { 'if-match': ifMatch }),
        b.patch(`/Users/${target}`, [{ op: 'replace', path: 'nickName', value: 'x' }], { 'if-match': ifMatch }),
        b.delete(`/Users/${target}`, { 'if-match': ifMatch }),
        b.get(`/Users/${target}`, undefined, { 'if-none-match': ifMatch }),
      ];
      const f = await Promise.all(calls(id(foreign)));
      const u = await Promise.all(calls(UNKNOWN_ID));
      for (let i = 0; i < f.length; i++) {
        expect((f[i] as ScimResponse).status).toBe(404);
        expect(JSON.stringify((f[i] as ScimResponse).body).replaceAll(id(foreign), '<id>')).toBe(
          JSON.stringify((u[i] as ScimResponse).body).replaceAll(UNKNOWN_ID, '<id>'),
        );
      }
    }
    // The own resource is at version 1; the other tenant's is at 5. A stale tag on the own one is
    // a 412 that never mentions version 5 or the other resource.
    for (const r of [
      await b.put(`/Users/${id(own)}`, { schemas: [USER_SCHEMA], userName: 'own' }, { 'if-match': 'W/"5"' }),
      await b.patch(`/Users/${id(own)}`, [{ op: 'replace', path: 'nickName', value: 'x' }], { 'if-match': 'W/"5"' }),
      await b.delete(`/Users/${id(own)}`, { 'if-match': 'W/"5"' }),
    ]) {
      expect(r.status).toBe(412);
      expect(errorOf(r).status).toBe('412');
      const text = JSON.stringify(r.body);
      expect(text).not.toContain(id(foreign));
      expect(text.replace('W/\\"5\\" does not match', '')).not.toMatch(/W\/\\"5\\"/);
    }
    expect(((await a.get(`/Users/${id(foreign)}`)).body as Body).nickName).toBe('v3');
  });
});

// -------------------------------------------------------------------------------------------------

interface RawResult {
  head: string;
  body: string;
  sent: number;
  closedByServer: boolean;
}

/** Sends raw bytes to the harness and reads until the server closes or 3 s pass. */
function rawRequest(origin: string, head: string, bodyBytes = 0, chunk = 65_536): Promise<RawResult> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    let received = Buffer.alloc(0);
    let sent = 0;
    let closedByServer = false;
    const finish = (): void => {
      const text = received.toString('latin1');
      const split = text.indexOf('\r\n\r\n');
      resolve({ head: split < 0 ? text : text.slice(0, split), body: split < 0 ? '' : text.slice(split + 4), sent, closedByServer });
    };
    const timer = setTimeout(() => socket.destroy(), 3000);
    socket.on('data', (d: Buffer) => {
      received = Buffer.concat([received, d]);
    });
    socket.on('error', () => undefined);
    socket.on('end', () => {
      closedByServer = true;
    });
    socket.on('close', () => {
      clearTimeout(timer);
      finish();
    });
    socket.write(head);
    const block = Buffer.alloc(chunk, 0x61);
    const pump = (): void => {
      while (sent < bodyBytes && !socket.destroyed) {
        sent += block.length;
        if (!socket.write(block)) {
          socket.once('drain', pump);
          return;
        }
      }
    };
    pump();
  });
}

describe('node:http adapter on 127.0.0.1', () => {
  let harness: HttpHarness | undefined;
  let unhandled: unknown[];
  const onUnhandled = (reason: unknown): void => {
    unhandled.push(reason);
  };
  beforeEach(() => {
    unhandled = [];
    process.on('unhandledRejection', onUnhandled);
  });
  afterEach(async () => {
    process.off('unhandledRejection', onUnhandled);
    await harness?.close();
    harness = undefined;
    expect(unhandled).toEqual([]);
  });

  it('answers an oversized body announced by Content-Length with 413 at once and closes without reading it', async () => {
    const { server } = testServer();
    harness = await listen(server);
    const total = 64 * 1024 * 1024;
    const r = await rawRequest(
      harness.origin,
      `POST /scim/v2/Users HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer token-a\r\nContent-Type: application/scim+json\r\nContent-Length: ${total}\r\n\r\n`,
      total,
    );
    expect(r.head).toMatch(/^HTTP\/1\.1 413 /);
    expect(r.head.toLowerCase()).toContain('connection: close');
    expect(JSON.parse(r.body)).toMatchObject({ schemas: [ERROR], status: '413' });
    expect(r.closedByServer).toBe(true);
    // The server stopped reading, so the client could not push the whole body through.
    expect(r.sent).toBeLessThan(total);
  });

  it('refuses a GET that announces an oversized body with 413 and closes, instead of draining it', async () => {
    const { server } = testServer();
    harness = await listen(server);
    const total = 64 * 1024 * 1024;
    const r = await rawRequest(
      harness.origin,
      `GET /scim/v2/Users HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer token-a\r\nContent-Length: ${total}\r\n\r\n`,
      total,
    );
    expect(r.head).toMatch(/^HTTP\/1\.1 413 /);
    expect(r.closedByServer).toBe(true);
    expect(r.sent).toBeLessThan(total);
  });

  it('cuts off a chunked body at the limit with 413 and closes the connection', async () => {
    const { server } = testServer();
    harness = await listen(server);
    const chunk = `10000\r\n${'a'.repeat(0x10000)}\r\n`;
    const r = await rawRequest(
      harness.origin,
      `POST /scim/v2/Users HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer token-a\r\nContent-Type: application/scim+json\r\nTransfer-Encoding: chunked\r\n\r\n${chunk.repeat(40)}`,
    );
    expect(r.head).toMatch(/^HTTP\/1\.1 413 /);
    expect(JSON.parse(r.body)).toMatchObject({ status: '413' });
    expect(r.closedByServer).toBe(true);
    // Still serving.
    expect((await harness.call('token-a', 'GET', '/scim/v2/ServiceProviderConfig')).status).toBe(200);
  });

  it('answers invalid percent-encoding, NUL and dot segments in the path with a SCIM 4xx and keeps serving', async () => {
    const { server } = testServer();
    harness = await listen(server);
    const paths = [
      '/scim/v2/Users/%E0%A4%A',
      '/scim/v2/Users/%',
      '/scim/v2/%ZZ',
      '/scim/v2/Users/%00',
      '/scim/v2/Users/%C0%AF',
      '/scim/v2/%2e%2e/Users',
      '/scim/v2/../v2/Users',
      '/scim//v2/Users',
      '/scim/v2/Users/..%2F..%2Fetc',
      `/scim/v2/Users/${'x'.repeat(8000)}`,
      '/scim/v2/Users/%F0%9F%98%80',
    ];
    for (const path of paths) {
      for (const token of ['token-a', undefined]) {
        const r = await rawRequest(
          harness.origin,
          `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${token ? `Authorization: Bearer ${token}\r\n` : ''}Connection: close\r\n\r\n`,
        );
        const status = Number(r.head.slice(9, 12));
        expect(status, path).toBeGreaterThanOrEqual(400);
        expect(status, path).toBeLessThan(500);
        expect(r.head.toLowerCase(), path).toContain('content-type: application/scim+json');
        expect(JSON.parse(r.body), path).toMatchObject({ schemas: [ERROR], status: String(status) });
        if (!token && path.startsWith('/scim/v2/') && !path.includes('..') && !path.includes('//')) expect(status, path).toBe(401);
      }
    }
    expect((await harness.call('token-a', 'GET', '/scim/v2/Users')).status).toBe(200);
  });

  it('refuses a body that is not UTF-8 with 400 invalidSyntax, after authentication', async () => {
    const { server } = testServer();
    harness = await listen(server);
    const bytes = Buffer.concat([Buffer.from(`{"schemas":["${USER_SCHEMA}"],"userName":"`), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')]);
    const send = (auth: string): Promise<RawResult> =>
      new Promise((resolve) => {
        const { hostname, port } = new URL((harness as HttpHarness).origin);
        const socket = connect(Number(port), hostname);
        let got = '';
        socket.on('data', (d: Buffer) => {
          got += d.toString('latin1');
        });
        socket.on('close', () => {
          const split = got.indexOf('\r\n\r\n');
          resolve({ head: got.slice(0, split), body: got.slice(split + 4), sent: bytes.length, closedByServer: true });
        });
        socket.write(
          `POST /scim/v2/Users HTTP/1.1\r\nHost: 127.0.0.1\r\n${auth}Content-Type: application/scim+json\r\nContent-Length: ${bytes.length}\r\nConnection: close\r\n\r\n`,
        );
        socket.write(bytes);
      });
    const authed = await send('Authorization: Bearer token-a\r\n');
    expect(authed.head).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(authed.body)).toMatchObject({ status: '400', scimType: 'invalidSyntax' });
    const anonymous = await send('');
    expect(anonymous.head).toMatch(/^HTTP\/1\.1 401 /);
  });

  it('builds absolute URLs only from a Host that is a host name', async () => {
    const { server } = testServer();
    harness = await listen(server);
    const body = JSON.stringify({ schemas: [USER_SCHEMA], userName: 'host-check' });
    const post = (host: string): Promise<RawResult> =>
      rawRequest(
        (harness as HttpHarness).origin,
        `POST /scim/v2/Users HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer token-a\r\nContent-Type: application/scim+json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
      );
    const good = await post('scim.example.com:8443');
    expect(good.head).toMatch(/^HTTP\/1\.1 201 /);
    expect(JSON.parse(good.body).meta.location).toMatch(/^http:\/\/scim\.example\.com:8443\/scim\/v2\/Users\//);
    await server.handle({ method: 'DELETE', path: `/scim/v2/Users/${JSON.parse(good.body).id}`, headers: { authorization: 'Bearer token-a' } });
    for (const host of ['evil.example/phish?', 'user@evil.example', 'a b', 'evil.example#x']) {
      const r = await post(host);
      expect(r.head, host).toMatch(/^HTTP\/1\.1 201 /);
      const location = JSON.parse(r.body).meta.location as string;
      expect(location, host).toMatch(/^\/scim\/v2\/Users\//);
      expect(r.head).not.toContain('evil');
      await server.handle({ method: 'DELETE', path: location, headers: { authorization: 'Bearer token-a' } });
    }
  });

  it('turns a response Node cannot write (a header with CR LF from a custom provider) into a SCIM 500, without an unhandled rejection', async () => {
    const resource: ScimResource = {
      schemas: [USER_SCHEMA],
      id: 'odd',
      userName: 'odd',
      meta: { resourceType: 'User', created: '2024-01-01T00:00:00Z', lastModified: '2024-01-01T00:00:00Z', version: 'W/"1"\r\nSet-Cookie: a=b' },
    };
    const odd: ResourceProvider = {
      resourceType: 'User',
      create: async () => resource,
      get: async () => resource,
      replace: async () => resource,
      patch: async () => ({ resource, changed: [] }),
      delete: async () => undefined,
      list: async () => ({ resources: [resource], totalResults: 1 }),
    };
    const { server } = testServer(undefined, { providers: { User: odd } });
    harness = await listen(server);
    const r = await fetch(`${harness.origin}/scim/v2/Users/odd`, { headers: { authorization: 'Bearer token-a' }, signal: AbortSignal.timeout(5000) });
    expect(r.status).toBe(500);
    expect(r.headers.get('set-cookie')).toBeNull();
    expect(await r.json()).toMatchObject({ schemas: [ERROR], status: '500' });
    expect((await harness.call('token-a', 'GET', '/scim/v2/Users')).status).toBe(200);
  });
});

describe('Fetch API adapter', () => {
  it('answers 413 from Content-Length alone, 400 invalidSyntax for bytes that are not UTF-8, and 500 for an unwritable header', async () => {
    const { server } = testServer();
    const handler = toFetchHandler(server, { maxBodyBytes: 1000 });
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(500));
        if (pulled > 100) controller.close();
      },
    });
    const big = await handler(
      new Request('http://localhost/scim/v2/Users', {
        method: 'POST',
        headers: { authorization: 'Bearer token-a', 'content-length': '50000' },
        body: stream,
        duplex: 'half',
      } as RequestInit),
    );
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ status: '413' });
    expect(pulled).toBeLessThan(5);

    const bad = await handler(
      new Request('http://localhost/scim/v2/Users', {
        method: 'POST',
        headers: { authorization: 'Bearer token-a', 'content-type': 'application/scim+json' },
        body: new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]),
      }),
    );
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ scimType: 'invalidSyntax' });

    const resource: ScimResource = {
      schemas: [USER_SCHEMA],
      id: 'odd',
      meta: { resourceType: 'User', created: '2024-01-01T00:00:00Z', lastModified: '2024-01-01T00:00:00Z', version: 'W/"1"\nX: y' },
    };
    const odd: ResourceProvider = {
      resourceType: 'User',
      create: async () => resource,
      get: async () => resource,
      replace: async () => resource,
      patch: async () => ({ resource, changed: [] }),
      delete: async () => undefined,
      list: async () => ({ resources: [resource], totalResults: 1 }),
    };
    const oddHandler = toFetchHandler(testServer(undefined, { providers: { User: odd } }).server);
    const r = await oddHandler(new Request('http://localhost/scim/v2/Users/odd', { headers: { authorization: 'Bearer token-a' } }));
    expect(r.status).toBe(500);
    expect(await r.json()).toMatchObject({ schemas: [ERROR], status: '500' });
  });
});

// -------------------------------------------------------------------------------------------------

describe('in-process callers that skip the types', () => {
  it('answers a missing request, odd field types, cyclic and BigInt bodies and Express-style queries with SCIM errors, not 500', async () => {
    const { server } = testServer();
    const auth = { authorization: 'Bearer token-a' };
    const cyclic: Record<string, unknown> = { schemas: [USER_SCHEMA], userName: 'cycle' };
    cyclic.self = cyclic;
    const cases: [string, unknown, number][] = [
      ['no request', null, 404],
      ['number method', { method: 5, path: '/scim/v2/Users', headers: auth }, 405],
      ['number path', { method: 'GET', path: 5, headers: auth }, 404],
      ['null headers', { method: 'GET', path: '/scim/v2/Users', headers: null }, 401],
      [
        'number content-type',
        { method: 'POST', path: '/scim/v2/Users', headers: { ...auth, 'content-type': 5 }, body: { schemas: [USER_SCHEMA], userName: 'n' } },
        415,
      ],
      ['object header', { method: 'GET', path: '/scim/v2/Users', headers: { ...auth, 'if-none-match': {} } }, 200],
      ['cyclic body', { method: 'POST', path: '/scim/v2/Users', headers: auth, body: cyclic }, 400],
      ['BigInt body', { method: 'POST', path: '/scim/v2/Users', headers: auth, body: { schemas: [USER_SCHEMA], userName: 'big', n: 10n } }, 400],
      ['cyclic bulk', { method: 'POST', path: '/scim/v2/Bulk', headers: auth, body: cyclic }, 400],
      ['repeated query parameter', { method: 'GET', path: '/scim/v2/Users', headers: auth, query: { count: ['5', '1'] } }, 200],
      ['nested query object', { method: 'GET', path: '/scim/v2/Users', headers: auth, query: { startIndex: { $gt: 1 } } }, 400],
      ['numeric query value', { method: 'GET', path: '/scim/v2/Users', headers: auth, query: { count: 1 } }, 200],
      ['non-string origin', { method: 'GET', path: '/scim/v2/Users', headers: auth, origin: { evil: true } }, 200],
    ];
    for (const [label, request, status] of cases) {
      const r = await server.handle(request as ScimRequest);
      expect(r.status, label).toBe(status);
      expect(r.headers['Content-Type'], label).toMatch(/^application\/scim\+json/);
      if (status >= 400) expect(errorOf(r).status, label).toBe(String(status));
    }
    const repeated = await server.handle({
      method: 'GET',
      path: '/scim/v2/Users',
      headers: auth,
      query: { count: ['5', '0'] } as unknown as Record<string, string>,
    });
    expect((repeated.body as { itemsPerPage: number }).itemsPerPage).toBe(0);
  });
});
