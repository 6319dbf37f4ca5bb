import { ident, qualified, type StorageNames, TENANT_SETTING } from './storage-names.js';
import { registryStatements } from './registry-tables.js';
import { sqlFunctionStatements } from './sql-functions.js';
import { createSqlLayout } from './sql-layout.js';
import { TABLE_NAMES, tableSet } from './table-set.js';

/** How one table set is placed: whether row-level security guards it. */
export interface PlacementKind {
  /** True for the `standard` schema: row-level security on every table, forced, for the RLS role. */
  readonly rls: boolean;
}

/**
 * One step of the schema's history. Steps run in version order, each once, recorded in
 * `<schema>.scim_migrations`; a step is never edited after release, a change is a new step.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  /** Statements run once per database (metadata, the pooled schemas, roles). */
  readonly global: (names: StorageNames) => readonly string[];
  /** Statements run in every table set: the shared and standard schemas, and each strict tenant's schema. */
  readonly tableSet: (schema: string, kind: PlacementKind, names: StorageNames) => readonly string[];
}

function createRole(role: string): string {
  // Roles belong to the cluster: another database may have created it already, even concurrently.
  return `DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${role}') THEN
    CREATE ROLE ${ident(role)} NOLOGIN NOSUPERUSER NOBYPASSRLS;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$`;
}

function joinRole(role: string): string {
  // The migrating role joins the RLS role so that it (and an application connecting as it) may switch to it.
  return `DO $$ BEGIN
  IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AND NOT pg_has_role(current_user, '${role}', 'MEMBER') THEN
    EXECUTE format('GRANT %I TO %I', '${role}', current_user);
  END IF;
END $$`;
}

/**
 * The tables of one placement. `userName` and `displayName` (case-insensitive) are kept folded by
 * `String.prototype.toLowerCase`, exactly as the in-memory engine compares them, in plain columns:
 * comparing a plain column with a parameter is leakproof, so row-level security never stops these
 * indexes from being used (an index on `lower(column)` would be, for a standard tenant).
 */
function tablesV1(schema: string): string[] {
  const t = tableSet(schema, 'unused');
  const ix = (name: string) => ident(`${name}`);
  return [
    `CREATE TABLE ${t.resources} (
  tenant_id text COLLATE "C" NOT NULL,
  resource_type text COLLATE "C" NOT NULL,
  id text COLLATE "C" NOT NULL,
  version bigint NOT NULL,
  created timestamptz NOT NULL,
  last_modified timestamptz NOT NULL,
  user_name_folded text COLLATE "C",
  external_id text COLLATE "C",
  display_name_folded text COLLATE "C",
  member_count integer NOT NULL DEFAULT 0,
  data jsonb NOT NULL,
  PRIMARY KEY (tenant_id, resource_type, id)
)`,
    `CREATE INDEX ${ix('scim_resources_user_name')} ON ${t.resources} (tenant_id, resource_type, user_name_folded, id)`,
    `CREATE INDEX ${ix('scim_resources_external_id')} ON ${t.resources} (tenant_id, resource_type, external_id, id)`,
    `CREATE INDEX ${ix('scim_resources_display_name')} ON ${t.resources} (tenant_id, resource_type, display_name_folded, id)`,
    `CREATE INDEX ${ix('scim_resources_created')} ON ${t.resources} (tenant_id, resource_type, created, id)`,
    `CREATE INDEX ${ix('scim_resources_last_modified')} ON ${t.resources} (tenant_id, resource_type, last_modified, id)`,
    `CREATE INDEX ${ix('scim_resources_by_id')} ON ${t.resources} (tenant_id, id)`,
    `CREATE TABLE ${t.members} (
  tenant_id text COLLATE "C" NOT NULL,
  container_type text COLLATE "C" NOT NULL,
  container_id text COLLATE "C" NOT NULL,
  member_id text COLLATE "C" NOT NULL,
  member_type text,
  display text,
  PRIMARY KEY (tenant_id, container_type, container_id, member_id)
)`,
    `CREATE INDEX ${ix('scim_members_reverse')} ON ${t.members} (tenant_id, member_id, container_type, container_id)`,
    `CREATE TABLE ${t.uniqueValues} (
  tenant_id text COLLATE "C" NOT NULL,
  resource_type text COLLATE "C" NOT NULL,
  key text COLLATE "C" NOT NULL,
  value_hash text COLLATE "C" NOT NULL,
  id text COLLATE "C" NOT NULL,
  PRIMARY KEY (tenant_id, resource_type, key, value_hash)
)`,
    `CREATE INDEX ${ix('scim_unique_values_owner')} ON ${t.uniqueValues} (tenant_id, resource_type, id)`,
    `CREATE TABLE ${t.counts} (
  tenant_id text COLLATE "C" NOT NULL,
  resource_type text COLLATE "C" NOT NULL,
  resources bigint NOT NULL,
  PRIMARY KEY (tenant_id, resource_type)
)`,
  ];
}

