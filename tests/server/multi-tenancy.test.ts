import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import {
  InMemoryStorage,
  ScimServer,
  SchemaRegistry,
  StaticTenantResolver,
  TokenBucketRateLimiter,
  basePathLocator,
  callbackAuditSink,
  functionLocator,
  hostTenantLocator,
  pathTenantLocator,
  type AuditEvent,
  type SchemaDefinition,
  type TenantDefinition,
} from '../../src/index.js';
import { listen, type HttpHarness } from '../helpers/http-harness.js';
import { GROUP_SCHEMA, PATCH_OP, SEARCH, USER_SCHEMA, testServer, type Body } from '../helpers/scim-client.js';

const harnesses: HttpHarness[] = [];
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((h) => h.close()));
});

async function http(scim: ScimServer): Promise<HttpHarness> {
  const h = await listen(scim);
  harnesses.push(h);
  return h;
}

const user = (userName: string, extra: Body = {}) => ({ schemas: [USER_SCHEMA], userName, ...extra });

describe('tenant resolution over HTTP', () => {
  const tenants: TenantDefinition[] = [
    { id: 'acme', token: 'tok-acme' },
    { id: 'globex', tokens: ['tok-globex-old', 'tok-globex-new'] },
  ];

  it('answers 401 with no data when the token and the URL name different tenants', async () => {
    const scim = new ScimServer({ tenantResolver: new StaticTenantResolver(tenants), locator: pathTenantLocator('/tenants/{tenantId}/scim/v2') });
    const h = await http(scim);
    const created = await h.call('tok-acme', 'POST', '/tenants/acme/scim/v2/Users', user('road.runner'));
    expect(created.status).toBe(201);
    const body = (await created.json()) as Body & { meta: Body };
    expect(body.meta.location).toBe(`${h.origin}/tenants/acme/scim/v2/Users/${body.id}`);
    for (const [token, path] of [
      ['tok-acme', '/tenants/globex/scim/v2/Users'],
      ['tok-globex-new', '/tenants/acme/scim/v2/Users'],
      ['tok-globex-new', `/tenants/acme/scim/v2/Users/${body.id}`],
    ] as const) {
      const r = await h.call(token, 'GET', path);
      expect(r.status).toBe(401);
      const text = await r.text();
      expect(text).not.toContain('road.runner');
      expect(text).not.toContain(body.id as string);
    }
    const own = await h.call('tok-globex-old', 'GET', '/tenants/globex/scim/v2/Users');
    expect(own.status).toBe(200);
    expect(((await own.json()) as Body).totalResults).toBe(0);
  });

  it('accepts both tokens during rotation and stops accepting a revoked one', async () => {
    const resolver = new StaticTenantResolver(tenants);
    const h = await http(new ScimServer({ tenantResolver: resolver }));
    expect((await h.call('tok-globex-old', 'GET', '/scim/v2/Users')).status).toBe(200);
    expect((await h.call('tok-globex-new', 'GET', '/scim/v2/Users')).status).toBe(200);
    await resolver.revokeToken('globex', 'tok-globex-old');
    expect((await h.call('tok-globex-old', 'GET', '/scim/v2/Users')).status).toBe(401);
    expect((await h.call('tok-globex-new', 'GET', '/scim/v2/Users')).status).toBe(200);
  });

  it('resolves the tenant from the host and builds URLs on that host', async () => {
    const scim = new ScimServer({
      tenantResolver: new StaticTenantResolver(tenants),
      locator: hostTenantLocator({ domain: 'scim.example.test', protocol: 'http' }),
    });
    const h = await http(scim);
    // fetch() will not send a Host of our choosing; node:http will.
    const send = (host: string, method: string, body?: unknown) =>
      new Promise<{ status: number; body: Body }>((resolve, reject) => {
        const req = request(`${h.origin}/scim/v2/Users`, {
          method,
          headers: { host, authorization: 'Bearer tok-acme', 'content-type': 'application/scim+json' },
        });
        req.on('response', (res) => {
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Body }));
        });
        req.on('error', reject);
        req.end(body === undefined ? undefined : JSON.stringify(body));
      });
    const created = await send('acme.scim.example.test', 'POST', user('host.user'));
    expect(created.status).toBe(201);
    expect((created.body.meta as Body).location).toMatch(/^http:\/\/acme\.scim\.example\.test\/scim\/v2\/Users\//);
    const wrong = await send('globex.scim.example.test', 'GET');
    expect(wrong.status).toBe(401);
    const none = await send('scim.example.test', 'GET');
    expect(none.status).toBe(404);
  });

  it('accepts any async function as a resolver', async () => {
    const scim = new ScimServer({
      tenantResolver: async ({ token, baseUrl }) => (token === 'fn-token' ? { tenantId: 'fn', isolationLevel: 'shared', permissions: {}, baseUrl } : null),
    });
    const h = await http(scim);
    expect((await h.call('fn-token', 'GET', '/scim/v2/Users')).status).toBe(200);
    expect((await h.call('other', 'GET', '/scim/v2/Users')).status).toBe(401);
  });
});

