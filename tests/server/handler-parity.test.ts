import { describe, expect, it } from 'vitest';
import {
  callbackAuditSink,
  ScimServer,
  StaticTenantResolver,
  type AuditEvent,
  type ScimOperationRequest,
  type ScimOperationResponse,
  type ScimRequest,
  type ScimResponse,
  type TenantDefinition,
} from 'scim-server';
import { GROUP_SCHEMA, PATCH_OP, SEARCH, USER_SCHEMA, type Body } from '../helpers/scim-client.js';

const BULK = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
const TENANT: TenantDefinition = { id: 'acme', token: 'tok', clientId: 'entra', permissions: { maxUsers: 4, maxPageSize: 50 } };
const FIXED = new Date('2030-01-01T00:00:00Z');

interface Ids {
  u1: string;
  u2: string;
  g1: string;
}
/** One request, written once for HTTP and once as an operation; `capture` names the id a create returns. */
interface Step {
  readonly name: string;
  readonly http: (ids: Ids) => Omit<ScimRequest, 'headers'> & { headers?: Record<string, string> };
  readonly op: (ids: Ids) => Omit<ScimOperationRequest, 'tenant' | 'requestId'>;
  readonly capture?: keyof Ids;
}

const user = (userName: string, extra: Body = {}) => ({ schemas: [USER_SCHEMA], userName, ...extra });
const patch = (...Operations: Body[]) => ({ schemas: [PATCH_OP], Operations });

