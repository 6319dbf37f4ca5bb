import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isScimError } from '../../../src/error/scim-error.js';
import type { CompareOperator, FilterNode, FilterValue, SortSpec } from '../../../src/query/ast.js';
import { compileFilter } from '../../../src/query/filter-compiler.js';
import { compileSort } from '../../../src/query/sort.js';
import type { ScimObject, ScimResource } from '../../../src/schema/types.js';
import { compileSqlFilter } from '../../../src/storage/postgres/sql-filter.js';
import { keysetPositionOf } from '../../../src/storage/postgres/sql-keyset.js';
import { SqlParams } from '../../../src/storage/postgres/sql-params.js';
import { TYPES_EXT_URI, typesSchema } from '../../query/query-fixtures.js';
import type { SqlFixture } from './sql-fixture.js';
import { createSqlFixture, insertRows, modelOf, rowOf, selectRows, selectStatement } from './sql-fixture.js';

/**
 * Every operator against every kind of value, exhaustively: each attribute of the Thing schema
 * holds, in turn, each value of a pool of JSON values of every type (and no value at all), and is
 * compared with each literal of a pool by each operator. Many filters are evaluated in one
 * statement (one column each), and every cell must equal the in-memory engine's answer.
 */

const VALUES: unknown[] = [
  undefined,
  null,
  '',
  'a',
  'A',
  'ab',
  'aB',
  'b',
  'é',
  'É',
  'ß',
  'SS',
  'İ',
  'i̇',
  'i',
  'ΑΣ',
  'ας',
  'ασ',
  'ΑΣ Α',
  'K',
  'k',
  '%',
  '_',
  '\\',
  'a%b',
  'a_b',
  'a\\b',
  '😀',
  '\uFFFD',
  '\uE000',
  '\uFEFFa',
  '2024-01-01T00:00:00Z',
  '2024-01-01T01:00:00+01:00',
  '2024-01-01T00:00:00.0000001Z',
  '2024-02-30T00:00:00Z',
  0,
  1,
  -1,
  0.5,
  1e21,
  true,
  false,
  [],
  ['a'],
  [null],
  [[]],
  {},
  { value: 'a' },
  [{ value: 'a', width: 1, color: 'A' }],
];

const LITERALS: FilterValue[] = [
  null,
  '',
  'a',
  'A',
  'b',
  'é',
  'É',
  'ss',
  'i̇',
  'İ',
  'i',
  'ας',
  'ασ',
  'ΑΣ',
  'k',
  '%',
  '_',
  '\\',
  'a%',
  '😀',
  '\uFFFD',
  'a\u0000',
  'a\u0000b',
  '\u0000',
  '2024-01-01T00:00:00Z',
  '2024-01-01T00:00:00.00000001Z',
  0,
  1,
  0.5,
  -1,
  1e21,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  true,
  false,
  'true',
  'FALSE',
  '1',
];

const OPERATORS: CompareOperator[] = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'];

/** Paths of every shape: top-level of each type, multi-valued, sub-attributes, extension, value filters. */
const PATHS = [
  'label',
  'code',
  'home',
  'blob',
  'enabled',
  'size',
  'weight',
  'seen',
  'aliases',
  'scores',
  'parts',
  'parts.value',
  'parts.kind',
  'parts.count',
  'parts.at',
  'shape.color',
  'shape.width',
  `${TYPES_EXT_URI}:tag`,
  `${TYPES_EXT_URI}:tags.value`,
];

/** The record of the i-th value: every attribute holds it (an extension object too). */
function recordOf(i: number, value: unknown): ScimObject {
  const data: ScimObject = { schemas: [typesSchema.core.id] };
  if (value !== undefined) {
    for (const key of ['label', 'code', 'home', 'blob', 'enabled', 'size', 'weight', 'seen']) data[key] = value;
    data.aliases = [value];
    data.scores = value;
    data.parts = [{ value, kind: value, count: value, at: value }];
    data.shape = { color: value, width: value };
    data[TYPES_EXT_URI] = { tag: value, tags: value };
  }
  const created = new Date(Date.UTC(2024, 0, 1, 0, 0, 0) + i).toISOString().replace('Z', `${String(i % 1000).padStart(3, '0')}Z`);
  return { id: `v${String(i).padStart(3, '0')}`, ...data, meta: { resourceType: 'Thing', created, lastModified: created, version: `W/"${(i % 3) + 1}"` } };
}

