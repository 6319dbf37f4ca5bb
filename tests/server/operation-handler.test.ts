import { describe, expect, it } from 'vitest';
import {
  callbackAuditSink,
  ReceivedBody,
  ScimOperationHandler,
  ScimServer,
  StaticTenantResolver,
  TokenBucketRateLimiter,
  type AuditEvent,
  type ScimOperationRequest,
  type ScimOperationResponse,
  type TenantContext,
  type TenantPermissions,
} from '../../src/index.js';
import { GROUP_SCHEMA, PATCH_OP, SEARCH, USER_SCHEMA, type Body } from '../helpers/scim-client.js';

const BULK = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';

function tenant(permissions: TenantPermissions = {}, id = 'acme'): TenantContext {
  return { tenantId: id, clientId: `${id}-client`, isolationLevel: 'standard', permissions, baseUrl: `https://scim.example.com/${id}/scim/v2` };
}

function setup(options: ConstructorParameters<typeof ScimOperationHandler>[0] = {}) {
  const events: AuditEvent[] = [];
  const handler = new ScimOperationHandler({ audit: callbackAuditSink((e) => void events.push(e)), ...options });
  return { handler, events };
}

/** The resource of a result, or a failure naming what came instead. */
function resourceOf(r: ScimOperationResponse): Body & { id: string; meta: Body } {
  if (r.kind !== 'resource') throw new Error(`expected a resource, got ${JSON.stringify(r)}`);
  return r.resource as Body & { id: string; meta: Body };
}

function errorOf(r: ScimOperationResponse) {
  if (r.kind !== 'error') throw new Error(`expected an error, got ${JSON.stringify(r)}`);
  return r.error;
}

const newUser = (userName: string, extra: Body = {}) => ({ schemas: [USER_SCHEMA], userName, ...extra });

