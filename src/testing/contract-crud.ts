import { USER_SCHEMA_URI } from '../schema/user-schema.js';
import type { ContractCase } from './contract-cases.js';
import { user, group, USER, GROUP } from './contract-kit.js';
import { v4 as uuidv4 } from 'uuid';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Create, read, replace, delete and count. */
export const CRUD_CASES: readonly ContractCase[] = [
  [
    'create assigns a UUID v7 id and meta, keeps the attributes',
    async ({ storage, tenant, expect }) => {
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
    },
  ],
  [
    'ignores id and meta in the body',
    async ({ storage, tenant, expect }) => {
      const t = tenant();
      const created = await storage.create(t, USER, user('x', { id: 'chosen-by-client', meta: { version: 'W/"99"', created: '2000-01-01T00:00:00.000Z' } }));
      expect(created.id).not.toBe('chosen-by-client');
      expect(created.meta.version).toBe('W/"1"');
      expect(created.meta.created).not.toBe('2000-01-01T00:00:00.000Z');
      expect(await storage.get(t, USER, 'chosen-by-client')).toBeNull();
    },
  ],
  [
    'get of an unknown id, or of an id under another resource type, is null',
    async ({ storage, tenant, expect }) => {
      const t = tenant();
      const u = await storage.create(t, USER, user('u1'));
      expect(await storage.get(t, USER, uuidv4())).toBeNull();
      expect(await storage.get(t, GROUP, u.id)).toBeNull();
    },
  ],
  [
    'gives every resource its own id',
    async ({ storage, tenant, expect }) => {
      const t = tenant();
      const ids = new Set<string>();
      for (let i = 0; i < 100; i++) ids.add((await storage.create(t, USER, user(`u${i}`))).id);
      expect(ids.size).toBe(100);
    },
  ],
  [
    'replace sets the whole body, keeps id and created, bumps the version',
    async ({ storage, tenant, expect }) => {
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
    },
  ],
  [
    'replace or delete of an unknown id is a 404',
    async ({ storage, tenant, expectScimError }) => {
      const t = tenant();
      await storage.create(t, USER, user('someone'));
      await expectScimError(storage.replace(t, USER, uuidv4(), user('x')), 404);
      await expectScimError(storage.delete(t, USER, uuidv4()), 404);
    },
  ],
  [
    'delete removes the resource; a second delete is a 404',
    async ({ storage, tenant, expect, expectScimError }) => {
      const t = tenant();
      const a = await storage.create(t, USER, user('a'));
      const b = await storage.create(t, USER, user('b'));
      await storage.delete(t, USER, a.id);
      expect(await storage.get(t, USER, a.id)).toBeNull();
      expect(await storage.get(t, USER, b.id)).not.toBeNull();
      expect(await storage.count(t, USER)).toBe(1);
      await expectScimError(storage.delete(t, USER, a.id), 404);
    },
  ],
  [
    'count is per resource type',
    async ({ storage, tenant, expect }) => {
      const t = tenant();
      expect(await storage.count(t, USER)).toBe(0);
      for (let i = 0; i < 3; i++) await storage.create(t, USER, user(`u${i}`));
      await storage.create(t, GROUP, group('g'));
      expect(await storage.count(t, USER)).toBe(3);
      expect(await storage.count(t, GROUP)).toBe(1);
    },
  ],
  [
    'callers cannot change stored state through returned objects or their own input',
    async ({ storage, tenant, expect }) => {
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
    },
  ],
];
