import { PGlite } from '@electric-sql/pglite';
import type { FilterNode, SortSpec } from '../../../src/query/ast.js';
import type { ResourceTypeModel } from '../../../src/schema/membership.js';
import type { ResourceSchema } from '../../../src/schema/resource-schema.js';
import { SchemaRegistry } from '../../../src/schema/schema-registry.js';
import type { ScimObject, ScimResource } from '../../../src/schema/types.js';
import { compileSqlFilter } from '../../../src/storage/postgres/sql-filter.js';
import { sqlFunctionStatements } from '../../../src/storage/postgres/sql-functions.js';
import type { KeysetPosition } from '../../../src/storage/postgres/sql-keyset.js';
import { keysetCondition } from '../../../src/storage/postgres/sql-keyset.js';
import type { SqlLayout } from '../../../src/storage/postgres/sql-layout.js';
import { createSqlLayout } from '../../../src/storage/postgres/sql-layout.js';
import { SqlParams } from '../../../src/storage/postgres/sql-params.js';
import type { SqlSortPlan } from '../../../src/storage/postgres/sql-sort.js';
import { compileSqlSort } from '../../../src/storage/postgres/sql-sort.js';

/**
 * Tables of the PostgreSQL data model (docs in src/storage/postgres/sql-layout.ts), created in an
 * in-memory PGlite, to run compiled SQL against the same data the in-memory engine sees.
 */
const TABLES = [
  `CREATE TABLE scim_resources (
    tenant_id text COLLATE "C" NOT NULL,
    resource_type text COLLATE "C" NOT NULL,
    id text COLLATE "C" NOT NULL,
    version bigint NOT NULL,
    created timestamptz NOT NULL,
    last_modified timestamptz NOT NULL,
    user_name_folded text COLLATE "C",
    external_id text COLLATE "C",
    display_name_folded text COLLATE "C",
    data jsonb NOT NULL,
    PRIMARY KEY (tenant_id, resource_type, id))`,
  'CREATE INDEX scim_resources_user_name ON scim_resources (tenant_id, resource_type, user_name_folded, id)',
  'CREATE INDEX scim_resources_external_id ON scim_resources (tenant_id, resource_type, external_id, id)',
  'CREATE INDEX scim_resources_display_name ON scim_resources (tenant_id, resource_type, display_name_folded, id)',
  `CREATE TABLE scim_members (
    tenant_id text COLLATE "C" NOT NULL,
    container_type text COLLATE "C" NOT NULL,
    container_id text COLLATE "C" NOT NULL,
    member_id text COLLATE "C" NOT NULL,
    member_type text COLLATE "C",
    display text COLLATE "C",
    PRIMARY KEY (tenant_id, container_type, container_id, member_id))`,
  'CREATE INDEX scim_members_reverse ON scim_members (tenant_id, member_id)',
];

/** A database with the model's tables and the compilers' functions. */
export interface SqlFixture {
  readonly db: PGlite;
  readonly layout: SqlLayout;
}

export async function createSqlFixture(): Promise<SqlFixture> {
  const db = new PGlite();
  const layout = createSqlLayout();
  for (const statement of [...sqlFunctionStatements(layout), ...TABLES]) await db.exec(statement);
  return { db, layout };
}

/** One resource as the model stores it. */
export interface StoredRow {
  tenantId: string;
  resourceType: string;
  id: string;
  version: number;
  created: string;
  lastModified: string;
  data: ScimObject;
  members: { value: string; type?: string; display?: string }[];
}

const DERIVED: Record<string, string> = { Group: 'members', User: 'groups' };

/** A resource as a read returns it (a Group with members, a User with groups), split into a row. */
export function rowOf(tenantId: string, resource: ScimResource): StoredRow {
  const { id, meta, ...rest } = resource;
  const derived = DERIVED[meta.resourceType];
  const data: ScimObject = {};
  for (const [key, value] of Object.entries(rest)) if (key !== derived) data[key] = value;
  const members = meta.resourceType === 'Group' && Array.isArray(resource.members) ? (resource.members as StoredRow['members']) : [];
  const version = Number(/^W\/"(\d+)"$/.exec(meta.version)?.[1]);
  return { tenantId, resourceType: meta.resourceType, id, version, created: meta.created, lastModified: meta.lastModified, data, members };
}

