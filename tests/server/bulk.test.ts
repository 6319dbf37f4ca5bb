import { describe, expect, it } from 'vitest';
import { ScimError } from '../../src/error/scim-error.js';
import { BULK_REQUEST_SCHEMA, BULK_RESPONSE_SCHEMA, processBulk, type BulkExecutor, type BulkLimits, type BulkOperationResult } from '../../src/server/bulk.js';
import type { ScimResponse } from '../../src/server/scim-request.js';

const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const BASE = 'https://scim.example.com/v2';
const LIMITS: BulkLimits = { maxOperations: 1000, maxPayloadBytes: 1_048_576 };

type Call = { method: string; path: string; body?: unknown; ifMatch?: string };
type Json = Record<string, unknown>;

function scimError(status: number, detail: string, scimType?: string): ScimResponse {
  return {
    status,
    headers: { 'Content-Type': 'application/scim+json' },
    body: { schemas: [ERROR], status: String(status), ...(scimType ? { scimType } : {}), detail },
  };
}

/**
 * A fake service: POST to a collection creates `<type>-<n>`; resources that exist can be PUT,
 * PATCHed and DELETEd; `userName: "taken"` conflicts; a version other than the current one fails
 * with 412. Every call is recorded.
 */
function fakeService() {
  const calls: Call[] = [];
  const resources = new Map<string, { version: number }>();
  let next = 0;
  const execute: BulkExecutor = async (op) => {
    calls.push(structuredClone(op));
    const parts = op.path.split('/').slice(1);
    const endpoint = parts[0] as string;
    if (op.method === 'POST') {
      const body = op.body as Json;
      if (body.userName === 'taken') return scimError(409, 'userName is already taken', 'uniqueness');
      const id = `${endpoint.toLowerCase()}-${++next}`;
      resources.set(`/${endpoint}/${id}`, { version: 1 });
      const location = `${BASE}/${endpoint}/${id}`;
      return {
        status: 201,
        headers: { 'Content-Type': 'application/scim+json', Location: location, ETag: 'W/"1"' },
        body: { ...body, id, meta: { location, version: 'W/"1"' } },
      };
    }
    const key = `/${endpoint}/${decodeURIComponent(parts[1] as string)}`;
    const current = resources.get(key);
    if (!current) return scimError(404, 'Resource not found');
    if (op.ifMatch !== undefined && op.ifMatch !== `W/"${current.version}"`) return scimError(412, 'Version mismatch');
    if (op.method === 'DELETE') {
      resources.delete(key);
      return { status: 204, headers: {} };
    }
    current.version++;
    const version = `W/"${current.version}"`;
    if (op.method === 'PATCH' && endpoint === 'Groups') return { status: 204, headers: { ETag: version } };
    return {
      status: 200,
      headers: { 'Content-Type': 'application/scim+json', ETag: version },
      body: { ...(op.body as Json), id: parts[1], meta: { location: `${BASE}${key}`, version } },
    };
  };
  return { calls, resources, execute };
}

function bulk(operations: unknown[], extra: Json = {}): Json {
  return { schemas: [BULK_REQUEST_SCHEMA], Operations: operations, ...extra };
}

async function run(body: unknown, execute: BulkExecutor, limits: BulkLimits = LIMITS, baseUrl?: string): Promise<BulkOperationResult[]> {
  const r = await processBulk(body, limits, execute, baseUrl !== undefined ? { baseUrl } : {});
  expect(r.status).toBe(200);
  const b = r.body as { schemas: string[]; Operations: BulkOperationResult[] };
  expect(b.schemas).toEqual([BULK_RESPONSE_SCHEMA]);
  return b.Operations;
}

function postUser(bulkId: string, userName: string, extra: Json = {}): Json {
  return { method: 'POST', path: '/Users', bulkId, data: { schemas: [USER], userName, ...extra } };
}

function postGroup(bulkId: string, displayName: string, memberValues: string[]): Json {
  return {
    method: 'POST',
    path: '/Groups',
    bulkId,
    data: { schemas: [GROUP], displayName, members: memberValues.map((value) => ({ type: 'User', value })) },
  };
}

async function rejection(promise: Promise<unknown>): Promise<ScimError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ScimError);
    return error as ScimError;
  }
  throw new Error('expected the bulk request to be refused');
}