/** Shapes the schema does not allow: single-valued complex attributes holding arrays, and the reverse. */
const ODD_SHAPES: ScimObject[] = [
  { shape: [{ color: 'a', width: 1 }], parts: { value: 'a', kind: 'a', count: 1, at: '2024-01-01T00:00:00Z' } },
  { shape: [[{ color: 'a' }]], parts: [[{ value: 'a' }]], [TYPES_EXT_URI]: [{ tag: 'a', tags: [{ value: 'a' }] }] },
  { shape: [], parts: [null, 'a', { value: 'a' }], [TYPES_EXT_URI]: { tags: { value: 'a' } } },
];

const RECORDS = [...VALUES.map((value, i) => recordOf(i, value)), ...ODD_SHAPES.map((shape, i) => ({ ...recordOf(VALUES.length + i, undefined), ...shape }))];

let fixture: SqlFixture;

beforeAll(async () => {
  fixture = await createSqlFixture();
  await insertRows(
    fixture,
    RECORDS.map((r) => rowOf('matrix', r as ScimResource)),
  );
});

afterAll(async () => {
  await fixture.db.close();
});

function parsePath(text: string): { uri?: string; attr: string; sub?: string } {
  const at = text.lastIndexOf(':');
  const uri = at > 0 ? text.slice(0, at) : undefined;
  const [attr, sub] = (at > 0 ? text.slice(at + 1) : text).split('.') as [string, string?];
  return { ...(uri ? { uri } : {}), attr, ...(sub ? { sub } : {}) };
}

function refusal(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (e) {
    if (isScimError(e)) return `${e.status} ${e.scimType} ${e.detail}`;
    throw e;
  }
}

/** Evaluates the filters, 500 to a statement; each must select what memory selects, or be refused alike. */
async function checkFilters(filters: FilterNode[]): Promise<number> {
  let checked = 0;
  for (let i = 0; i < filters.length; i += 500) checked += await checkBatch(filters.slice(i, i + 500));
  return checked;
}

async function checkBatch(filters: FilterNode[]): Promise<number> {
  const params = new SqlParams(['matrix', 'Thing']);
  const columns: string[] = [];
  const kept: FilterNode[] = [];
  for (const filter of filters) {
    const memoryRefusal = refusal(() => compileFilter(filter, typesSchema));
    const context = { layout: fixture.layout, schema: typesSchema, model: modelOf(typesSchema), params, tenant: '$1::text' };
    let sql = '';
    const sqlRefusal = refusal(() => {
      sql = compileSqlFilter(filter, context);
    });
    expect(sqlRefusal, JSON.stringify(filter)).toBe(memoryRefusal);
    if (memoryRefusal) continue;
    columns.push(`(${sql}) IS TRUE AS c${kept.length}`);
    kept.push(filter);
  }
  if (kept.length === 0) return 0;
  const text = `SELECT r.id, ${columns.join(', ')} FROM scim_resources AS r WHERE r.tenant_id = $1::text AND r.resource_type = $2::text ORDER BY r.id`;
  const rows = (await fixture.db.query<Record<string, unknown>>(text, params.values)).rows;
  kept.forEach((filter, i) => {
    const predicate = compileFilter(filter, typesSchema);
    const expected = RECORDS.filter(predicate).map((r) => r.id);
    const actual = rows.filter((row) => row[`c${i}`] === true).map((row) => row.id);
    expect(actual, JSON.stringify(filter)).toEqual(expected);
  });
  return kept.length;
}

