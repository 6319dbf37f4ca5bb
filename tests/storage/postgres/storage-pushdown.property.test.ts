import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResourceSchema } from '../../../src/schema/resource-schema.js';
import { InMemoryStorage } from '../../../src/storage/memory/in-memory-storage.js';
import { connectPostgres, openPGlite, PostgresStorage } from '../../../src/storage/postgres/index.js';
import type { QueryResult, StorageProvider, StorageQuery } from '../../../src/storage/storage-provider.js';
import { describePostgresServer, freshDatabase } from '../../helpers/postgres-server.js';
import { rfcFilterExamples, rfcUsers, userSchema } from '../../query/query-fixtures.js';
import { parseFilter } from '../../../src/query/filter-parser.js';
import type { Loaded, Outcome, Query } from './pushdown-dataset.js';
import { datasetArb, model, outcome, queryArb, resolveFilter, SCHEMAS, tenant, writeDataset } from './pushdown-dataset.js';

/**
 * The same random data written through InMemoryStorage and through PostgresStorage, then the same
 * random filters, sorts, index pages and cursor pages (forwards and backwards) asked of both: the
 * answers must be the same resources in the same order, the same totals, or the same refusals.
 * Each storage assigns its own ids and timestamps, so resources are compared by creation order,
 * and literals naming an id or a time are resolved against each storage's own (writes are spaced
 * by 2 ms so that both storages see the same order of timestamps).
 *
 * Runs: 0.3 × SCIM_PROPERTY_RUNS datasets (default 12) per database, 8 queries each; seed SCIM_PROPERTY_SEED.
 */
const RUNS = Math.ceil(Number(process.env.SCIM_PROPERTY_RUNS ?? 40) * 0.3);
const SEED = Number(process.env.SCIM_PROPERTY_SEED ?? 20_261_130);
const QUERIES = 8;

/** A page as creation-order indexes of the dataset, so that two storages' ids compare. */
function indexes(loaded: Loaded, ids: readonly string[]): number[] {
  return ids.map((id) => loaded.ids.indexOf(id));
}

function storageQuery(loaded: Loaded, query: Query): Omit<StorageQuery, 'startIndex' | 'count'> {
  const schema = SCHEMAS[query.type] as ResourceSchema;
  return { schema, ...(query.filter ? { filter: resolveFilter(query.filter, loaded) } : {}), ...(query.sort ? { sort: query.sort } : {}) };
}

async function indexPage(storage: StorageProvider, loaded: Loaded, query: Query): Promise<Outcome> {
  return outcome(async () => {
    const page = await storage.query(tenant(loaded.tenantId), model(query.type), {
      ...storageQuery(loaded, query),
      startIndex: query.startIndex,
      count: query.count,
    });
    return {
      ids: indexes(
        loaded,
        page.resources.map((r) => r.id),
      ).map(String),
      total: page.totalResults,
    };
  });
}

/** Every page from the first by `nextPosition`, then back from the last page by `previousPosition`. */
async function cursorPages(storage: StorageProvider, loaded: Loaded, query: Query): Promise<{ forward: number[]; backward: number[] }> {
  const ask = (position: string): Promise<QueryResult> =>
    storage.query(tenant(loaded.tenantId), model(query.type), { ...storageQuery(loaded, query), startIndex: 1, count: query.pageSize, position });
  const forward: number[] = [];
  let page = await ask('');
  let last = page;
  for (let n = 0; n < 200; n++) {
    forward.push(
      ...indexes(
        loaded,
        page.resources.map((r) => r.id),
      ),
    );
    last = page;
    if (page.nextPosition === undefined) break;
    page = await ask(page.nextPosition);
  }
  const backward: number[] = indexes(
    loaded,
    last.resources.map((r) => r.id),
  );
  let previous = last.previousPosition;
  for (let n = 0; previous !== undefined && n < 200; n++) {
    const before = await ask(previous);
    backward.unshift(
      ...indexes(
        loaded,
        before.resources.map((r) => r.id),
      ),
    );
    previous = before.previousPosition;
  }
  return { forward, backward };
}

