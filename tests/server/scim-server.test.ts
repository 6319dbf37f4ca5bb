import { describe, expect, it } from 'vitest';
import { ScimServer, StaticTenantResolver, type ResourceProvider } from '../../src/index.js';
import { ENTERPRISE, GROUP_SCHEMA, SEARCH, USER_SCHEMA, errorOf, testServer, type Body } from '../helpers/scim-client.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('authentication', () => {
  it('answers 401 SCIM error without data for a missing or unknown token', async () => {
    const { server, as } = testServer();
    await as('a').createUser('bjensen');
    for (const authorization of [undefined, 'Bearer nope', 'Basic dG9rZW4tYTo=', 'Bearer']) {
      const r = await server.handle({ method: 'GET', path: '/scim/v2/Users', headers: authorization ? { authorization } : {} });
      expect(r.status).toBe(401);
      expect(errorOf(r).status).toBe('401');
      expect(r.headers['WWW-Authenticate']).toMatch(/^Bearer/);
      expect(JSON.stringify(r.body)).not.toContain('bjensen');
    }
  });

  it('needs a resolver: there is no default tenant', () => {
    expect(() => new ScimServer({} as never)).toThrow(TypeError);
  });
});

describe('Users CRUD', () => {
  it('creates a user with meta, Location, ETag and the SCIM media type', async () => {
    const { server } = testServer();
    const r = await server.handle({
      method: 'POST',
      path: '/scim/v2/Users',
      origin: 'https://scim.example.com',
      headers: { Authorization: 'Bearer token-a', 'Content-Type': 'application/scim+json; charset=utf-8' },
      body: JSON.stringify({ schemas: [USER_SCHEMA], userName: 'bjensen', name: { givenName: 'Barbara' } }),
    });
    expect(r.status).toBe(201);
    const b = r.body as Body & { meta: Body };
    expect(b.id).toMatch(UUID_V7);
    expect(b.meta.resourceType).toBe('User');
    expect(b.meta.location).toBe(`https://scim.example.com/scim/v2/Users/${b.id}`);
    expect(r.headers.Location).toBe(b.meta.location);
    expect(b.meta.version).toBe('W/"1"');
    expect(r.headers.ETag).toBe('W/"1"');
    expect(Date.parse(b.meta.created as string)).not.toBeNaN();
    expect(b.meta.lastModified).toBe(b.meta.created);
    expect(r.headers['Content-Type']).toMatch(/^application\/scim\+json/);
    expect(b.schemas).toEqual([USER_SCHEMA]);
  });

  it('accepts application/json bodies and refuses other media types with 415', async () => {
    const { server } = testServer();
    const ok = await server.handle({
      method: 'POST',
      path: '/scim/v2/Users',
      headers: { authorization: 'Bearer token-a', 'content-type': 'application/json; charset=UTF-8' },
      body: '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"okta-user"}',
    });
    expect(ok.status).toBe(201);
    const bad = await server.handle({
      method: 'POST',
      path: '/scim/v2/Users',
      headers: { authorization: 'Bearer token-a', 'content-type': 'text/plain' },
      body: '{"userName":"x"}',
    });
    expect(bad.status).toBe(415);
    expect(errorOf(bad).status).toBe('415');
  });

  it('gets, replaces and deletes, moving the version on every change', async () => {
    const { as } = testServer();
    const a = as('a');
    const u = await a.createUser('bjensen', { displayName: 'Babs' });
    const got = await a.get(`/Users/${u.id}`);
    expect(got.status).toBe(200);
    expect((got.body as Body).displayName).toBe('Babs');
    const put = await a.put(`/Users/${u.id}`, { schemas: [USER_SCHEMA], userName: 'bjensen', title: 'Tour Guide' });
    expect(put.status).toBe(200);
    const pb = put.body as Body & { meta: Body };
    expect(pb.title).toBe('Tour Guide');
    expect(pb.displayName).toBeUndefined();
    expect(pb.meta.version).toBe('W/"2"');
    expect(pb.meta.created).toBe((u.meta as Body).created);
    const del = await a.delete(`/Users/${u.id}`);
    expect(del.status).toBe(204);
    expect(del.body).toBeUndefined();
    const gone = await a.get(`/Users/${u.id}`);
    expect(gone.status).toBe(404);
    expect(errorOf(gone).status).toBe('404');
  });

  it('never returns the password', async () => {
    const { as } = testServer();
    const a = as('a');
    const created = await a.post('/Users', { schemas: [USER_SCHEMA], userName: 'pw', password: 't1meMa$heen' });
    expect(created.status).toBe(201);
    expect(JSON.stringify(created.body)).not.toContain('t1meMa$heen');
    const id = (created.body as Body).id as string;
    for (const r of [await a.get(`/Users/${id}`), await a.get('/Users'), await a.get(`/Users/${id}`, { attributes: 'password' })]) {
      expect(JSON.stringify(r.body)).not.toContain('t1meMa$heen');
      expect(JSON.stringify(r.body)).not.toContain('"password"');
    }
  });

  it('keeps userName unique per tenant, case-insensitively, and allows it in another tenant', async () => {
    const { as } = testServer();
    await as('a').createUser('BJensen');
    const dup = await as('a').post('/Users', { schemas: [USER_SCHEMA], userName: 'bjensen' });
    expect(dup.status).toBe(409);
    expect(errorOf(dup).scimType).toBe('uniqueness');
    const other = await as('b').post('/Users', { schemas: [USER_SCHEMA], userName: 'bjensen' });
    expect(other.status).toBe(201);
  });

  it('accepts a trailing slash and decodes + in a raw query string as a space', async () => {
    const { as } = testServer();
    const a = as('a');
    await a.createUser('bjensen');
    await a.createUser('other');
    const r = await a.get('/Users/', 'filter=userName+eq+%22bjensen%22');
    expect(r.status).toBe(200);
    expect((r.body as Body).totalResults).toBe(1);
  });

  it('canonicalises attribute names on output and takes any case on input', async () => {
    const { as } = testServer();
    const r = await as('a').post('/Users', { SCHEMAS: [USER_SCHEMA], USERNAME: 'caps', Name: { GivenName: 'Cap' }, Active: true });
    expect(r.status).toBe(201);
    const b = r.body as Body;
    expect(b.userName).toBe('caps');
    expect(b.name).toEqual({ givenName: 'Cap' });
    expect(b.active).toBe(true);
  });
});

