import { describe, expect, it } from 'vitest';
import { isScimError } from '../../src/error/scim-error.js';
import { parseFilter } from '../../src/query/filter-parser.js';
import { GROUP_SCHEMA, GROUP_SCHEMA_URI } from '../../src/schema/group-schema.js';
import type { ResourceTypeModel } from '../../src/schema/membership.js';
import { createResourceSchema } from '../../src/schema/resource-schema.js';
import { SchemaRegistry } from '../../src/schema/schema-registry.js';
import { GROUP_RESOURCE_TYPE, USER_RESOURCE_TYPE } from '../../src/schema/resource-types.js';
import type { ScimObject, ScimResource } from '../../src/schema/types.js';
import { USER_SCHEMA, USER_SCHEMA_URI } from '../../src/schema/user-schema.js';
import { InMemoryStorage } from '../../src/storage/index.js';
import type { IsolationLevel } from '../../src/tenant/isolation-level.js';
import type { TenantContext } from '../../src/tenant/tenant-context.js';
import * as vitest from 'vitest';
import { describeStorageContract } from '../../src/testing/index.js';

describeStorageContract(vitest, 'InMemoryStorage', () => new InMemoryStorage());

const USERS = createResourceSchema(USER_RESOURCE_TYPE, USER_SCHEMA);
const REGISTRY = new SchemaRegistry();
const USER = REGISTRY.model('User') as ResourceTypeModel;
const GROUP = REGISTRY.model('Group') as ResourceTypeModel;
const GROUPS = createResourceSchema(GROUP_RESOURCE_TYPE, GROUP_SCHEMA);

function tenant(tenantId: string, isolationLevel: IsolationLevel): TenantContext {
  return { tenantId, isolationLevel, permissions: {}, baseUrl: `https://example.test/${tenantId}` };
}

const user = (userName: string, extra: ScimObject = {}): ScimObject => ({ schemas: [USER_SCHEMA_URI], userName, ...extra });
const group = (displayName: string, extra: ScimObject = {}): ScimObject => ({ schemas: [GROUP_SCHEMA_URI], displayName, ...extra });

function deepFrozen(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  return Object.isFrozen(value) && Object.values(value).every(deepFrozen);
}

async function status(promise: Promise<unknown>): Promise<number | 'ok'> {
  try {
    await promise;
    return 'ok';
  } catch (err) {
    if (isScimError(err)) return err.status;
    throw err;
  }
}

