import type { ReverseMembership, ResourceTypeModel } from '../../schema/membership.js';
import type { SqlAttributeColumn, SqlLayout } from './sql-layout.js';
import { attributeColumn } from './sql-layout.js';
import type { SqlValues } from './sql-params.js';
import { SQL_FALSE, sqlAnd } from './sql-predicate.js';

/**
 * Where a value of the resource (as the in-memory engine sees it: the stored record with `id`,
 * `meta` and the membership attributes) comes from in SQL. A SQL NULL is always "no value".
 */
export type SqlSource =
  /** A jsonb expression: any JSON value. */
  | { readonly kind: 'json'; readonly sql: string }
  /** A text expression: a JSON string value. */
  | { readonly kind: 'text'; readonly sql: string }
  /** A timestamptz expression (never NULL): a dateTime string denoting exactly that instant. */
  | { readonly kind: 'instant'; readonly sql: string }
  /** Never a value (`meta.location`, which storage does not keep). */
  | { readonly kind: 'absent' }
  /** An object assembled from columns (`meta`, one membership). */
  | SqlObjectSource
  /** A non-empty array of objects read from rows (`members`), or no value when there are no rows. */
  | SqlRowsSource;

/** An object assembled from columns. */
export interface SqlObjectSource {
  readonly kind: 'object';
  /** True when the object has a present member (RFC 7643 §2.5). */
  readonly present: string;
  /** The value under a key. */
  field(key: string): SqlSource;
  /** For the resource row: the text column copying a top-level string attribute, if any. */
  textColumn?(key: string): SqlAttributeColumn | undefined;
}

/** An array of objects read from rows. */
export interface SqlRowsSource {
  readonly kind: 'rows';
  /** True when one row's object passes `test`. */
  any(test: (element: SqlSource) => string): string;
}

/** What sources need to write SQL: names, parameters, the tenant, fresh aliases. */
export interface SqlScope {
  readonly layout: SqlLayout;
  readonly params: SqlValues;
  /** SQL expression of the tenant id, which scopes every subquery. */
  readonly tenant: string;
  /** A new table alias, unique within the statement. */
  nextAlias(): string;
}

const ABSENT: SqlSource = { kind: 'absent' };

/**
 * The value under `key` when `source` is an object (a non-array JSON object, or an assembled one);
 * no value otherwise. Reads own members only, as the in-memory engine does.
 */
export function memberOf(source: SqlSource, key: string, params: SqlValues): SqlSource {
  if (source.kind === 'json') return { kind: 'json', sql: `(${source.sql} -> ${params.text(key)})` };
  if (source.kind === 'object') return source.field(key);
  return ABSENT;
}

/** The text of a JSON string value, NULL for anything else. */
export function jsonText(json: string): string {
  return `CASE WHEN jsonb_typeof(${json}) = 'string' THEN ${json} #>> '{}' END`;
}

/** An object whose fields are built when read, so a parameter is added only where it is used. */
function objectOf(fields: Record<string, () => SqlSource>, present: string): SqlObjectSource {
  return { kind: 'object', present, field: (key) => (Object.hasOwn(fields, key) ? (fields[key] as () => SqlSource)() : ABSENT) };
}

function metaSource(scope: SqlScope, row: string): SqlObjectSource {
  const c = scope.layout.resourceColumns;
  return objectOf(
    {
      resourceType: () => ({ kind: 'text', sql: `${row}.${c.resourceType}` }),
      created: () => ({ kind: 'instant', sql: `${row}.${c.created}` }),
      lastModified: () => ({ kind: 'instant', sql: `${row}.${c.lastModified}` }),
      version: () => ({ kind: 'text', sql: `('W/"' || ${row}.${c.version}::text || '"')` }),
    },
    'TRUE',
  );
}

/** Rows of `from` (with alias) matching `where`, each seen as `element`; all built when first tested. */
function rowsSource(from: () => string, where: () => string, element: SqlObjectSource): SqlRowsSource {
  return {
    kind: 'rows',
    any(test) {
      const pass = test(element);
      if (pass === SQL_FALSE) return SQL_FALSE;
      return `EXISTS (SELECT 1 FROM ${from()} WHERE ${sqlAnd([where(), pass])})`;
    },
  };
}

