import { describe, expect, it } from 'vitest';
import {
  callbackAuditSink,
  hashToken,
  hostTenantLocator,
  pathTenantLocator,
  redactAuditEvent,
  ScimServer,
  StaticTenantResolver,
  type AuditEvent,
  type ScimServerOptions,
  type TenantDefinition,
} from '../../src/index.js';
import { GROUP_SCHEMA, USER_SCHEMA } from '../helpers/scim-client.js';

const SECRETS = ['secret-acme-1', 'secret-acme-2', 'secret-acme-3', 'secret-beta', 'secret-hashed', 'secret-added', 'wrong-secret'];

function setup(tenants: TenantDefinition[], options: Partial<ScimServerOptions> = {}) {
  const events: AuditEvent[] = [];
  const operator: AuditEvent[] = [];
  const resolver = new StaticTenantResolver(tenants);
  const scim = new ScimServer({
    tenantResolver: resolver,
    audit: callbackAuditSink((e) => void events.push(e)),
    ...options,
    ...(options.operatorAudit === undefined ? {} : { operatorAudit: callbackAuditSink((e) => void operator.push(e)) }),
  });
  return { scim, resolver, events, operator };
}

/** No event, and no field of one, carries a secret. */
function expectNoSecrets(events: readonly AuditEvent[]): void {
  const text = JSON.stringify(events);
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}

describe('refused authentication is audited, never with the credential', () => {
  it('goes to the trail of the tenant the URL names, with why it was refused', async () => {
    const { scim, events } = setup(
      [
        { id: 'acme', token: 'secret-acme-1' },
        { id: 'beta', token: 'secret-beta' },
      ],
      { locator: pathTenantLocator('/tenants/{tenantId}/scim/v2') },
    );
    const get = (headers: Record<string, string>, requestId?: string) =>
      scim.handle({ method: 'GET', path: '/tenants/acme/scim/v2/Users', headers: { ...headers, ...(requestId ? { 'x-request-id': requestId } : {}) } });
    expect((await get({}, 'r-none')).status).toBe(401);
    expect((await get({ authorization: 'Bearer wrong-secret' })).status).toBe(401);
    expect((await get({ authorization: 'Bearer secret-beta' })).status).toBe(401);
    expect((await get({ authorization: 'Basic c2VjcmV0LWFjbWUtMTp4' })).status).toBe(401);
    expect(events.map((e) => [e.tenantId, e.action, e.outcome, e.status, e.reason])).toEqual([
      ['acme', 'authenticate', 'refused', 401, 'noCredential'],
      ['acme', 'authenticate', 'refused', 401, 'invalidCredential'],
      ['acme', 'authenticate', 'refused', 401, 'invalidCredential'],
      ['acme', 'authenticate', 'refused', 401, 'noCredential'],
    ]);
    expect(events[0]).toMatchObject({ requestId: 'r-none', requestIdSource: 'client' });
    expect(events[0]?.clientId).toBeUndefined();
    expectNoSecrets(events);
  });

  it('a resolver answering another tenant than the URL names is a tenantMismatch', async () => {
    const events: AuditEvent[] = [];
    const scim = new ScimServer({
      tenantResolver: () => ({ tenantId: 'beta', isolationLevel: 'shared', permissions: {}, baseUrl: '' }),
      locator: pathTenantLocator('/tenants/{tenantId}/scim/v2'),
      audit: callbackAuditSink((e) => void events.push(e)),
    });
    expect((await scim.handle({ method: 'GET', path: '/tenants/acme/scim/v2/Users', headers: { authorization: 'Bearer x' } })).status).toBe(401);
    expect(events).toMatchObject([{ tenantId: 'acme', action: 'authenticate', reason: 'tenantMismatch', status: 401 }]);
  });

  it('names the tenant a host names', async () => {
    const { scim, events } = setup([{ id: 'acme', token: 'secret-acme-1' }], { locator: hostTenantLocator({ domain: 'scim.example.com' }) });
    await scim.handle({ method: 'GET', path: '/scim/v2/Users', headers: { host: 'acme.scim.example.com', authorization: 'Bearer wrong-secret' } });
    expect(events).toMatchObject([{ tenantId: 'acme', action: 'authenticate', reason: 'invalidCredential' }]);
    expectNoSecrets(events);
  });

  it('goes to the operator sinks when no tenant is named, and to the audit sinks when no operator sink is given', async () => {
    const withOperator = setup([{ id: 'acme', token: 'secret-acme-1' }], { operatorAudit: [] });
    await withOperator.scim.handle({ method: 'POST', path: '/scim/v2/Users', headers: { authorization: 'Bearer wrong-secret' }, body: { userName: 'x' } });
    expect(withOperator.events).toEqual([]);
    expect(withOperator.operator).toMatchObject([{ tenantId: '', action: 'authenticate', outcome: 'refused', status: 401, reason: 'invalidCredential' }]);
    expectNoSecrets(withOperator.operator);

    const without = setup([{ id: 'acme', token: 'secret-acme-1' }]);
    await without.scim.handle({ method: 'GET', path: '/scim/v2/Users', headers: {} });
    expect(without.events).toMatchObject([{ tenantId: '', action: 'authenticate', reason: 'noCredential' }]);
  });
});