describe('lists', () => {
  it('returns a ListResponse with integers and an always-present Resources array', async () => {
    const { as } = testServer();
    const a = as('a');
    const empty = await a.get('/Users');
    expect(empty.status).toBe(200);
    const e = empty.body as Body;
    expect(e.schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:ListResponse']);
    expect(e.totalResults).toBe(0);
    expect(e.Resources).toEqual([]);
    expect(e.startIndex).toBe(1);
    expect(e.itemsPerPage).toBe(0);
    for (let i = 0; i < 5; i++) await a.createUser(`user${i}`);
    const page = await a.get('/Users', { startIndex: '2', count: '2' });
    const p = page.body as Body;
    expect(p.totalResults).toBe(5);
    expect(p.startIndex).toBe(2);
    expect(p.itemsPerPage).toBe(2);
    expect((p.Resources as Body[]).map((u) => u.userName)).toEqual(['user1', 'user2']);
    const totals = await a.get('/Users', { count: '0' });
    expect((totals.body as Body).totalResults).toBe(5);
    expect((totals.body as Body).Resources).toEqual([]);
  });

  it('searches with POST /.search on a type and at the root', async () => {
    const { as } = testServer();
    const a = as('a');
    const u = await a.createUser('bjensen');
    await a.createGroup('Admins', [u.id as string]);
    const typed = await a.post('/Users/.search', { schemas: [SEARCH], filter: 'userName sw "bj"', attributes: ['userName'] });
    expect(typed.status).toBe(200);
    expect((typed.body as Body).totalResults).toBe(1);
    expect(((typed.body as Body).Resources as Body[])[0]).toEqual({ schemas: [USER_SCHEMA], id: u.id, userName: 'bjensen' });
    const root = await a.post('/.search', { schemas: [SEARCH] });
    expect((root.body as Body).totalResults).toBe(2);
  });
});

describe('groups and membership', () => {
  it('keeps members as references of the same tenant and derives User.groups', async () => {
    const { as } = testServer();
    const a = as('a');
    const u = await a.createUser('member');
    const g = await a.createGroup('Admins', [u.id as string]);
    const members = g.members as Body[];
    expect(members).toHaveLength(1);
    expect(members[0]?.value).toBe(u.id);
    expect(members[0]?.type).toBe('User');
    expect(members[0]?.$ref).toBe(`/scim/v2/Users/${u.id}`);
    const user = (await a.get(`/Users/${u.id}`)).body as Body;
    expect(user.groups).toEqual([{ value: g.id, display: 'Admins', type: 'direct', $ref: `/scim/v2/Groups/${g.id}` }]);
  });

  it('ignores groups sent on a user (readOnly)', async () => {
    const { as } = testServer();
    const a = as('a');
    const g = await a.createGroup('Staff');
    const u = await a.createUser('sneaky', { groups: [{ value: g.id }] });
    expect(u.groups ?? []).toEqual([]);
    const group = (await a.get(`/Groups/${g.id}`)).body as Body;
    expect(group.members ?? []).toEqual([]);
  });

  it('refuses a member that belongs to another tenant, without saying it exists', async () => {
    const { as } = testServer();
    const theirs = await as('b').createUser('theirs');
    const r = await as('a').post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'x', members: [{ value: theirs.id }] });
    const unknown = await as('a').post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'y', members: [{ value: '0190a000-0000-7000-8000-000000000000' }] });
    expect(r.status).toBe(400);
    expect(errorOf(r).scimType).toBe('invalidValue');
    expect(unknown.status).toBe(400);
    expect(errorOf(r).detail?.replace(theirs.id as string, 'ID')).toBe(errorOf(unknown).detail?.replace('0190a000-0000-7000-8000-000000000000', 'ID'));
  });

  it("says so when a member reference names one type and the id is the tenant's resource of another", async () => {
    const { as } = testServer();
    const a = as('a');
    const user = await a.createUser('bjensen');
    const group = await a.createGroup('admins');
    const asGroup = await a.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'x', members: [{ value: user.id, type: 'Group' }] });
    expect(asGroup.status).toBe(400);
    expect(errorOf(asGroup)).toMatchObject({ scimType: 'invalidValue', detail: expect.stringContaining(`"${user.id as string}" is a User, not a Group`) });
    const asUser = await a.patch(`/Groups/${group.id}`, [{ op: 'add', path: 'members', value: [{ value: group.id, type: 'User' }] }]);
    expect(errorOf(asUser).detail).toContain('a resource cannot be a member of itself');
    const other = await a.createGroup('others');
    const typed = await a.patch(`/Groups/${group.id}`, [{ op: 'add', path: 'members', value: [{ value: other.id, type: 'User' }] }]);
    expect(errorOf(typed).detail).toContain(`"${other.id as string}" is a Group, not a User`);
    // Another tenant's resource of the other type is still just an unknown id.
    const theirs = await as('b').createGroup('theirs');
    const foreign = await a.patch(`/Groups/${group.id}`, [{ op: 'add', path: 'members', value: [{ value: theirs.id, type: 'User' }] }]);
    expect(errorOf(foreign).detail).toBe(`members: no User with id "${theirs.id as string}"`);
  });

  it('answers 204 to a Group PATCH unless attributes are asked for', async () => {
    const { as } = testServer();
    const a = as('a');
    const u = await a.createUser('m1');
    const g = await a.createGroup('G');
    const plain = await a.patch(`/Groups/${g.id}`, [{ op: 'add', path: 'members', value: [{ value: u.id }] }]);
    expect(plain.status).toBe(204);
    expect(plain.headers.ETag).toBe('W/"2"');
    const asked = await a.patch(`/Groups/${g.id}`, [{ op: 'replace', path: 'displayName', value: 'G2' }], undefined, { attributes: 'displayName' });
    expect(asked.status).toBe(200);
    expect((asked.body as Body).displayName).toBe('G2');
  });
});

