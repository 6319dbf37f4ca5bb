import { ScimError } from '../../error/scim-error.js';
import type { SortSpec } from '../../query/ast.js';
import type { AttributeTarget } from '../../query/attribute-target.js';
import { resourceScope, valueSubTarget } from '../../query/attribute-target.js';
import { compileSort } from '../../query/sort.js';
import type { SqlFilterContext } from './sql-filter.js';
import { rowAlias, sqlScope } from './sql-filter.js';
import type { SqlScope, SqlSource } from './sql-source.js';
import { jsonText, memberOf, resourceSource } from './sql-source.js';

/** The SQL type of a sort key: how it compares, and how its exact value is written as text. */
export type SqlSortKeyKind = 'text' | 'number' | 'boolean' | 'instant';

/** A sort compiled for SQL. */
export interface SqlSortPlan {
  /** The `ORDER BY` list: the key (when sorting), then the id, which makes the order total. */
  readonly orderBy: string;
  /** The same order reversed, to read the page before a keyset position. */
  readonly reverseOrderBy: string;
  /** The sort key expression (NULL when the resource has no value), absent for the default order by id. */
  readonly key?: { readonly sql: string; readonly kind: SqlSortKeyKind };
  /** `ORDER BY ... DESC NULLS FIRST` (the id still ascending), as the in-memory comparator orders. */
  readonly descending: boolean;
  /** The row's id column, qualified. */
  readonly id: string;
  /** An expression of the key's exact value, to select with the rows (`NULL` without a key) and read with `keysetPositionOf`. */
  readonly keyText: string;
}

function refuseRows(target: AttributeTarget): never {
  throw ScimError.badRequest('invalidValue', `Invalid sortBy: this storage cannot sort by "${target.name}", which lists memberships`);
}

/** Of a JSON array: the first element marked `"primary": true`, else the first element (RFC 7644 §3.4.2.3). */
function primaryOrFirst(scope: SqlScope, x: string): string {
  const e = scope.nextAlias();
  const isArray = `jsonb_typeof(${x}) = 'array'`;
  const primary = `(SELECT ${e}.v FROM jsonb_array_elements(CASE WHEN ${isArray} THEN ${x} END) WITH ORDINALITY AS ${e}(v, n) WHERE ${e}.v -> 'primary' = 'true'::jsonb ORDER BY ${e}.n LIMIT 1)`;
  return `CASE WHEN ${isArray} THEN COALESCE(${primary}, ${x} -> 0) ELSE ${x} END`;
}

/** The value the in-memory `keyReader` starts from: each key read in turn, an array giving its primary or first element. */
function sortValue(scope: SqlScope, root: SqlSource, target: AttributeTarget): SqlSource {
  let v = root;
  for (const key of target.keys) {
    v = memberOf(v, key, scope.params);
    if (v.kind === 'rows') refuseRows(target);
    if (v.kind === 'json') v = { kind: 'json', sql: `(${primaryOrFirst(scope, v.sql)})` };
  }
  return v;
}

/** The key of `v` by the attribute's type, NULL where the in-memory key is undefined. */
function sortKey(scope: SqlScope, v: SqlSource, target: AttributeTarget): { sql: string; kind: SqlSortKeyKind } {
  const { type, caseExact } = target.attribute;
  const text = v.kind === 'json' ? jsonText(v.sql) : v.kind === 'text' ? v.sql : undefined;
  const functions = scope.layout.functions;
  switch (type) {
    case 'string':
    case 'reference':
    case 'binary': {
      const fold = type !== 'binary' && !caseExact;
      return { sql: text === undefined ? 'NULL::text' : `NULLIF(${fold ? `${functions.fold}(${text})` : text}, '')`, kind: 'text' };
    }
    case 'dateTime':
      if (v.kind === 'instant') return { sql: v.sql, kind: 'instant' };
      return { sql: text === undefined ? 'NULL::text' : `${functions.dateTimeKey}(${text})`, kind: 'text' };
    case 'integer':
    case 'decimal':
      return { sql: v.kind === 'json' ? `CASE WHEN jsonb_typeof(${v.sql}) = 'number' THEN ${v.sql} END` : 'NULL::jsonb', kind: 'number' };
    case 'boolean':
      return { sql: v.kind === 'json' ? `CASE WHEN jsonb_typeof(${v.sql}) = 'boolean' THEN ${v.sql} = 'true'::jsonb END` : 'NULL::boolean', kind: 'boolean' };
    default:
      throw ScimError.badRequest('invalidValue', `Invalid sortBy: "${target.name}" is a complex attribute; sort by one of its sub-attributes`);
  }
}

/**
 * The exact value of a key as JSON text (a JSON string for text and instants), to select with the
 * rows and read with `keysetPositionOf`. JSON, because a client may drop a leading U+FEFF from
 * a text value it reads (PGlite does), and a JSON string starts with a quote.
 */
function keyTextOf(sql: string, kind: SqlSortKeyKind): string {
  if (kind === 'instant') return `to_jsonb(to_char((${sql}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'))::text`;
  return kind === 'text' ? `to_jsonb(${sql})::text` : `(${sql})::text`;
}

/**
 * Compiles a sort into an `ORDER BY` list giving exactly the in-memory engine's order
 * (src/query/sort.ts): by the attribute's type (case-insensitive strings folded as
 * `toLowerCase` folds them, all strings in code-point order, dateTimes as instants, numbers
 * numerically, false before true), a multi-valued attribute by its primary or first value,
 * resources without a value last ascending and first descending, ties by id ascending. Without a
 * sort the order is by id, which for UUID v7 ids is creation order.
 *
 * @throws ScimError 400 `invalidValue` as the in-memory engine does for an unknown or complex
 *   attribute, and for `members` or `groups`, whose element order is not kept in SQL.
 */
export function compileSqlSort(sort: SortSpec | undefined, context: SqlFilterContext): SqlSortPlan {
  const row = rowAlias(context.alias);
  const id = `${row}.${context.layout.resourceColumns.id}`;
  const byId = `${id} COLLATE "C"`;
  if (!sort) return { orderBy: byId, reverseOrderBy: `${byId} DESC`, descending: false, id, keyText: 'NULL::text' };
  compileSort(sort, context.schema);
  const scope = sqlScope(context);
  const source = resourceSource(scope, context.model, row);
  let target = resourceScope(context.schema).lookup(sort.path) as AttributeTarget;
  if (target.attribute.type === 'complex') target = valueSubTarget(target) ?? target;
  // Not through an attribute column: the in-memory key of a single-valued attribute holding an
  // array is its first element, which the column (a string or NULL) does not keep.
  const key = sortKey(scope, sortValue(scope, source, target), target);
  const descending = sort.order === 'descending';
  const sql = scope.params.resolve(key.sql, context.params);
  const collated = key.kind === 'text' ? `${sql} COLLATE "C"` : sql;
  const orderBy = `${collated} ${descending ? 'DESC NULLS FIRST' : 'ASC NULLS LAST'}, ${byId}`;
  const reverseOrderBy = `${collated} ${descending ? 'ASC NULLS LAST' : 'DESC NULLS FIRST'}, ${byId} DESC`;
  return { orderBy, reverseOrderBy, key: { sql, kind: key.kind }, descending, id, keyText: keyTextOf(sql, key.kind) };
}
