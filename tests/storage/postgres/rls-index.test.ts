/**
 * Row-level security does not cost the indexes: for a `standard` tenant, as the role its
 * transactions switch to, the lookups the storage sends for `userName`, `externalId` and Group
 * `displayName` equality are index conditions on the folded columns, not filters over the tenant.
 * (PostgreSQL uses an index under row-level security only for leakproof operators, which is why
 * those columns hold folded text rather than being searched through `lower(...)`.)
 */
import { describe, expect, it } from 'vitest';
import { parseFilter } from '../../../src/query/filter-parser.js';
import { GROUP_SCHEMA } from '../../../src/schema/group-schema.js';
import type { ResourceTypeModel } from '../../../src/schema/membership.js';
import { createResourceSchema } from '../../../src/schema/resource-schema.js';
import { GROUP_RESOURCE_TYPE, USER_RESOURCE_TYPE } from '../../../src/schema/resource-types.js';
import { SchemaRegistry } from '../../../src/schema/schema-registry.js';
import { USER_SCHEMA } from '../../../src/schema/user-schema.js';
import { openPGlite, PostgresStorage } from '../../../src/storage/postgres/index.js';
import type { TenantContext } from '../../../src/tenant/tenant-context.js';
import { recordingClient } from '../../helpers/recording-client.js';

const REGISTRY = new SchemaRegistry();
const USER = REGISTRY.model('User') as ResourceTypeModel;
const GROUP = REGISTRY.model('Group') as ResourceTypeModel;
const USERS = createResourceSchema(USER_RESOURCE_TYPE, USER_SCHEMA);
const GROUPS = createResourceSchema(GROUP_RESOURCE_TYPE, GROUP_SCHEMA);
const t: TenantContext = { tenantId: 'rls-index', isolationLevel: 'standard', permissions: {}, baseUrl: '' };

describe('indexes under row-level security', () => {
  it('userName, externalId and displayName equality are index conditions for a standard tenant, as the RLS role', async () => {
    const inner = await openPGlite();
    const { client, statements } = recordingClient(inner);
    const storage = new PostgresStorage(client);
    try {
      await storage.migrate();
      // Three tenants' rows, and statistics, so the planner chooses as it would on a real table.
      for (const tenantId of [t.tenantId, 'rls-other-1', 'rls-other-2']) {
        const each = { ...t, tenantId };
        for (let i = 0; i < 100; i++) await storage.create(each, USER, { schemas: [], userName: `User${i}`, externalId: `ext-${i}` });
        for (let i = 0; i < 30; i++) await storage.create(each, GROUP, { schemas: [], displayName: `Group ${i}` });
      }
      await inner.query('ANALYZE');
      const cases = [
        { column: 'user_name_folded', type: USER, schema: USERS, filter: 'userName eq "USER17"', index: 'scim_resources_user_name' },
        { column: 'external_id', type: USER, schema: USERS, filter: 'externalId eq "ext-17"', index: 'scim_resources_external_id' },
        { column: 'display_name_folded', type: GROUP, schema: GROUPS, filter: 'displayName eq "group 7"', index: 'scim_resources_display_name' },
      ];
      for (const c of cases) {
        statements.length = 0;
        const page = await storage.query(t, c.type, { schema: c.schema, filter: parseFilter(c.filter), startIndex: 1, count: 10 });
        expect(page.totalResults, c.filter).toBe(1);
        const selects = statements.filter((s) => /^\s*SELECT\b/i.test(s.text) && s.text.includes(c.column) && s.text.includes('scim_resources'));
        expect(selects.length, c.filter).toBeGreaterThan(0);
        for (const s of selects) {
          const plan = await inner.transaction(async (tx) => {
            await tx.query("SELECT set_config('role', 'scim_rls', true), set_config('scim.tenant_id', $1, true)", [t.tenantId]);
            return (await tx.query(`EXPLAIN ${s.text}`, [...s.params])).rows.map((r) => String(r['QUERY PLAN'])).join('\n');
          });
          const conditions = plan.split('\n').filter((line) => line.includes('Index Cond'));
          expect(plan, `${c.filter}:\n${plan}`).toContain(c.index);
          expect(
            conditions.some((line) => line.includes(c.column)),
            `${c.filter}: ${c.column} is an index condition:\n${plan}`,
          ).toBe(true);
        }
      }
    } finally {
      await storage.close();
    }
  }, 60_000);
});