describe('ScimOperationHandler: every operation without HTTP', () => {
  it('creates, reads, replaces, patches and deletes a resource, with versions and locations', async () => {
    const { handler, events } = setup();
    const t = tenant();
    const created = await handler.handle({ tenant: t, operation: 'create', resourceType: 'User', data: newUser('bjensen'), requestId: 'r-1' });
    expect(created).toMatchObject({ kind: 'resource', status: 201, version: 'W/"1"' });
    const user = resourceOf(created);
    expect(created.kind === 'resource' && created.location).toBe(`${t.baseUrl}/Users/${user.id}`);
    expect(user.meta.location).toBe(`${t.baseUrl}/Users/${user.id}`);

    const read = await handler.handle({ tenant: t, operation: 'get', resourceType: 'user', id: user.id, query: { attributes: ['userName'] } });
    expect(resourceOf(read)).toEqual({ schemas: [USER_SCHEMA], id: user.id, userName: 'bjensen' });
    expect(await handler.handle({ tenant: t, operation: 'get', resourceType: 'User', id: user.id, ifNoneMatch: 'W/"1"' })).toEqual({
      kind: 'none',
      status: 304,
      version: 'W/"1"',
    });

    const replaced = await handler.handle({
      tenant: t,
      operation: 'replace',
      resourceType: 'User',
      id: user.id,
      data: newUser('bjensen', { title: 'Boss' }),
      ifMatch: 'W/"1"',
    });
    expect(replaced).toMatchObject({ kind: 'resource', status: 200, version: 'W/"2"' });
    const patched = await handler.handle({
      tenant: t,
      operation: 'patch',
      resourceType: 'User',
      id: user.id,
      data: { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'Chief' }] },
    });
    expect(resourceOf(patched).title).toBe('Chief');
    expect(patched.kind === 'resource' && patched.version).toBe('W/"3"');

    expect(await handler.handle({ tenant: t, operation: 'delete', resourceType: 'User', id: user.id, ifMatch: 'W/"3"' })).toEqual({
      kind: 'none',
      status: 204,
    });
    expect((await handler.handle({ tenant: t, operation: 'get', resourceType: 'User', id: user.id })).status).toBe(404);
    expect(events.map((e) => [e.action, e.outcome, e.status, e.clientId])).toEqual([
      ['create', 'success', 201, 'acme-client'],
      ['replace', 'success', 200, 'acme-client'],
      ['patch', 'success', 200, 'acme-client'],
      ['delete', 'success', 204, 'acme-client'],
    ]);
    expect(events[0]?.requestId).toBe('r-1');
  });

  it('lists with a typed query, searches with a SearchRequest or a query, and searches every type', async () => {
    const { handler } = setup({ cursorSecret: 'a-cursor-secret-of-some-length' });
    const t = tenant();
    for (const name of ['carol', 'alice', 'bob']) await handler.handle({ tenant: t, operation: 'create', resourceType: 'User', data: newUser(name) });
    await handler.handle({ tenant: t, operation: 'create', resourceType: 'Group', data: { schemas: [GROUP_SCHEMA], displayName: 'admins' } });

    const listed = await handler.handle({ tenant: t, operation: 'list', resourceType: 'User', query: { sortBy: 'userName', count: 2, startIndex: 1 } });
    if (listed.kind !== 'list') throw new Error(JSON.stringify(listed));
    expect(listed.list).toMatchObject({ totalResults: 3, startIndex: 1, itemsPerPage: 2 });
    expect(listed.list.Resources.map((r) => r.userName)).toEqual(['alice', 'bob']);

    const byBody = await handler.handle({ tenant: t, operation: 'search', resourceType: 'User', data: { schemas: [SEARCH], filter: 'userName sw "b"' } });
    const byQuery = await handler.handle({ tenant: t, operation: 'search', resourceType: 'User', query: { filter: 'userName sw "b"' } });
    expect(byQuery).toEqual(byBody);
    expect(byBody.kind === 'list' && byBody.list.totalResults).toBe(1);

    const everything = await handler.handle({ tenant: t, operation: 'search', query: { count: 10 } });
    expect(everything.kind === 'list' && everything.list.totalResults).toBe(4);

    const first = await handler.handle({ tenant: t, operation: 'list', resourceType: 'User', query: { cursor: '', count: 2, sortBy: 'userName' } });
    const next = first.kind === 'list' ? first.list.nextCursor : undefined;
    expect(next).toEqual(expect.any(String));
    const second = await handler.handle({
      tenant: t,
      operation: 'list',
      resourceType: 'User',
      query: { cursor: next as string, count: 2, sortBy: 'userName' },
    });
    expect(second.kind === 'list' && second.list.Resources.map((r) => r.userName)).toEqual(['carol']);
  });

  it('runs Bulk operations through the same checks, and answers the discovery operations', async () => {
    const { handler, events } = setup();
    const t = tenant({ maxUsers: 1 });
    const bulk = await handler.handle({
      tenant: t,
      operation: 'bulk',
      data: {
        schemas: [BULK],
        Operations: [
          { method: 'POST', path: '/Users', bulkId: 'a', data: newUser('one') },
          { method: 'POST', path: '/Users', bulkId: 'b', data: newUser('two') },
        ],
      },
    });
    if (bulk.kind !== 'bulk') throw new Error(JSON.stringify(bulk));
    expect(bulk.bulk.Operations.map((o) => o.status)).toEqual(['201', '403']);
    expect(events.map((e) => [e.action, e.outcome, e.reason])).toEqual([
      ['create', 'success', undefined],
      ['create', 'refused', 'maxUsers'],
    ]);

    const spc = await handler.handle({ tenant: tenant({ maxPageSize: 5 }), operation: 'getServiceProviderConfig' });
    expect(resourceOf(spc)).toMatchObject({ pagination: { maxPageSize: 5 }, filter: { maxResults: 5 } });
    const types = await handler.handle({ tenant: t, operation: 'getResourceTypes' });
    expect(types.kind === 'list' && types.list.Resources.map((r) => r.name)).toEqual(['User', 'Group']);
    expect(resourceOf(await handler.handle({ tenant: t, operation: 'getResourceTypes', id: 'group' })).endpoint).toBe('/Groups');
    expect(resourceOf(await handler.handle({ tenant: t, operation: 'getSchemas', id: USER_SCHEMA })).name).toBe('User');
    expect((await handler.handle({ tenant: t, operation: 'getSchemas', query: { filter: 'id pr' } })).status).toBe(403);
  });

  it('parses a ReceivedBody after the permission check, and refuses what the transport should have parsed', async () => {
    const { handler } = setup();
    const ok = await handler.handle({
      tenant: tenant(),
      operation: 'create',
      resourceType: 'User',
      data: new ReceivedBody('{"userName":"x"}', 'application/json'),
    });
    expect(ok.status).toBe(201);
    const refused = await handler.handle({
      tenant: tenant({ canCreate: false }),
      operation: 'create',
      resourceType: 'User',
      data: new ReceivedBody('not json'),
    });
    expect(refused.status).toBe(403);
    expect(
      errorOf(await handler.handle({ tenant: tenant(), operation: 'create', resourceType: 'User', data: new ReceivedBody('{}', 'text/plain') })).status,
    ).toBe(415);
    expect(errorOf(await handler.handle({ tenant: tenant(), operation: 'create', resourceType: 'User', data: '{"userName":"x"}' })).scimType).toBe(
      'invalidSyntax',
    );
  });

  it('answers requests it cannot run with errors, and a missing tenant with a TypeError', async () => {
    const { handler } = setup();
    const t = tenant();
    expect(errorOf(await handler.handle({ tenant: t, operation: 'explode' as never })).scimType).toBe('invalidValue');
    expect((await handler.handle({ tenant: t, operation: 'create', resourceType: 'Device', data: {} })).status).toBe(404);
    expect(errorOf(await handler.handle({ tenant: t, operation: 'list' })).scimType).toBe('invalidValue');
    expect(errorOf(await handler.handle({ tenant: t, operation: 'get', resourceType: 'User' })).scimType).toBe('invalidValue');
    await expect(handler.handle({ operation: 'list', resourceType: 'User' } as unknown as ScimOperationRequest)).rejects.toThrow(TypeError);
  });

  it('refuses a renamed option when it is given', () => {
    expect(() => new ScimOperationHandler({ maxResults: 10 } as never)).toThrow(/maxResults is now called maxPageSize/);
  });
});