describe('InMemoryStorage: where tenants live', () => {
  it('a strict tenant has a store object of its own; standard and shared tenants share one', async () => {
    const storage = new InMemoryStorage();
    const s1 = tenant('s1', 'strict');
    const s2 = tenant('s2', 'strict');
    const std = tenant('std', 'standard');
    const sh = tenant('sh', 'shared');
    for (const t of [s1, s2, std, sh]) await storage.create(t, USER, user('u'));
    const [a, b, c, d] = [s1, s2, std, sh].map((t) => storage.storeOf(t.tenantId));
    expect(a).toBeTypeOf('object');
    expect(b).toBeTypeOf('object');
    expect(a).not.toBe(b);
    expect(c).toBe(d);
    expect(a).not.toBe(c);
    expect(b).not.toBe(c);
    expect(storage.storeOf('nobody')).toBeUndefined();
  });

  it('creates a store on the first write, not on reads', async () => {
    const storage = new InMemoryStorage();
    const s = tenant('s', 'strict');
    const p = tenant('p', 'shared');
    for (const t of [s, p]) {
      expect(await storage.get(t, USER, 'x')).toBeNull();
      expect(await storage.count(t, USER)).toBe(0);
      expect((await storage.query(t, USER, { schema: USERS, startIndex: 1, count: 10 })).totalResults).toBe(0);
      expect(await status(storage.delete(t, USER, 'x'))).toBe(404);
      expect(storage.storeOf(t.tenantId)).toBeUndefined();
    }
  });

  it('dropping a strict tenant removes its store and leaves every other tenant as it was', async () => {
    const storage = new InMemoryStorage();
    const s1 = tenant('s1', 'strict');
    const s2 = tenant('s2', 'strict');
    const sh = tenant('sh', 'shared');
    const kept = [await storage.create(s2, USER, user('a')), await storage.create(sh, USER, user('b'))];
    await storage.create(s1, USER, user('c'));
    const before = [storage.storeOf('s2'), storage.storeOf('sh')];
    await storage.dropTenant('s1');
    expect(storage.storeOf('s1')).toBeUndefined();
    expect([storage.storeOf('s2'), storage.storeOf('sh')]).toEqual(before);
    expect(storage.storeOf('s2')).toBe(before[0]);
    expect(await storage.get(s2, USER, kept[0]!.id)).toEqual(kept[0]);
    expect(await storage.get(sh, USER, kept[1]!.id)).toEqual(kept[1]);
  });

  it('dropping a pooled tenant leaves the common store to the others', async () => {
    const storage = new InMemoryStorage();
    const a = tenant('a', 'shared');
    const b = tenant('b', 'standard');
    await storage.create(a, USER, user('x'));
    const kept = await storage.create(b, USER, user('y'));
    const common = storage.storeOf('b');
    await storage.dropTenant('a');
    expect(storage.storeOf('a')).toBeUndefined();
    expect(storage.storeOf('b')).toBe(common);
    expect(await storage.get(b, USER, kept.id)).toEqual(kept);
  });

  it('refuses to serve a tenant whose isolation level changed while it holds data', async () => {
    const storage = new InMemoryStorage();
    await storage.create(tenant('t', 'strict'), USER, user('x'));
    await expect(storage.get(tenant('t', 'shared'), USER, 'x')).rejects.toThrow(/isolation level/);
    await storage.create(tenant('u', 'standard'), USER, user('x'));
    await expect(storage.count(tenant('u', 'strict'), USER)).rejects.toThrow(/isolation level/);
    await storage.dropTenant('t');
    expect(await storage.count(tenant('t', 'shared'), USER)).toBe(0);
  });
});

