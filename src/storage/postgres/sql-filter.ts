import { ScimError } from '../../error/scim-error.js';
import type { CompareNode, FilterNode, LogicalNode, PresentNode, ValuePathNode } from '../../query/ast.js';
import type { AttributeScope, AttributeTarget } from '../../query/attribute-target.js';
import { elementScope, resourceScope, valueSubTarget } from '../../query/attribute-target.js';
import { compileFilter, isInheritedName } from '../../query/filter-compiler.js';
import type { ResourceSchema } from '../../schema/resource-schema.js';
import type { ResourceTypeModel } from '../../schema/membership.js';
import type { SqlLayout } from './sql-layout.js';
import type { SqlParams } from './sql-params.js';
import { DeferredParams } from './sql-params.js';
import { SQL_FALSE, sqlAnd, sqlCase, sqlNot, sqlOr } from './sql-predicate.js';
import type { SqlScope, SqlSource } from './sql-source.js';
import { memberOf, resourceSource } from './sql-source.js';
import type { SqlValueTest } from './sql-value-test.js';
import { compareTest, PRESENCE_TEST, testSource } from './sql-value-test.js';

/** What {@link compileSqlFilter} needs besides the filter. */
export interface SqlFilterContext {
  /** Table, column and function names. */
  readonly layout: SqlLayout;
  /** The tenant's schema for the resource type (the `schema` of the storage query). */
  readonly schema: ResourceSchema;
  /** The resource type's membership attributes (the resource type model). */
  readonly model: ResourceTypeModel;
  /** The statement's parameters; the compiled SQL refers to the values it adds. */
  readonly params: SqlParams;
  /**
   * SQL expression of the tenant id, normally a placeholder the caller added to `params` (`$1`).
   * Every subquery (memberships, a group's name) is scoped by it.
   */
  readonly tenant: string;
  /**
   * Alias of the resources table in the statement (`FROM scim_resources AS r`), a lower-case SQL
   * identifier not starting with `scim_` (the compilers' own aliases). Default `r`.
   */
  readonly alias?: string;
}

/** A table alias as the caller writes it. */
const ALIAS = /^[a-z_][a-z0-9_]*$/;

/** The row alias of a context, checked. */
export function rowAlias(alias: string | undefined): string {
  const name = alias ?? 'r';
  if (!ALIAS.test(name) || name.startsWith('scim_')) {
    throw new TypeError(`SQL filter: alias must be a lower-case identifier not starting with scim_, not ${JSON.stringify(name)}`);
  }
  return name;
}

/** A compiler's state: deferred parameters and fresh aliases. */
export function sqlScope(context: { layout: SqlLayout; tenant: string }): SqlScope & { params: DeferredParams } {
  let next = 0;
  return { layout: context.layout, params: new DeferredParams(), tenant: context.tenant, nextAlias: () => `scim_${++next}` };
}

/**
 * Applies `elementTest` to each value of a multi-valued source, true when any passes: a JSON array's
 * elements or a rows source's objects; `onEmpty` for an empty array; `single(value)` for a value that
 * is not an array (the in-memory engine tests it as it is).
 */
function eachValue(scope: SqlScope, v: SqlSource, elementTest: (element: SqlSource) => string, onEmpty: boolean, single: (value: SqlSource) => string): string {
  if (v.kind === 'rows') return sqlOr([v.any(elementTest), onEmpty ? sqlNot(v.any(() => 'TRUE')) : SQL_FALSE]);
  if (v.kind !== 'json') return single(v);
  const isArray = `jsonb_typeof(${v.sql}) = 'array'`;
  const e = scope.nextAlias();
  const pass = elementTest({ kind: 'json', sql: `${e}.v` });
  const any = pass === SQL_FALSE ? SQL_FALSE : `EXISTS (SELECT 1 FROM jsonb_array_elements(CASE WHEN ${isArray} THEN ${v.sql} END) AS ${e}(v) WHERE ${pass})`;
  return sqlCase(isArray, sqlOr([any, onEmpty ? `${v.sql} = '[]'::jsonb` : SQL_FALSE]), single(v));
}

/**
 * True when `test` passes for any value `target` reaches from `source`: the in-memory engine's
 * `anyValue`, shape for shape (its one- and two-key fast paths and its general traversal differ for
 * a single-valued attribute holding an array, so the same shape takes the same path here).
 */
function anyValue(scope: SqlScope, source: SqlSource, target: AttributeTarget, test: SqlValueTest): string {
  const { keys, multi } = target;
  const [k0, k1] = keys;
  const { params } = scope;
  const leaf = (value: SqlSource) => testSource(test, value);
  const inherited = keys.some(isInheritedName);
  if (keys.length === 1 && k0 !== undefined && !inherited) {
    const v = memberOf(source, k0, params);
    return multi[0] ? eachValue(scope, v, leaf, test.onMissing, leaf) : leaf(v);
  }
  if (keys.length === 2 && k0 !== undefined && k1 !== undefined && !multi[1] && !inherited) {
    const at = (container: SqlSource) => leaf(memberOf(container, k1, params));
    const c = memberOf(source, k0, params);
    return multi[0] ? eachValue(scope, c, at, test.onMissing, at) : at(c);
  }
  const last = keys.length - 1;
  const visit = (container: SqlSource, level: number): string => {
    const v = memberOf(container, keys[level] as string, params);
    if (level === last) return multi[level] ? eachValue(scope, v, leaf, test.onMissing, leaf) : leaf(v);
    const next = (value: SqlSource) => visit(value, level + 1);
    return eachValue(scope, v, next, test.onMissing, next);
  };
  return visit(source, 0);
}