describe('processBulk: RFC 7644 §3.7.2 bulkId references', () => {
  it('creates a user, then a group whose member is that user, with the response shape of §3.7.3', async () => {
    const svc = fakeService();
    const r = await processBulk(bulk([postUser('qwerty', 'alice'), postGroup('ytrewq', 'Tour Guides', ['bulkId:qwerty'])]), LIMITS, svc.execute);
    expect(r.status).toBe(200);
    expect(r.headers['Content-Type']).toMatch(/^application\/scim\+json/);
    expect(svc.calls.map((c) => `${c.method} ${c.path}`)).toEqual(['POST /Users', 'POST /Groups']);
    expect((svc.calls[1]?.body as Json).members).toEqual([{ type: 'User', value: 'users-1' }]);
    expect(r.body).toEqual({
      schemas: [BULK_RESPONSE_SCHEMA],
      Operations: [
        { method: 'POST', bulkId: 'qwerty', location: `${BASE}/Users/users-1`, version: 'W/"1"', status: '201' },
        { method: 'POST', bulkId: 'ytrewq', location: `${BASE}/Groups/groups-2`, version: 'W/"1"', status: '201' },
      ],
    });
  });

  it('runs a POST before an earlier operation that references it, and lists operations in the order they ran', async () => {
    const svc = fakeService();
    const ops = await run(
      bulk([postGroup('g', 'Admins', ['bulkId:u1', 'bulkId:u2']), postUser('u1', 'alice'), postUser('u2', 'bob'), postUser('u3', 'carol')]),
      svc.execute,
    );
    expect(svc.calls.map((c) => (c.body as Json).userName ?? (c.body as Json).displayName)).toEqual(['alice', 'bob', 'Admins', 'carol']);
    expect(ops.map((o) => o.bulkId)).toEqual(['u1', 'u2', 'g', 'u3']);
    expect(ops.every((o) => o.status === '201')).toBe(true);
    const members = (svc.calls[2]?.body as Json).members as Json[];
    expect(members.map((m) => m.value)).toEqual(['users-1', 'users-2']);
  });

  it('resolves chains of forward references transitively', async () => {
    const svc = fakeService();
    // a needs b, b needs c: c runs first, then b, then a.
    const ops = await run(bulk([postUser('a', 'a', { manager: 'bulkId:b' }), postUser('b', 'b', { manager: 'bulkId:c' }), postUser('c', 'c')]), svc.execute);
    expect(ops.map((o) => o.bulkId)).toEqual(['c', 'b', 'a']);
    expect(svc.calls.map((c) => (c.body as Json).manager)).toEqual([undefined, 'users-1', 'users-2']);
  });

  it('replaces references in the path of PUT, PATCH and DELETE, encoding the id', async () => {
    const svc = fakeService();
    const ops = await run(
      bulk([
        { method: 'PUT', path: '/Users/bulkId:u', data: { schemas: [USER], userName: 'alice2' } },
        {
          method: 'PATCH',
          path: '/Groups/bulkId:g',
          data: { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: 'bulkId:u' }] }] },
        },
        { method: 'DELETE', path: '/Users/bulkId:u' },
        postUser('u', 'alice'),
        postGroup('g', 'Group', []),
      ]),
      svc.execute,
      LIMITS,
      BASE,
    );
    expect(svc.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      'POST /Users',
      'PUT /Users/users-1',
      'POST /Groups',
      'PATCH /Groups/groups-2',
      'DELETE /Users/users-1',
    ]);
    expect(svc.calls[3]?.body).toEqual({ schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: 'users-1' }] }] });
    expect(ops).toEqual([
      { method: 'POST', bulkId: 'u', location: `${BASE}/Users/users-1`, version: 'W/"1"', status: '201' },
      { method: 'PUT', location: `${BASE}/Users/users-1`, version: 'W/"2"', status: '200' },
      { method: 'POST', bulkId: 'g', location: `${BASE}/Groups/groups-2`, version: 'W/"1"', status: '201' },
      // A Group PATCH answered 204: location from the base URL, version from the ETag header.
      { method: 'PATCH', location: `${BASE}/Groups/groups-2`, version: 'W/"2"', status: '204' },
      { method: 'DELETE', location: `${BASE}/Users/users-1`, status: '204' },
    ]);
  });

  it('percent-encodes a substituted id that needs it', async () => {
    const calls: Call[] = [];
    const execute: BulkExecutor = async (op) => {
      calls.push(op);
      if (op.method === 'POST') return { status: 201, headers: {}, body: { id: 'a/b c' } };
      return { status: 204, headers: {} };
    };
    await run(bulk([postUser('x', 'x'), { method: 'DELETE', path: '/Users/bulkId:x' }]), execute);
    expect(calls[1]?.path).toBe('/Users/a%2Fb%20c');
  });

  it('replaces references at any depth, in extensions and PATCH values, and nothing else', async () => {
    const svc = fakeService();
    const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
    let deep: Json = { value: 'bulkId:m' };
    for (let i = 0; i < 200; i++) deep = { nested: [deep] };
    const data = {
      schemas: [USER, ENTERPRISE],
      userName: 'see bulkId:m',
      nickName: 'xbulkId:m',
      displayName: 'bulkid:m',
      [ENTERPRISE]: { manager: { value: 'bulkId:m' } },
      deep,
    };
    const original = structuredClone(data);
    await run(bulk([postUser('e', 'x', data), postUser('m', 'manager')]), svc.execute);
    const sent = svc.calls[1]?.body as Json;
    expect((sent[ENTERPRISE] as Json).manager).toEqual({ value: 'users-1' });
    // A whole-value reference only, with the exact RFC prefix.
    expect(sent.userName).toBe('see bulkId:m');
    expect(sent.nickName).toBe('xbulkId:m');
    expect(sent.displayName).toBe('bulkid:m');
    let cursor = sent.deep as Json;
    for (let i = 0; i < 200; i++) cursor = (cursor.nested as Json[])[0] as Json;
    expect(cursor).toEqual({ value: 'users-1' });
    // The caller's request is not modified.
    expect(data).toEqual(original);
  });

  it('copies a "__proto__" key as data without touching prototypes', async () => {
    const svc = fakeService();
    const body = JSON.parse(
      `{"schemas":["${BULK_REQUEST_SCHEMA}"],"Operations":[` +
        `{"method":"POST","path":"/Users","bulkId":"m","data":{"userName":"m"}},` +
        `{"method":"POST","path":"/Users","bulkId":"u","data":{"userName":"u","__proto__":{"polluted":"bulkId:m"}}}]}`,
    ) as unknown;
    await run(body, svc.execute);
    const sent = svc.calls[1]?.body as Json;
    expect(Object.getPrototypeOf(sent)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(sent, '__proto__')?.value).toEqual({ polluted: 'users-1' });
    expect(({} as Json).polluted).toBeUndefined();
  });

  it('sends the data object unchanged when it holds no reference', async () => {
    const svc = fakeService();
    const op = postUser('u', 'alice');
    await run(bulk([op]), svc.execute);
    expect(svc.calls[0]?.body).toEqual(op.data);
  });
});