describe('permissions and quotas over HTTP', () => {
  it('refuses every write of a read-only tenant and still serves reads', async () => {
    const resolver = new StaticTenantResolver([{ id: 'ro', token: 'ro' }]);
    const scim = new ScimServer({ tenantResolver: resolver });
    const h = await http(scim);
    const created = (await (await h.call('ro', 'POST', '/scim/v2/Users', user('before'))).json()) as Body;
    resolver.setPermissions('ro', { readOnly: true });
    const writes = [
      await h.call('ro', 'POST', '/scim/v2/Users', user('after')),
      await h.call('ro', 'PUT', `/scim/v2/Users/${created.id}`, user('before', { title: 'x' })),
      await h.call('ro', 'PATCH', `/scim/v2/Users/${created.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'x' }] }),
      await h.call('ro', 'DELETE', `/scim/v2/Users/${created.id}`),
    ];
    for (const r of writes) {
      expect(r.status).toBe(403);
      expect(((await r.json()) as Body).detail).toContain('readOnly');
    }
    expect((await h.call('ro', 'GET', `/scim/v2/Users/${created.id}`)).status).toBe(200);
    expect((await h.call('ro', 'POST', '/scim/v2/Users/.search', { schemas: [SEARCH] })).status).toBe(200);
    const after = (await (await h.call('ro', 'GET', `/scim/v2/Users/${created.id}`)).json()) as Body;
    expect(after.title).toBeUndefined();
  });

  it('refuses everything after a trial expires', async () => {
    let now = new Date('2026-03-01T00:00:00Z');
    const scim = new ScimServer({
      tenantResolver: new StaticTenantResolver([{ id: 'trial', token: 'tt', permissions: { expiresAt: '2026-03-02T00:00:00Z' } }]),
      now: () => now,
    });
    const h = await http(scim);
    expect((await h.call('tt', 'POST', '/scim/v2/Users', user('early'))).status).toBe(201);
    now = new Date('2026-03-02T00:00:00Z');
    for (const [method, path] of [
      ['GET', '/scim/v2/Users'],
      ['GET', '/scim/v2/Schemas'],
      ['POST', '/scim/v2/Users'],
    ] as const) {
      const r = await h.call('tt', method, path, method === 'POST' ? user('late') : undefined);
      expect(r.status).toBe(403);
      const b = (await r.json()) as Body;
      expect(b.detail).toContain('expiresAt');
      expect(JSON.stringify(b)).not.toContain('early');
    }
  });

  it('answers 429 with Retry-After past the rate limit, per tenant', async () => {
    let clock = 1_000_000;
    const scim = new ScimServer({
      tenantResolver: new StaticTenantResolver([
        { id: 'slow', token: 'slow', permissions: { rateLimit: { requestsPerSecond: 1, burst: 3 } } },
        { id: 'free', token: 'free' },
      ]),
      rateLimiter: new TokenBucketRateLimiter({ now: () => clock }),
    });
    const h = await http(scim);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await h.call('slow', 'GET', '/scim/v2/Users')).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const limited = await h.call('slow', 'GET', '/scim/v2/Users');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await limited.json()) as Body).detail).toContain('rateLimit');
    for (let i = 0; i < 10; i++) expect((await h.call('free', 'GET', '/scim/v2/Users')).status).toBe(200);
    clock += 1000;
    expect((await h.call('slow', 'GET', '/scim/v2/Users')).status).toBe(200);
  });

  it('enforces every quota with a 403 (or 413) naming it, and leaves nothing half-done', async () => {
    const schemas = new SchemaRegistry();
    const device: SchemaDefinition = {
      id: 'urn:example:params:scim:schemas:core:2.0:Device',
      name: 'Device',
      attributes: [
        {
          name: 'serial',
          type: 'string',
          multiValued: false,
          required: true,
          caseExact: true,
          mutability: 'readWrite',
          returned: 'default',
          uniqueness: 'server',
        },
      ],
    };
    schemas.addSchema(device);
    schemas.addResourceType({ id: 'Device', name: 'Device', endpoint: '/Devices', schema: device.id });
    const scim = new ScimServer({
      schemas,
      tenantResolver: new StaticTenantResolver([
        {
          id: 'q',
          token: 'q',
          permissions: { maxUsers: 3, maxGroups: 1, quotas: { Device: 1 }, maxMembersPerGroup: 2, maxPageSize: 2, maxPayloadBytes: 4096, maxBulkOperations: 2 },
        },
      ]),
    });
    const h = await http(scim);
    const ids: string[] = [];
    for (const n of ['u1', 'u2', 'u3']) ids.push(((await (await h.call('q', 'POST', '/scim/v2/Users', user(n))).json()) as Body).id as string);
    const fourth = await h.call('q', 'POST', '/scim/v2/Users', user('u4'));
    expect(fourth.status).toBe(403);
    expect(((await fourth.json()) as Body).detail).toContain('maxUsers');

    const group = await h.call('q', 'POST', '/scim/v2/Groups', { schemas: [GROUP_SCHEMA], displayName: 'g1', members: [{ value: ids[0] }] });
    expect(group.status).toBe(201);
    const gid = ((await group.json()) as Body).id as string;
    const second = await h.call('q', 'POST', '/scim/v2/Groups', { schemas: [GROUP_SCHEMA], displayName: 'g2' });
    expect(second.status).toBe(403);
    expect(((await second.json()) as Body).detail).toContain('maxGroups');

    // Adding two members to a group of one would make three: refused as a whole.
    const tooMany = await h.call('q', 'PATCH', `/scim/v2/Groups/${gid}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'replace', path: 'displayName', value: 'renamed' },
        { op: 'add', path: 'members', value: [{ value: ids[1] }, { value: ids[2] }] },
      ],
    });
    expect(tooMany.status).toBe(403);
    expect(((await tooMany.json()) as Body).detail).toContain('maxMembersPerGroup');
    const unchanged = (await (await h.call('q', 'GET', `/scim/v2/Groups/${gid}`)).json()) as Body;
    expect(unchanged.displayName).toBe('g1');
    expect((unchanged.members as Body[]).map((m) => m.value)).toEqual([ids[0]]);

    expect((await h.call('q', 'POST', '/scim/v2/Devices', { schemas: [device.id], serial: 'A1' })).status).toBe(201);
    const dev2 = await h.call('q', 'POST', '/scim/v2/Devices', { schemas: [device.id], serial: 'A2' });
    expect(dev2.status).toBe(403);
    expect(((await dev2.json()) as Body).detail).toContain('quotas.Device');

    const page = (await (await h.call('q', 'GET', '/scim/v2/Users?count=50')).json()) as Body;
    expect(page.totalResults).toBe(3);
    expect((page.Resources as Body[]).length).toBe(2);
    const spc = (await (await h.call('q', 'GET', '/scim/v2/ServiceProviderConfig')).json()) as { filter: Body; pagination: Body; bulk: Body };
    expect(spc.filter.maxResults).toBe(2);
    expect(spc.pagination.maxPageSize).toBe(2);

    const bulk = (n: number) => ({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
      Operations: Array.from({ length: n }, (_, i) => ({
        method: 'PATCH',
        path: `/Users/${ids[0]}`,
        data: { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: `t${i}` }] },
      })),
    });
    const overBulk = await h.call('q', 'POST', '/scim/v2/Bulk', bulk(3));
    expect(overBulk.status).toBe(413);
    expect(((await overBulk.json()) as Body).detail).toContain('maxOperations');
    const titleAfter = (await (await h.call('q', 'GET', `/scim/v2/Users/${ids[0]}`)).json()) as Body;
    expect(titleAfter.title).toBeUndefined();
    expect((await h.call('q', 'POST', '/scim/v2/Bulk', bulk(2))).status).toBe(200);
    expect(spc.bulk.maxOperations).toBe(2);

    const big = await h.call('q', 'POST', '/scim/v2/Devices', { schemas: [device.id], serial: 'x'.repeat(5000) });
    expect(big.status).toBe(413);
    expect(((await big.json()) as Body).detail).toContain('maxPayloadBytes');
  });

  it('lets exactly 10 of 100 concurrent creates take the last 10 slots', async () => {
    const scim = new ScimServer({ tenantResolver: new StaticTenantResolver([{ id: 'race', token: 'race', permissions: { maxUsers: 15 } }]) });
    const h = await http(scim);
    for (let i = 0; i < 5; i++) expect((await h.call('race', 'POST', '/scim/v2/Users', user(`pre${i}`))).status).toBe(201);
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => h.call('race', 'POST', '/scim/v2/Users', user(`racer${i}`))));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    expect(statuses.filter((s) => s === 403)).toHaveLength(90);
    for (const r of results.filter((x) => x.status === 403)) expect(((await r.json()) as Body).detail).toContain('maxUsers');
    const total = (await (await h.call('race', 'GET', '/scim/v2/Users?count=0')).json()) as Body;
    expect(total.totalResults).toBe(15);
  });
});