describe('InMemoryStorage: stored objects', () => {
  it('hands out deep-frozen records, the same object on every read when nothing is attached', async () => {
    const storage = new InMemoryStorage();
    const t = tenant('t', 'shared');
    const created = await storage.create(t, USER, user('u', { emails: [{ value: 'u@example.com' }], name: { givenName: 'U' } }));
    expect(deepFrozen(created)).toBe(true);
    const r1 = await storage.get(t, USER, created.id);
    const r2 = await storage.get(t, USER, created.id);
    expect(r1).toBe(r2);
  });

  it('attaches members and groups to frozen copies', async () => {
    const storage = new InMemoryStorage();
    const t = tenant('t', 'shared');
    const u = await storage.create(t, USER, user('u'));
    const g = await storage.create(t, GROUP, group('g', { members: [{ value: u.id }] }));
    const rg = await storage.get(t, GROUP, g.id);
    const ru = await storage.get(t, USER, u.id);
    expect(deepFrozen(rg)).toBe(true);
    expect(deepFrozen(ru)).toBe(true);
    expect(rg).not.toBe(await storage.get(t, GROUP, g.id));
    expect(await storage.get(t, GROUP, g.id, { excludeMembers: true })).toBe(await storage.get(t, GROUP, g.id, { excludeMembers: true }));
  });

  it('fills in the type of a member reference that has none', async () => {
    const storage = new InMemoryStorage();
    const t = tenant('t', 'shared');
    const u = await storage.create(t, USER, user('u'));
    const inner = await storage.create(t, GROUP, group('inner'));
    const g = await storage.create(t, GROUP, group('g', { members: [{ value: u.id }, { value: inner.id, display: 'Inner' }] }));
    expect(g.members).toEqual([
      { value: u.id, type: 'User' },
      { value: inner.id, type: 'Group', display: 'Inner' },
    ]);
  });

  it('refuses members that are not resources of the tenant with a 400 invalidValue', async () => {
    const storage = new InMemoryStorage();
    const a = tenant('a', 'shared');
    const b = tenant('b', 'shared');
    const ub = await storage.create(b, USER, user('ub'));
    const err = await storage.create(a, GROUP, group('g', { members: [{ value: ub.id }] })).catch((e: unknown) => e);
    expect(isScimError(err) && err.status === 400 && err.scimType === 'invalidValue').toBe(true);
    const ga = await storage.create(a, GROUP, group('g'));
    expect(await status(storage.updateMembers(a, GROUP, ga.id, { add: [{ value: ub.id }] }))).toBe(400);
    expect(await status(storage.replace(a, GROUP, ga.id, group('g', { members: [{ value: ub.id }] })))).toBe(400);
    expect((await storage.get(b, USER, ub.id))?.groups).toBeUndefined();
  });

  it('refuses malformed bodies and member lists with a 400', async () => {
    const storage = new InMemoryStorage();
    const t = tenant('t', 'shared');
    const g = await storage.create(t, GROUP, group('g'));
    expect(await status(storage.create(t, USER, null as unknown as ScimObject))).toBe(400);
    expect(await status(storage.create(t, USER, [] as unknown as ScimObject))).toBe(400);
    expect(await status(storage.create(t, GROUP, group('x', { members: 'nope' })))).toBe(400);
    expect(await status(storage.create(t, GROUP, group('x', { members: [{ display: 'no value' }] })))).toBe(400);
    expect(await status(storage.updateMembers(t, GROUP, g.id, { remove: 'x' as unknown as string[] }))).toBe(400);
    let deep: unknown = 'x';
    for (let i = 0; i < 50_000; i++) deep = { d: deep };
    expect(await status(storage.create(t, USER, user('deep', { deep })))).toBe(400);
    expect(await storage.count(t, USER)).toBe(0);
  });

  it('a __proto__ key in a body is kept as data and pollutes nothing', async () => {
    const storage = new InMemoryStorage();
    const t = tenant('t', 'shared');
    const body = JSON.parse(`{"schemas":["${USER_SCHEMA_URI}"],"userName":"p","__proto__":{"isAdmin":true}}`) as ScimObject;
    const r = await storage.create(t, USER, body);
    expect((r as { isAdmin?: unknown }).isAdmin).toBeUndefined();
    expect(Object.getPrototypeOf(r)).toBe(Object.prototype);
    expect(({} as { isAdmin?: unknown }).isAdmin).toBeUndefined();
  });

  it('accepts an expectedVersion in strong form or *', async () => {
    const storage = new InMemoryStorage();
    const t = tenant('t', 'shared');
    const r = await storage.create(t, USER, user('u'));
    const r2 = await storage.replace(t, USER, r.id, user('u'), { expectedVersion: '"1"' });
    const r3 = await storage.replace(t, USER, r.id, user('u'), { expectedVersion: '*' });
    expect([r2.meta.version, r3.meta.version]).toEqual(['W/"2"', 'W/"3"']);
  });
});