describe('processBulk: references that cannot be resolved', () => {
  it('fails an operation that references an undefined bulkId with 409, and runs the rest', async () => {
    const svc = fakeService();
    const ops = await run(bulk([postGroup('g', 'G', ['bulkId:nobody']), postUser('u', 'alice')]), svc.execute);
    expect(svc.calls.map((c) => c.method)).toEqual(['POST']);
    expect((svc.calls[0]?.body as Json).userName).toBe('alice');
    expect(ops[0]).toMatchObject({ method: 'POST', bulkId: 'g', status: '409' });
    expect(ops[0]?.location).toBeUndefined();
    expect(ops[0]?.response).toMatchObject({ schemas: [ERROR], status: '409', scimType: 'invalidValue' });
    expect((ops[0]?.response as Json).detail).toContain('nobody');
    expect(ops[1]).toMatchObject({ bulkId: 'u', status: '201' });
  });

  it('a bulkId defined only by a non-POST operation is not a definition', async () => {
    const svc = fakeService();
    const ops = await run(
      bulk([
        { method: 'DELETE', path: '/Users/zzz', bulkId: 'd' },
        { method: 'DELETE', path: '/Users/bulkId:d' },
      ]),
      svc.execute,
    );
    expect(ops[1]).toMatchObject({ status: '409' });
    expect(svc.calls.map((c) => c.path)).toEqual(['/Users/zzz']);
  });

  it('fails operations that depend on a failed POST with 409; the failed POST has its error and no location', async () => {
    const svc = fakeService();
    const ops = await run(
      bulk([postUser('bad', 'taken'), postGroup('g', 'G', ['bulkId:bad']), { method: 'DELETE', path: '/Users/bulkId:bad' }]),
      svc.execute,
      LIMITS,
      BASE,
    );
    expect(svc.calls).toHaveLength(1);
    expect(ops[0]).toEqual({
      method: 'POST',
      bulkId: 'bad',
      status: '409',
      response: { schemas: [ERROR], status: '409', scimType: 'uniqueness', detail: 'userName is already taken' },
    });
    expect(ops[1]).toMatchObject({ bulkId: 'g', status: '409', response: { scimType: 'invalidValue' } });
    expect((ops[1]?.response as Json).detail).toContain('"bad"');
    expect(ops[2]).toMatchObject({ method: 'DELETE', status: '409' });
    expect(ops[2]?.location).toBeUndefined();
  });

  it('detects a cycle between two POSTs and fails both with 409 without running them', async () => {
    const svc = fakeService();
    const ops = await run(
      bulk([postGroup('A', 'Group A', ['bulkId:B']), postGroup('B', 'Group B', ['bulkId:A']), postGroup('C', 'Group C', ['bulkId:A']), postUser('D', 'dave')]),
      svc.execute,
    );
    expect(svc.calls.map((c) => (c.body as Json).userName)).toEqual(['dave']);
    const byId = new Map(ops.map((o) => [o.bulkId, o]));
    for (const id of ['A', 'B']) {
      expect(byId.get(id)).toMatchObject({ method: 'POST', status: '409', response: { status: '409' } });
      expect((byId.get(id)?.response as Json).detail).toMatch(/circular/i);
    }
    expect(byId.get('C')).toMatchObject({ status: '409' });
    expect((byId.get('C')?.response as Json).detail).not.toMatch(/circular/i);
    expect(byId.get('D')?.status).toBe('201');
    expect(ops).toHaveLength(4);
  });

  it('detects a POST that references itself and longer cycles', async () => {
    const svc = fakeService();
    const ops = await run(
      bulk([
        postGroup('self', 'Self', ['bulkId:self']),
        postUser('x', 'x', { manager: 'bulkId:y' }),
        postUser('y', 'y', { manager: 'bulkId:z' }),
        postUser('z', 'z', { manager: 'bulkId:x' }),
        postUser('w', 'w', { manager: 'bulkId:v' }),
        postUser('v', 'v'),
      ]),
      svc.execute,
    );
    const status = Object.fromEntries(ops.map((o) => [o.bulkId, o.status]));
    expect(status).toEqual({ self: '409', x: '409', y: '409', z: '409', v: '201', w: '201' });
    expect(svc.calls.map((c) => (c.body as Json).userName)).toEqual(['v', 'w']);
  });

  it('handles a chain of thousands of forward references without deep recursion', async () => {
    const svc = fakeService();
    const n = 3000;
    const operations = Array.from({ length: n }, (_, i) =>
      i === n - 1 ? postUser(`u${i}`, `user${i}`) : postUser(`u${i}`, `user${i}`, { manager: `bulkId:u${i + 1}` }),
    );
    const ops = await run(bulk(operations), svc.execute, { maxOperations: n, maxPayloadBytes: 10_000_000 });
    expect(ops).toHaveLength(n);
    expect(ops[0]?.bulkId).toBe(`u${n - 1}`);
    expect(ops[n - 1]?.bulkId).toBe('u0');
    expect(ops.every((o) => o.status === '201')).toBe(true);
    expect((svc.calls[n - 1]?.body as Json).manager).toBe(`users-${n - 1}`);
  });

  it('detects a cycle closing a chain of thousands of references', async () => {
    const svc = fakeService();
    const n = 3000;
    const operations = Array.from({ length: n }, (_, i) => postUser(`u${i}`, `user${i}`, { manager: `bulkId:u${(i + 1) % n}` }));
    const ops = await run(bulk(operations), svc.execute, { maxOperations: n, maxPayloadBytes: 10_000_000 });
    expect(ops).toHaveLength(n);
    expect(ops.every((o) => o.status === '409')).toBe(true);
    expect(svc.calls).toHaveLength(0);
  });
});

