import { ScimError } from '../../error/scim-error.js';
import type { ResourceTypeModel } from '../../schema/membership.js';
import type { ScimResource } from '../../schema/types.js';
import type { QueryResult, StorageQuery } from '../storage-provider.js';
import { filterSql } from './filter-sql.js';
import { afterPosition, beforePosition, type KeysetPosition, readPosition } from './keyset-position.js';
import { countOf } from './resource-counts.js';
import { decodeRow, type ResourceRow } from './resource-row.js';
import { resourceColumns } from './resource-select.js';
import type { SqlQueryable } from './sql-client.js';
import { type TableSet, tableSet } from './table-set.js';

/** One resource type of one tenant, as a query reads it. */
export interface QueryScope {
  readonly tables: TableSet;
  readonly type: ResourceTypeModel;
  readonly tenantId: string;
}

/** The WHERE clause of a query (tenant, type and filter) and its parameters. */
interface Condition {
  readonly where: string;
  readonly params: unknown[];
  readonly filtered: boolean;
}

function clampStart(startIndex: number): number {
  return Number.isFinite(startIndex) && startIndex > 1 ? Math.floor(startIndex) : 1;
}

function clampCount(count: number): number {
  if (Number.isNaN(count) || count <= 0) return 0;
  return Number.isFinite(count) ? Math.floor(count) : Number.POSITIVE_INFINITY;
}

function condition(scope: QueryScope, query: StorageQuery): Condition {
  const params: unknown[] = [scope.tenantId, scope.type.name];
  let where = 'r.tenant_id = $1 AND r.resource_type = $2';
  if (query.filter) where += ` AND ${filterSql(query.filter, query.schema, params)}`;
  if (query.sort) throw ScimError.badRequest('invalidValue', 'This storage cannot sort yet');
  return { where, params, filtered: query.filter !== undefined };
}

async function total(q: SqlQueryable, scope: QueryScope, c: Condition): Promise<number> {
  if (!c.filtered) return countOf(q, scope.tables, scope.tenantId, scope.type.name);
  const { rows } = await q.query(`SELECT count(*)::text AS n FROM ${scope.tables.resources} r WHERE ${c.where}`, c.params);
  return Number((rows[0] as { n?: unknown } | undefined)?.n ?? 0);
}

/** The page's SELECT; the select list's parameters are appended to `params` after the condition's. */
function select(scope: QueryScope, query: StorageQuery, c: Condition, params: unknown[], tail: (params: unknown[]) => string): string {
  const columns = resourceColumns(scope.tables, scope.type, query.excludeMembers !== true, params);
  return `SELECT ${columns}\nFROM ${scope.tables.resources} r WHERE ${c.where}${tail(params)}`;
}

function decodeAll(rows: Record<string, unknown>[], scope: QueryScope): ScimResource[] {
  return rows.map((row) => decodeRow(row as unknown as ResourceRow, scope.type));
}

async function offsetPage(q: SqlQueryable, scope: QueryScope, query: StorageQuery, c: Condition, count: number): Promise<ScimResource[]> {
  const params = [...c.params];
  const sql = select(scope, query, c, params, (p) => {
    let tail = ' ORDER BY r.id';
    if (Number.isFinite(count)) {
      p.push(count);
      tail += ` LIMIT $${p.length}`;
    }
    p.push(clampStart(query.startIndex) - 1);
    return `${tail} OFFSET $${p.length}`;
  });
  return decodeAll((await q.query(sql, params)).rows, scope);
}

/** One page from a position, read in index order, with the positions of the pages around it. */
async function keysetPage(
  q: SqlQueryable,
  scope: QueryScope,
  query: StorageQuery,
  c: Condition,
  at: KeysetPosition,
  count: number,
): Promise<Pick<QueryResult, 'resources' | 'nextPosition' | 'previousPosition'>> {
  const params = [...c.params];
  const limit = Number.isFinite(count) ? count : 10_000;
  const sql = select(scope, query, c, params, (p) => {
    let tail = '';
    if (at.kind !== 'first') {
      p.push(at.id);
      tail += ` AND r.id ${at.kind === 'after' ? '>' : '<'} $${p.length}`;
    }
    p.push(limit + 1);
    return `${tail} ORDER BY r.id${at.kind === 'before' ? ' DESC' : ''} LIMIT $${p.length}`;
  });
  const rows = decodeAll((await q.query(sql, params)).rows, scope);
  const more = rows.length > limit;
  const resources = rows.slice(0, limit);
  if (at.kind === 'before') resources.reverse();
  const first = resources[0];
  const last = resources.at(-1);
  const out: Pick<QueryResult, 'resources' | 'nextPosition' | 'previousPosition'> = { resources };
  if (last && (at.kind === 'before' || more)) out.nextPosition = afterPosition(last.id);
  if (first && (at.kind === 'after' || (at.kind === 'before' && more))) out.previousPosition = beforePosition(first.id);
  return out;
}

/**
 * Runs a {@link StorageQuery} in SQL: the filter as a WHERE clause, the total (from the count table
 * when there is no filter), and the page, by OFFSET for index paging or, with `position`, by keyset
 * (`id > last id`), which costs the same on the millionth row as on the first.
 */
export async function queryResources(q: SqlQueryable, scope: QueryScope, query: StorageQuery): Promise<QueryResult> {
  const c = condition(scope, query);
  const at = query.position === undefined ? undefined : readPosition(query.position);
  const totalResults = await total(q, scope, c);
  const count = clampCount(query.count);
  if (count === 0 || totalResults === 0) return { resources: [], totalResults };
  if (!at) return { resources: await offsetPage(q, scope, query, c, count), totalResults };
  return { ...(await keysetPage(q, scope, query, c, at, count)), totalResults };
}

/**
 * The result for a tenant that holds nothing yet, after the same checks as a real query: a filter
 * or position this storage cannot read is refused even then.
 */
export function emptyResult(query: StorageQuery): QueryResult {
  condition({ tables: tableSet('unused'), type: { name: '', memberOf: [] }, tenantId: '' }, query);
  if (query.position !== undefined) readPosition(query.position);
  return { resources: [], totalResults: 0 };
}
