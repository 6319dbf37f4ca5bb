import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFilter } from '../../../src/query/filter-parser.js';
import type { ScimResource } from '../../../src/schema/types.js';
import { createSqlLayout, quoteIdentifier } from '../../../src/storage/postgres/sql-layout.js';
import { groupSchema, userSchema } from '../../query/query-fixtures.js';
import type { SqlFixture } from './sql-fixture.js';
import { createSqlFixture, insertRows, rowOf, selectStatement } from './sql-fixture.js';

describe('createSqlLayout', () => {
  it('quotes every name, and qualifies tables and functions', () => {
    const layout = createSqlLayout({ schema: 'tenant "a"', functionSchema: 'scim' });
    expect(layout.resources).toBe('"tenant ""a"""."scim_resources"');
    expect(layout.members).toBe('"tenant ""a"""."scim_members"');
    expect(layout.functions.fold).toBe('"scim"."scim_fold_v1"');
    expect(layout.resourceColumns.tenantId).toBe('"tenant_id"');
    expect(createSqlLayout().functions.dateTimeKey).toBe('"public"."scim_datetime_key_v1"');
  });

  it('refuses unknown keys and names PostgreSQL cannot hold, naming the key', () => {
    expect(() => createSqlLayout({ schemas: 'x' } as never)).toThrow('SQL layout: unknown key schemas');
    expect(() => createSqlLayout({ resourceColumns: { tenant: 'x' } } as never)).toThrow('unknown key resourceColumns.tenant');
    expect(() => createSqlLayout({ resourcesTable: '' })).toThrow('resourcesTable');
    expect(() => createSqlLayout({ schema: 'a\u0000b' })).toThrow('schema');
    expect(() => createSqlLayout({ membersTable: 'x'.repeat(64) })).toThrow('membersTable');
    expect(() => createSqlLayout({ attributeColumns: [{ attribute: 'userName', column: '' }] })).toThrow('attributeColumns[0].column');
    expect(quoteIdentifier('é'.repeat(31))).toBe(`"${'é'.repeat(31)}"`);
  });
});

describe('indexes the compiled SQL can use', () => {
  let fixture: SqlFixture;

  beforeAll(async () => {
    fixture = await createSqlFixture();
    const rows = [];
    for (let i = 0; i < 3000; i++) {
      const id = `u${String(i).padStart(5, '0')}`;
      const meta = { resourceType: 'User', created: '2024-01-01T00:00:00.000Z', lastModified: '2024-01-01T00:00:00.000Z', version: 'W/"1"' };
      rows.push(rowOf('big', { id, schemas: [], userName: `User${i}`, externalId: `ext${i}`, meta } as unknown as ScimResource));
      rows.push(rowOf('big', { id: `g${id}`, schemas: [], displayName: `Group ${i}`, meta: { ...meta, resourceType: 'Group' } } as unknown as ScimResource));
    }
    await insertRows(fixture, rows);
    await fixture.db.exec('ANALYZE');
  });

  afterAll(async () => {
    await fixture.db.close();
  });

  async function plan(filter: string, schema = userSchema): Promise<string> {
    const { text, params } = selectStatement(fixture, { tenantId: 'big', schema, filter: parseFilter(filter), limit: 10 });
    const { rows } = await fixture.db.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${text}`, params);
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  }

  it('looks userName, externalId, displayName and id up through their indexes', async () => {
    expect(await plan('userName eq "USER17"')).toContain('scim_resources_user_name');
    expect(await plan('externalId eq "ext17"')).toContain('scim_resources_external_id');
    expect(await plan('displayName eq "group 17"', groupSchema)).toContain('scim_resources_display_name');
    expect(await plan('id eq "u00017"')).toContain('scim_resources_pkey');
    expect(await plan('userName eq "user17" and title pr')).toContain('scim_resources_user_name');
  });
});