describe('per-tenant schema extensions', () => {
  const ACME = 'urn:example:params:scim:schemas:extension:acme:2.0:User';
  const acmeExtension: SchemaDefinition = {
    id: ACME,
    name: 'AcmeUser',
    description: 'Acme-specific user attributes',
    attributes: [
      {
        name: 'costCenter',
        type: 'string',
        multiValued: false,
        required: false,
        caseExact: false,
        mutability: 'readWrite',
        returned: 'default',
        uniqueness: 'none',
      },
      {
        name: 'badge',
        type: 'integer',
        multiValued: false,
        required: false,
        caseExact: false,
        mutability: 'readWrite',
        returned: 'default',
        uniqueness: 'none',
      },
    ],
  };

  it('validates, filters, sorts and patches the extension for its tenant only', async () => {
    const { server, as } = testServer();
    server.schemas.addTenantExtension('a', 'User', acmeExtension);
    const a = as('a');
    const b = as('b');
    const u1 = await a.createUser('x1', { schemas: [USER_SCHEMA, ACME], [ACME]: { costCenter: 'CC-20', badge: 7 } });
    expect(u1[ACME]).toEqual({ costCenter: 'CC-20', badge: 7 });
    expect(u1.schemas).toEqual([USER_SCHEMA, ACME]);
    await a.createUser('x2', { [ACME]: { costCenter: 'CC-10', badge: 3 } });
    const bad = await a.post('/Users', { schemas: [USER_SCHEMA, ACME], userName: 'x3', [ACME]: { badge: 'seven' } });
    expect(bad.status).toBe(400);
    expect((bad.body as Body).scimType).toBe('invalidValue');

    const filtered = await a.get('/Users', { filter: `${ACME}:costCenter eq "cc-20"` });
    expect(((filtered.body as Body).Resources as Body[]).map((r) => r.userName)).toEqual(['x1']);
    const sorted = await a.get('/Users', { sortBy: `${ACME}:badge` });
    expect(((sorted.body as Body).Resources as Body[]).map((r) => r.userName)).toEqual(['x2', 'x1']);
    const patched = await a.patch(`/Users/${u1.id}`, [{ op: 'replace', path: `${ACME}:costCenter`, value: 'CC-99' }]);
    expect(patched.status).toBe(200);
    expect(((patched.body as Body)[ACME] as Body).costCenter).toBe('CC-99');

    const aSchemas = ((await a.get('/Schemas')).body as Body).Resources as Body[];
    const bSchemas = ((await b.get('/Schemas')).body as Body).Resources as Body[];
    expect(aSchemas.map((s) => s.id)).toContain(ACME);
    expect(bSchemas.map((s) => s.id)).not.toContain(ACME);
    expect((await b.get(`/Schemas/${ACME}`)).status).toBe(404);
    const aUser = (await a.get('/ResourceTypes/User')).body as Body;
    const bUser = (await b.get('/ResourceTypes/User')).body as Body;
    expect(aUser.schemaExtensions).toContainEqual({ schema: ACME, required: false });
    expect(bUser.schemaExtensions).not.toContainEqual({ schema: ACME, required: false });

    // Another tenant sending the extension gets it treated as unknown: ignored, never stored.
    const other = await b.post('/Users', { schemas: [USER_SCHEMA, ACME], userName: 'y1', [ACME]: { costCenter: 'CC-20' } });
    expect(other.status).toBe(201);
    expect((other.body as Body)[ACME]).toBeUndefined();
    expect((other.body as Body).schemas).toEqual([USER_SCHEMA]);
    const bFilter = await b.get('/Users', { filter: `${ACME}:costCenter eq "CC-20"` });
    expect(bFilter.status).toBe(400);
    expect((bFilter.body as Body).scimType).toBe('invalidFilter');
  });
});