describe('discovery', () => {
  it('serves a truthful ServiceProviderConfig', async () => {
    const { as } = testServer();
    const r = await as('a').get('/ServiceProviderConfig');
    expect(r.status).toBe(200);
    const spc = r.body as Record<string, Body>;
    expect(spc.patch?.supported).toBe(true);
    expect(spc.bulk?.supported).toBe(true);
    expect(spc.bulk?.maxOperations).toBe(1000);
    expect(spc.filter?.supported).toBe(true);
    expect(spc.filter?.maxResults).toBe(200);
    expect(spc.sort?.supported).toBe(true);
    expect(spc.etag?.supported).toBe(true);
    expect(spc.pagination?.cursor).toBe(true);
    expect(spc.pagination?.index).toBe(true);
    expect(Array.isArray(spc.authenticationSchemes)).toBe(true);
  });

  it('declares in /Schemas every attribute the discovery documents carry, as a strict client checks', async () => {
    const { as } = testServer();
    const a = as('a');
    const schemas = ((await a.get('/Schemas')).body as Body).Resources as Body[];
    type Declared = { name: string; type: string; subAttributes?: Declared[] };
    /** The attribute paths of `doc` (sub-attributes of complex ones) that `attributes` does not declare, with the wrong types. */
    const undeclared = (doc: Body, attributes: Declared[], prefix = ''): string[] => {
      const out: string[] = [];
      for (const [key, value] of Object.entries(doc)) {
        if (prefix === '' && (key === 'schemas' || key === 'meta' || key === 'id')) continue;
        const declared = attributes.find((x) => x.name.toLowerCase() === key.toLowerCase());
        if (!declared) {
          out.push(`${prefix}${key}`);
          continue;
        }
        const elements = Array.isArray(value) ? value : [value];
        for (const element of elements) {
          // Two levels, as SCIM has: only the Schema schema describing itself nests deeper (RFC 7643 §8.7.2).
          if (declared.type === 'complex' && prefix === '') out.push(...undeclared(element as Body, declared.subAttributes ?? [], `${key}.`));
          else if (declared.type === 'boolean' && typeof element !== 'boolean') out.push(`${prefix}${key} (not a boolean)`);
          else if (declared.type === 'integer' && !Number.isInteger(element)) out.push(`${prefix}${key} (not an integer)`);
        }
      }
      return out;
    };
    const schemaOf = (id: string) => schemas.find((s) => s.id === id)?.attributes as Declared[];
    const spc = (await a.get('/ServiceProviderConfig')).body as Body;
    expect(undeclared(spc, schemaOf('urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'))).toEqual([]);
    for (const rt of ((await a.get('/ResourceTypes')).body as Body).Resources as Body[]) {
      expect(undeclared(rt, schemaOf('urn:ietf:params:scim:schemas:core:2.0:ResourceType'))).toEqual([]);
    }
    for (const schema of schemas) {
      expect(undeclared(schema, schemaOf('urn:ietf:params:scim:schemas:core:2.0:Schema'))).toEqual([]);
    }
  });

  it('lists resource types and schemas, and finds each by id', async () => {
    const { as } = testServer();
    const a = as('a');
    const rts = (await a.get('/ResourceTypes')).body as Body;
    const names = (rts.Resources as Body[]).map((r) => r.name).sort();
    expect(names).toEqual(['Group', 'User']);
    const user = (await a.get('/ResourceTypes/User')).body as Body;
    expect(user.endpoint).toBe('/Users');
    expect(user.schemaExtensions).toEqual([{ schema: ENTERPRISE, required: false }]);
    const schemas = (await a.get('/Schemas')).body as Body;
    const ids = (schemas.Resources as Body[]).map((s) => s.id);
    expect(ids).toEqual(expect.arrayContaining([USER_SCHEMA, GROUP_SCHEMA, ENTERPRISE]));
    const one = await a.get(`/Schemas/${USER_SCHEMA}`);
    expect(one.status).toBe(200);
    const attrs = (one.body as Body).attributes as Body[];
    for (const n of ['userName', 'password', 'ims', 'photos', 'entitlements', 'roles', 'x509Certificates', 'groups']) {
      expect(attrs.map((x) => x.name)).toContain(n);
    }
    expect((await a.get('/Schemas/urn:nope')).status).toBe(404);
    expect((await a.get('/ResourceTypes/Nope')).status).toBe(404);
  });
});

