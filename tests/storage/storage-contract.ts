import { v4 as uuidv4 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isScimError, type ScimError } from '../../src/error/scim-error.js';
import { parseFilter } from '../../src/query/filter-parser.js';
import type { SortSpec } from '../../src/query/ast.js';
import { ENTERPRISE_USER_SCHEMA, ENTERPRISE_USER_SCHEMA_URI } from '../../src/schema/enterprise-user-schema.js';
import { GROUP_SCHEMA, GROUP_SCHEMA_URI } from '../../src/schema/group-schema.js';
import { defineAttribute } from '../../src/schema/define-attribute.js';
import { createResourceSchema } from '../../src/schema/resource-schema.js';
import type { ResourceTypeModel } from '../../src/schema/membership.js';
import { GROUP_RESOURCE_TYPE, USER_RESOURCE_TYPE } from '../../src/schema/resource-types.js';
import { SchemaRegistry } from '../../src/schema/schema-registry.js';
import type { ScimObject, ScimResource } from '../../src/schema/types.js';
import { USER_SCHEMA, USER_SCHEMA_URI } from '../../src/schema/user-schema.js';
import type { StorageProvider, StorageQuery } from '../../src/storage/storage-provider.js';
import type { IsolationLevel } from '../../src/tenant/isolation-level.js';
import type { TenantContext } from '../../src/tenant/tenant-context.js';

/** Options of {@link describeStorageContract}. */
export interface StorageContractOptions {
  /** Isolation levels to run the suite for; default all three. */
  isolationLevels?: readonly IsolationLevel[];
}

const USER_SCHEMA_RT = createResourceSchema(USER_RESOURCE_TYPE, USER_SCHEMA, [{ schema: ENTERPRISE_USER_SCHEMA, required: false }]);
const GROUP_SCHEMA_RT = createResourceSchema(GROUP_RESOURCE_TYPE, GROUP_SCHEMA);

/** The User schema of a registry that also serves Teams: it defines the derived `teams` attribute. */
const USER_SCHEMA_RT_WITH_TEAMS = createResourceSchema(
  USER_RESOURCE_TYPE,
  {
    ...USER_SCHEMA,
    attributes: [
      ...USER_SCHEMA.attributes,
      defineAttribute('teams', 'complex', {
        multiValued: true,
        mutability: 'readOnly',
        subAttributes: [defineAttribute('value', 'string', { mutability: 'readOnly' }), defineAttribute('display', 'string', { mutability: 'readOnly' })],
      }),
    ],
  },
  [{ schema: ENTERPRISE_USER_SCHEMA, required: false }],
);

/** The models a server passes for the built-in types (Group holds Users and Groups; a User shows `groups`). */
const REGISTRY = new SchemaRegistry();
const USER = REGISTRY.model('User') as ResourceTypeModel;
const GROUP = REGISTRY.model('Group') as ResourceTypeModel;

/**
 * A container type of an integrator's own, as plain data: a Team holds Users and Groups in
 * `members`, and a User registered beside it shows its teams in `teams` (a Group does not).
 */
const TEAM: ResourceTypeModel = { name: 'Team', members: { attribute: 'members', memberTypes: ['User', 'Group'], displayAttribute: 'name' }, memberOf: [] };
const USER_IN_TEAMS: ResourceTypeModel = { ...USER, memberOf: [...USER.memberOf, { containerType: 'Team', attribute: 'teams', displayAttribute: 'name' }] };
/** A container type that may hold Users only. */
const CREW: ResourceTypeModel = { name: 'Crew', members: { attribute: 'crew', memberTypes: ['User'], displayAttribute: 'name' }, memberOf: [] };

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ALL_LEVELS: readonly IsolationLevel[] = ['strict', 'standard', 'shared'];

function user(userName: string, extra: ScimObject = {}): ScimObject {
  return { schemas: [USER_SCHEMA_URI], userName, ...extra };
}

function group(displayName: string, extra: ScimObject = {}): ScimObject {
  return { schemas: [GROUP_SCHEMA_URI], displayName, ...extra };
}

function userNameUnique(value: string) {
  return { unique: [{ keys: ['userName'], value, caseExact: false }] };
}

async function rejection(promise: Promise<unknown>): Promise<ScimError> {
  try {
    await promise;
  } catch (err) {
    if (isScimError(err)) return err;
    throw new Error(`expected a ScimError, got ${String(err)}`);
  }
  throw new Error('expected the call to fail, it succeeded');
}

async function expectScimError(promise: Promise<unknown>, status: number, scimType?: string): Promise<ScimError> {
  const err = await rejection(promise);
  expect(err.status).toBe(status);
  if (scimType !== undefined) expect(err.scimType).toBe(scimType);
  return err;
}

function versionOf(resource: ScimResource): number {
  const m = /^W\/"(\d+)"$/.exec(resource.meta.version);
  expect(m, `version ${resource.meta.version} is W/"n"`).not.toBeNull();
  return Number(m?.[1]);
}

/** `n` resources as a tuple, so `const [a, b] = await people(t, 2)` needs no checks. */
type People<N extends number, Acc extends ScimResource[] = []> = Acc['length'] extends N ? Acc : People<N, [...Acc, ScimResource]>;

function memberValues(resource: ScimResource | null): string[] {
  const members = resource?.members;
  if (members === undefined) return [];
  expect(Array.isArray(members)).toBe(true);
  return (members as { value: string }[]).map((m) => m.value).sort();
}

function groupValues(resource: ScimResource | null): string[] {
  const groups = resource?.groups;
  if (groups === undefined) return [];
  expect(Array.isArray(groups)).toBe(true);
  return (groups as { value: string }[]).map((g) => g.value).sort();
}

function statusCounts(results: PromiseSettledResult<unknown>[]): { ok: number; byStatus: Record<number, number> } {
  const byStatus: Record<number, number> = {};
  let ok = 0;
  for (const r of results) {
    if (r.status === 'fulfilled') ok++;
    else {
      const status = isScimError(r.reason) ? r.reason.status : -1;
      byStatus[status] = (byStatus[status] ?? 0) + 1;
    }
  }
  return { ok, byStatus };
}

/**
 * Declares the vitest suite every {@link StorageProvider} must pass: CRUD, versions, compare-and-set,
 * uniqueness, quotas, members, queries, tenant isolation and `dropTenant`. `makeStorage` is called
 * once; every test uses tenants of its own, dropped at the end.
 */