function lookup(attributes: AttributeScope, node: CompareNode | PresentNode | ValuePathNode): AttributeTarget {
  const target = attributes.lookup(node.path);
  if (!target) throw new TypeError('SQL filter: a path the in-memory compiler accepted did not resolve');
  return target;
}

function compileCompare(scope: SqlScope, node: CompareNode, attributes: AttributeScope, source: SqlSource): string {
  let target = lookup(attributes, node);
  if (target.attribute.type === 'complex') target = valueSubTarget(target) ?? target;
  const test = compareTest(target.attribute, target.name, node.op, node.value, scope);
  const type = target.attribute.type;
  const [key] = target.keys;
  if (source.kind === 'object' && source.textColumn && key !== undefined && target.keys.length === 1 && !target.multi[0]) {
    const column = source.textColumn(key);
    const caseExact = target.attribute.caseExact;
    if (column !== undefined && typeof node.value === 'string' && (type === 'string' || type === 'reference')) {
      if (!column.folded) return test.text(column.sql);
      if (!caseExact && test.folded) return test.folded(column.sql);
    }
  }
  return anyValue(scope, source, target, test);
}

/** `attr[filter]`: one element (an object) satisfies the whole inner filter. */
function compileValuePath(scope: SqlScope, node: ValuePathNode, attributes: AttributeScope, source: SqlSource): string {
  const target = lookup(attributes, node);
  const inner = elementScope(target);
  const [k0, k1] = target.keys;
  if (k0 === undefined) throw new TypeError('SQL filter: a value filter without keys');
  const { params } = scope;
  const v = k1 === undefined ? memberOf(source, k0, params) : memberOf(memberOf(source, k0, params), k1, params);
  const matches = (element: SqlSource): string => {
    if (element.kind === 'object') return compileNode(scope, node.filter, inner, element);
    if (element.kind !== 'json') return SQL_FALSE;
    return sqlAnd([`jsonb_typeof(${element.sql}) = 'object'`, compileNode(scope, node.filter, inner, element)]);
  };
  return eachValue(scope, v, matches, false, matches);
}

/** The operands of a chain of one logical operator, left to right, without recursion. */
function operands(node: LogicalNode): FilterNode[] {
  const out: FilterNode[] = [];
  const stack: FilterNode[] = [node.right, node.left];
  while (stack.length > 0) {
    const next = stack.pop() as FilterNode;
    if (next.kind === node.kind) stack.push((next as LogicalNode).right, (next as LogicalNode).left);
    else out.push(next);
  }
  return out;
}

function compileNode(scope: SqlScope, node: FilterNode, attributes: AttributeScope, source: SqlSource): string {
  switch (node.kind) {
    case 'and':
      return sqlAnd(operands(node).map((operand) => compileNode(scope, operand, attributes, source)));
    case 'or':
      return sqlOr(operands(node).map((operand) => compileNode(scope, operand, attributes, source)));
    case 'not': {
      let negate = false;
      let inner: FilterNode = node;
      while (inner.kind === 'not') {
        negate = !negate;
        inner = inner.filter;
      }
      const compiled = compileNode(scope, inner, attributes, source);
      return negate ? sqlNot(compiled) : compiled;
    }
    case 'compare':
      return compileCompare(scope, node, attributes, source);
    case 'present':
      return anyValue(scope, source, lookup(attributes, node), PRESENCE_TEST);
    case 'valuePath':
      return compileValuePath(scope, node, attributes, source);
  }
}

/**
 * Deepest nesting of parentheses the compiled SQL may have. PostgreSQL analyses expressions
 * recursively within a bounded stack: PGlite fails from about 260 nested `and`/`or` levels, a server
 * with the default `max_stack_depth` later. Filters within the parser's default limit of 32 levels
 * stay far below; deeper hand-built or configured ones are refused before they reach the database.
 */
export const MAX_SQL_NESTING = 200;

function nesting(sql: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < sql.length; i++) {
    const c = sql.charCodeAt(i);
    if (c === 40) max = Math.max(max, ++depth);
    else if (c === 41) depth--;
  }
  return max;
}

/**
 * Compiles a filter into a SQL boolean expression over one row of the resources table, with every
 * value a parameter. The expression selects exactly the resources the in-memory engine's
 * `compileFilter` selects (same data, same filter), for every operator and every JSON type a value
 * may have; see src/query/filter-compiler.ts for the rules. NULL results mean false.
 *
 * Use it in the `WHERE` clause beside the tenant and type conditions:
 * `SELECT ... FROM scim_resources AS r WHERE r.tenant_id = $1 AND r.resource_type = $2 AND (<filter>)`.
 *
 * Equality on a string attribute with a column of its own (`userName`, `externalId`, a Group's
 * `displayName`) compares the column (case-insensitive ones through the fold function, matching
 * an index on `fold(column)`); everything else reads `data`, the id and meta columns, or the
 * memberships table (through `EXISTS`).
 *
 * @throws ScimError 400 `invalidFilter` for every filter the in-memory engine refuses, with the same
 *   detail (it runs the in-memory compiler's checks first), for a string literal with an unpaired
 *   surrogate compared other than by `eq` or `ne`, and for SQL nested deeper than
 *   {@link MAX_SQL_NESTING} (about 190 alternating `and`/`or` levels; the parser allows 32 by default).
 */
export function compileSqlFilter(filter: FilterNode, context: SqlFilterContext): string {
  compileFilter(filter, context.schema);
  const row = rowAlias(context.alias);
  const scope = sqlScope(context);
  const sql = compileNode(scope, filter, resourceScope(context.schema), resourceSource(scope, context.model, row));
  if (nesting(sql) > MAX_SQL_NESTING) throw ScimError.badRequest('invalidFilter', 'Invalid filter: it is nested too deeply for this storage');
  return scope.params.resolve(sql, context.params);
}