describe('audit trail', () => {
  it('reports every change and refusal with tenant, client and request, and never a secret', async () => {
    const events: AuditEvent[] = [];
    const { as } = testServer([{ id: 'aud', token: 'secret-token-value', clientId: 'entra-app', permissions: { canDelete: false, maxGroups: 1 } }], {
      audit: callbackAuditSink((e) => void events.push(e)),
    });
    const c = as('aud');
    const u = await c.createUser('audited', { password: 'Sup3r$ecret!' });
    await c.patch(`/Users/${u.id}`, [
      { op: 'replace', path: 'password', value: 'An0ther$ecret' },
      { op: 'replace', path: 'title', value: 'Boss' },
    ]);
    await c.put(`/Users/${u.id}`, { schemas: [USER_SCHEMA], userName: 'audited', title: 'Chief' });
    const g = await c.createGroup('team', []);
    await c.patch(`/Groups/${g.id}`, [{ op: 'add', path: 'members', value: [{ value: u.id }] }]);
    await c.delete(`/Users/${u.id}`);
    await c.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'second' });
    await c.put(`/Users/${u.id}`, { schemas: [USER_SCHEMA], userName: 'audited' }, { 'if-match': 'W/"1"' });

    const summary = events.map((e) => `${e.action}:${e.outcome}:${e.status}${e.reason ? `:${e.reason}` : ''}`);
    expect(summary).toEqual([
      'create:success:201',
      'patch:success:200',
      'replace:success:200',
      'create:success:201',
      'members:success:204',
      'delete:refused:403:canDelete',
      'create:refused:403:maxGroups',
      'replace:refused:412:If-Match',
    ]);
    for (const e of events) {
      expect(e.tenantId).toBe('aud');
      expect(e.clientId).toBe('entra-app');
      expect(e.requestId).toMatch(/\S/);
      expect(Date.parse(e.time)).not.toBeNaN();
    }
    expect(events[1]?.changed).toEqual(expect.arrayContaining(['password', 'title']));
    expect(events[1]?.version).toBe('W/"2"');
    expect(events[4]?.resourceType).toBe('Group');
    expect(events[4]?.changed).toContain('members');
    const all = JSON.stringify(events);
    expect(all).not.toContain('Sup3r$ecret!');
    expect(all).not.toContain('An0ther$ecret');
    expect(all).not.toContain('secret-token-value');
  });
});

