import type { ResourceTypeModel } from '../../schema/membership.js';
import type { ScimResource } from '../../schema/types.js';
import type { QueryResult, StorageQuery } from '../storage-provider.js';
import { countOf } from './resource-counts.js';
import { decodeRow, type ResourceRow } from './resource-row.js';
import { resourceColumns } from './resource-select.js';
import type { SqlQueryable } from './sql-client.js';
import { compileSqlFilter, type SqlFilterContext } from './sql-filter.js';
import { type KeysetDirection, type KeysetPosition, keysetCondition, keysetPositionOf } from './sql-keyset.js';
import { SqlParams } from './sql-params.js';
import { compileSqlSort, type SqlSortPlan } from './sql-sort.js';
import { type PagePosition, readPagePosition, writePagePosition } from './page-position.js';
import { type TableSet, tableSet } from './table-set.js';

/** One resource type of one tenant, as a query reads it. */
export interface QueryScope {
  readonly tables: TableSet;
  readonly type: ResourceTypeModel;
  readonly tenantId: string;
}

/** A query compiled to SQL: the WHERE clause (tenant, type, filter), the order, and their parameters. */
interface QueryPlan {
  readonly where: string;
  /** Parameters of `where` alone (a count runs with these). */
  readonly whereValues: readonly unknown[];
  /** Parameters of `where` and of the sort. */
  readonly values: readonly unknown[];
  readonly sort: SqlSortPlan;
  readonly filtered: boolean;
}

function clampStart(startIndex: number): number {
  return Number.isFinite(startIndex) && startIndex > 1 ? Math.floor(startIndex) : 1;
}

function clampCount(count: number): number {
  if (Number.isNaN(count) || count <= 0) return 0;
  return Number.isFinite(count) ? Math.floor(count) : Number.POSITIVE_INFINITY;
}

/**
 * Compiles the filter and the sort (the filter and sort compilers of this folder: the in-memory
 * engine's semantics, values only as parameters). A filter or sort they cannot express is a 400.
 */
function planQuery(scope: QueryScope, query: StorageQuery): QueryPlan {
  const values: unknown[] = [scope.tenantId, scope.type.name];
  const params = new SqlParams(values);
  const context: SqlFilterContext = { layout: scope.tables.layout, schema: query.schema, model: scope.type, params, tenant: '$1', alias: 'r' };
  let where = 'r.tenant_id = $1 AND r.resource_type = $2';
  if (query.filter) where += ` AND (${compileSqlFilter(query.filter, context)})`;
  const whereValues = [...values];
  const sort = compileSqlSort(query.sort, context);
  return { where, whereValues, values, sort, filtered: query.filter !== undefined };
}

async function total(q: SqlQueryable, scope: QueryScope, plan: QueryPlan): Promise<number> {
  if (!plan.filtered) return countOf(q, scope.tables, scope.tenantId, scope.type.name);
  const { rows } = await q.query(`SELECT count(*)::text AS n FROM ${scope.tables.resources} r WHERE ${plan.where}`, plan.whereValues);
  return Number((rows[0] as { n?: unknown } | undefined)?.n ?? 0);
}

function decodeAll(rows: Record<string, unknown>[], scope: QueryScope): ScimResource[] {
  return rows.map((row) => decodeRow(row as unknown as ResourceRow, scope.type));
}

/** An index page: the plan's order, `OFFSET startIndex - 1`. */
async function offsetPage(q: SqlQueryable, scope: QueryScope, query: StorageQuery, plan: QueryPlan, count: number): Promise<ScimResource[]> {
  const values = [...plan.values];
  const columns = resourceColumns(scope.tables, scope.type, query.excludeMembers !== true, values);
  let tail = ` ORDER BY ${plan.sort.orderBy}`;
  if (Number.isFinite(count)) {
    values.push(count);
    tail += ` LIMIT $${values.length}`;
  }
  values.push(clampStart(query.startIndex) - 1);
  tail += ` OFFSET $${values.length}`;
  const { rows } = await q.query(`SELECT ${columns}\nFROM ${scope.tables.resources} r WHERE ${plan.where}${tail}`, values);
  return decodeAll(rows, scope);
}