function rowLevelSecurityV1(schema: string, role: string): string[] {
  const out: string[] = [];
  for (const table of Object.values(TABLE_NAMES)) {
    const name = qualified(schema, table);
    out.push(
      `ALTER TABLE ${name} ENABLE ROW LEVEL SECURITY`,
      `ALTER TABLE ${name} FORCE ROW LEVEL SECURITY`,
      `CREATE POLICY scim_tenant_isolation ON ${name} USING (tenant_id = current_setting('${TENANT_SETTING}', true)) WITH CHECK (tenant_id = current_setting('${TENANT_SETTING}', true))`,
      `GRANT SELECT, INSERT, UPDATE, DELETE ON ${name} TO ${ident(role)}`,
    );
  }
  return out;
}

/**
 * The audit outbox: each tenant's events in one sequence without gaps (a head row per tenant,
 * moved by the transaction that writes, so sequence order is commit order), and the publisher's
 * delivery position per tenant. Global, beside the tenant registry: rows name their tenant.
 */
function auditOutboxV3(names: StorageNames): string[] {
  const heads = qualified(names.meta, 'scim_audit_heads');
  const events = qualified(names.meta, 'scim_audit_events');
  return [
    `CREATE TABLE ${heads} (
  tenant_id text COLLATE "C" PRIMARY KEY,
  last_sequence bigint NOT NULL
)`,
    `CREATE TABLE ${events} (
  tenant_id text COLLATE "C" NOT NULL,
  sequence bigint NOT NULL,
  event_id uuid NOT NULL DEFAULT gen_random_uuid(),
  recorded timestamptz NOT NULL DEFAULT now(),
  event jsonb NOT NULL,
  PRIMARY KEY (tenant_id, sequence)
)`,
    `CREATE INDEX ${ident('scim_audit_events_recorded')} ON ${events} (recorded)`,
    `CREATE TABLE ${qualified(names.meta, 'scim_event_deliveries')} (
  tenant_id text COLLATE "C" PRIMARY KEY,
  delivered bigint NOT NULL DEFAULT 0,
  attempts integer NOT NULL DEFAULT 0,
  next_attempt timestamptz,
  lease_owner text,
  lease_until timestamptz,
  last_error text
)`,
  ];
}

/** Every migration, in order. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'tenant registry, pooled schemas, SQL functions, resources, members, unique values, counts, row-level security',
    global: (names) => [
      `CREATE TABLE ${qualified(names.meta, 'scim_tenants')} (
  tenant_id text COLLATE "C" PRIMARY KEY,
  isolation_level text NOT NULL CHECK (isolation_level IN ('shared', 'standard', 'strict')),
  schema_name text NOT NULL,
  table_version integer NOT NULL,
  registered timestamptz NOT NULL DEFAULT now()
)`,
      `CREATE SCHEMA IF NOT EXISTS ${ident(names.shared)}`,
      `CREATE SCHEMA IF NOT EXISTS ${ident(names.standard)}`,
      createRole(names.rlsRole),
      joinRole(names.rlsRole),
      `GRANT USAGE ON SCHEMA ${ident(names.standard)} TO ${ident(names.rlsRole)}`,
      // The functions filters and sorts call (case fold, dateTime key), in the metadata schema.
      ...sqlFunctionStatements(createSqlLayout({ functionSchema: names.meta })),
      `GRANT USAGE ON SCHEMA ${ident(names.meta)} TO ${ident(names.rlsRole)}`,
    ],
    tableSet: (schema, kind, names) => [...tablesV1(schema), ...(kind.rls ? rowLevelSecurityV1(schema, names.rlsRole) : [])],
  },
  {
    version: 2,
    name: 'tenant registry for PostgresTenantResolver (tenants, token digests, change revision and notification), shared rate-limit buckets',
    global: (names) => registryStatements(names),
    tableSet: () => [],
  },
  {
    version: 3,
    name: 'audit outbox: events per tenant in commit order, event delivery positions',
    global: auditOutboxV3,
    tableSet: () => [],
  },
];

/** The version a database reaches when every migration has run. */
export const LATEST_VERSION = MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);