describe('processBulk: failOnErrors', () => {
  const ops = [postUser('a', 'taken'), postUser('b', 'bob'), { method: 'DELETE', path: '/Users/missing' }, postUser('c', 'carol'), postUser('d', 'dave')];

  it('without failOnErrors, runs every operation despite failures', async () => {
    const svc = fakeService();
    const out = await run(bulk(ops), svc.execute);
    expect(out.map((o) => o.status)).toEqual(['409', '201', '404', '201', '201']);
    expect(svc.calls).toHaveLength(5);
  });

  it('failOnErrors 1 stops at the first failure; later operations neither run nor appear', async () => {
    const svc = fakeService();
    const out = await run(bulk(ops, { failOnErrors: 1 }), svc.execute);
    expect(out).toEqual([
      {
        method: 'POST',
        bulkId: 'a',
        status: '409',
        response: { schemas: [ERROR], status: '409', scimType: 'uniqueness', detail: 'userName is already taken' },
      },
    ]);
    expect(svc.calls).toHaveLength(1);
  });

  it('failOnErrors 2 runs until the second failure', async () => {
    const svc = fakeService();
    const out = await run(bulk(ops, { failOnErrors: 2 }), svc.execute);
    expect(out.map((o) => o.status)).toEqual(['409', '201', '404']);
    expect(svc.calls).toHaveLength(3);
    expect(svc.resources.size).toBe(1);
  });

  it('counts operations that fail without running (malformed, unresolved) as errors', async () => {
    const svc = fakeService();
    const out = await run(
      bulk([{ method: 'GET', path: '/Users' }, postGroup('g', 'G', ['bulkId:none']), postUser('u', 'u')], { failOnErrors: 2 }),
      svc.execute,
    );
    expect(out.map((o) => o.status)).toEqual(['400', '409']);
    expect(svc.calls).toHaveLength(0);
  });

  it('a failOnErrors larger than the number of failures changes nothing', async () => {
    const svc = fakeService();
    const out = await run(bulk(ops, { failOnErrors: 3 }), svc.execute);
    expect(out).toHaveLength(5);
  });

  it('refuses a failOnErrors that is not an integer of at least 1', async () => {
    for (const failOnErrors of [0, -1, 1.5, '1', true, {}, Number.NaN]) {
      const svc = fakeService();
      const e = await rejection(processBulk(bulk(ops, { failOnErrors }), LIMITS, svc.execute));
      expect(e.status).toBe(400);
      expect(e.scimType).toBe('invalidValue');
      expect(svc.calls).toHaveLength(0);
    }
  });

  it('accepts failOnErrors and Operations in any case, and null failOnErrors as absent', async () => {
    const svc = fakeService();
    const out = await run({ schemas: [BULK_REQUEST_SCHEMA], operations: ops, FAILONERRORS: 1 }, svc.execute);
    expect(out).toHaveLength(1);
    const all = await run({ schemas: [BULK_REQUEST_SCHEMA], Operations: ops, failOnErrors: null }, fakeService().execute);
    expect(all).toHaveLength(5);
  });
});