const STEPS: readonly Step[] = [
  {
    name: 'create alice',
    capture: 'u1',
    http: () => ({ method: 'POST', path: '/Users', body: user('alice') }),
    op: () => ({ operation: 'create', resourceType: 'User', data: user('alice') }),
  },
  {
    name: 'create bob, projected',
    capture: 'u2',
    http: () => ({ method: 'POST', path: '/Users', query: { attributes: 'userName' }, body: user('bob', { title: 'x' }) }),
    op: () => ({ operation: 'create', resourceType: 'User', query: { attributes: 'userName' }, data: user('bob', { title: 'x' }) }),
  },
  {
    name: 'create a group',
    capture: 'g1',
    http: (ids) => ({ method: 'POST', path: '/Groups', body: { schemas: [GROUP_SCHEMA], displayName: 'admins', members: [{ value: ids.u1 }] } }),
    op: (ids) => ({ operation: 'create', resourceType: 'Group', data: { schemas: [GROUP_SCHEMA], displayName: 'admins', members: [{ value: ids.u1 }] } }),
  },
  { name: 'get', http: (ids) => ({ method: 'GET', path: `/Users/${ids.u1}` }), op: (ids) => ({ operation: 'get', resourceType: 'User', id: ids.u1 }) },
  {
    name: 'get, not modified',
    http: (ids) => ({ method: 'GET', path: `/Users/${ids.u1}`, headers: { 'if-none-match': 'W/"1"' } }),
    op: (ids) => ({ operation: 'get', resourceType: 'User', id: ids.u1, ifNoneMatch: 'W/"1"' }),
  },
  {
    name: 'replace with If-Match',
    http: (ids) => ({ method: 'PUT', path: `/Users/${ids.u1}`, headers: { 'if-match': 'W/"1"' }, body: user('alice', { title: 'Boss' }) }),
    op: (ids) => ({ operation: 'replace', resourceType: 'User', id: ids.u1, ifMatch: 'W/"1"', data: user('alice', { title: 'Boss' }) }),
  },
  {
    name: 'replace, stale',
    http: (ids) => ({ method: 'PUT', path: `/Users/${ids.u1}`, headers: { 'if-match': 'W/"1"' }, body: user('alice') }),
    op: (ids) => ({ operation: 'replace', resourceType: 'User', id: ids.u1, ifMatch: 'W/"1"', data: user('alice') }),
  },
  {
    name: 'patch the group members',
    http: (ids) => ({ method: 'PATCH', path: `/Groups/${ids.g1}`, body: patch({ op: 'add', path: 'members', value: [{ value: ids.u2 }] }) }),
    op: (ids) => ({ operation: 'patch', resourceType: 'Group', id: ids.g1, data: patch({ op: 'add', path: 'members', value: [{ value: ids.u2 }] }) }),
  },
  {
    name: 'patch the group, asking for members',
    http: (ids) => ({
      method: 'PATCH',
      path: `/Groups/${ids.g1}`,
      query: 'attributes=members',
      body: patch({ op: 'replace', path: 'displayName', value: 'Admins' }),
    }),
    op: (ids) => ({
      operation: 'patch',
      resourceType: 'Group',
      id: ids.g1,
      query: { attributes: 'members' },
      data: patch({ op: 'replace', path: 'displayName', value: 'Admins' }),
    }),
  },
  {
    name: 'patch a user',
    http: (ids) => ({ method: 'PATCH', path: `/Users/${ids.u2}`, body: patch({ op: 'Replace', path: 'active', value: 'False' }) }),
    op: (ids) => ({ operation: 'patch', resourceType: 'User', id: ids.u2, data: patch({ op: 'Replace', path: 'active', value: 'False' }) }),
  },
  {
    name: 'list, filtered and sorted',
    http: () => ({ method: 'GET', path: '/Users', query: { filter: 'userName pr', sortBy: 'userName', sortOrder: 'descending', count: '1' } }),
    op: () => ({ operation: 'list', resourceType: 'User', query: { filter: 'userName pr', sortBy: 'userName', sortOrder: 'descending', count: '1' } }),
  },
  {
    name: 'list by cursor',
    http: () => ({ method: 'GET', path: '/Users', query: { cursor: '', count: '1' } }),
    op: () => ({ operation: 'list', resourceType: 'User', query: { cursor: '', count: '1' } }),
  },
  {
    name: 'list with a bad count',
    http: () => ({ method: 'GET', path: '/Users', query: 'count=ten' }),
    op: () => ({ operation: 'list', resourceType: 'User', query: { count: 'ten' } }),
  },
  {
    name: 'a secret in a URL filter',
    http: () => ({ method: 'GET', path: '/Users', query: { filter: 'password eq "x"' } }),
    op: () => ({ operation: 'list', resourceType: 'User', query: { filter: 'password eq "x"' } }),
  },
  {
    name: 'search a type',
    http: () => ({ method: 'POST', path: '/Users/.search', body: { schemas: [SEARCH], filter: 'userName eq "bob"', attributes: ['userName'] } }),
    op: () => ({ operation: 'search', resourceType: 'User', data: { schemas: [SEARCH], filter: 'userName eq "bob"', attributes: ['userName'] } }),
  },
  {
    name: 'search for a secret',
    http: () => ({ method: 'POST', path: '/Users/.search', body: { schemas: [SEARCH], filter: 'password eq "x"' } }),
    op: () => ({ operation: 'search', resourceType: 'User', data: { schemas: [SEARCH], filter: 'password eq "x"' } }),
  },
  {
    name: 'search everything',
    http: () => ({ method: 'POST', path: '/.search', body: { schemas: [SEARCH], sortBy: 'meta.created' } }),
    op: () => ({ operation: 'search', data: { schemas: [SEARCH], sortBy: 'meta.created' } }),
  },
  {
    name: 'bulk',
    http: (ids) => ({ method: 'POST', path: '/Bulk', body: bulkBody(ids) }),
    op: (ids) => ({ operation: 'bulk', data: bulkBody(ids) }),
  },
  { name: 'service provider config', http: () => ({ method: 'GET', path: '/ServiceProviderConfig' }), op: () => ({ operation: 'getServiceProviderConfig' }) },
  { name: 'resource types', http: () => ({ method: 'GET', path: '/ResourceTypes' }), op: () => ({ operation: 'getResourceTypes' }) },
  { name: 'one resource type', http: () => ({ method: 'GET', path: '/ResourceTypes/Group' }), op: () => ({ operation: 'getResourceTypes', id: 'Group' }) },
  { name: 'schemas', http: () => ({ method: 'GET', path: '/Schemas' }), op: () => ({ operation: 'getSchemas' }) },
  { name: 'one schema', http: () => ({ method: 'GET', path: `/Schemas/${GROUP_SCHEMA}` }), op: () => ({ operation: 'getSchemas', id: GROUP_SCHEMA }) },
  {
    name: 'filtered schemas',
    http: () => ({ method: 'GET', path: '/Schemas', query: { filter: 'id pr' } }),
    op: () => ({ operation: 'getSchemas', query: { filter: 'id pr' } }),
  },
  {
    name: 'over the quota',
    http: () => ({ method: 'POST', path: '/Users', body: user('eve') }),
    op: () => ({ operation: 'create', resourceType: 'User', data: user('eve') }),
  },
  {
    name: 'an invalid body',
    http: () => ({ method: 'POST', path: '/Groups', body: { schemas: [GROUP_SCHEMA] } }),
    op: () => ({ operation: 'create', resourceType: 'Group', data: { schemas: [GROUP_SCHEMA] } }),
  },
  { name: 'delete', http: (ids) => ({ method: 'DELETE', path: `/Users/${ids.u2}` }), op: (ids) => ({ operation: 'delete', resourceType: 'User', id: ids.u2 }) },
  {
    name: 'delete again',
    http: (ids) => ({ method: 'DELETE', path: `/Users/${ids.u2}` }),
    op: (ids) => ({ operation: 'delete', resourceType: 'User', id: ids.u2 }),
  },
  {
    name: 'group after the delete',
    http: (ids) => ({ method: 'GET', path: `/Groups/${ids.g1}` }),
    op: (ids) => ({ operation: 'get', resourceType: 'Group', id: ids.g1 }),
  },
];

