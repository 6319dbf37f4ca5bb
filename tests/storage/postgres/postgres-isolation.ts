/**
 * Isolation as the database enforces it, for PostgresStorage on any client: row-level security for
 * `standard` tenants, a schema per `strict` tenant, `tenant_id` in every statement.
 */
import { describe, expect, it } from 'vitest';
import { parseFilter } from '../../../src/query/filter-parser.js';
import { GROUP_SCHEMA } from '../../../src/schema/group-schema.js';
import type { ResourceTypeModel } from '../../../src/schema/membership.js';
import { createResourceSchema } from '../../../src/schema/resource-schema.js';
import { SchemaRegistry } from '../../../src/schema/schema-registry.js';
import { GROUP_RESOURCE_TYPE, USER_RESOURCE_TYPE } from '../../../src/schema/resource-types.js';
import type { ScimObject } from '../../../src/schema/types.js';
import { USER_SCHEMA } from '../../../src/schema/user-schema.js';
import { PostgresStorage, type SqlClient } from '../../../src/storage/postgres/index.js';
import type { IsolationLevel } from '../../../src/tenant/isolation-level.js';
import type { TenantContext } from '../../../src/tenant/tenant-context.js';
import { HOSTILE_TEXTS } from '../../../src/testing/index.js';
import { recordingClient } from '../../helpers/recording-client.js';

const USER_URI = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP_URI = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const REGISTRY = new SchemaRegistry();
const USER = REGISTRY.model('User') as ResourceTypeModel;
const GROUP = REGISTRY.model('Group') as ResourceTypeModel;
const USERS = createResourceSchema(USER_RESOURCE_TYPE, USER_SCHEMA);
const GROUPS = createResourceSchema(GROUP_RESOURCE_TYPE, GROUP_SCHEMA);
const user = (userName: string, extra: ScimObject = {}): ScimObject => ({ schemas: [USER_URI], userName, ...extra });
const group = (displayName: string, extra: ScimObject = {}): ScimObject => ({ schemas: [GROUP_URI], displayName, ...extra });

function tenant(tenantId: string, isolationLevel: IsolationLevel): TenantContext {
  return { tenantId, isolationLevel, permissions: {}, baseUrl: `https://example.test/${tenantId}` };
}

async function rows(client: SqlClient, sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  return (await client.query(sql, params)).rows;
}

/** A little of everything a tenant does, so the statements of every operation are sent. */
async function workload(storage: PostgresStorage, t: TenantContext, tag: string): Promise<void> {
  const a = await storage.create(t, USER, user(`a-${tag}`, { externalId: `x-${tag}` }), {
    unique: [{ keys: ['userName'], value: `a-${tag}`, caseExact: false }],
  });
  const b = await storage.create(t, USER, user(`b-${tag}`), { maxCount: 100, quotaName: 'maxUsers' });
  const g = await storage.create(t, GROUP, group(`g-${tag}`, { members: [{ value: a.id }] }), { maxMembers: 10 });
  await storage.get(t, USER, a.id);
  await storage.get(t, GROUP, g.id);
  await storage.replace(t, USER, b.id, user(`b2-${tag}`), { expectedVersion: b.meta.version });
  await storage.replace(t, GROUP, g.id, group(`g2-${tag}`, { members: [{ value: b.id }] }));
  await storage.updateMembers(t, GROUP, g.id, { add: [{ value: a.id }], remove: [b.id] }, { maxMembers: 10 });
  await storage.count(t, USER);
  await storage.query(t, USER, { schema: USERS, filter: parseFilter(`userName eq "a-${tag}"`), startIndex: 1, count: 10 });
  await storage.query(t, GROUP, { schema: GROUPS, startIndex: 1, count: 10, position: '' });
  await storage.delete(t, USER, a.id);
}