describe('processBulk: limits (RFC 7644 §3.7.4)', () => {
  const two = bulk([postUser('a', 'a'), postUser('b', 'b')]);

  it('refuses more operations than maxOperations with 413 naming maxOperations, running nothing', async () => {
    const svc = fakeService();
    const e = await rejection(processBulk(two, { maxOperations: 1, maxPayloadBytes: 1_048_576 }, svc.execute));
    expect(e.status).toBe(413);
    expect(e.detail).toContain('maxOperations');
    expect(e.toJSON()).toMatchObject({ schemas: [ERROR], status: '413' });
    expect(svc.calls).toHaveLength(0);
  });

  it('accepts exactly maxOperations operations', async () => {
    const svc = fakeService();
    const out = await run(two, svc.execute, { maxOperations: 2, maxPayloadBytes: 1_048_576 });
    expect(out).toHaveLength(2);
  });

  it('refuses a body larger than maxPayloadBytes with 413 naming maxPayloadSize, counting UTF-8 bytes', async () => {
    const body = bulk([postUser('a', 'ééééé')]);
    const chars = JSON.stringify(body).length;
    const bytes = new TextEncoder().encode(JSON.stringify(body)).length;
    expect(bytes).toBe(chars + 5);
    const svc = fakeService();
    // Fits in characters but not in bytes.
    const e = await rejection(processBulk(body, { maxOperations: 10, maxPayloadBytes: chars }, svc.execute));
    expect(e.status).toBe(413);
    expect(e.detail).toContain('maxPayloadSize');
    expect(svc.calls).toHaveLength(0);
    const out = await run(body, svc.execute, { maxOperations: 10, maxPayloadBytes: bytes });
    expect(out).toHaveLength(1);
  });

  it('checks the size before reading the structure', async () => {
    const e = await rejection(processBulk({ junk: 'x'.repeat(100) }, { maxOperations: 10, maxPayloadBytes: 50 }, fakeService().execute));
    expect(e.status).toBe(413);
  });

  it('refuses a value that is not JSON-serialisable with 400', async () => {
    const cyclic: Json = { schemas: [BULK_REQUEST_SCHEMA], Operations: [] };
    cyclic.self = cyclic;
    const e = await rejection(processBulk(cyclic, LIMITS, fakeService().execute));
    expect(e.status).toBe(400);
    expect(e.scimType).toBe('invalidSyntax');
  });
});