async function compare(memory: StorageProvider, subject: StorageProvider, loaded: { memory: Loaded; subject: Loaded }, query: Query): Promise<boolean> {
  const expected = await indexPage(memory, loaded.memory, query);
  const actual = await indexPage(subject, loaded.subject, query);
  expect(actual, JSON.stringify(query)).toEqual(expected);
  if ('error' in expected) return false;
  const all = await memory.query(tenant(loaded.memory.tenantId), model(query.type), { ...storageQuery(loaded.memory, query), startIndex: 1, count: 1000 });
  const order = indexes(
    loaded.memory,
    all.resources.map((r) => r.id),
  );
  const pages = await cursorPages(subject, loaded.subject, query);
  expect(pages.forward, JSON.stringify(query)).toEqual(order);
  expect(pages.backward, JSON.stringify(query)).toEqual(order);
  return expected.total > 0;
}

function propertySuite(open: () => Promise<{ storage: PostgresStorage; close: () => Promise<void> }>): void {
  let subject: { storage: PostgresStorage; close: () => Promise<void> } | undefined;
  beforeAll(async () => {
    subject = await open();
  }, 60_000);
  afterAll(async () => {
    await subject?.close();
  });

  it(`answers random queries over random data as InMemoryStorage does (${RUNS} datasets, seed ${SEED})`, async () => {
    const memory = new InMemoryStorage();
    const storage = subject?.storage as PostgresStorage;
    let run = 0;
    let nonEmpty = 0;
    let asked = 0;
    await fc.assert(
      fc.asyncProperty(datasetArb, fc.array(queryArb, { minLength: QUERIES, maxLength: QUERIES }), async (data, queries) => {
        const tenantId = `run-${run++}`;
        const loaded = { memory: await writeDataset(memory, tenantId, data, 2), subject: await writeDataset(storage, tenantId, data, 2) };
        for (const query of queries) {
          asked++;
          if (await compare(memory, storage, loaded, query)) nonEmpty++;
        }
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    expect(nonEmpty / asked).toBeGreaterThan(0.2);
  }, 300_000);
}

describe('PostgresStorage on PGlite answers the RFC 7644 §3.4.2.2 examples', () => {
  // meta.* examples need the fixture's timestamps, which a storage assigns itself; the SQL-level
  // test (sql-filter.test.ts) runs those on copied rows.
  const examples = rfcFilterExamples.filter(([filter]) => !filter.includes('meta.'));
  let storage: PostgresStorage;
  const userNames = new Map<string, string>();

  beforeAll(async () => {
    storage = new PostgresStorage(await openPGlite());
    await storage.migrate();
    for (const user of rfcUsers) {
      const { id, meta, ...body } = user;
      await storage.create(tenant('rfc'), model('User'), body);
      userNames.set(user.userName, id);
    }
  }, 60_000);
  afterAll(async () => {
    await storage.close();
  });

  for (const [filter, expected] of examples) {
    it(filter, async () => {
      const page = await storage.query(tenant('rfc'), model('User'), { schema: userSchema, filter: parseFilter(filter), startIndex: 1, count: 10 });
      expect(page.resources.map((r) => userNames.get(r.userName as string))).toEqual(expected);
    });
  }
});

describe('PostgresStorage on PGlite selects what InMemoryStorage selects', () => {
  propertySuite(async () => {
    const storage = new PostgresStorage(await openPGlite());
    await storage.migrate();
    return { storage, close: () => storage.close() };
  });
});

describePostgresServer('PostgresStorage selects what InMemoryStorage selects', () => {
  propertySuite(async () => {
    const db = await freshDatabase('pushdown');
    const storage = new PostgresStorage(await connectPostgres(db.url, { max: 4 }));
    await storage.migrate();
    return {
      storage,
      close: async () => {
        await storage.close();
        await db.drop();
      },
    };
  });
});
