/**
 * A cursor page deep into a tenant costs what the first page costs: the keyset condition is an
 * index condition, so the scan starts at the position and reads one page of rows, never the rows
 * before it (no OFFSET, no sort of the tenant). Checked with EXPLAIN ANALYZE on the statements the
 * storage really sends, for a `shared` and a `standard` tenant (as the row-level security role), on
 * PGlite and on the PostgreSQL server, with other tenants' rows in the same tables.
 */
import { describe, expect, it } from 'vitest';
import type { ResourceTypeModel } from '../../../src/schema/membership.js';
import { createResourceSchema } from '../../../src/schema/resource-schema.js';
import { USER_RESOURCE_TYPE } from '../../../src/schema/resource-types.js';
import { SchemaRegistry } from '../../../src/schema/schema-registry.js';
import { USER_SCHEMA, USER_SCHEMA_URI } from '../../../src/schema/user-schema.js';
import { connectPostgres, openPGlite, PostgresStorage, type SqlClient } from '../../../src/storage/postgres/index.js';
import { qualified, storageNames } from '../../../src/storage/postgres/storage-names.js';
import type { TenantContext } from '../../../src/tenant/tenant-context.js';
import { describePostgresServer, freshDatabase } from '../../helpers/postgres-server.js';
import { recordingClient } from '../../helpers/recording-client.js';

const REGISTRY = new SchemaRegistry();
const USER = REGISTRY.model('User') as ResourceTypeModel;
const GROUP = REGISTRY.model('Group') as ResourceTypeModel;
const USERS = createResourceSchema(USER_RESOURCE_TYPE, USER_SCHEMA);
/** Rows per tenant: enough that reading the rows before a deep position would show in the plan. */
const ROWS = 30_000;
const DEPTH = 27_000;

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Alias?: string;
  'Index Cond'?: string;
  'Actual Rows'?: number;
  'Rows Removed by Filter'?: number;
  Plans?: PlanNode[];
}

/** The scan of the page's own table (alias `r`) and the node types above it. */
function findPageScan(node: PlanNode, above: string[] = []): { scan: PlanNode; above: string[] } | undefined {
  if (node['Relation Name'] === 'scim_resources' && node.Alias === 'r') return { scan: node, above };
  for (const child of node.Plans ?? []) {
    const found = findPageScan(child, [...above, node['Node Type']]);
    if (found) return found;
  }
  return undefined;
}

async function checkDeepPage(inner: SqlClient, level: 'shared' | 'standard'): Promise<void> {
  const { client, statements } = recordingClient(inner);
  const storage = new PostgresStorage(client);
  const names = storageNames();
  const table = qualified(level === 'shared' ? names.shared : names.standard, 'scim_resources');
  const t: TenantContext = { tenantId: `deep-${level}`, isolationLevel: level, permissions: {}, baseUrl: '' };
  try {
    await storage.migrate();
    // A few resources through the API (the tenant is registered, a group's members feed `groups`),
    // then many rows for this tenant and another one straight into the table, and statistics.
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push((await storage.create(t, USER, { schemas: [USER_SCHEMA_URI], userName: `api${i}` })).id);
    await storage.create(t, GROUP, { schemas: [], displayName: 'Deep', members: ids.slice(0, 10).map((value) => ({ value })) });
    await storage.create({ ...t, tenantId: `other-${level}` }, USER, { schemas: [USER_SCHEMA_URI], userName: 'other' });
    for (const tenantId of [t.tenantId, `other-${level}`]) {
      await inner.query(
        `INSERT INTO ${table} (tenant_id, resource_type, id, version, created, last_modified, user_name_folded, data)
SELECT $1, 'User', md5($1 || g::text), 1, now(), now(), 'bulk' || g, jsonb_build_object('schemas', jsonb_build_array($2::text), 'userName', 'bulk' || g)
FROM generate_series(1, $3::int) AS g`,
        [tenantId, USER_SCHEMA_URI, ROWS],
      );
    }
    await inner.query(`ANALYZE ${table}`);

    // Walk to the position after row DEPTH as a client would, then record the next page of 100.
    let position = '';
    for (let seen = 0; seen < DEPTH; ) {
      const page = await storage.query(t, USER, { schema: USERS, startIndex: 1, count: Math.min(1000, DEPTH - seen), position });
      seen += page.resources.length;
      expect(page.nextPosition).toBeTruthy();
      position = page.nextPosition as string;
    }
    statements.length = 0;
    const deep = await storage.query(t, USER, { schema: USERS, startIndex: 1, count: 100, position });
    expect(deep.resources).toHaveLength(100);
    const selects = statements.filter((s) => s.text.includes(`${table} r WHERE`) && / > \$\d/.test(s.text));
    expect(selects, statements.map((s) => s.text).join('\n---\n')).toHaveLength(1);
    const [page] = selects as [(typeof selects)[number]];

    const plan = await inner.transaction(async (tx) => {
      if (level === 'standard') await tx.query(`SELECT set_config('role', $1, true), set_config('scim.tenant_id', $2, true)`, [names.rlsRole, t.tenantId]);
      const { rows } = await tx.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${page.text}`, [...page.params]);
      const cell = (rows[0] as Record<string, unknown>)['QUERY PLAN'];
      return (typeof cell === 'string' ? JSON.parse(cell) : cell) as [{ Plan: PlanNode }];
    });
    const text = JSON.stringify(plan, null, 1);
    const found = findPageScan(plan[0].Plan);
    expect(found, text).toBeDefined();
    const { scan, above } = found as NonNullable<typeof found>;
    expect(scan['Node Type'], text).toMatch(/^Index (Only )?Scan$/);
    expect(scan['Index Cond'] ?? '', `the keyset condition is an index condition:\n${text}`).toMatch(/\(?id > /);
    expect(scan['Index Cond'] ?? '', text).toContain('tenant_id =');
    expect(above, `no sort of the tenant above the scan:\n${text}`).not.toContain('Sort');
    // One page of rows (plus the one that says another page follows) read, whatever the depth.
    expect(scan['Actual Rows'], text).toBeLessThanOrEqual(101);
    expect(scan['Rows Removed by Filter'] ?? 0, text).toBeLessThanOrEqual(10);
  } finally {
    await storage.close();
  }
}

describe('a deep cursor page is an index range scan', () => {
  for (const level of ['shared', 'standard'] as const) {
    it(`PGlite, a ${level} tenant`, async () => {
      await checkDeepPage(await openPGlite(), level);
    }, 120_000);
  }
});

describePostgresServer('a deep cursor page is an index range scan', () => {
  for (const level of ['shared', 'standard'] as const) {
    it(`a ${level} tenant`, async () => {
      const db = await freshDatabase(`deep_${level}`);
      try {
        await checkDeepPage(await connectPostgres(db.url, { max: 2 }), level);
      } finally {
        await db.drop();
      }
    }, 120_000);
  }
});