describe('processBulk: the request envelope', () => {
  it('refuses a body that is not a BulkRequest object with 400 invalidSyntax', async () => {
    const bodies: unknown[] = [
      undefined,
      null,
      'text',
      42,
      [],
      { Operations: [] },
      { schemas: 'urn:ietf:params:scim:api:messages:2.0:BulkRequest', Operations: [] },
      { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [] },
      { schemas: [BULK_REQUEST_SCHEMA] },
      { schemas: [BULK_REQUEST_SCHEMA], Operations: {} },
      { schemas: [BULK_REQUEST_SCHEMA], Operations: 'POST' },
    ];
    for (const body of bodies) {
      const svc = fakeService();
      const e = await rejection(processBulk(body, LIMITS, svc.execute));
      expect(e.status, JSON.stringify(body)).toBe(400);
      expect(e.scimType).toBe('invalidSyntax');
      expect(svc.calls).toHaveLength(0);
    }
  });

  it('matches the schema URI case-insensitively and accepts an empty Operations list', async () => {
    const out = await run({ schemas: [BULK_REQUEST_SCHEMA.toUpperCase()], Operations: [] }, fakeService().execute);
    expect(out).toEqual([]);
  });
});

describe('processBulk: malformed operations', () => {
  const cases: [string, unknown, Partial<BulkOperationResult>][] = [
    ['null', null, {}],
    ['a number', 7, {}],
    ['a string', 'POST /Users', {}],
    ['an array', [postUser('x', 'x')], {}],
    ['no method', { path: '/Users', bulkId: 'x', data: {} }, { bulkId: 'x' }],
    ['GET', { method: 'GET', path: '/Users/1' }, { method: 'GET' }],
    ['a method that is not a string', { method: 5, path: '/Users' }, {}],
    ['no path', { method: 'DELETE' }, { method: 'DELETE' }],
    ['an empty path', { method: 'DELETE', path: ' ' }, { method: 'DELETE' }],
    ['a path that is not a string', { method: 'DELETE', path: ['/Users/1'] }, { method: 'DELETE' }],
    ['POST to a resource', { method: 'POST', path: '/Users/1', bulkId: 'x', data: {} }, { method: 'POST', bulkId: 'x' }],
    ['PUT to a collection', { method: 'PUT', path: '/Users', data: {} }, { method: 'PUT' }],
    ['DELETE too deep', { method: 'DELETE', path: '/Users/1/x' }, { method: 'DELETE' }],
    ['a nested /Bulk', { method: 'POST', path: '/Bulk', bulkId: 'x', data: bulk([]) }, { method: 'POST', bulkId: 'x' }],
    ['a /.search', { method: 'POST', path: '/.search', bulkId: 'x', data: {} }, { method: 'POST', bulkId: 'x' }],
    ['a resource /.search', { method: 'PUT', path: '/Users/.search', data: {} }, { method: 'PUT' }],
    ['/Schemas', { method: 'PUT', path: '/Schemas/urn:x', data: {} }, { method: 'PUT' }],
    ['/Me', { method: 'PATCH', path: '/Me/x', data: {} }, { method: 'PATCH' }],
    ['a query string', { method: 'POST', path: '/Users?attributes=id', bulkId: 'x', data: {} }, { method: 'POST', bulkId: 'x' }],
    ['an absolute URL', { method: 'DELETE', path: 'https://evil.example/Users/1' }, { method: 'DELETE' }],
    ['an empty segment', { method: 'DELETE', path: '/Users//1' }, { method: 'DELETE' }],
    ['bad percent-encoding', { method: 'DELETE', path: '/Users/%E0%A4%A' }, { method: 'DELETE' }],
    ['POST without bulkId', { method: 'POST', path: '/Users', data: { userName: 'x' } }, { method: 'POST' }],
    ['an empty bulkId', { method: 'POST', path: '/Users', bulkId: '', data: { userName: 'x' } }, { method: 'POST' }],
    ['a numeric bulkId', { method: 'POST', path: '/Users', bulkId: 1, data: { userName: 'x' } }, { method: 'POST' }],
    ['POST without data', { method: 'POST', path: '/Users', bulkId: 'x' }, { method: 'POST', bulkId: 'x' }],
    ['PUT with array data', { method: 'PUT', path: '/Users/1', data: [] }, { method: 'PUT' }],
    ['PATCH with string data', { method: 'PATCH', path: '/Users/1', data: 'add' }, { method: 'PATCH' }],
    ['a numeric version', { method: 'DELETE', path: '/Users/1', version: 3 }, { method: 'DELETE' }],
  ];

  for (const [name, op, reported] of cases) {
    it(`fails ${name} with 400 without running it, and runs the next operation`, async () => {
      const svc = fakeService();
      const out = await run(bulk([op, postUser('ok', 'ok')]), svc.execute);
      expect(out).toHaveLength(2);
      const failed = out[0] as BulkOperationResult;
      expect(failed.status).toBe('400');
      expect(failed.response).toMatchObject({ schemas: [ERROR], status: '400', scimType: 'invalidSyntax' });
      expect((failed.response as Json).detail).toMatch(/^Operations\[0\]/);
      expect(failed).toMatchObject(reported);
      if (reported.bulkId === undefined) expect(failed.bulkId).toBeUndefined();
      expect(failed.location).toBeUndefined();
      expect(svc.calls).toHaveLength(1);
      expect(out[1]?.status).toBe('201');
    });
  }

  it('fails a second POST repeating a bulkId with 400 invalidValue; references go to the first', async () => {
    const svc = fakeService();
    const out = await run(bulk([postUser('dup', 'first'), postUser('dup', 'second'), postGroup('g', 'G', ['bulkId:dup'])]), svc.execute);
    expect(out.map((o) => o.status)).toEqual(['201', '400', '201']);
    expect(out[1]?.response).toMatchObject({ scimType: 'invalidValue' });
    expect(svc.calls.map((c) => (c.body as Json).userName ?? (c.body as Json).displayName)).toEqual(['first', 'G']);
    expect(((svc.calls[1]?.body as Json).members as Json[])[0]?.value).toBe('users-1');
  });

  it('accepts keys and methods in any case, a path without its leading slash or with a trailing one', async () => {
    const svc = fakeService();
    const out = await run(
      bulk([
        { Method: 'post', Path: 'Users/', BulkId: 'u', Data: { userName: 'alice' } },
        { METHOD: 'Patch', PATH: '/Users/bulkId:u/', VERSION: 'W/"1"', DATA: { schemas: [PATCH_OP], Operations: [] } },
      ]),
      svc.execute,
    );
    expect(out.map((o) => `${o.method} ${o.status}`)).toEqual(['POST 201', 'PATCH 200']);
    expect(svc.calls).toEqual([
      { method: 'POST', path: '/Users', body: { userName: 'alice' } },
      { method: 'PATCH', path: '/Users/users-1', body: { schemas: [PATCH_OP], Operations: [] }, ifMatch: 'W/"1"' },
    ]);
  });
});

