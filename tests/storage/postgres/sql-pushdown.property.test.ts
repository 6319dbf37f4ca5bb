import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FilterNode, SortSpec } from '../../../src/query/ast.js';
import type { ResourceSchema } from '../../../src/schema/resource-schema.js';
import { InMemoryStorage } from '../../../src/storage/memory/in-memory-storage.js';
import { keysetPositionOf } from '../../../src/storage/postgres/sql-keyset.js';
import type { Dataset, Loaded, Query } from './pushdown-dataset.js';
import { datasetArb, model, outcome, queryArb, resolveFilter, SCHEMAS, tenant, writeDataset } from './pushdown-dataset.js';
import type { SqlFixture } from './sql-fixture.js';
import { createSqlFixture, insertRows, rowOf, selectRows, selectStatement } from './sql-fixture.js';

/**
 * The same random filters, sorts and pages over the same random data select the same resources, in
 * the same order, from InMemoryStorage and from the SQL the PostgreSQL storage sends (run on PGlite).
 * The data goes through InMemoryStorage first and is copied row for row into the tables, timestamps,
 * versions and memberships included. Refusals must agree too: same status, scimType and detail.
 *
 * Runs: SCIM_PROPERTY_RUNS datasets (default 40), each queried 12 times; seed SCIM_PROPERTY_SEED.
 */
const RUNS = Number(process.env.SCIM_PROPERTY_RUNS ?? 40);
const SEED = Number(process.env.SCIM_PROPERTY_SEED ?? 20_261_130);
/** Queries per dataset. */
const QUERIES = 12;

/** Writes the dataset through InMemoryStorage, then copies every row, timestamps and memberships included. */
async function load(memory: InMemoryStorage, fixture: SqlFixture, tenantId: string, data: Dataset): Promise<Loaded> {
  const loaded = await writeDataset(memory, tenantId, data);
  const rows = [];
  for (const type of Object.keys(SCHEMAS)) {
    const all = await memory.query(tenant(tenantId), model(type), { schema: SCHEMAS[type] as ResourceSchema, startIndex: 1, count: 1000 });
    rows.push(...all.resources.map((resource) => rowOf(tenantId, resource)));
  }
  await insertRows(fixture, rows);
  return loaded;
}

let fixture: SqlFixture;
const memory = new InMemoryStorage();

beforeAll(async () => {
  fixture = await createSqlFixture();
});

afterAll(async () => {
  await fixture.db.close();
});

async function compareQuery(loaded: Loaded, query: Query): Promise<{ matched: number; total: number }> {
  const schema = SCHEMAS[query.type] as ResourceSchema;
  const filter = query.filter ? resolveFilter(query.filter, loaded) : undefined;
  const select = { tenantId: loaded.tenantId, schema, ...(filter ? { filter } : {}), ...(query.sort ? { sort: query.sort } : {}) };
  const inMemory = await outcome(async () => {
    const page = await memory.query(tenant(loaded.tenantId), model(query.type), { ...select, startIndex: query.startIndex, count: query.count });
    return { ids: page.resources.map((r) => r.id), total: page.totalResults };
  });
  const inSql = await outcome(async () => {
    const page = await selectRows(fixture, { ...select, offset: query.startIndex - 1, limit: query.count });
    const all = await selectRows(fixture, select);
    return { ids: page.map((row) => row.id), total: all.length };
  });
  expect(inSql, JSON.stringify({ query, filter })).toEqual(inMemory);
  if ('error' in inMemory) return { matched: 0, total: 0 };
  await compareKeyset(loaded, query, select);
  return { matched: inMemory.total, total: (await memory.count(tenant(loaded.tenantId), model(query.type))) || 0 };
}

/** Paging by keyset, `pageSize` rows at a time, visits exactly the in-memory order. */
async function compareKeyset(loaded: Loaded, query: Query, select: { tenantId: string; schema: ResourceSchema; filter?: FilterNode; sort?: SortSpec }) {
  const all = await memory.query(tenant(loaded.tenantId), model(query.type), { ...select, startIndex: 1, count: 1000 });
  const { plan } = selectStatement(fixture, select);
  const seen: string[] = [];
  let after: { key: string | null; id: string } | undefined;
  for (let page = 0; page <= all.totalResults; page++) {
    const rows = await selectRows(fixture, { ...select, limit: query.pageSize, ...(after ? { after } : {}) });
    seen.push(...rows.map((row) => row.id));
    const last = rows[rows.length - 1];
    if (!last || rows.length < query.pageSize) break;
    after = keysetPositionOf(plan, last.sort_key, last.id);
  }
  const expected = all.resources.map((r) => r.id);
  expect(seen, JSON.stringify({ sort: select.sort, statement: selectStatement(fixture, select).text.slice(0, 400) })).toEqual(expected);
  // And backwards, from the last row, through previous-page positions.
  const last = (await selectRows(fixture, select)).at(-1);
  if (!last) return;
  const back = [last.id];
  let before = keysetPositionOf(plan, last.sort_key, last.id);
  for (let page = 0; page <= all.totalResults; page++) {
    const rows = await selectRows(fixture, { ...select, limit: query.pageSize, before });
    back.unshift(...rows.map((row) => row.id));
    const first = rows[0];
    if (!first || rows.length < query.pageSize) break;
    before = keysetPositionOf(plan, first.sort_key, first.id);
  }
  expect(back).toEqual(expected);
}

describe('SQL pushdown selects exactly what InMemoryStorage selects', () => {
  it(`on random data, filters, sorts and pages (${RUNS} datasets, seed ${SEED})`, async () => {
    let runs = 0;
    let matched = 0;
    let total = 0;
    await fc.assert(
      fc.asyncProperty(datasetArb, fc.array(queryArb, { minLength: QUERIES, maxLength: QUERIES }), async (data, queries) => {
        const loaded = await load(memory, fixture, `run-${runs++}`, data);
        for (const query of queries) {
          const counts = await compareQuery(loaded, query);
          matched += counts.matched;
          total += counts.total;
        }
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    // Both outcomes must be common, or agreement would mean little.
    expect(matched / total).toBeGreaterThan(0.1);
    expect(matched / total).toBeLessThan(0.9);
  }, 120_000);
});