function stringOr(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

const RESOURCE_RECORD =
  'tenant_id text, resource_type text, id text, version bigint, created timestamptz, last_modified timestamptz, user_name_folded text, external_id text, display_name_folded text, data jsonb';
const MEMBER_RECORD = 'tenant_id text, container_type text, container_id text, member_id text, member_type text, display text';

/** Inserts rows (with their members) in two statements. */
export async function insertRows(fixture: SqlFixture, rows: readonly StoredRow[]): Promise<void> {
  const resources = rows.map((row) => ({
    tenant_id: row.tenantId,
    resource_type: row.resourceType,
    id: row.id,
    version: row.version,
    created: row.created,
    last_modified: row.lastModified,
    user_name_folded: stringOr(row.data.userName)?.toLowerCase() ?? null,
    external_id: stringOr(row.data.externalId),
    display_name_folded: stringOr(row.data.displayName)?.toLowerCase() ?? null,
    data: row.data,
  }));
  const members = rows.flatMap((row) =>
    row.members.map((member) => ({
      tenant_id: row.tenantId,
      container_type: row.resourceType,
      container_id: row.id,
      member_id: member.value,
      member_type: member.type ?? null,
      display: member.display ?? null,
    })),
  );
  await fixture.db.query(`INSERT INTO scim_resources SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(${RESOURCE_RECORD})`, [JSON.stringify(resources)]);
  await fixture.db.query(`INSERT INTO scim_members SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(${MEMBER_RECORD})`, [JSON.stringify(members)]);
}

const REGISTRY = new SchemaRegistry();

/** The model of a type as a server passes it: the built-in ones from the registry, others without memberships. */
export function modelOf(schema: ResourceSchema): ResourceTypeModel {
  const name = schema.resourceType.name;
  return REGISTRY.model(name) ?? { name, memberOf: [] };
}

/** What to select. */
export interface SqlSelect {
  tenantId: string;
  schema: ResourceSchema;
  filter?: FilterNode;
  sort?: SortSpec;
  /** 0-based offset (index paging). */
  offset?: number;
  limit?: number;
  /** Keyset position (cursor paging): the page after it. */
  after?: KeysetPosition;
  /** Keyset position: the page before it (read in reverse order, returned in order). */
  before?: KeysetPosition;
}

/** The statement a storage would send for a select, with its parameters. */
export function selectStatement(fixture: SqlFixture, select: SqlSelect): { text: string; params: unknown[]; plan: SqlSortPlan } {
  const params = new SqlParams([select.tenantId, select.schema.resourceType.name]);
  const context = { layout: fixture.layout, schema: select.schema, model: modelOf(select.schema), params, tenant: '$1::text' };
  const where = select.filter ? compileSqlFilter(select.filter, context) : 'TRUE';
  const plan = compileSqlSort(select.sort, context);
  const after = select.after ? keysetCondition(plan, select.after, params) : select.before ? keysetCondition(plan, select.before, params, 'before') : 'TRUE';
  const limit = select.limit === undefined ? '' : ` LIMIT ${Number(select.limit)}`;
  const offset = select.offset ? ` OFFSET ${Number(select.offset)}` : '';
  const text = `SELECT r.id, ${plan.keyText} AS sort_key FROM scim_resources AS r
    WHERE r.tenant_id = $1::text AND r.resource_type = $2::text AND (${where}) AND (${after})
    ORDER BY ${select.before ? plan.reverseOrderBy : plan.orderBy}${limit}${offset}`;
  return { text, params: params.values, plan };
}

/** Ids (and sort keys) the SQL selects. */
export async function selectRows(fixture: SqlFixture, select: SqlSelect): Promise<{ id: string; sort_key: string | null }[]> {
  const { text, params } = selectStatement(fixture, select);
  const rows = (await fixture.db.query<{ id: string; sort_key: string | null }>(text, params)).rows;
  return select.before ? rows.reverse() : rows;
}