export function describeStorageContract(
  name: string,
  makeStorage: () => Promise<StorageProvider> | StorageProvider,
  options: StorageContractOptions = {},
): void {
  const levels = options.isolationLevels ?? ALL_LEVELS;

  describe(`StorageProvider contract: ${name}`, () => {
    let storage: StorageProvider;
    const used = new Set<string>();

    beforeAll(async () => {
      storage = await makeStorage();
    });

    afterAll(async () => {
      for (const id of used) await storage.dropTenant(id);
    });

    function tenantOf(level: IsolationLevel, label = 't'): TenantContext {
      const tenantId = `${label}-${level}-${uuidv4()}`;
      used.add(tenantId);
      return { tenantId, isolationLevel: level, permissions: {}, baseUrl: `https://example.test/${tenantId}/scim/v2` };
    }

    async function query(tenant: TenantContext, type: 'User' | 'Group', q: Partial<StorageQuery> & { filterText?: string } = {}) {
      const { filterText, ...rest } = q;
      return storage.query(tenant, type === 'User' ? USER : GROUP, {
        schema: type === 'User' ? USER_SCHEMA_RT : GROUP_SCHEMA_RT,
        startIndex: 1,
        count: 1000,
        ...(filterText !== undefined ? { filter: parseFilter(filterText) } : {}),
        ...rest,
      });
    }

    for (const level of levels) {
      describe(`${level} tenant`, () => {
        const tenant = (label?: string) => tenantOf(level, label);

        describe('CRUD', () => {
          it('create assigns a UUID v7 id and meta, keeps the attributes', async () => {
            const t = tenant();
            const created = await storage.create(t, USER, user('bjensen', { name: { givenName: 'Barbara', familyName: 'Jensen' }, active: true }));
            expect(created.id).toMatch(UUID_V7);
            expect(created.schemas).toEqual([USER_SCHEMA_URI]);
            expect(created.userName).toBe('bjensen');
            expect(created.name).toEqual({ givenName: 'Barbara', familyName: 'Jensen' });
            expect(created.active).toBe(true);
            expect(created.meta.resourceType).toBe('User');
            expect(created.meta.version).toBe('W/"1"');
            expect(new Date(created.meta.created).toISOString()).toBe(created.meta.created);
            expect(created.meta.lastModified).toBe(created.meta.created);
            const read = await storage.get(t, USER, created.id);
            expect(read).toEqual(created);
          });

          it('ignores id and meta in the body', async () => {
            const t = tenant();
            const created = await storage.create(
              t,
              USER,
              user('x', { id: 'chosen-by-client', meta: { version: 'W/"99"', created: '2000-01-01T00:00:00.000Z' } }),
            );
            expect(created.id).not.toBe('chosen-by-client');
            expect(created.meta.version).toBe('W/"1"');
            expect(created.meta.created).not.toBe('2000-01-01T00:00:00.000Z');
            expect(await storage.get(t, USER, 'chosen-by-client')).toBeNull();
          });

          it('get of an unknown id, or of an id under another resource type, is null', async () => {
            const t = tenant();
            const u = await storage.create(t, USER, user('u1'));
            expect(await storage.get(t, USER, uuidv4())).toBeNull();
            expect(await storage.get(t, GROUP, u.id)).toBeNull();
          });

          it('gives every resource its own id', async () => {
            const t = tenant();
            const ids = new Set<string>();
            for (let i = 0; i < 100; i++) ids.add((await storage.create(t, USER, user(`u${i}`))).id);
            expect(ids.size).toBe(100);
          });

          it('replace sets the whole body, keeps id and created, bumps the version', async () => {
            const t = tenant();
            const created = await storage.create(t, USER, user('a', { nickName: 'A', title: 'Boss' }));
            const replaced = await storage.replace(t, USER, created.id, user('a2', { nickName: 'B' }));
            expect(replaced.id).toBe(created.id);
            expect(replaced.userName).toBe('a2');
            expect(replaced.nickName).toBe('B');
            expect(replaced.title).toBeUndefined();
            expect(replaced.meta.created).toBe(created.meta.created);
            expect(replaced.meta.version).toBe('W/"2"');
            expect(Date.parse(replaced.meta.lastModified)).toBeGreaterThanOrEqual(Date.parse(created.meta.lastModified));
            expect(await storage.get(t, USER, created.id)).toEqual(replaced);
          });

          it('replace or delete of an unknown id is a 404', async () => {
            const t = tenant();
            await storage.create(t, USER, user('someone'));
            await expectScimError(storage.replace(t, USER, uuidv4(), user('x')), 404);
            await expectScimError(storage.delete(t, USER, uuidv4()), 404);
          });

          it('delete removes the resource; a second delete is a 404', async () => {
            const t = tenant();
            const a = await storage.create(t, USER, user('a'));
            const b = await storage.create(t, USER, user('b'));
            await storage.delete(t, USER, a.id);
            expect(await storage.get(t, USER, a.id)).toBeNull();
            expect(await storage.get(t, USER, b.id)).not.toBeNull();
            expect(await storage.count(t, USER)).toBe(1);
            await expectScimError(storage.delete(t, USER, a.id), 404);
          });

          it('count is per resource type', async () => {
            const t = tenant();
            expect(await storage.count(t, USER)).toBe(0);
            for (let i = 0; i < 3; i++) await storage.create(t, USER, user(`u${i}`));
            await storage.create(t, GROUP, group('g'));
            expect(await storage.count(t, USER)).toBe(3);
            expect(await storage.count(t, GROUP)).toBe(1);
          });

          it('callers cannot change stored state through returned objects or their own input', async () => {
            const t = tenant();
            const body = user('safe', { name: { givenName: 'Ann' }, emails: [{ value: 'ann@example.com', type: 'work' }] });
            const created = await storage.create(t, USER, body);
            (body.name as Record<string, unknown>).givenName = 'Changed';
            (body.emails as Record<string, unknown>[]).push({ value: 'other@example.com' });
            const attempts: (() => void)[] = [
              () => {
                (created as Record<string, unknown>).userName = 'hacked';
              },
              () => {
                (created.name as Record<string, unknown>).givenName = 'hacked';
              },
              () => {
                (created.emails as unknown[]).push({ value: 'hacked' });
              },
              () => {
                created.meta.version = 'W/"999"';
              },
            ];
            for (const attempt of attempts) {
              try {
                attempt();
              } catch {
                /* frozen objects refuse, which is as good */
              }
            }
            const read = await storage.get(t, USER, created.id);
            expect(read?.userName).toBe('safe');
            expect(read?.name).toEqual({ givenName: 'Ann' });
            expect(read?.emails).toEqual([{ value: 'ann@example.com', type: 'work' }]);
            expect(read?.meta.version).toBe('W/"1"');
            try {
              (read as Record<string, unknown>).userName = 'again';
            } catch {
              /* frozen */
            }
            expect((await storage.get(t, USER, created.id))?.userName).toBe('safe');
          });
        });

        describe('versions', () => {
          it('grow by one on every replace: W/"1", W/"2", ...', async () => {
            const t = tenant();
            let r = await storage.create(t, USER, user('v'));
            const seen = [versionOf(r)];
            for (let i = 0; i < 5; i++) {
              r = await storage.replace(t, USER, r.id, user('v', { nickName: `n${i}` }));
              seen.push(versionOf(r));
            }
            expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
          });

          it('are per resource', async () => {
            const t = tenant();
            const a = await storage.create(t, USER, user('a'));
            await storage.replace(t, USER, a.id, user('a'));
            const b = await storage.create(t, USER, user('b'));
            expect(b.meta.version).toBe('W/"1"');
          });
        });

        describe('compare-and-set', () => {
          it('replace with a stale expectedVersion is a 412 and changes nothing', async () => {
            const t = tenant();
            const r1 = await storage.create(t, USER, user('cas'));
            const r2 = await storage.replace(t, USER, r1.id, user('cas', { nickName: 'two' }), { expectedVersion: r1.meta.version });
            expect(r2.meta.version).toBe('W/"2"');
            await expectScimError(storage.replace(t, USER, r1.id, user('cas', { nickName: 'stale' }), { expectedVersion: r1.meta.version }), 412);
            const now = await storage.get(t, USER, r1.id);
            expect(now?.nickName).toBe('two');
            expect(now?.meta.version).toBe('W/"2"');
          });

          it('delete with a stale expectedVersion is a 412; with the current one it deletes', async () => {
            const t = tenant();
            const r1 = await storage.create(t, USER, user('d'));
            const r2 = await storage.replace(t, USER, r1.id, user('d'));
            await expectScimError(storage.delete(t, USER, r1.id, { expectedVersion: r1.meta.version }), 412);
            expect(await storage.get(t, USER, r1.id)).not.toBeNull();
            await storage.delete(t, USER, r1.id, { expectedVersion: r2.meta.version });
            expect(await storage.get(t, USER, r1.id)).toBeNull();
          });

          it('updateMembers with a stale expectedVersion is a 412', async () => {
            const t = tenant();
            const u = await storage.create(t, USER, user('m'));
            const g1 = await storage.create(t, GROUP, group('g'));
            await storage.replace(t, GROUP, g1.id, group('g2'));
            await expectScimError(storage.updateMembers(t, GROUP, g1.id, { add: [{ value: u.id, type: 'User' }] }, { expectedVersion: g1.meta.version }), 412);
            expect(memberValues(await storage.get(t, GROUP, g1.id))).toEqual([]);
          });

          it('50 concurrent replaces with the same expectedVersion: exactly one wins', async () => {
            const t = tenant();
            const r = await storage.create(t, USER, user('race'));
            const results = await Promise.allSettled(
              Array.from({ length: 50 }, (_, i) => storage.replace(t, USER, r.id, user('race', { nickName: `w${i}` }), { expectedVersion: r.meta.version })),
            );
            const { ok, byStatus } = statusCounts(results);
            expect(ok).toBe(1);
            expect(byStatus).toEqual({ 412: 49 });
            const winner = results.find((x): x is PromiseFulfilledResult<ScimResource> => x.status === 'fulfilled');
            const now = await storage.get(t, USER, r.id);
            expect(now?.meta.version).toBe('W/"2"');
            expect(now?.nickName).toBe(winner?.value.nickName);
          });

          it('50 concurrent deletes with the same expectedVersion: exactly one succeeds', async () => {
            const t = tenant();
            const r = await storage.create(t, USER, user('race'));
            const results = await Promise.allSettled(Array.from({ length: 50 }, () => storage.delete(t, USER, r.id, { expectedVersion: r.meta.version })));
            const { ok, byStatus } = statusCounts(results);
            expect(ok).toBe(1);
            expect((byStatus[412] ?? 0) + (byStatus[404] ?? 0)).toBe(49);
            expect(await storage.count(t, USER)).toBe(0);
          });
        });

        describe('uniqueness', () => {
          it('refuses a userName that differs only in case, with a 409 naming the attribute', async () => {
            const t = tenant();
            await storage.create(t, USER, user('BJensen'), userNameUnique('BJensen'));
            const err = await expectScimError(storage.create(t, USER, user('bjensen'), userNameUnique('bjensen')), 409, 'uniqueness');
            expect(err.detail).toContain('userName');
            expect(await storage.count(t, USER)).toBe(1);
          });

          it('compares the NFC text it is given exactly after case folding: non-ASCII case folds, fullwidth letters stay other letters', async () => {
            // The server stores identifying text in NFC and normalises filter literals the same way;
            // a storage compares what it is given, folding case and nothing else.
            const t = tenant();
            await storage.create(t, USER, user('\u00c1dmin'), userNameUnique('\u00c1dmin'));
            await expectScimError(storage.create(t, USER, user('\u00e1DMIN'), userNameUnique('\u00e1DMIN')), 409, 'uniqueness');
            await storage.create(t, USER, user('\uff41dmin'), userNameUnique('\uff41dmin'));
            await storage.create(t, USER, user('admin'), userNameUnique('admin'));
            const names = async (filterText: string) => (await query(t, 'User', { filterText })).resources.map((r) => r.userName);
            expect(await names('userName eq "\u00e1dmin"')).toEqual(['\u00c1dmin']);
            expect(await names('userName eq "admin"')).toEqual(['admin']);
            expect(await names('userName eq "\uff41dmin"')).toEqual(['\uff41dmin']);
            expect(await storage.count(t, USER)).toBe(3);
          });

          it('with caseExact, values differing in case are distinct', async () => {
            const t = tenant();
            const c = (v: string) => ({ unique: [{ keys: ['externalId'], value: v, caseExact: true }] });
            await storage.create(t, USER, user('a', { externalId: 'Ext-1' }), c('Ext-1'));
            await storage.create(t, USER, user('b', { externalId: 'ext-1' }), c('ext-1'));
            await expectScimError(storage.create(t, USER, user('c', { externalId: 'Ext-1' }), c('Ext-1')), 409, 'uniqueness');
          });

          it('checks attributes below the root, extension attributes included', async () => {
            const t = tenant();
            const c = (v: string) => ({ unique: [{ keys: [ENTERPRISE_USER_SCHEMA_URI, 'employeeNumber'], value: v, caseExact: false }] });
            await storage.create(t, USER, user('a', { [ENTERPRISE_USER_SCHEMA_URI]: { employeeNumber: 'E1' } }), c('E1'));
            await storage.create(t, USER, user('b', { [ENTERPRISE_USER_SCHEMA_URI]: { employeeNumber: 'E2' } }), c('E2'));
            const err = await expectScimError(storage.create(t, USER, user('c', { [ENTERPRISE_USER_SCHEMA_URI]: { employeeNumber: 'e1' } }), c('e1')), 409);
            expect(err.detail).toContain('employeeNumber');
          });

          it('the same value in another tenant is fine', async () => {
            const a = tenant('a');
            const b = tenant('b');
            await storage.create(a, USER, user('shared-name'), userNameUnique('shared-name'));
            const inB = await storage.create(b, USER, user('Shared-Name'), userNameUnique('Shared-Name'));
            expect(inB.userName).toBe('Shared-Name');
          });

          it('on replace a resource does not conflict with itself, but does with others', async () => {
            const t = tenant();
            const a = await storage.create(t, USER, user('alice'), userNameUnique('alice'));
            await storage.create(t, USER, user('bob'), userNameUnique('bob'));
            const same = await storage.replace(t, USER, a.id, user('ALICE'), userNameUnique('ALICE'));
            expect(same.userName).toBe('ALICE');
            await expectScimError(storage.replace(t, USER, a.id, user('Bob'), userNameUnique('Bob')), 409, 'uniqueness');
            expect((await storage.get(t, USER, a.id))?.userName).toBe('ALICE');
          });

          it('frees a value when its holder is deleted or renamed', async () => {
            const t = tenant();
            const a = await storage.create(t, USER, user('one'), userNameUnique('one'));
            const b = await storage.create(t, USER, user('two'), userNameUnique('two'));
            await storage.delete(t, USER, a.id);
            await storage.create(t, USER, user('One'), userNameUnique('One'));
            await storage.replace(t, USER, b.id, user('three'), userNameUnique('three'));
            await storage.create(t, USER, user('TWO'), userNameUnique('TWO'));
            expect(await storage.count(t, USER)).toBe(3);
          });

          it('concurrent creates of the same userName: exactly one succeeds', async () => {
            const t = tenant();
            const names = Array.from({ length: 30 }, (_, i) => (i % 2 ? 'Racer' : 'racer'));
            const results = await Promise.allSettled(names.map((n) => storage.create(t, USER, user(n), userNameUnique(n))));
            const { ok, byStatus } = statusCounts(results);
            expect(ok).toBe(1);
            expect(byStatus).toEqual({ 409: 29 });
            expect(await storage.count(t, USER)).toBe(1);
          });
        });

        describe('quotas', () => {
          it('100 concurrent creates with 10 slots left: exactly 10 succeed, 90 get a 403 naming the quota', async () => {
            const t = tenant();
            for (let i = 0; i < 5; i++) await storage.create(t, USER, user(`pre${i}`));
            const quota = { maxCount: 15, quotaName: 'maxUsers' };
            const results = await Promise.allSettled(Array.from({ length: 100 }, (_, i) => storage.create(t, USER, user(`q${i}`), quota)));
            const { ok, byStatus } = statusCounts(results);
            expect(ok).toBe(10);
            expect(byStatus).toEqual({ 403: 90 });
            const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
            expect((refused?.reason as ScimError).detail).toContain('maxUsers');
            expect(await storage.count(t, USER)).toBe(15);
          });

          it('counts only the tenant and the resource type; a delete frees a slot', async () => {
            const t = tenant();
            const other = tenant('other');
            for (let i = 0; i < 3; i++) await storage.create(other, USER, user(`o${i}`));
            await storage.create(t, GROUP, group('g'));
            const quota = { maxCount: 2, quotaName: 'maxUsers' };
            const a = await storage.create(t, USER, user('a'), quota);
            await storage.create(t, USER, user('b'), quota);
            await expectScimError(storage.create(t, USER, user('c'), quota), 403);
            await storage.delete(t, USER, a.id);
            await storage.create(t, USER, user('c'), quota);
            expect(await storage.count(t, USER)).toBe(2);
          });
        });

        describe('members', () => {
          async function people<N extends number>(t: TenantContext, n: N): Promise<People<N>> {
            const out: ScimResource[] = [];
            for (let i = 0; i < n; i++) out.push(await storage.create(t, USER, user(`p${i}`)));
            return out as People<N>;
          }

          it('a Group body sets the member set (duplicates count once); users show their groups', async () => {
            const t = tenant();
            const [a, b] = await people(t, 2);
            const g = await storage.create(
              t,
              GROUP,
              group('Admins', { members: [{ value: a.id, type: 'User' }, { value: b.id, type: 'User', display: 'p1' }, { value: a.id }] }),
            );
            expect(memberValues(g)).toEqual([a.id, b.id].sort());
            const read = await storage.get(t, GROUP, g.id);
            expect(memberValues(read)).toEqual([a.id, b.id].sort());
            const bRef = (read?.members as { value: string; type?: string; display?: string }[]).find((m) => m.value === b.id);
            expect(bRef).toMatchObject({ value: b.id, type: 'User', display: 'p1' });
            const ua = await storage.get(t, USER, a.id);
            expect(ua?.groups).toEqual([{ value: g.id, display: 'Admins', type: 'direct' }]);
          });

          it('ignores groups in a User body', async () => {
            const t = tenant();
            const g = await storage.create(t, GROUP, group('real'));
            const u = await storage.create(t, USER, user('u', { groups: [{ value: g.id, display: 'real' }] }));
            expect(u.groups).toBeUndefined();
            expect(memberValues(await storage.get(t, GROUP, g.id))).toEqual([]);
            const r = await storage.replace(t, USER, u.id, user('u', { groups: [{ value: g.id }] }));
            expect(r.groups).toBeUndefined();
          });

          it('excludeMembers leaves the members out', async () => {
            const t = tenant();
            const [a] = await people(t, 1);
            const g = await storage.create(t, GROUP, group('g', { members: [{ value: a.id, type: 'User' }] }));
            const read = await storage.get(t, GROUP, g.id, { excludeMembers: true });
            expect(read?.members).toBeUndefined();
            expect(read?.displayName).toBe('g');
          });

          it('updateMembers adds and removes with set semantics and reports the net change', async () => {
            const t = tenant();
            const [a, b, c] = await people(t, 3);
            const g = await storage.create(t, GROUP, group('g', { members: [{ value: a.id, type: 'User' }] }));
            const r1 = await storage.updateMembers(t, GROUP, g.id, {
              add: [
                { value: a.id, type: 'User' },
                { value: b.id, type: 'User' },
                { value: b.id, type: 'User' },
              ],
            });
            expect(r1.added).toEqual([b.id]);
            expect(r1.removed).toEqual([]);
            expect(r1.resource.meta.version).toBe('W/"2"');
            expect(r1.resource.id).toBe(g.id);
            const r2 = await storage.updateMembers(t, GROUP, g.id, { remove: [a.id, c.id] });
            expect(r2.added).toEqual([]);
            expect(r2.removed).toEqual([a.id]);
            expect(r2.resource.meta.version).toBe('W/"3"');
            expect(memberValues(await storage.get(t, GROUP, g.id))).toEqual([b.id]);
            expect(groupValues(await storage.get(t, USER, a.id))).toEqual([]);
            expect(groupValues(await storage.get(t, USER, b.id))).toEqual([g.id]);
          });

          it('a change that changes nothing keeps the version', async () => {
            const t = tenant();
            const [a, b] = await people(t, 2);
            const g = await storage.create(t, GROUP, group('g', { members: [{ value: a.id, type: 'User' }] }));
            const r = await storage.updateMembers(t, GROUP, g.id, { add: [{ value: a.id, type: 'User' }], remove: [b.id] });
            expect(r.added).toEqual([]);
            expect(r.removed).toEqual([]);
            expect(r.resource.meta.version).toBe(g.meta.version);
            expect((await storage.get(t, GROUP, g.id))?.meta).toEqual(g.meta);
          });

          it('removeAll empties the set before adding', async () => {
            const t = tenant();
            const [a, b, c] = await people(t, 3);
            const g = await storage.create(t, GROUP, group('g', { members: [{ value: a.id }, { value: b.id }] }));
            const r = await storage.updateMembers(t, GROUP, g.id, { removeAll: true, add: [{ value: b.id }, { value: c.id }] });
            expect(r.added).toEqual([c.id]);
            expect(r.removed).toEqual([a.id]);
            expect(memberValues(await storage.get(t, GROUP, g.id))).toEqual([b.id, c.id].sort());
          });

          it('updateMembers on an unknown group, or on a User id, is a 404', async () => {
            const t = tenant();
            const [a] = await people(t, 1);
            await expectScimError(storage.updateMembers(t, GROUP, uuidv4(), { add: [{ value: a.id }] }), 404);
            await expectScimError(storage.updateMembers(t, GROUP, a.id, { remove: [a.id] }), 404);
          });

          it('replace without members empties the set; with memberDelta it applies the delta and ignores body.members', async () => {
            const t = tenant();
            const [a, b, c] = await people(t, 3);
            const g = await storage.create(t, GROUP, group('g', { members: [{ value: a.id }, { value: b.id }] }));
            const r1 = await storage.replace(t, GROUP, g.id, group('g1', { members: [{ value: a.id }, { value: b.id }] }), {
              memberDelta: { add: [{ value: c.id, type: 'User' }], remove: [a.id] },
            });
            expect(r1.displayName).toBe('g1');
            expect(memberValues(r1)).toEqual([b.id, c.id].sort());
            expect(r1.meta.version).toBe('W/"2"');
            const r2 = await storage.replace(t, GROUP, g.id, group('g2'));
            expect(memberValues(r2)).toEqual([]);
            expect(memberValues(await storage.get(t, GROUP, g.id))).toEqual([]);
            expect(groupValues(await storage.get(t, USER, b.id))).toEqual([]);
            const r3 = await storage.replace(t, GROUP, g.id, group('g3', { members: [{ value: a.id }] }));
            expect(memberValues(r3)).toEqual([a.id]);
            expect(groupValues(await storage.get(t, USER, a.id))).toEqual([g.id]);
          });

          it('deleting a member takes it out of every group and bumps those groups', async () => {
            const t = tenant();
            const [a, b] = await people(t, 2);
            const g1 = await storage.create(t, GROUP, group('g1', { members: [{ value: a.id }, { value: b.id }] }));
            const g2 = await storage.create(t, GROUP, group('g2', { members: [{ value: a.id }] }));
            const outcome = await storage.delete(t, USER, a.id);
            const r1 = await storage.get(t, GROUP, g1.id);
            const r2 = await storage.get(t, GROUP, g2.id);
            // The delete reports each group it changed, with the version the group now has: the
            // server audits those changes as changes of their own.
            const reported = [...(outcome?.containers ?? [])].sort((x, y) => x.id.localeCompare(y.id));
            expect(reported).toEqual(
              [
                { resourceType: 'Group', id: g1.id, version: r1?.meta.version },
                { resourceType: 'Group', id: g2.id, version: r2?.meta.version },
              ].sort((x, y) => x.id.localeCompare(y.id)),
            );
            expect((await storage.delete(t, USER, b.id))?.containers).toEqual([
              { resourceType: 'Group', id: g1.id, version: (await storage.get(t, GROUP, g1.id))?.meta.version },
            ]);
            expect((await storage.delete(t, GROUP, g2.id))?.containers).toEqual([]);
            expect(memberValues(r1)).toEqual([b.id]);
            expect(memberValues(r2)).toEqual([]);
            expect(versionOf(r1 as ScimResource)).toBeGreaterThan(versionOf(g1));
            expect(versionOf(r2 as ScimResource)).toBeGreaterThan(versionOf(g2));
            expect(await storage.get(t, USER, a.id)).toBeNull();
          });

          it('deleting a group removes it from its members and from groups that contain it', async () => {
            const t = tenant();
            const [a] = await people(t, 1);
            const inner = await storage.create(t, GROUP, group('inner', { members: [{ value: a.id, type: 'User' }] }));
            const outer = await storage.create(t, GROUP, group('outer', { members: [{ value: inner.id, type: 'Group' }] }));
            expect(memberValues(await storage.get(t, GROUP, outer.id))).toEqual([inner.id]);
            await storage.delete(t, GROUP, inner.id);
            expect((await storage.get(t, USER, a.id))?.groups).toBeUndefined();
            expect(memberValues(await storage.get(t, GROUP, outer.id))).toEqual([]);
          });

          it("a user's groups show the group's current displayName", async () => {
            const t = tenant();
            const [a] = await people(t, 1);
            const g = await storage.create(t, GROUP, group('Before', { members: [{ value: a.id }] }));
            await storage.replace(t, GROUP, g.id, group('After', { members: [{ value: a.id }] }));
            expect((await storage.get(t, USER, a.id))?.groups).toEqual([{ value: g.id, display: 'After', type: 'direct' }]);
          });

          it('maxMembers refuses growth past the limit with a 403 naming maxMembersPerGroup; removals still work', async () => {
            const t = tenant();
            const ps = await people(t, 4);
            const refs = ps.map((p) => ({ value: p.id, type: 'User' }));
            const err = await expectScimError(storage.create(t, GROUP, group('big', { members: refs }), { maxMembers: 3 }), 403);
            expect(err.detail).toContain('maxMembersPerGroup');
            expect(await storage.count(t, GROUP)).toBe(0);
            const g = await storage.create(t, GROUP, group('g', { members: refs.slice(0, 2) }), { maxMembers: 3 });
            await storage.updateMembers(t, GROUP, g.id, { add: [refs[2]!] }, { maxMembers: 3 });
            const e2 = await expectScimError(storage.updateMembers(t, GROUP, g.id, { add: [refs[3]!] }, { maxMembers: 3 }), 403);
            expect(e2.detail).toContain('maxMembersPerGroup');
            await expectScimError(storage.replace(t, GROUP, g.id, group('g', { members: refs }), { maxMembers: 3 }), 403);
            expect(memberValues(await storage.get(t, GROUP, g.id))).toHaveLength(3);
            const r = await storage.updateMembers(t, GROUP, g.id, { remove: [refs[0]!.value] }, { maxMembers: 1 });
            expect(r.removed).toEqual([refs[0]!.value]);
          });

          it('a member change is all or nothing', async () => {
            const t = tenant();
            const [a, b] = await people(t, 2);
            const g = await storage.create(t, GROUP, group('g', { members: [{ value: a.id }] }));
            await rejection(storage.updateMembers(t, GROUP, g.id, { remove: [a.id], add: [{ value: b.id }, { value: uuidv4() }] }));
            expect(memberValues(await storage.get(t, GROUP, g.id))).toEqual([a.id]);
            expect((await storage.get(t, GROUP, g.id))?.meta.version).toBe(g.meta.version);
          });

          describe('membership comes from the resource type model, not from type names', () => {
            function team(name: string, extra: ScimObject = {}): ScimObject {
              return { schemas: ['urn:example:params:scim:schemas:Team'], name, ...extra };
            }

            it('a type of its own holds members of several types; its members show it in their reverse attribute', async () => {
              const t = tenant();
              const [a] = await people(t, 1);
              const g = await storage.create(t, GROUP, group('g'));
              const tm = await storage.create(t, TEAM, team('Blue', { members: [{ value: a.id }, { value: g.id, type: 'Group' }] }));
              expect(memberValues(tm)).toEqual([a.id, g.id].sort());
              const read = await storage.get(t, TEAM, tm.id);
              expect(read?.meta.resourceType).toBe('Team');
              expect((read?.members as { value: string; type?: string }[]).find((m) => m.value === a.id)?.type).toBe('User');
              expect((await storage.get(t, USER_IN_TEAMS, a.id))?.teams).toEqual([{ value: tm.id, display: 'Blue', type: 'direct' }]);
              // the model decides what a read shows: without the Team relation a User shows no teams
              expect((await storage.get(t, USER, a.id))?.teams).toBeUndefined();
              expect((await storage.get(t, GROUP, g.id))?.teams).toBeUndefined();
              expect(await storage.get(t, GROUP, tm.id)).toBeNull();
            });

            it('member deltas, member limits and deletes work for it as for a Group', async () => {
              const t = tenant();
              const [a, b, c] = await people(t, 3);
              const tm = await storage.create(t, TEAM, team('t', { members: [{ value: a.id }] }));
              const r = await storage.updateMembers(t, TEAM, tm.id, { add: [{ value: b.id }], remove: [a.id] });
              expect(r.added).toEqual([b.id]);
              expect(r.removed).toEqual([a.id]);
              expect(versionOf(r.resource)).toBe(versionOf(tm) + 1);
              await expectScimError(storage.updateMembers(t, TEAM, tm.id, { add: [{ value: c.id }] }, { maxMembers: 1 }), 403);
              await storage.delete(t, USER, b.id);
              const after = await storage.get(t, TEAM, tm.id);
              expect(memberValues(after)).toEqual([]);
              expect(versionOf(after as ScimResource)).toBe(versionOf(r.resource) + 1);
            });

            it('refuses members of a type the container does not allow, and ids of nothing', async () => {
              const t = tenant();
              const [a] = await people(t, 1);
              const g = await storage.create(t, GROUP, group('g'));
              await expectScimError(storage.create(t, CREW, team('c', { crew: [{ value: g.id }] })), 400, 'invalidValue');
              const crew = await storage.create(t, CREW, team('c', { crew: [{ value: a.id }] }));
              expect(memberValues({ ...crew, members: crew.crew } as ScimResource)).toEqual([a.id]);
              await expectScimError(storage.updateMembers(t, CREW, crew.id, { add: [{ value: g.id }] }), 400, 'invalidValue');
              await expectScimError(storage.updateMembers(t, TEAM, crew.id, { add: [{ value: uuidv4() }] }), 404);
              expect(await storage.count(t, CREW)).toBe(1);
            });

            it('ignores a body value for a derived reverse attribute, and refuses a member change on a type that holds none', async () => {
              const t = tenant();
              const [a] = await people(t, 1);
              const tm = await storage.create(t, TEAM, team('t'));
              const replaced = await storage.replace(t, USER_IN_TEAMS, a.id, user('p0', { teams: [{ value: tm.id }] }));
              expect(replaced.teams).toBeUndefined();
              expect(memberValues(await storage.get(t, TEAM, tm.id))).toEqual([]);
              await expect(storage.updateMembers(t, USER, a.id, { add: [{ value: tm.id }] })).rejects.toThrow();
            });

            it('filters see the reverse attribute the model declares', async () => {
              const t = tenant();
              const [a, b] = await people(t, 2);
              const tm = await storage.create(t, TEAM, team('t', { members: [{ value: a.id }] }));
              const r = await storage.query(t, USER_IN_TEAMS, {
                schema: USER_SCHEMA_RT_WITH_TEAMS,
                filter: parseFilter(`teams.value eq "${tm.id}"`),
                startIndex: 1,
                count: 10,
              });
              expect(r.resources.map((x) => x.id)).toEqual([a.id]);
              expect(r.resources[0]?.teams).toEqual([{ value: tm.id, display: 't', type: 'direct' }]);
              expect(b.id).not.toBe(a.id);
            });
          });
        });

        describe('queries', () => {
          async function seedUsers(t: TenantContext): Promise<ScimResource[]> {
            const rows: [string, string, string, string][] = [
              ['bjensen', 'Jensen', 'bjensen@example.com', 'e-1'],
              ['jsmith', 'Smith', 'jsmith@example.org', 'e-2'],
              ['Adoe', 'Doe', 'adoe@example.com', 'E-3'],
              ['mjackson', 'Jackson', 'mj@example.com', 'e-4'],
              ['zed', 'Zimmerman', 'zed@example.net', 'e-5'],
            ];
            const out: ScimResource[] = [];
            for (const [userName, familyName, email, externalId] of rows) {
              out.push(
                await storage.create(
                  t,
                  USER,
                  user(userName, { externalId, name: { familyName }, emails: [{ value: email, type: 'work' }], active: userName !== 'zed' }),
                ),
              );
            }
            return out;
          }

          it('with no filter returns everything in creation order', async () => {
            const t = tenant();
            const users = await seedUsers(t);
            const r = await query(t, 'User');
            expect(r.totalResults).toBe(5);
            expect(r.resources.map((x) => x.id)).toEqual(users.map((u) => u.id));
          });

          it('userName eq matches case-insensitively', async () => {
            const t = tenant();
            const users = await seedUsers(t);
            const r = await query(t, 'User', { filterText: 'userName eq "BJENSEN"' });
            expect(r.totalResults).toBe(1);
            expect(r.resources[0]!.id).toBe(users[0]!.id);
          });

          it('externalId eq matches exactly', async () => {
            const t = tenant();
            const users = await seedUsers(t);
            expect((await query(t, 'User', { filterText: 'externalId eq "E-3"' })).resources.map((x) => x.id)).toEqual([users[2]!.id]);
            expect((await query(t, 'User', { filterText: 'externalId eq "e-3"' })).totalResults).toBe(0);
          });

          it('evaluates compound filters, sub-attributes and value paths', async () => {
            const t = tenant();
            const users = await seedUsers(t);
            const ids = async (f: string) => (await query(t, 'User', { filterText: f })).resources.map((x) => x.userName);
            expect(await ids('name.familyName sw "J"')).toEqual(['bjensen', 'mjackson']);
            expect(await ids('emails[type eq "work" and value ew "example.com"]')).toEqual(['bjensen', 'Adoe', 'mjackson']);
            expect(await ids('userName eq "jsmith" or active eq false')).toEqual(['jsmith', 'zed']);
            expect(await ids('not (emails.value co "example.com") and userName pr')).toEqual(['jsmith', 'zed']);
            expect(users).toHaveLength(5);
          });

          it('sorts ascending and descending', async () => {
            const t = tenant();
            await seedUsers(t);
            const sort = (order: SortSpec['order']): SortSpec => ({ path: { attr: 'userName' }, order });
            const asc = (await query(t, 'User', { sort: sort('ascending') })).resources.map((x) => x.userName);
            const desc = (await query(t, 'User', { sort: sort('descending') })).resources.map((x) => x.userName);
            expect(asc).toEqual(['Adoe', 'bjensen', 'jsmith', 'mjackson', 'zed']);
            expect(desc).toEqual([...asc].reverse());
          });

          it('pages with a 1-based startIndex; count 0 returns only the total', async () => {
            const t = tenant();
            const users = await seedUsers(t);
            const page = await query(t, 'User', { startIndex: 2, count: 2 });
            expect(page.totalResults).toBe(5);
            expect(page.resources.map((x) => x.id)).toEqual([users[1]!.id, users[2]!.id]);
            const none = await query(t, 'User', { count: 0 });
            expect(none).toEqual({ resources: [], totalResults: 5 });
            const filteredNone = await query(t, 'User', { count: 0, filterText: 'active eq true' });
            expect(filteredNone).toEqual({ resources: [], totalResults: 4 });
            const beyond = await query(t, 'User', { startIndex: 9, count: 5 });
            expect(beyond).toEqual({ resources: [], totalResults: 5 });
          });

          it('pages concatenate to the full result, in a stable order, for any page size', async () => {
            const t = tenant();
            for (let i = 0; i < 23; i++) await storage.create(t, USER, user(`user${i % 7}-${i}`, { title: i % 3 === 0 ? 'same' : `t${i % 4}` }));
            for (const base of [{}, { sort: { path: { attr: 'title' }, order: 'ascending' } as SortSpec }, { filterText: 'title ne "t1"' }]) {
              const all = (await query(t, 'User', { ...base, count: 1000 })).resources.map((x) => x.id);
              for (const count of [1, 2, 3, 5, 7, 10, 23, 50]) {
                const seen: string[] = [];
                for (let start = 1; start <= all.length; start += count) {
                  const page = await query(t, 'User', { ...base, startIndex: start, count });
                  expect(page.totalResults).toBe(all.length);
                  seen.push(...page.resources.map((x) => x.id));
                }
                expect(seen).toEqual(all);
              }
            }
          });

          it('Group displayName eq is case-insensitive, and results carry members unless excluded', async () => {
            const t = tenant();
            const u = await storage.create(t, USER, user('member'));
            const g = await storage.create(t, GROUP, group('Engineering', { members: [{ value: u.id, type: 'User' }] }));
            await storage.create(t, GROUP, group('Sales'));
            const r = await query(t, 'Group', { filterText: 'displayName eq "engineering"' });
            expect(r.resources.map((x) => x.id)).toEqual([g.id]);
            expect(memberValues(r.resources[0]!)).toEqual([u.id]);
            const slim = await query(t, 'Group', { filterText: 'displayName eq "engineering"', excludeMembers: true });
            expect(slim.resources[0]!.members).toBeUndefined();
          });

          it('filters groups on their members', async () => {
            const t = tenant();
            const u = await storage.create(t, USER, user('member'));
            const g = await storage.create(t, GROUP, group('With', { members: [{ value: u.id, type: 'User' }] }));
            await storage.create(t, GROUP, group('Without'));
            const r = await query(t, 'Group', { filterText: `members[value eq "${u.id}"]`, excludeMembers: true });
            expect(r.resources.map((x) => x.id)).toEqual([g.id]);
            expect(r.resources[0]!.members).toBeUndefined();
          });

          it('filters users on the groups they belong to', async () => {
            const t = tenant();
            const a = await storage.create(t, USER, user('a'));
            await storage.create(t, USER, user('b'));
            const c = await storage.create(t, USER, user('c'));
            const g = await storage.create(t, GROUP, group('G', { members: [{ value: a.id }, { value: c.id }] }));
            const r = await query(t, 'User', { filterText: `groups.value eq "${g.id}"` });
            expect(r.resources.map((x) => x.id)).toEqual([a.id, c.id]);
            expect(groupValues(r.resources[0]!)).toEqual([g.id]);
          });

          it('an unknown attribute in the filter is a 400 invalidFilter or matches nothing, never an error of another kind', async () => {
            const t = tenant();
            await seedUsers(t);
            try {
              const r = await query(t, 'User', { filterText: 'noSuchAttribute eq "x"' });
              expect(r.totalResults).toBe(0);
            } catch (err) {
              expect(isScimError(err) && err.status === 400 && err.scimType === 'invalidFilter').toBe(true);
            }
          });
        });

        it('dropTenant deletes everything of the tenant and nothing else', async () => {
          const a = tenant('a');
          const b = tenant('b');
          const ua = await storage.create(a, USER, user('same'), userNameUnique('same'));
          const ga = await storage.create(a, GROUP, group('g', { members: [{ value: ua.id }] }));
          const ub = await storage.create(b, USER, user('same'), userNameUnique('same'));
          const gb = await storage.create(b, GROUP, group('g', { members: [{ value: ub.id }] }));
          await storage.dropTenant(a.tenantId);
          expect(await storage.get(a, USER, ua.id)).toBeNull();
          expect(await storage.get(a, GROUP, ga.id)).toBeNull();
          expect(await storage.count(a, USER)).toBe(0);
          expect((await query(a, 'User')).totalResults).toBe(0);
          expect(memberValues(await storage.get(b, GROUP, gb.id))).toEqual([ub.id]);
          expect((await storage.get(b, USER, ub.id))?.groups).toEqual([{ value: gb.id, display: 'g', type: 'direct' }]);
          // the tenant can start again, and its old unique values are free
          const again = await storage.create(a, USER, user('same'), userNameUnique('same'));
          expect(again.meta.version).toBe('W/"1"');
          expect(await storage.count(a, USER)).toBe(1);
        });
      });
    }

    describe('tenant isolation', () => {
      for (const la of levels) {
        for (const lb of levels) {
          it(`a ${la} tenant never sees or changes a ${lb} tenant's resources`, async () => {
            const a = tenantOf(la, 'a');
            const b = tenantOf(lb, 'b');
            const ub = await storage.create(b, USER, user('victim', { externalId: 'x-1' }), userNameUnique('victim'));
            const gb = await storage.create(b, GROUP, group('victims', { members: [{ value: ub.id, type: 'User' }] }));
            const ua = await storage.create(a, USER, user('own'));

            expect(await storage.get(a, USER, ub.id)).toBeNull();
            expect(await storage.get(a, GROUP, gb.id)).toBeNull();
            await expectScimError(storage.replace(a, USER, ub.id, user('hijack')), 404);
            await expectScimError(storage.replace(a, GROUP, gb.id, group('hijack')), 404);
            await expectScimError(storage.delete(a, USER, ub.id), 404);
            await expectScimError(storage.delete(a, GROUP, gb.id), 404);
            await expectScimError(storage.updateMembers(a, GROUP, gb.id, { removeAll: true }), 404);
            expect((await storage.get(b, USER, ub.id))?.groups).toEqual([{ value: gb.id, display: 'victims', type: 'direct' }]);
            expect(await storage.count(a, USER)).toBe(1);
            expect(await storage.count(a, GROUP)).toBe(0);
            expect((await query(a, 'User')).resources.map((x) => x.id)).toEqual([ua.id]);
            expect((await query(a, 'User', { filterText: 'userName eq "victim"' })).totalResults).toBe(0);
            expect((await query(a, 'User', { filterText: 'externalId eq "x-1"' })).totalResults).toBe(0);
            expect((await query(a, 'Group', { filterText: 'displayName eq "victims"' })).totalResults).toBe(0);
            // the same unique value is free in A
            await storage.create(a, USER, user('Victim'), userNameUnique('Victim'));

            // A's group cannot take B's user as a member, or at least never shows it either way
            const ga = await storage.create(a, GROUP, group('mine'));
            try {
              await storage.updateMembers(a, GROUP, ga.id, { add: [{ value: ub.id, type: 'User' }] });
            } catch (err) {
              expect(isScimError(err) && err.status >= 400 && err.status < 500).toBe(true);
            }
            expect(memberValues(await storage.get(a, GROUP, ga.id))).not.toContain(ub.id);
            expect(groupValues(await storage.get(b, USER, ub.id))).toEqual([gb.id]);

            const bUser = await storage.get(b, USER, ub.id);
            expect(bUser?.userName).toBe('victim');
            expect(bUser?.meta.version).toBe('W/"1"');
            expect(memberValues(await storage.get(b, GROUP, gb.id))).toEqual([ub.id]);
            expect(await storage.count(b, USER)).toBe(1);

            await storage.dropTenant(a.tenantId);
            expect(await storage.get(b, USER, ub.id)).not.toBeNull();
            expect(await storage.count(b, GROUP)).toBe(1);
          });
        }
      }
    });
  });
}