describe('errors', () => {
  it('answers unknown paths with a SCIM 404 and wrong methods with a SCIM 405', async () => {
    const { as } = testServer();
    const a = as('a');
    const nf = await a.get('/Nope');
    expect(nf.status).toBe(404);
    expect(errorOf(nf).status).toBe('404');
    const na = await a.request('PATCH', '/Users', { schemas: [] });
    expect(na.status).toBe(405);
    expect(errorOf(na).status).toBe('405');
    expect(na.headers.Allow).toBe('GET, HEAD, POST');
  });

  it('turns an unexpected failure into a 500 that leaks nothing', async () => {
    const seen: unknown[] = [];
    const failing: ResourceProvider = {
      resourceType: 'User',
      create: async () => {
        throw new Error('connection to db-internal-7 failed: password=hunter2');
      },
      get: async () => {
        throw new Error('boom');
      },
      replace: async () => {
        throw new Error('boom');
      },
      patch: async () => {
        throw new Error('boom');
      },
      delete: async () => {
        throw new Error('boom');
      },
      list: async () => {
        throw new Error('boom');
      },
    };
    const server = new ScimServer({
      tenantResolver: new StaticTenantResolver([{ id: 'a', token: 't' }]),
      providers: { User: failing },
      onError: (e) => seen.push(e),
    });
    const r = await server.handle({ method: 'POST', path: '/scim/v2/Users', headers: { authorization: 'Bearer t' }, body: { userName: 'x' } });
    expect(r.status).toBe(500);
    expect(errorOf(r).status).toBe('500');
    expect(JSON.stringify(r.body)).not.toMatch(/hunter2|db-internal|stack|Error:/);
    expect(seen).toHaveLength(1);
  });

  it('refuses malformed and too-deep JSON with invalidSyntax, and oversized bodies with 413', async () => {
    const { server } = testServer([{ id: 'a', token: 't', permissions: { maxPayloadBytes: 2000 } }]);
    const send = (body: string) =>
      server.handle({ method: 'POST', path: '/scim/v2/Users', headers: { authorization: 'Bearer t', 'content-type': 'application/scim+json' }, body });
    const bad = await send('{"userName": ');
    expect(bad.status).toBe(400);
    expect(errorOf(bad).scimType).toBe('invalidSyntax');
    const deep = await send(`{"userName":"d","x":${'['.repeat(200)}${']'.repeat(200)}}`);
    expect(deep.status).toBe(400);
    expect(errorOf(deep).scimType).toBe('invalidSyntax');
    const big = await send(JSON.stringify({ userName: 'big', displayName: 'x'.repeat(5000) }));
    expect(big.status).toBe(413);
    expect(errorOf(big).detail).toContain('maxPayloadBytes');
  });
});

