import { describe, expect, it } from 'vitest';
import { callbackAuditSink, type AuditEvent, type TenantDefinition } from '../../src/index.js';
import { ERROR, GROUP_SCHEMA, PATCH_OP, USER_SCHEMA, errorOf, testServer, type Body } from '../helpers/scim-client.js';

const BULK_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
const BULK_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:BulkResponse';

interface OperationResult {
  method?: string;
  bulkId?: string;
  version?: string;
  location?: string;
  status: string;
  response?: { schemas: string[]; status: string; scimType?: string; detail?: string };
}

function bulk(operations: unknown[], extra: Body = {}): Body {
  return { schemas: [BULK_REQUEST], Operations: operations, ...extra };
}

function postUser(bulkId: string, userName: string, extra: Body = {}): Body {
  return { method: 'POST', path: '/Users', bulkId, data: { schemas: [USER_SCHEMA], userName, ...extra } };
}

function operationsOf(r: { status: number; body?: unknown }): OperationResult[] {
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  const b = r.body as { schemas: string[]; Operations: OperationResult[] };
  expect(b.schemas).toEqual([BULK_RESPONSE]);
  return b.Operations;
}

function tenants(a: TenantDefinition['permissions'] = {}): TenantDefinition[] {
  return [
    { id: 'a', token: 'token-a', isolationLevel: 'strict', permissions: a },
    { id: 'b', token: 'token-b', isolationLevel: 'shared' },
  ];
}