describe('tenant lifecycle at runtime', () => {
  it('adds a tenant, changes its permissions and removes it with its data, leaving others intact', async () => {
    const storage = new InMemoryStorage();
    const resolver = new StaticTenantResolver([{ id: 'keep', token: 'keep', isolationLevel: 'shared' }]);
    const scim = new ScimServer({ tenantResolver: resolver, storage });
    const h = await http(scim);
    const kept = ((await (await h.call('keep', 'POST', '/scim/v2/Users', user('stays'))).json()) as Body).id as string;

    expect((await h.call('new', 'GET', '/scim/v2/Users')).status).toBe(401);
    await resolver.addTenant({ id: 'newco', token: 'new', isolationLevel: 'strict' });
    const created = await h.call('new', 'POST', '/scim/v2/Users', user('fresh'));
    expect(created.status).toBe(201);
    const strictStore = storage.storeOf('newco');
    expect(strictStore).toBeDefined();
    expect(strictStore).not.toBe(storage.storeOf('keep'));

    resolver.setPermissions('newco', { canCreate: false });
    const refused = await h.call('new', 'POST', '/scim/v2/Users', user('second'));
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as Body).detail).toContain('canCreate');

    resolver.removeTenant('newco');
    await scim.dropTenant('newco');
    expect((await h.call('new', 'GET', '/scim/v2/Users')).status).toBe(401);
    expect(storage.storeOf('newco')).toBeUndefined();
    await resolver.addTenant({ id: 'newco', token: 'new2', isolationLevel: 'strict' });
    const empty = (await (await h.call('new2', 'GET', '/scim/v2/Users')).json()) as Body;
    expect(empty.totalResults).toBe(0);
    const survivor = await h.call('keep', 'GET', `/scim/v2/Users/${kept}`);
    expect(survivor.status).toBe(200);
  });
});

