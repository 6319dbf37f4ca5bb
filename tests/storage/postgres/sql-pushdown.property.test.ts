import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isScimError } from '../../../src/error/scim-error.js';
import type { FilterNode, FilterValue, SortSpec } from '../../../src/query/ast.js';
import type { ResourceSchema } from '../../../src/schema/resource-schema.js';
import type { ScimObject } from '../../../src/schema/types.js';
import { InMemoryStorage } from '../../../src/storage/memory/in-memory-storage.js';
import { keysetPositionOf } from '../../../src/storage/postgres/sql-keyset.js';
import type { TenantContext } from '../../../src/tenant/tenant-context.js';
import { ENTERPRISE_URI, groupSchema, TYPES_EXT_URI, typesSchema, userSchema } from '../../query/query-fixtures.js';
import type { LiteralPools } from './filter-arbitraries.js';
import { filterArb, ID_PLACEHOLDER, STRING_POOL, sortArb } from './filter-arbitraries.js';
import type { SqlFixture } from './sql-fixture.js';
import { createSqlFixture, insertRows, modelOf, rowOf, selectRows, selectStatement } from './sql-fixture.js';

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

/** Strings the data holds: storable (no U+0000, no lone surrogate), with case, Unicode and LIKE traps. */
const DATA_STRINGS = [
  '\uFEFFa',
  'a',
  'A',
  'ab',
  'AB',
  'aB',
  'b',
  '',
  'é',
  'É',
  'ß',
  'İ',
  'i̇',
  'ΑΣ',
  'ας',
  'σ',
  'x y',
  '%',
  '_',
  '\\',
  'a%b',
  "'",
  '"',
  'work',
  'Work',
  'home',
  'W/"1"',
  '0',
  '😀',
  'ÜNÏ',
];
const DATES = [
  '2024-01-01T00:00:00Z',
  '2024-01-01T01:00:00+01:00',
  '2023-12-31T23:00:00-01:00',
  '2024-01-01T00:00:00.5Z',
  '2024-01-01T00:00:00.500000Z',
  '2024-01-01T00:00:00.0000001Z',
  '2023-12-31T23:59:59.999999999Z',
  '0000-01-01T00:30:00+01:00',
  '2024-02-30T00:00:00Z',
  'soon',
];
/**
 * A dateTime literal near a write of the dataset: `DATE_PLACEHOLDER + "<n>|<ms>|<style>"` is the
 * n-th resource's `meta.created` (or `meta.lastModified` for odd n) moved by ms milliseconds.
 */
const DATE_PLACEHOLDER = '\u0001dt:';
const NEAR = [0, 1, 2, 3].flatMap((n) =>
  [-1, 0, 0, 1].flatMap((ms) => ['Z', 'offset', 'finer', 'micro'].map((style) => `${DATE_PLACEHOLDER}${n}|${ms}|${style}`)),
);

const POOLS: LiteralPools = {
  strings: STRING_POOL,
  numbers: [-2, -1, 0, 0.5, 1, 1.5, 2, 3, 1e21, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, '1', '-0.5'],
  dateTimes: [...DATES.slice(0, 8), ...NEAR],
};

const str = fc.constantFrom(...DATA_STRINGS);
const weird = fc.constantFrom<unknown>(null, 5, true, 'x', [], ['a'], {}, { value: 'a' }, [null], [[]], '2024-01-01T00:00:00Z');
const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<unknown> => fc.oneof({ weight: 8, arbitrary: arb }, { weight: 1, arbitrary: weird });
const multi = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<unknown> => maybe(fc.array(arb, { maxLength: 3 }));
const record = (fields: Record<string, fc.Arbitrary<unknown>>) => fc.record(fields, { requiredKeys: [] });

const thingArb = record({
  label: maybe(str),
  code: maybe(str),
  enabled: maybe(fc.boolean()),
  size: maybe(fc.integer({ min: -2, max: 3 })),
  weight: maybe(fc.constantFrom(-1, 0, 0.5, 1, 1.5, 1e21)),
  seen: maybe(fc.constantFrom(...DATES)),
  home: maybe(str),
  blob: maybe(str),
  aliases: multi(str),
  scores: multi(fc.integer({ min: -2, max: 3 })),
  parts: multi(
    record({
      value: maybe(str),
      kind: maybe(str),
      count: maybe(fc.integer({ min: -1, max: 2 })),
      primary: maybe(fc.boolean()),
      at: maybe(fc.constantFrom(...DATES)),
    }),
  ),
  shape: maybe(record({ width: maybe(fc.integer({ min: 0, max: 3 })), color: maybe(str) })),
  [TYPES_EXT_URI]: maybe(record({ tag: maybe(str), tags: multi(record({ value: maybe(str), kind: maybe(str) })) })),
});

const userArb = record({
  userName: maybe(str),
  externalId: maybe(str),
  displayName: maybe(str),
  title: maybe(str),
  active: maybe(fc.boolean()),
  name: maybe(record({ givenName: maybe(str), familyName: maybe(str) })),
  emails: multi(record({ value: maybe(str), type: maybe(fc.constantFrom('work', 'home', 'Work')), primary: maybe(fc.boolean()), display: maybe(str) })),
  [ENTERPRISE_URI]: maybe(record({ employeeNumber: maybe(str), manager: maybe(record({ value: maybe(str), displayName: maybe(str) })) })),
});

const memberPick = fc.record({ index: fc.nat(9), type: fc.constantFrom(undefined, 'User', 'Group', 'user'), display: fc.option(str, { nil: undefined }) });
const groupArb = fc.record({ body: record({ displayName: maybe(str), externalId: maybe(str) }), members: fc.array(memberPick, { maxLength: 4 }) });