describe('InMemoryStorage: indexes', () => {
  const N = 3000;

  async function big(): Promise<{ storage: InMemoryStorage; t: TenantContext; users: ScimResource[] }> {
    const storage = new InMemoryStorage();
    const t = tenant('big', 'strict');
    const users: ScimResource[] = [];
    for (let i = 0; i < N; i++) {
      users.push(await storage.create(t, USER, user(`User${i}`, { externalId: `ext-${i}`, active: i % 2 === 0 })));
    }
    return { storage, t, users };
  }

  async function run(storage: InMemoryStorage, t: TenantContext, filter: string, type: 'User' | 'Group' = 'User') {
    return storage.query(t, type === 'User' ? USER : GROUP, {
      schema: type === 'User' ? USERS : GROUPS,
      filter: parseFilter(filter),
      startIndex: 1,
      count: 100,
    });
  }

  it('userName and externalId equality evaluate the filter on the matching records only', async () => {
    const { storage, t, users } = await big();
    const r1 = await run(storage, t, 'userName eq "user1234"');
    expect(r1.resources.map((x) => x.id)).toEqual([users[1234]!.id]);
    expect(storage.stats.lastQueryEvaluated).toBe(1);
    const r2 = await run(storage, t, 'externalId eq "ext-77" and active eq false');
    expect(r2.resources.map((x) => x.id)).toEqual([users[77]!.id]);
    expect(storage.stats.lastQueryEvaluated).toBe(1);
    const r3 = await run(storage, t, 'active eq true and userName eq "USER2"');
    expect(r3.resources.map((x) => x.id)).toEqual([users[2]!.id]);
    expect(storage.stats.lastQueryEvaluated).toBe(1);
    expect((await run(storage, t, 'userName eq "nobody"')).totalResults).toBe(0);
    expect(storage.stats.lastQueryEvaluated).toBe(0);
  });

  it('id eq is answered from the table itself', async () => {
    const { storage, t, users } = await big();
    const r = await run(storage, t, `id eq "${users[42]!.id}" and active eq true`);
    expect(r.resources.map((x) => x.id)).toEqual([users[42]!.id]);
    expect(storage.stats.lastQueryEvaluated).toBe(1);
    expect((await run(storage, t, 'id eq "not-an-id"')).totalResults).toBe(0);
    expect(storage.stats.lastQueryEvaluated).toBe(0);
  });

  it('filters the index cannot narrow are evaluated on every record', async () => {
    const { storage, t } = await big();
    const r = await run(storage, t, 'userName eq "user1" or externalId eq "ext-2"');
    expect(r.totalResults).toBe(2);
    expect(storage.stats.lastQueryEvaluated).toBe(N);
    await run(storage, t, 'userName sw "user1"');
    expect(storage.stats.lastQueryEvaluated).toBe(N);
  });

  it('the index follows replaces and deletes', async () => {
    const { storage, t, users } = await big();
    await storage.replace(t, USER, users[5]!.id, user('renamed'));
    expect((await run(storage, t, 'userName eq "user5"')).totalResults).toBe(0);
    expect((await run(storage, t, 'userName eq "Renamed"')).resources.map((x) => x.id)).toEqual([users[5]!.id]);
    expect(storage.stats.lastQueryEvaluated).toBe(1);
    await storage.delete(t, USER, users[5]!.id);
    expect((await run(storage, t, 'userName eq "renamed"')).totalResults).toBe(0);
  });

  it('duplicate indexed values come back in creation order', async () => {
    const storage = new InMemoryStorage();
    const t = tenant('dups', 'shared');
    const made: string[] = [];
    for (let i = 0; i < 30; i++) made.push((await storage.create(t, GROUP, group(i % 3 === 0 ? 'Same' : `other${i}`))).id);
    await storage.replace(t, GROUP, made[0]!, group('moved'));
    await storage.replace(t, GROUP, made[0]!, group('SAME'));
    const r = await run(storage, t, 'displayName eq "same"', 'Group');
    expect(r.resources.map((x) => x.id)).toEqual(made.filter((_, i) => i % 3 === 0));
    expect(storage.stats.lastQueryEvaluated).toBe(10);
  });
});

describe('InMemoryStorage: large groups', () => {
  it('a member change on a large group reports only the delta and keeps the reverse index right', async () => {
    const storage = new InMemoryStorage();
    const t = tenant('lg', 'strict');
    const ids: string[] = [];
    for (let i = 0; i < 2000; i++) ids.push((await storage.create(t, USER, user(`m${i}`))).id);
    const g = await storage.create(t, GROUP, group('all', { members: ids.map((value) => ({ value })) }));
    const extra = await storage.create(t, USER, user('extra'));
    const r = await storage.updateMembers(t, GROUP, g.id, { add: [{ value: extra.id }], remove: [ids[0]!] });
    expect(r.added).toEqual([extra.id]);
    expect(r.removed).toEqual([ids[0]]);
    expect(r.resource.members).toBeUndefined();
    const full = await storage.get(t, GROUP, g.id);
    expect((full?.members as unknown[]).length).toBe(2000);
    expect((await storage.get(t, USER, ids[0]!))?.groups).toBeUndefined();
    expect((await storage.get(t, USER, extra.id))?.groups).toEqual([{ value: g.id, display: 'all', type: 'direct' }]);
  });
});