describe('ScimOperationHandler: every guarantee, without a transport', () => {
  it('refuses an operation the tenant may not do with 403 and the same audit event as over HTTP', async () => {
    const permissions: TenantPermissions = { canCreate: false };
    const viaHandler = setup();
    const r = await viaHandler.handler.handle({
      tenant: { ...tenant(permissions), credentialId: 'token' },
      operation: 'create',
      resourceType: 'User',
      data: newUser('x'),
      requestId: 'req-9',
      requestIdSource: 'client',
    });
    expect(errorOf(r)).toMatchObject({ status: 403, reason: 'canCreate' });

    const httpEvents: AuditEvent[] = [];
    const server = new ScimServer({
      tenantResolver: new StaticTenantResolver([{ id: 'acme', token: 'tok', clientId: 'acme-client', permissions }]),
      audit: callbackAuditSink((e) => void httpEvents.push(e)),
    });
    const http = await server.handle({
      method: 'POST',
      path: '/scim/v2/Users',
      headers: { authorization: 'Bearer tok', 'x-request-id': 'req-9' },
      body: newUser('x'),
    });
    expect(http.status).toBe(403);
    expect(http.body).toEqual(r.kind === 'error' ? r.error.toJSON() : undefined);
    const strip = (e: AuditEvent) => ({ ...e, time: '' });
    expect(viaHandler.events.map(strip)).toEqual(httpEvents.map(strip));
    expect(httpEvents[0]).toMatchObject({
      action: 'create',
      outcome: 'refused',
      status: 403,
      reason: 'canCreate',
      clientId: 'acme-client',
      requestId: 'req-9',
    });
  });

  it('refuses read-only and expired tenants, quotas, payloads and stale preconditions', async () => {
    const { handler, events } = setup({ maxPayloadBytes: 2000 });
    const t = tenant();
    const user = resourceOf(await handler.handle({ tenant: t, operation: 'create', resourceType: 'User', data: newUser('u') }));
    const readOnly = await handler.handle({ tenant: tenant({ readOnly: true }), operation: 'delete', resourceType: 'User', id: user.id });
    expect(errorOf(readOnly).reason).toBe('readOnly');
    const expired = await handler.handle({ tenant: tenant({ expiresAt: '2000-01-01T00:00:00Z' }), operation: 'list', resourceType: 'User' });
    expect(errorOf(expired)).toMatchObject({ status: 403, reason: 'expiresAt' });
    expect((await handler.handle({ tenant: tenant({ expiresAt: '2000-01-01T00:00:00Z' }), operation: 'getSchemas' })).status).toBe(403);
    const quota = await handler.handle({ tenant: tenant({ maxUsers: 1 }), operation: 'create', resourceType: 'User', data: newUser('v') });
    expect(errorOf(quota)).toMatchObject({ status: 403, reason: 'maxUsers' });
    const big = await handler.handle({ tenant: t, operation: 'create', resourceType: 'User', data: newUser('w', { title: 'x'.repeat(3000) }) });
    expect(errorOf(big).status).toBe(413);
    const tenantLimit = await handler.handle({
      tenant: tenant({ maxPayloadBytes: 50 }),
      operation: 'create',
      resourceType: 'User',
      data: newUser('w', { title: 'x'.repeat(60) }),
    });
    expect(errorOf(tenantLimit).status).toBe(413);
    const stale = await handler.handle({ tenant: t, operation: 'replace', resourceType: 'User', id: user.id, data: newUser('u'), ifMatch: 'W/"7"' });
    expect(errorOf(stale).status).toBe(412);
    const anyVersion = await handler.handle({ tenant: t, operation: 'delete', resourceType: 'User', id: user.id, ifMatch: '*' });
    expect(anyVersion.status).toBe(204);
    expect(events.filter((e) => e.outcome !== 'success').map((e) => [e.action, e.status, e.reason])).toEqual([
      ['delete', 403, 'readOnly'],
      ['list', 403, 'expiresAt'],
      ['read', 403, 'expiresAt'],
      ['create', 403, 'maxUsers'],
      ['create', 413, undefined],
      ['create', 413, undefined],
      ['replace', 412, 'If-Match'],
    ]);
  });

  it('applies the tenant rate limit once per operation, with the time to wait, and audits the refusal', async () => {
    let clock = 0;
    const { handler, events } = setup({ rateLimiter: new TokenBucketRateLimiter({ now: () => clock }) });
    const t = tenant({ rateLimit: { requestsPerSecond: 1, burst: 2 } });
    const list = () => handler.handle({ tenant: t, operation: 'list', resourceType: 'User' });
    expect((await list()).status).toBe(200);
    expect((await list()).status).toBe(200);
    const refused = errorOf(await list());
    expect(refused).toMatchObject({ status: 429, reason: 'rateLimit', headers: { 'Retry-After': '1' } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: 'list', outcome: 'refused', status: 429, reason: 'rateLimit' });
    clock += 1000;
    expect((await list()).status).toBe(200);
  });

  it('records the status a Group PATCH was answered with: 204 without attributes asked for, 200 with them', async () => {
    const { handler, events } = setup();
    const t = tenant();
    const member = resourceOf(await handler.handle({ tenant: t, operation: 'create', resourceType: 'User', data: newUser('bjensen') }));
    const group = resourceOf(
      await handler.handle({ tenant: t, operation: 'create', resourceType: 'Group', data: { schemas: [GROUP_SCHEMA], displayName: 'g' } }),
    );
    const add = { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: member.id }] }] };
    const quiet = await handler.handle({ tenant: t, operation: 'patch', resourceType: 'Group', id: group.id, data: add });
    expect(quiet.status).toBe(204);
    expect(events.at(-1)).toMatchObject({ action: 'members', outcome: 'success', status: 204 });
    const rename = { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'displayName', value: 'h' }] };
    const asked = await handler.handle({
      tenant: t,
      operation: 'patch',
      resourceType: 'Group',
      id: group.id,
      data: rename,
      query: { attributes: ['displayName'] },
    });
    expect(asked.status).toBe(200);
    expect(events.at(-1)).toMatchObject({ action: 'patch', outcome: 'success', status: 200 });
  });

  it('charges a Bulk request one token per operation, before any runs, and advertises no more operations than the burst', async () => {
    let clock = 0;
    const { handler, events } = setup({ rateLimiter: new TokenBucketRateLimiter({ now: () => clock }) });
    const t = tenant({ rateLimit: { requestsPerSecond: 1, burst: 3 } });
    const config = await handler.handle({ tenant: t, operation: 'getServiceProviderConfig' });
    if (config.kind !== 'resource') throw new Error(JSON.stringify(config));
    expect((config.resource.bulk as Body).maxOperations).toBe(3);
    clock += 1000; // the bucket is full again

    const bulkOf = (names: string[]) => ({
      schemas: [BULK],
      Operations: names.map((name) => ({ method: 'POST', path: '/Users', bulkId: name, data: newUser(name) })),
    });
    const full = await handler.handle({ tenant: t, operation: 'bulk', data: bulkOf(['a', 'b', 'c']) });
    expect(full.kind === 'bulk' && full.bulk.Operations.map((o) => o.status)).toEqual(['201', '201', '201']);
    // The bucket is empty: one token refills per second, and a bulk of three needs three.
    clock += 1000;
    const early = errorOf(await handler.handle({ tenant: t, operation: 'bulk', data: bulkOf(['d', 'e', 'f']) }));
    expect(early).toMatchObject({ status: 429, reason: 'rateLimit', headers: { 'Retry-After': '2' } });
    const users = await handler.handle({ tenant: t, operation: 'list', resourceType: 'User' });
    expect(users.status).toBe(429); // the refused bulk took its first token, this list the refill
    clock += 3000;
    expect((await handler.handle({ tenant: t, operation: 'list', resourceType: 'User' })).kind).toBe('list');
    clock += 1000;
    const later = await handler.handle({ tenant: t, operation: 'bulk', data: bulkOf(['d', 'e', 'f']) });
    expect(later.kind === 'bulk' && later.bulk.Operations.map((o) => o.status)).toEqual(['201', '201', '201']);
    expect(events.filter((e) => e.action === 'create').length).toBe(6);
    // A bulk larger than the burst is refused for its size, naming maxOperations, never left to wait.
    clock += 10_000;
    const tooBig = errorOf(await handler.handle({ tenant: t, operation: 'bulk', data: bulkOf(['g', 'h', 'i', 'j']) }));
    expect(tooBig.status).toBe(413);
    expect(tooBig.detail).toContain('maxOperations of 3');
  });
});