describe('per-tenant settings', () => {
  it('switches PATCH tolerances and the Group PATCH response per tenant', async () => {
    const { as } = testServer([
      { id: 'lenient', token: 'l' },
      { id: 'strict', token: 's', settings: { patchTolerances: { opNameAnyCase: false }, groupPatchResponse: 'resource' } },
    ]);
    for (const t of ['lenient', 'strict']) {
      const c = as(t);
      const u = await c.createUser(`${t}-user`);
      const r = await c.patch(`/Users/${u.id}`, [{ op: 'Replace', path: 'active', value: false }]);
      expect(r.status).toBe(t === 'lenient' ? 200 : 400);
      const g = await c.createGroup(`${t}-group`);
      const gp = await c.patch(`/Groups/${g.id}`, [{ op: 'add', path: 'members', value: [{ value: u.id }] }]);
      expect(gp.status).toBe(t === 'lenient' ? 204 : 200);
      if (t === 'strict') expect(((gp.body as Body).members as Body[])[0]?.value).toBe(u.id);
    }
  });

  it('keeps Group displayName unique for a tenant that asks for it (Entra ID matches groups by name)', async () => {
    const { as } = testServer([
      { id: 'rfc', token: 'r' },
      { id: 'entra', token: 'e', settings: { uniqueGroupDisplayName: true } },
    ]);
    for (const t of ['rfc', 'entra']) {
      const c = as(t);
      await c.createGroup('Sales');
      const dup = await c.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'sales' });
      expect(dup.status).toBe(t === 'rfc' ? 201 : 409);
      if (t === 'entra') {
        expect((dup.body as Body).scimType).toBe('uniqueness');
        const other = await c.createGroup('Marketing');
        const rename = await c.patch(`/Groups/${other.id}`, [{ op: 'replace', path: 'displayName', value: 'SALES' }]);
        expect(rename.status).toBe(409);
      }
    }
    // Unique within a tenant only.
    expect((await as('entra').post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Engineering' })).status).toBe(201);
    expect((await as('rfc').post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Engineering' })).status).toBe(201);
  });

  it('serves tenants on a path base and a shared base at once', async () => {
    const plain = basePathLocator('/scim/v2');
    const perTenant = pathTenantLocator('/tenants/{tenantId}/scim/v2');
    const scim = new ScimServer({
      tenantResolver: new StaticTenantResolver([{ id: 'acme', token: 'a' }]),
      locator: functionLocator((input) => perTenant.locate(input) ?? plain.locate(input)),
    });
    const viaPath = await scim.handle({ method: 'GET', path: '/tenants/acme/scim/v2/Users', headers: { authorization: 'Bearer a' } });
    const viaBase = await scim.handle({ method: 'GET', path: '/scim/v2/Users', headers: { authorization: 'Bearer a' } });
    expect(viaPath.status).toBe(200);
    expect(viaBase.status).toBe(200);
  });
});
