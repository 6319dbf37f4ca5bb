import { ScimError } from '../../error/scim-error.js';
import type { FilterNode } from '../../query/ast.js';
import type { ResourceSchema } from '../../schema/resource-schema.js';

/** The indexed columns an equality can use, by canonical attribute name, and whether they hold folded values. */
const COLUMNS: Readonly<Record<string, readonly [string, boolean]>> = {
  id: ['r.id', false],
  userName: ['r.user_name_folded', true],
  externalId: ['r.external_id', false],
  displayName: ['r.display_name_folded', true],
};

function unsupported(): ScimError {
  return ScimError.badRequest('invalidFilter', 'This storage answers only eq on id, userName, externalId and displayName, joined by and');
}

/**
 * A filter as a SQL condition over `r` (a row of the resources table), its values appended to
 * `params` and referenced as `$n`.
 *
 * @throws ScimError 400 `invalidFilter` for a filter it cannot express: never an empty result instead.
 */
export function filterSql(filter: FilterNode, schema: ResourceSchema, params: unknown[]): string {
  if (filter.kind === 'and') return `(${filterSql(filter.left, schema, params)} AND ${filterSql(filter.right, schema, params)})`;
  if (filter.kind !== 'compare' || filter.op !== 'eq' || typeof filter.value !== 'string') throw unsupported();
  const resolved = schema.resolve(filter.path);
  if (!resolved || resolved.extension || resolved.keys.length !== 1 || resolved.target.multiValued) throw unsupported();
  const name = resolved.keys[0] ?? '';
  const column = COLUMNS[name];
  if (column === undefined || (resolved.target.type !== 'string' && resolved.target.type !== 'reference')) throw unsupported();
  const [sql, folded] = column;
  if (folded === resolved.target.caseExact) throw unsupported();
  params.push(folded ? filter.value.toLowerCase() : filter.value);
  return `${sql} = $${params.length}`;
}