/** Declares the isolation tests for a storage made by `make` (a fresh, empty database each time). */
export function describePostgresIsolation(name: string, make: () => Promise<{ client: SqlClient; close: () => Promise<void> }>): void {
  describe(`PostgresStorage isolation in the database: ${name}`, () => {
    it('standard: a SELECT without the tenant setting sees no rows, and with it only that tenant’s', async () => {
      const { client, close } = await make();
      try {
        const storage = new PostgresStorage(client, { schema: 'iso_rls' });
        await storage.migrate();
        const a = tenant('std-a', 'standard');
        const b = tenant('std-b', 'standard');
        for (const t of [a, b]) for (let i = 0; i < 3; i++) await storage.create(t, USER, user(`u${i}`));
        const all = await rows(client, 'SELECT count(*)::int AS n FROM iso_rls_standard.scim_resources');
        expect(all[0]?.n, 'the connecting role bypasses row-level security: it sees both tenants').toBe(6);
        const seen = await client.transaction(async (tx) => {
          await tx.query("SELECT set_config('role', 'scim_rls', true)");
          const none = (await tx.query('SELECT count(*)::int AS n FROM iso_rls_standard.scim_resources')).rows[0]?.n;
          const members = (await tx.query('SELECT count(*)::int AS n FROM iso_rls_standard.scim_members')).rows[0]?.n;
          const counts = (await tx.query('SELECT count(*)::int AS n FROM iso_rls_standard.scim_resource_counts')).rows[0]?.n;
          await tx.query("SELECT set_config('scim.tenant_id', 'std-a', true)");
          const own = (await tx.query('SELECT DISTINCT tenant_id FROM iso_rls_standard.scim_resources')).rows.map((r) => r.tenant_id);
          return { none, members, counts, own };
        });
        expect(seen).toEqual({ none: 0, members: 0, counts: 0, own: ['std-a'] });
        const written = await client
          .transaction(async (tx) => {
            await tx.query("SELECT set_config('role', 'scim_rls', true), set_config('scim.tenant_id', 'std-a', true)");
            await tx.query("INSERT INTO iso_rls_standard.scim_resource_counts VALUES ('std-b', 'Forged', 1)");
            return 'written';
          })
          .catch((e: { code?: string }) => e.code);
        expect(written, 'a row for another tenant violates the policy').toBe('42501');
        const role = await rows(client, "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = 'scim_rls'");
        expect(role).toEqual([{ rolsuper: false, rolbypassrls: false }]);
        const tables = await rows(
          client,
          "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, pg_get_userbyid(c.relowner) AS owner FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'iso_rls_standard' AND c.relkind = 'r' ORDER BY 1",
        );
        expect(tables.map((t) => t.relname)).toEqual(['scim_members', 'scim_resource_counts', 'scim_resources', 'scim_unique_values']);
        for (const t of tables) expect([t.relrowsecurity, t.relforcerowsecurity, t.owner === 'scim_rls']).toEqual([true, true, false]);
      } finally {
        await close();
      }
    });

    it('strict: the tenant’s tables are in a schema of its own, created on first write, dropped with the tenant', async () => {
      const { client, close } = await make();
      try {
        const storage = new PostgresStorage(client, { schema: 'iso_strict' });
        await storage.migrate();
        const s = tenant('Strict Corp/42', 'strict');
        expect(await storage.count(s, USER)).toBe(0);
        const before = await rows(client, "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'iso\\_strict\\_t\\_%'");
        expect(before).toEqual([]);
        const u = await storage.create(s, USER, user('alone'));
        await storage.create(tenant('pooled', 'shared'), USER, user('alone'));
        const registry = await rows(client, 'SELECT isolation_level, schema_name FROM iso_strict.scim_tenants WHERE tenant_id = $1', [s.tenantId]);
        expect(registry[0]?.isolation_level).toBe('strict');
        const schema = String(registry[0]?.schema_name);
        expect(schema).toMatch(/^iso_strict_t_strict_corp_[0-9a-f]{24}$/);
        const holding = await rows(client, "SELECT table_schema FROM information_schema.tables WHERE table_name = 'scim_resources' ORDER BY 1");
        const found: string[] = [];
        for (const { table_schema } of holding) {
          const n = await rows(client, `SELECT count(*)::int AS n FROM "${String(table_schema)}".scim_resources WHERE tenant_id = $1`, [s.tenantId]);
          if ((n[0]?.n ?? 0) !== 0) found.push(String(table_schema));
        }
        expect(found).toEqual([schema]);
        const own = await rows(client, `SELECT id FROM "${schema}".scim_resources`);
        expect(own.map((r) => r.id)).toEqual([u.id]);
        await storage.dropTenant(s.tenantId);
        expect(await rows(client, 'SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema])).toEqual([]);
        expect(await storage.get(s, USER, u.id)).toBeNull();
      } finally {
        await close();
      }
    });

    it('every statement the storage sends names the tenant, and no value is ever part of the SQL text', async () => {
      const { client: inner, close } = await make();
      try {
        const { client, statements } = recordingClient(inner);
        const storage = new PostgresStorage(client, { schema: 'iso_named' });
        await storage.migrate();
        await workload(storage, tenant('warm-up', 'shared'), 'w');
        for (const level of ['shared', 'standard', 'strict'] as const) {
          const t = tenant(`named-${level}`, level);
          statements.length = 0;
          await workload(storage, t, level);
          await storage.dropTenant(t.tenantId);
          expect(statements.length).toBeGreaterThan(20);
          for (const s of statements) {
            if (/^\s*(CREATE|ALTER|GRANT|DROP SCHEMA)\b/i.test(s.text)) {
              expect(s.text, 'DDL acts on the strict tenant’s own schema only').toMatch(
                /^\s*(CREATE|ALTER|GRANT|DROP SCHEMA)[\s\S]*"iso_named_t_named_strict_[0-9a-f]{24}"/,
              );
              continue;
            }
            expect(s.params, s.text).toContain(t.tenantId);
            expect(s.text.includes(t.tenantId), s.text).toBe(false);
          }
        }
      } finally {
        await close();
      }
    });

    it('hostile values reach the database only as parameters', async () => {
      const { client: inner, close } = await make();
      try {
        const { client, statements } = recordingClient(inner);
        const storage = new PostgresStorage(client, { schema: 'iso_hostile' });
        await storage.migrate();
        const t = tenant('hostile', 'standard');
        for (const text of HOSTILE_TEXTS) {
          await storage
            .create(t, USER, user(text, { title: text }), { unique: [{ keys: ['userName'], value: text, caseExact: false }] })
            .catch(() => undefined);
          await storage.get(t, USER, text);
        }
        for (const s of statements) for (const text of HOSTILE_TEXTS) if (text.length > 6) expect(s.text.includes(text), s.text).toBe(false);
      } finally {
        await close();
      }
    });
  });
}