describe('preconditions', () => {
  it('answers 304 to a matching If-None-Match and 412 to a stale If-Match', async () => {
    const { as } = testServer();
    const a = as('a');
    const u = await a.createUser('etag');
    const notModified = await a.get(`/Users/${u.id}`, undefined, { 'if-none-match': 'W/"1"' });
    expect(notModified.status).toBe(304);
    expect(notModified.body).toBeUndefined();
    const changed = await a.get(`/Users/${u.id}`, undefined, { 'if-none-match': 'W/"0"' });
    expect(changed.status).toBe(200);
    const ok = await a.put(`/Users/${u.id}`, { schemas: [USER_SCHEMA], userName: 'etag', title: 'one' }, { 'if-match': 'W/"1"' });
    expect(ok.status).toBe(200);
    const stale = await a.put(`/Users/${u.id}`, { schemas: [USER_SCHEMA], userName: 'etag', title: 'two' }, { 'if-match': 'W/"1"' });
    expect(stale.status).toBe(412);
    expect(errorOf(stale).status).toBe('412');
    const star = await a.delete(`/Users/${u.id}`, { 'if-match': '*' });
    expect(star.status).toBe(204);
  });
});

describe('protocol version', () => {
  it('answers a request for another SCIM version with 400 invalidVers, and unknown paths with 404', async () => {
    const { server } = testServer();
    for (const path of ['/scim/v1/Users', '/scim/V3/Users/123', '/scim/v1']) {
      const r = await server.handle({ method: 'GET', path, headers: { authorization: 'Bearer token-a' } });
      expect(r.status, path).toBe(400);
      expect(errorOf(r).scimType).toBe('invalidVers');
    }
    const other = await server.handle({ method: 'GET', path: '/api/v1/Users', headers: { authorization: 'Bearer token-a' } });
    expect(other.status).toBe(404);
  });
});