describe('SQL filters equal the in-memory engine for every operator, value and literal', () => {
  for (const path of PATHS) {
    it(`compares ${path}`, async () => {
      const filters: FilterNode[] = [];
      for (const op of OPERATORS) for (const value of LITERALS) filters.push({ kind: 'compare', path: parsePath(path), op, value });
      filters.push({ kind: 'present', path: parsePath(path) });
      expect(await checkFilters(filters)).toBeGreaterThan(10);
    });
  }

  it('compares within value filters, and negated', async () => {
    const filters: FilterNode[] = [];
    for (const op of OPERATORS) {
      for (const value of LITERALS) {
        const inner: FilterNode = { kind: 'compare', path: { attr: 'value' }, op, value };
        filters.push({ kind: 'valuePath', path: { attr: 'parts' }, filter: inner });
        filters.push({ kind: 'valuePath', path: { attr: 'parts' }, filter: { kind: 'not', filter: inner } });
        filters.push({ kind: 'valuePath', path: { uri: TYPES_EXT_URI, attr: 'tags' }, filter: { kind: 'compare', path: { attr: 'kind' }, op, value } });
        filters.push({ kind: 'valuePath', path: { attr: 'shape' }, filter: { kind: 'compare', path: { attr: 'color' }, op, value } });
      }
    }
    expect(await checkFilters(filters)).toBeGreaterThan(100);
  });

  it('compares id and meta, whose values live in columns', async () => {
    const literals: FilterValue[] = [...LITERALS, 'v001', 'V001', 'W/"1"', 'W/"2"', 'Thing', 'thing'];
    for (const r of RECORDS.slice(0, 5)) {
      const created = (r.meta as { created: string }).created;
      literals.push(created, created.replace('Z', '1Z'), created.replace(/\.(\d{3})(\d{3})Z$/, '.$1$2000Z'), `${created.slice(0, 19)}+00:00`);
    }
    const filters: FilterNode[] = [];
    for (const path of ['id', 'meta.created', 'meta.lastModified', 'meta.version', 'meta.resourceType', 'meta.location', 'meta']) {
      for (const op of OPERATORS) for (const value of literals) filters.push({ kind: 'compare', path: parsePath(path), op, value });
      filters.push({ kind: 'present', path: parsePath(path) });
    }
    filters.push({ kind: 'valuePath', path: { attr: 'meta' }, filter: { kind: 'compare', path: { attr: 'version' }, op: 'eq', value: 'W/"2"' } });
    expect(await checkFilters(filters)).toBeGreaterThan(100);
  });
});

describe('SQL sorts equal the in-memory order for every kind of value', () => {
  const SORTABLE = [
    'label',
    'code',
    'blob',
    'enabled',
    'size',
    'weight',
    'seen',
    'aliases',
    'scores',
    'parts',
    'parts.kind',
    'parts.count',
    'parts.at',
    'shape.color',
    `${TYPES_EXT_URI}:tag`,
    'id',
    'meta.created',
    'meta.version',
  ];
  for (const path of SORTABLE) {
    for (const order of ['ascending', 'descending'] as const) {
      it(`sorts by ${path} ${order}`, async () => {
        const sort: SortSpec = { path: parsePath(path), order };
        const expected = [...RECORDS].sort(compileSort(sort, typesSchema)).map((r) => r.id);
        const rows = await selectRows(fixture, { tenantId: 'matrix', schema: typesSchema, sort });
        const { plan } = selectStatement(fixture, { tenantId: 'matrix', schema: typesSchema, sort });
        expect(rows.map((row) => row.id)).toEqual(expected);
        for (const pageSize of [1, 3]) {
          const seen: string[] = [];
          let after: { key: string | null; id: string } | undefined;
          for (;;) {
            const page = await selectRows(fixture, { tenantId: 'matrix', schema: typesSchema, sort, limit: pageSize, ...(after ? { after } : {}) });
            seen.push(...page.map((row) => row.id));
            const last = page[page.length - 1];
            if (!last || page.length < pageSize) break;
            after = keysetPositionOf(plan, last.sort_key, last.id);
          }
          expect(seen).toEqual(expected);
          // Backwards from the end, through previous-page positions.
          const back: string[] = [];
          let before = keysetPositionOf(plan, rows.at(-1)?.sort_key ?? null, rows.at(-1)?.id as string);
          back.unshift(before.id);
          for (;;) {
            const page = await selectRows(fixture, { tenantId: 'matrix', schema: typesSchema, sort, limit: pageSize, before });
            back.unshift(...page.map((row) => row.id));
            const first = page[0];
            if (!first || page.length < pageSize) break;
            before = keysetPositionOf(plan, first.sort_key, first.id);
          }
          expect(back).toEqual(expected);
        }
      });
    }
  }
});
