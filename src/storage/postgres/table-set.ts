import { createSqlLayout, type SqlLayout } from './sql-layout.js';
import { qualified } from './storage-names.js';

/** The tables every placement (the shared schema, the standard schema, each strict tenant's schema) holds. */
export const TABLE_NAMES = {
  resources: 'scim_resources',
  members: 'scim_members',
  uniqueValues: 'scim_unique_values',
  counts: 'scim_resource_counts',
} as const;

/** The quoted, schema-qualified names of one placement's tables, ready to put into SQL. */
export interface TableSet {
  /** The schema, unquoted. */
  readonly schema: string;
  /** One row per resource: columns for the frequent lookups, the rest of the body as JSONB. */
  readonly resources: string;
  /** One row per (group, member). */
  readonly members: string;
  /** One row per (resource type, unique key, value): uniqueness checked by the primary key. */
  readonly uniqueValues: string;
  /** One row per (tenant, resource type): how many resources it holds, the quota's lock. */
  readonly counts: string;
  /** The names the filter and sort compilers need, with the SQL functions in `functionSchema`. */
  readonly layout: SqlLayout;
}

/**
 * The table set of a schema; the compilers' SQL functions live in `functionSchema` (the storage's
 * metadata schema, created by its migrations).
 */
export function tableSet(schema: string, functionSchema: string): TableSet {
  return {
    schema,
    resources: qualified(schema, TABLE_NAMES.resources),
    members: qualified(schema, TABLE_NAMES.members),
    uniqueValues: qualified(schema, TABLE_NAMES.uniqueValues),
    counts: qualified(schema, TABLE_NAMES.counts),
    layout: createSqlLayout({ schema, functionSchema }),
  };
}