describe('processBulk: what reaches the executor', () => {
  it('passes version as ifMatch for PUT, PATCH and DELETE, never a body with DELETE, and ignores version on POST', async () => {
    const svc = fakeService();
    const out = await run(
      bulk([
        { ...postUser('u', 'alice'), version: 'W/"9"' },
        { method: 'PUT', path: '/Users/bulkId:u', version: 'W/"1"', data: { userName: 'alice' } },
        { method: 'PATCH', path: '/Users/bulkId:u', version: 'W/"1"', data: { schemas: [PATCH_OP], Operations: [] } },
        { method: 'DELETE', path: '/Users/bulkId:u', version: 'W/"2"', data: { ignored: true } },
      ]),
      svc.execute,
      LIMITS,
      BASE,
    );
    expect(svc.calls.map((c) => c.ifMatch)).toEqual([undefined, 'W/"1"', 'W/"1"', 'W/"2"']);
    expect(svc.calls[3]).toEqual({ method: 'DELETE', path: '/Users/users-1', ifMatch: 'W/"2"' });
    expect(out.map((o) => o.status)).toEqual(['201', '200', '412', '204']);
    // A failed PUT/PATCH/DELETE still names the resource it addressed (§3.7.3).
    expect(out[2]).toMatchObject({ method: 'PATCH', location: `${BASE}/Users/users-1`, response: { status: '412' } });
    expect(out[2]?.version).toBeUndefined();
  });

  it('without a base URL, reports only the locations the responses carry', async () => {
    const svc = fakeService();
    const out = await run(bulk([postUser('u', 'alice'), { method: 'DELETE', path: '/Users/bulkId:u' }]), svc.execute);
    expect(out[0]?.location).toBe(`${BASE}/Users/users-1`);
    expect(out[1]).toEqual({ method: 'DELETE', status: '204' });
  });

  it('takes the created id from Location when the body has none', async () => {
    const calls: Call[] = [];
    const execute: BulkExecutor = async (op): Promise<ScimResponse> => {
      calls.push(op);
      return op.method === 'POST' ? { status: 201, headers: { location: `${BASE}/Users/from-header` } } : { status: 204, headers: {} };
    };
    const out = await run(bulk([postUser('u', 'a'), { method: 'DELETE', path: '/Users/bulkId:u' }]), execute);
    expect(calls[1]?.path).toBe('/Users/from-header');
    expect(out[0]?.location).toBe(`${BASE}/Users/from-header`);
  });

  it('turns a ScimError thrown by the executor into that operation’s failure', async () => {
    const execute: BulkExecutor = async (op) => {
      if (op.method === 'DELETE') throw ScimError.forbidden('Operation delete is not permitted for this tenant (canDelete)', 'canDelete');
      return { status: 201, headers: {}, body: { id: '1' } };
    };
    const out = await run(bulk([{ method: 'DELETE', path: '/Users/1' }, postUser('u', 'a')]), execute, LIMITS, BASE);
    expect(out[0]).toEqual({
      method: 'DELETE',
      location: `${BASE}/Users/1`,
      status: '403',
      response: { schemas: [ERROR], status: '403', detail: 'Operation delete is not permitted for this tenant (canDelete)' },
    });
    expect(out[1]?.status).toBe('201');
  });

  it('gives a failure without a SCIM error body a minimal error body', async () => {
    const execute: BulkExecutor = async () => ({ status: 500, headers: {}, body: 'oops' });
    const out = await run(bulk([{ method: 'DELETE', path: '/Users/1' }]), execute);
    expect(out[0]).toEqual({ method: 'DELETE', status: '500', response: { schemas: [ERROR], status: '500' } });
  });

  it('lets an unexpected executor error propagate', async () => {
    const execute: BulkExecutor = async () => {
      throw new TypeError('boom');
    };
    await expect(processBulk(bulk([{ method: 'DELETE', path: '/Users/1' }]), LIMITS, execute)).rejects.toThrow(TypeError);
  });

  it('runs operations one at a time', async () => {
    let running = 0;
    let most = 0;
    const execute: BulkExecutor = async () => {
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 1));
      running--;
      return { status: 204, headers: {} };
    };
    await run(bulk([1, 2, 3, 4].map((i) => ({ method: 'DELETE', path: `/Users/${i}` }))), execute);
    expect(most).toBe(1);
  });
});