function bulkBody(ids: Ids): Body {
  return {
    schemas: [BULK],
    Operations: [
      { method: 'POST', path: '/Users', bulkId: 'c', data: user('carol') },
      { method: 'PATCH', path: `/Groups/${ids.g1}`, data: patch({ op: 'add', path: 'members', value: [{ value: 'bulkId:c' }] }) },
      { method: 'DELETE', path: '/Users/no-such-id' },
    ],
  };
}

function server(events: AuditEvent[]): ScimServer {
  return new ScimServer({
    tenantResolver: new StaticTenantResolver([TENANT]),
    audit: callbackAuditSink((e) => void events.push(e)),
    cursorSecret: 'one-cursor-secret-for-both-runs',
    now: () => FIXED,
  });
}

/** Replaces each run's ids by their names (or by their order), and timestamps by a constant, so two runs compare. */
function normalise(value: unknown, ids: Ids): unknown {
  let text = JSON.stringify(value ?? null);
  for (const [name, id] of Object.entries(ids)) if (id !== '') text = text.split(id).join(`<${name}>`);
  text = text.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>');
  // ids created inside a Bulk request: named in order of appearance
  const others = new Map<string, string>();
  text = text.replace(/[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/g, (id) => {
    if (!others.has(id)) others.set(id, `<id-${others.size}>`);
    return others.get(id) as string;
  });
  return JSON.parse(text);
}

/** What an HTTP response says, in the terms of an operation response. */
function fromHttp(r: ScimResponse): unknown {
  return { status: r.status, body: r.body ?? null, version: r.headers.ETag ?? null, location: r.headers.Location ?? null };
}

function fromOperation(r: ScimOperationResponse): unknown {
  switch (r.kind) {
    case 'resource':
      return { status: r.status, body: r.resource, version: r.version ?? null, location: r.status === 201 ? (r.location ?? null) : null };
    case 'list':
      return { status: r.status, body: r.list, version: null, location: null };
    case 'bulk':
      return { status: r.status, body: r.bulk, version: null, location: null };
    case 'none':
      return { status: r.status, body: null, version: r.version ?? null, location: null };
    case 'error':
      return { status: r.status, body: r.error.toJSON(), version: null, location: null };
  }
}

function captured(body: unknown): string | undefined {
  const r = body as { id?: unknown; resource?: { id?: unknown } } | undefined;
  const id = r?.id ?? r?.resource?.id;
  return typeof id === 'string' ? id : undefined;
}

describe('ScimServer.handle and ScimOperationHandler.handle give the same result for the same request', () => {
  it('over a sequence of every operation, its refusals and failures, and in the audit trail', async () => {
    const httpEvents: AuditEvent[] = [];
    const opEvents: AuditEvent[] = [];
    const http = server(httpEvents);
    const direct = server(opEvents);
    const tenant = await new StaticTenantResolver([TENANT]).resolve({ token: 'tok', headers: {}, path: '/scim/v2', baseUrl: '/scim/v2', requestId: 'r' });
    if (!tenant) throw new Error('the tenant resolves');
    const idsHttp: Ids = { u1: '', u2: '', g1: '' };
    const idsOp: Ids = { u1: '', u2: '', g1: '' };
    const seen = new Set<number>();
    for (const [i, step] of STEPS.entries()) {
      const requestId = `step-${i}`;
      const h = step.http(idsHttp);
      const viaHttp = await http.handle({
        ...h,
        path: `/scim/v2${h.path}`,
        headers: { authorization: 'Bearer tok', 'x-request-id': requestId, ...(h.headers ?? {}) },
      });
      const viaOp = await direct.operations.handle({ ...step.op(idsOp), tenant, requestId, requestIdSource: 'client' });
      seen.add(viaHttp.status);
      if (step.capture) {
        idsHttp[step.capture] = captured(viaHttp.body) ?? '';
        idsOp[step.capture] = viaOp.kind === 'resource' ? String(viaOp.resource.id) : '';
      }
      expect(normalise(fromOperation(viaOp), idsOp), step.name).toEqual(normalise(fromHttp(viaHttp), idsHttp));
    }
    const strip = (events: AuditEvent[], ids: Ids) => events.map((e) => normalise({ ...e, time: '' }, ids));
    expect(strip(opEvents, idsOp)).toEqual(strip(httpEvents, idsHttp));
    expect(httpEvents.length).toBeGreaterThan(10);
    // the run covers successes, refusals and failures of every kind
    expect([...seen].sort()).toEqual([200, 201, 204, 304, 400, 403, 404, 412]);
  });
});