describe('changes made as a side effect are audited', () => {
  it('each group that loses a deleted member gets a members event with its new version, caused by the delete', async () => {
    const { scim, events } = setup([{ id: 'acme', token: 'secret-acme-1' }]);
    const call = (method: string, path: string, body?: unknown) =>
      scim.handle({ method, path: `/scim/v2${path}`, headers: { authorization: 'Bearer secret-acme-1' }, ...(body ? { body } : {}) });
    const user = (await call('POST', '/Users', { schemas: [USER_SCHEMA], userName: 'leaver' })).body as { id: string };
    const stayer = (await call('POST', '/Users', { schemas: [USER_SCHEMA], userName: 'stayer' })).body as { id: string };
    const g1 = (await call('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'g1', members: [{ value: user.id }, { value: stayer.id }] })).body as {
      id: string;
    };
    const g2 = (await call('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'g2', members: [{ value: user.id }] })).body as { id: string };
    await call('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'g3', members: [{ value: stayer.id }] });
    events.length = 0;
    expect((await call('DELETE', `/Users/${user.id}`)).status).toBe(204);
    const versionOf = async (id: string) => (await call('GET', `/Groups/${id}`)).headers.ETag;
    const byId = (a: { resourceId?: string | undefined }, b: { resourceId?: string | undefined }) => String(a.resourceId).localeCompare(String(b.resourceId));
    expect(events[0]).toMatchObject({ action: 'delete', resourceType: 'User', resourceId: user.id, status: 204 });
    expect(events.slice(1).sort(byId)).toEqual(
      [
        { id: g1.id, version: await versionOf(g1.id) },
        { id: g2.id, version: await versionOf(g2.id) },
      ]
        .map(({ id, version }) => ({
          time: expect.any(String),
          tenantId: 'acme',
          clientId: 'acme',
          credentialId: 'token',
          requestId: events[0]?.requestId,
          requestIdSource: 'server',
          action: 'members',
          resourceType: 'Group',
          resourceId: id,
          version,
          outcome: 'success',
          status: 204,
          changed: ['members'],
          causedBy: { action: 'delete', resourceType: 'User', resourceId: user.id },
        }))
        .sort(byId),
    );
  });

  it('the same inside a Bulk request', async () => {
    const { scim, events } = setup([{ id: 'acme', token: 'secret-acme-1' }]);
    const headers = { authorization: 'Bearer secret-acme-1' };
    const user = (await scim.handle({ method: 'POST', path: '/scim/v2/Users', headers, body: { schemas: [USER_SCHEMA], userName: 'bulk-leaver' } })).body as {
      id: string;
    };
    const group = (
      await scim.handle({
        method: 'POST',
        path: '/scim/v2/Groups',
        headers,
        body: { schemas: [GROUP_SCHEMA], displayName: 'bg', members: [{ value: user.id }] },
      })
    ).body as { id: string };
    events.length = 0;
    const r = await scim.handle({
      method: 'POST',
      path: '/scim/v2/Bulk',
      headers,
      body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'], Operations: [{ method: 'DELETE', path: `/Users/${user.id}` }] },
    });
    expect(r.status).toBe(200);
    expect(events.filter((e) => e.action === 'members')).toMatchObject([
      { resourceType: 'Group', resourceId: group.id, causedBy: { action: 'delete', resourceId: user.id } },
    ]);
  });
});

describe('tenant removal is audited', () => {
  it('dropTenant records the tenant, the actor named and the outcome', async () => {
    const { scim, events } = setup([{ id: 'acme', token: 'secret-acme-1' }]);
    await scim.handle({
      method: 'POST',
      path: '/scim/v2/Users',
      headers: { authorization: 'Bearer secret-acme-1' },
      body: { schemas: [USER_SCHEMA], userName: 'gone' },
    });
    events.length = 0;
    await scim.dropTenant('acme', { actor: 'billing-job', requestId: 'offboard-7' });
    await scim.dropTenant('beta');
    expect(events).toMatchObject([
      { tenantId: 'acme', action: 'dropTenant', outcome: 'success', status: 204, clientId: 'billing-job', requestId: 'offboard-7', requestIdSource: 'server' },
      { tenantId: 'beta', action: 'dropTenant', outcome: 'success', status: 204 },
    ]);
    expect(events[1]?.clientId).toBeUndefined();
    expect(events[1]?.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('a storage that fails to drop is recorded as failed, and the error still reaches the caller', async () => {
    const { scim, events } = setup([{ id: 'acme', token: 'secret-acme-1' }]);
    const failing = Object.assign(Object.create(scim.storage) as object, { dropTenant: () => Promise.reject(new Error('disk on fire')) });
    const broken = new ScimServer({
      tenantResolver: new StaticTenantResolver([]),
      storage: failing as unknown as typeof scim.storage,
      audit: callbackAuditSink((e) => void events.push(e)),
    });
    await expect(broken.dropTenant('acme')).rejects.toThrow('disk on fire');
    expect(events).toMatchObject([{ tenantId: 'acme', action: 'dropTenant', outcome: 'failed', status: 500 }]);
  });
});

describe('the actor is the credential used, never the secret', () => {
  it('names each credential by its label, or by where it was configured', async () => {
    const { scim, resolver, events } = setup([
      {
        id: 'acme',
        clientId: 'okta-prod',
        token: 'secret-acme-1',
        tokens: ['secret-acme-2', { token: 'secret-acme-3', label: 'okta-2025-rotation' }],
        tokenHashes: [await hashToken('secret-hashed')],
      },
    ]);
    await resolver.addToken('acme', 'secret-added', 'ci-runner');
    for (const token of ['secret-acme-1', 'secret-acme-2', 'secret-acme-3', 'secret-hashed', 'secret-added']) {
      const r = await scim.handle({
        method: 'POST',
        path: '/scim/v2/Users',
        headers: { authorization: `Bearer ${token}` },
        body: { schemas: [USER_SCHEMA], userName: token.replace('secret', 'u') },
      });
      expect(r.status).toBe(201);
    }
    expect(events.map((e) => [e.clientId, e.credentialId])).toEqual([
      ['okta-prod', 'token'],
      ['okta-prod', 'tokens[0]'],
      ['okta-prod', 'okta-2025-rotation'],
      ['okta-prod', 'tokenHashes[0]'],
      ['okta-prod', 'ci-runner'],
    ]);
    expectNoSecrets(events);
  });

  it('redaction keeps credentialId and causedBy, cleaned like every other field', () => {
    const e = redactAuditEvent({
      time: 't',
      tenantId: 'a',
      requestId: 'r',
      action: 'members',
      outcome: 'success',
      status: 204,
      credentialId: 'Bearer abc.def',
      causedBy: { action: 'delete', resourceType: 'User', resourceId: 'x\ny', extra: 1 } as never,
    });
    expect(e.credentialId).toBe('Bearer [redacted]');
    expect(e.causedBy).toEqual({ action: 'delete', resourceType: 'User', resourceId: 'x y' });
  });
});