describe('POST /Bulk', () => {
  it('runs the RFC 7644 §3.7.2 example: a user, then a group whose member is that user by bulkId', async () => {
    const { as } = testServer();
    const a = as('a');
    const r = await a.post('/Bulk', {
      schemas: [BULK_REQUEST],
      Operations: [
        {
          method: 'POST',
          path: '/Users',
          bulkId: 'qwerty',
          data: { schemas: [USER_SCHEMA], userName: 'Alice' },
        },
        {
          method: 'POST',
          path: '/Groups',
          bulkId: 'ytrewq',
          data: {
            schemas: [GROUP_SCHEMA],
            displayName: 'Tour Guides',
            members: [{ type: 'User', value: 'bulkId:qwerty' }],
          },
        },
      ],
    });
    expect(r.headers['Content-Type']).toMatch(/^application\/scim\+json/);
    const ops = operationsOf(r);
    expect(ops.map((o) => [o.method, o.bulkId, o.status])).toEqual([
      ['POST', 'qwerty', '201'],
      ['POST', 'ytrewq', '201'],
    ]);
    for (const o of ops) expect(o.response).toBeUndefined();

    const user = (await a.get(new URL(ops[0]?.location as string, 'http://x').pathname.replace('/scim/v2', ''))).body as Body & { meta: Body };
    expect(user.userName).toBe('Alice');
    expect(ops[0]?.location).toBe(user.meta.location);
    expect(ops[0]?.version).toBe(user.meta.version);

    const groupId = (ops[1]?.location as string).split('/').pop() as string;
    const group = (await a.get(`/Groups/${groupId}`)).body as Body & { members: Body[]; meta: Body };
    expect(group.displayName).toBe('Tour Guides');
    expect(group.members.map((m) => m.value)).toEqual([user.id]);
    expect(ops[1]?.location).toBe(group.meta.location);
  });

  it('resolves forward references, references in paths and If-Match from version', async () => {
    const { as } = testServer();
    const a = as('a');
    const ops = operationsOf(
      await a.post(
        '/Bulk',
        bulk([
          {
            method: 'PATCH',
            path: '/Groups/bulkId:g',
            data: { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: 'bulkId:u' }] }] },
          },
          { method: 'POST', path: '/Groups', bulkId: 'g', data: { schemas: [GROUP_SCHEMA], displayName: 'Late' } },
          postUser('u', 'bob'),
          { method: 'PUT', path: '/Users/bulkId:u', version: 'W/"999"', data: { schemas: [USER_SCHEMA], userName: 'bob2' } },
        ]),
      ),
    );
    expect(ops.map((o) => `${o.method} ${o.status}`)).toEqual(['POST 201', 'POST 201', 'PATCH 204', 'PUT 412']);
    const [group, user] = [ops[0], ops[1]];
    expect(group?.bulkId).toBe('g');
    expect(user?.bulkId).toBe('u');
    const groupId = (group?.location as string).split('/').pop() as string;
    const userId = (user?.location as string).split('/').pop() as string;
    const g = (await a.get(`/Groups/${groupId}`)).body as { members?: Body[] };
    expect(g.members?.map((m) => m.value)).toEqual([userId]);
    expect(((await a.get(`/Users/${userId}`)).body as Body).userName).toBe('bob');
    expect(ops[3]?.response?.status).toBe('412');
  });

  it('checks permissions per operation: a tenant that may not delete gets 403 for that operation only', async () => {
    const { as } = testServer(tenants({ canDelete: false }));
    const a = as('a');
    const ops = operationsOf(await a.post('/Bulk', bulk([postUser('u', 'keep'), { method: 'DELETE', path: '/Users/bulkId:u' }, postUser('v', 'also')])));
    expect(ops.map((o) => o.status)).toEqual(['201', '403', '201']);
    expect(ops[1]?.response?.schemas).toEqual([ERROR]);
    expect(ops[1]?.response?.detail).toContain('canDelete');
    const list = (await a.get('/Users')).body as { totalResults: number };
    expect(list.totalResults).toBe(2);
  });

  it('applies quotas per operation: the create past maxUsers fails and the rest run', async () => {
    const { as } = testServer(tenants({ maxUsers: 2 }));
    const a = as('a');
    const ops = operationsOf(
      await a.post(
        '/Bulk',
        bulk([
          postUser('u1', 'one'),
          postUser('u2', 'two'),
          postUser('u3', 'three'),
          { method: 'POST', path: '/Groups', bulkId: 'g', data: { schemas: [GROUP_SCHEMA], displayName: 'G', members: [{ value: 'bulkId:u3' }] } },
          { method: 'POST', path: '/Groups', bulkId: 'h', data: { schemas: [GROUP_SCHEMA], displayName: 'H' } },
        ]),
      ),
    );
    expect(ops.map((o) => o.status)).toEqual(['201', '201', '403', '409', '201']);
    expect(ops[2]?.response?.detail).toContain('maxUsers');
    expect(ops[2]?.location).toBeUndefined();
    expect(((await a.get('/Users')).body as { totalResults: number }).totalResults).toBe(2);
  });

  it('keeps tenants apart: operations on another tenant’s resources are 404', async () => {
    const { as } = testServer();
    const alice = await as('a').createUser('alice');
    const id = alice.id as string;
    const ops = operationsOf(
      await as('b').post(
        '/Bulk',
        bulk([
          { method: 'PUT', path: `/Users/${id}`, data: { schemas: [USER_SCHEMA], userName: 'stolen' } },
          { method: 'PATCH', path: `/Users/${id}`, data: { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'userName', value: 'stolen' }] } },
          { method: 'DELETE', path: `/Users/${id}` },
          { method: 'POST', path: '/Groups', bulkId: 'g', data: { schemas: [GROUP_SCHEMA], displayName: 'G', members: [{ value: id }] } },
        ]),
      ),
    );
    expect(ops.map((o) => o.status)).toEqual(['404', '404', '404', '400']);
    const still = await as('a').get(`/Users/${id}`);
    expect(still.status).toBe(200);
    expect((still.body as Body).userName).toBe('alice');
    expect(JSON.stringify(ops)).not.toContain('alice');
  });

  it('refuses the whole request with 403 for a tenant with canBulk false', async () => {
    const { as } = testServer(tenants({ canBulk: false }));
    const a = as('a');
    const r = await a.post('/Bulk', bulk([postUser('u', 'nobody')]));
    expect(r.status).toBe(403);
    expect(errorOf(r).detail).toContain('canBulk');
    expect(((await a.get('/Users')).body as { totalResults: number }).totalResults).toBe(0);
  });

  it('refuses with 413 naming maxOperations when the tenant’s maxBulkOperations is exceeded', async () => {
    const { as } = testServer(tenants({ maxBulkOperations: 2 }));
    const a = as('a');
    const r = await a.post('/Bulk', bulk([postUser('u1', 'one'), postUser('u2', 'two'), postUser('u3', 'three')]));
    expect(r.status).toBe(413);
    expect(errorOf(r).status).toBe('413');
    expect(errorOf(r).detail).toContain('maxOperations');
    expect(((await a.get('/Users')).body as { totalResults: number }).totalResults).toBe(0);
    const ok = await a.post('/Bulk', bulk([postUser('u1', 'one'), postUser('u2', 'two')]));
    expect(operationsOf(ok).map((o) => o.status)).toEqual(['201', '201']);
    // Tenant b has no such limit.
    expect(operationsOf(await as('b').post('/Bulk', bulk([postUser('u1', 'one'), postUser('u2', 'two'), postUser('u3', 'three')]))).length).toBe(3);
  });

  it('stops after failOnErrors failures and lists only what ran', async () => {
    const { as } = testServer();
    const a = as('a');
    await a.createUser('taken');
    const ops = operationsOf(await a.post('/Bulk', bulk([postUser('x', 'taken'), postUser('y', 'fresh')], { failOnErrors: 1 })));
    expect(ops).toHaveLength(1);
    expect(ops[0]).toMatchObject({ method: 'POST', bulkId: 'x', status: '409', response: { scimType: 'uniqueness' } });
    expect(((await a.get('/Users')).body as { totalResults: number }).totalResults).toBe(1);
  });

  it('answers 400 to a body that is not a BulkRequest', async () => {
    const { as } = testServer();
    const r = await as('a').post('/Bulk', { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], Operations: [] });
    expect(r.status).toBe(400);
    expect(errorOf(r).scimType).toBe('invalidSyntax');
  });

  it('audits each operation as its own change', async () => {
    const events: AuditEvent[] = [];
    const { as } = testServer(tenants({ canDelete: false }), { audit: callbackAuditSink((e) => void events.push(e)) });
    await as('a').post('/Bulk', bulk([postUser('u', 'audited'), { method: 'DELETE', path: '/Users/bulkId:u' }]));
    const created = events.find((e) => e.action === 'create' && e.outcome === 'success');
    expect(created).toMatchObject({ tenantId: 'a', resourceType: 'User', status: 201 });
    expect(events.find((e) => e.action === 'delete')).toMatchObject({ outcome: 'refused', status: 403, reason: 'canDelete' });
  });

  it('advertises bulk support and its limits in /ServiceProviderConfig', async () => {
    const { as } = testServer();
    const spc = (await as('a').get('/ServiceProviderConfig')).body as { bulk: { supported: boolean; maxOperations: number; maxPayloadSize: number } };
    expect(spc.bulk.supported).toBe(true);
    expect(spc.bulk.maxOperations).toBeGreaterThan(0);
    expect(spc.bulk.maxPayloadSize).toBeGreaterThan(0);
  });
});