/** The members of a container of type `containerType`: `{ value, type, display }` from the memberships table. */
function membersSource(scope: SqlScope, row: string, containerType: string): SqlRowsSource {
  const { layout, params } = scope;
  const m = scope.nextAlias();
  const mc = layout.memberColumns;
  const element = objectOf(
    {
      value: () => ({ kind: 'text', sql: `${m}.${mc.memberId}` }),
      type: () => ({ kind: 'text', sql: `${m}.${mc.memberType}` }),
      display: () => ({ kind: 'text', sql: `${m}.${mc.display}` }),
    },
    `${m}.${mc.memberId} <> ''`,
  );
  const where = () =>
    `${m}.${mc.tenantId} = ${scope.tenant} AND ${m}.${mc.containerType} = ${params.text(containerType)} AND ${m}.${mc.containerId} = ${row}.${layout.resourceColumns.id}`;
  return rowsSource(() => `${layout.members} AS ${m}`, where, element);
}

/** The current value of a container's display attribute, NULL unless it is a string. */
function containerDisplay(scope: SqlScope, relation: ReverseMembership, containerId: string): string {
  const { layout, params } = scope;
  const g = scope.nextAlias();
  const rc = layout.resourceColumns;
  const name = jsonText(`(${g}.${rc.data} -> ${params.text(relation.displayAttribute)})`);
  return `(SELECT ${name} FROM ${layout.resources} AS ${g} WHERE ${g}.${rc.tenantId} = ${scope.tenant} AND ${g}.${rc.resourceType} = ${params.text(relation.containerType)} AND ${g}.${rc.id} = ${containerId})`;
}

/** A reverse attribute (`groups`): `{ value, display, type: "direct" }` for each container listing the resource. */
function reverseSource(scope: SqlScope, row: string, relation: ReverseMembership): SqlRowsSource {
  const { layout, params } = scope;
  const m = scope.nextAlias();
  const mc = layout.memberColumns;
  const element = objectOf(
    {
      value: () => ({ kind: 'text', sql: `${m}.${mc.containerId}` }),
      display: () => ({ kind: 'text', sql: containerDisplay(scope, relation, `${m}.${mc.containerId}`) }),
      type: () => ({ kind: 'text', sql: params.text('direct') }),
    },
    `${m}.${mc.containerId} <> ''`,
  );
  const where = () =>
    `${m}.${mc.tenantId} = ${scope.tenant} AND ${m}.${mc.memberId} = ${row}.${layout.resourceColumns.id} AND ${m}.${mc.containerType} = ${params.text(relation.containerType)}`;
  return rowsSource(() => `${layout.members} AS ${m}`, where, element);
}

/**
 * The resource in row `row` of the resources table, as the in-memory engine's filters see it:
 * `id` and `meta` from their columns, the members and reverse attributes of `model` from the
 * memberships table, everything else from `data`.
 */
export function resourceSource(scope: SqlScope, model: ResourceTypeModel, row: string): SqlObjectSource {
  const { layout, params } = scope;
  return {
    kind: 'object',
    present: 'TRUE',
    field(key) {
      if (key === 'id') return { kind: 'text', sql: `${row}.${layout.resourceColumns.id}` };
      if (key === 'meta') return metaSource(scope, row);
      if (model.members && key === model.members.attribute) return membersSource(scope, row, model.name);
      const relation = model.memberOf.find((r) => r.attribute === key);
      if (relation) return reverseSource(scope, row, relation);
      return { kind: 'json', sql: `(${row}.${layout.resourceColumns.data} -> ${params.text(key)})` };
    },
    textColumn(key) {
      const column = attributeColumn(layout, model.name, key);
      return column === undefined ? undefined : { sql: `${row}.${column.sql}`, folded: column.folded };
    },
  };
}