const datasetArb = fc.record({
  things: fc.array(thingArb, { minLength: 1, maxLength: 8 }),
  users: fc.array(userArb, { minLength: 1, maxLength: 8 }),
  groups: fc.array(groupArb, { maxLength: 4 }),
  renames: fc.array(fc.nat(20), { maxLength: 3 }),
});
type Dataset = typeof datasetArb extends fc.Arbitrary<infer T> ? T : never;

const SCHEMAS: Record<string, ResourceSchema> = { Thing: typesSchema, User: userSchema, Group: groupSchema };
const model = (type: string) => modelOf(SCHEMAS[type] as ResourceSchema);

const queryArb = fc.oneof(
  ...Object.entries(SCHEMAS).map(([type, schema]) =>
    fc.record({
      type: fc.constant(type),
      filter: fc.option(filterArb(schema, POOLS), { freq: 8, nil: undefined }),
      sort: sortArb(schema, ['members', 'groups']),
      startIndex: fc.integer({ min: 1, max: 12 }),
      count: fc.integer({ min: 0, max: 12 }),
      pageSize: fc.integer({ min: 1, max: 4 }),
    }),
  ),
);
type Query = typeof queryArb extends fc.Arbitrary<infer T> ? T : never;

function tenant(tenantId: string): TenantContext {
  return { tenantId, isolationLevel: 'shared', permissions: {}, baseUrl: `https://example.test/${tenantId}` };
}

interface Loaded {
  readonly tenantId: string;
  readonly ids: string[];
  /** `meta.created` and `meta.lastModified` of every resource, in milliseconds. */
  readonly times: number[];
}

/** Writes the dataset through InMemoryStorage (creates, member sets, renames), then copies every row. */
async function load(memory: InMemoryStorage, fixture: SqlFixture, tenantId: string, data: Dataset): Promise<Loaded> {
  const t = tenant(tenantId);
  const ids: string[] = [];
  for (const body of data.things) ids.push((await memory.create(t, model('Thing'), { schemas: [typesSchema.core.id], ...body })).id);
  const members: string[] = [];
  for (const body of data.users) members.push((await memory.create(t, model('User'), { schemas: [userSchema.core.id, ENTERPRISE_URI], ...body })).id);
  ids.push(...members);
  for (const group of data.groups) {
    const refs = group.members.map((pick) => {
      const ref: ScimObject = { value: members[pick.index % members.length] as string };
      if (pick.type !== undefined) ref.type = pick.type;
      if (pick.display !== undefined) ref.display = pick.display;
      return ref;
    });
    const id = (await memory.create(t, model('Group'), { schemas: [groupSchema.core.id], ...group.body, members: refs })).id;
    ids.push(id);
    members.push(id);
  }
  for (const n of data.renames) {
    const id = ids[n % ids.length] as string;
    for (const type of Object.keys(SCHEMAS)) {
      const current = await memory.get(t, model(type), id);
      if (current) await memory.replace(t, model(type), id, { ...current, displayName: DATA_STRINGS[n % DATA_STRINGS.length] });
    }
  }
  const rows = [];
  for (const type of Object.keys(SCHEMAS)) {
    const all = await memory.query(t, model(type), { schema: SCHEMAS[type] as ResourceSchema, startIndex: 1, count: 1000 });
    rows.push(...all.resources.map((resource) => rowOf(tenantId, resource)));
  }
  await insertRows(fixture, rows);
  const times = rows.flatMap((row) => [Date.parse(row.created), Date.parse(row.lastModified)]);
  return { tenantId, ids, times };
}

/** A placeholder literal, resolved against the dataset. */
function resolveLiteral(value: FilterValue, loaded: Loaded): FilterValue {
  if (typeof value !== 'string') return value;
  if (value.startsWith(ID_PLACEHOLDER)) return loaded.ids[Number(value.slice(ID_PLACEHOLDER.length)) % loaded.ids.length] as string;
  if (!value.startsWith(DATE_PLACEHOLDER)) return value;
  const [n, ms, style] = value.slice(DATE_PLACEHOLDER.length).split('|') as [string, string, string];
  const at = new Date((loaded.times[Number(n) % loaded.times.length] as number) + Number(ms));
  const iso = at.toISOString();
  if (style === 'finer') return iso.replace('Z', '0001Z');
  if (style === 'micro') return iso.replace('Z', '000Z');
  if (style === 'offset') return `${new Date(at.getTime() + 3_600_000).toISOString().slice(0, -1)}+01:00`;
  return iso;
}

function resolveFilter(node: FilterNode, loaded: Loaded): FilterNode {
  switch (node.kind) {
    case 'and':
    case 'or':
      return { kind: node.kind, left: resolveFilter(node.left, loaded), right: resolveFilter(node.right, loaded) };
    case 'not':
      return { kind: 'not', filter: resolveFilter(node.filter, loaded) };
    case 'valuePath':
      return { ...node, filter: resolveFilter(node.filter, loaded) };
    case 'compare':
      return { ...node, value: resolveLiteral(node.value, loaded) };
    default:
      return node;
  }
}

type Outcome = { ids: string[]; total: number } | { error: { status: number; scimType: string | undefined; detail: string } };

async function outcome(run: () => Promise<{ ids: string[]; total: number }>): Promise<Outcome> {
  try {
    return await run();
  } catch (e) {
    if (isScimError(e)) return { error: { status: e.status, scimType: e.scimType, detail: e.detail } };
    throw e;
  }
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