/** The keyset position a page position stands for: as written, or read from the row it names. */
async function keysetOf(
  q: SqlQueryable,
  scope: QueryScope,
  plan: QueryPlan,
  at: Exclude<PagePosition, { kind: 'first' }>,
): Promise<KeysetPosition | undefined> {
  if (at.position) return at.position;
  const values = [...plan.values, at.id];
  const { rows } = await q.query(
    `SELECT ${plan.sort.keyText} AS scim_key FROM ${scope.tables.resources} r WHERE ${plan.where} AND r.id = $${values.length}`,
    values,
  );
  const row = rows[0] as { scim_key: unknown } | undefined;
  return row ? keysetPositionOf(plan.sort, row.scim_key, at.id) : undefined;
}

/** The rows of a keyset page (one more than asked, to know whether more follow), read in `direction`. */
async function keysetRows(
  q: SqlQueryable,
  scope: QueryScope,
  query: StorageQuery,
  plan: QueryPlan,
  at: KeysetPosition | undefined,
  direction: KeysetDirection,
  limit: number,
) {
  const values = [...plan.values];
  const columns = resourceColumns(scope.tables, scope.type, query.excludeMembers !== true, values);
  const beyond = at ? ` AND ${keysetCondition(plan.sort, at, new SqlParams(values), direction)}` : '';
  values.push(limit + 1);
  const order = direction === 'before' ? plan.sort.reverseOrderBy : plan.sort.orderBy;
  const sql = `SELECT ${columns}, ${plan.sort.keyText} AS scim_key\nFROM ${scope.tables.resources} r WHERE ${plan.where}${beyond} ORDER BY ${order} LIMIT $${values.length}`;
  const { rows } = await q.query(sql, values);
  return rows;
}

/** One page from a position, read in index order, with the positions of the pages around it. */
async function keysetPage(
  q: SqlQueryable,
  scope: QueryScope,
  query: StorageQuery,
  plan: QueryPlan,
  at: PagePosition,
  count: number,
): Promise<Pick<QueryResult, 'resources' | 'nextPosition' | 'previousPosition'>> {
  const limit = Number.isFinite(count) ? count : 10_000;
  const anchor = at.kind === 'first' ? undefined : await keysetOf(q, scope, plan, at);
  if (at.kind !== 'first' && !anchor) return { resources: [] };
  const direction: KeysetDirection = at.kind === 'before' ? 'before' : 'after';
  const rows = await keysetRows(q, scope, query, plan, anchor, direction, limit);
  const more = rows.length > limit;
  const page = rows.slice(0, limit);
  if (direction === 'before') page.reverse();
  const position = (row: Record<string, unknown> | undefined) => (row ? keysetPositionOf(plan.sort, row.scim_key, String(row.id)) : undefined);
  const first = position(page[0]);
  const last = position(page.at(-1));
  const out: Pick<QueryResult, 'resources' | 'nextPosition' | 'previousPosition'> = { resources: decodeAll(page, scope) };
  if (last && (direction === 'before' || more)) out.nextPosition = writePagePosition(plan.sort, 'after', last);
  if (first && (at.kind === 'after' || (direction === 'before' && more))) out.previousPosition = writePagePosition(plan.sort, 'before', first);
  return out;
}

/**
 * Runs a {@link StorageQuery} in SQL: the filter as a WHERE clause, the total (from the count table
 * when there is no filter), and the page in the sort's order, by OFFSET for index paging or, with
 * `position`, by keyset (the rows after the last row of the previous page, in index order), which
 * costs the same deep in a table as on its first page.
 */
export async function queryResources(q: SqlQueryable, scope: QueryScope, query: StorageQuery): Promise<QueryResult> {
  const plan = planQuery(scope, query);
  const at = query.position === undefined ? undefined : readPagePosition(plan.sort, query.position);
  const totalResults = await total(q, scope, plan);
  const count = clampCount(query.count);
  if (count === 0 || totalResults === 0) return { resources: [], totalResults };
  if (!at) return { resources: await offsetPage(q, scope, query, plan, count), totalResults };
  return { ...(await keysetPage(q, scope, query, plan, at, count)), totalResults };
}

/**
 * The result for a tenant that holds nothing yet, after the same checks as a real query: a filter,
 * sort or position this storage cannot read is refused even then.
 */
export function emptyResult(query: StorageQuery, type: ResourceTypeModel): QueryResult {
  const plan = planQuery({ tables: tableSet('unused', 'unused'), type, tenantId: '' }, query);
  if (query.position !== undefined) readPagePosition(plan.sort, query.position);
  return { resources: [], totalResults: 0 };
}
