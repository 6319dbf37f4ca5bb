import { ident, qualified, type StorageNames } from './storage-names.js';

/** The qualified names of the tenant registry's and the rate limiter's tables, in the metadata schema. */
export interface RegistryTables {
  /** One row per tenant: client id, isolation level, permissions and settings (JSON), suspension. */
  readonly tenants: string;
  /** One row per bearer token: its SHA-256 digest (never the token), label and end of validity. */
  readonly tokens: string;
  /** One row: the registry's revision, raised by every statement that changes it. */
  readonly state: string;
  /** One row per rate-limited tenant: its token bucket. */
  readonly rateBuckets: string;
  /** The function the change triggers call. */
  readonly changed: string;
  /** The `LISTEN`/`NOTIFY` channel of registry changes (a lower-case identifier, unquoted). */
  readonly channel: string;
}

/** The registry's names for storages named by `names`. */
export function registryTables(names: StorageNames): RegistryTables {
  return {
    tenants: qualified(names.meta, 'scim_registry_tenants'),
    tokens: qualified(names.meta, 'scim_registry_tokens'),
    state: qualified(names.meta, 'scim_registry_state'),
    rateBuckets: qualified(names.meta, 'scim_rate_buckets'),
    changed: qualified(names.meta, 'scim_registry_changed'),
    channel: `${names.meta}_registry_changed`,
  };
}

/**
 * Migration 2: the tenant registry and the rate limiter's buckets. Every statement that changes the
 * tenants or the tokens (through the API, the management command or plain SQL) raises the revision
 * and sends a notification on the channel, both only when its transaction commits; resolvers poll
 * the revision and listen on the channel.
 */
export function registryStatements(names: StorageNames): string[] {
  const t = registryTables(names);
  const trigger = (table: string, name: string) =>
    `CREATE TRIGGER ${ident(name)} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION ${t.changed}()`;
  return [
    `CREATE TABLE ${t.tenants} (
  tenant_id text COLLATE "C" PRIMARY KEY,
  client_id text,
  isolation_level text NOT NULL CHECK (isolation_level IN ('shared', 'standard', 'strict')),
  permissions jsonb NOT NULL DEFAULT '{}',
  settings jsonb,
  suspended_at timestamptz,
  created timestamptz NOT NULL DEFAULT now(),
  updated timestamptz NOT NULL DEFAULT now()
)`,
    `CREATE TABLE ${t.tokens} (
  tenant_id text COLLATE "C" NOT NULL REFERENCES ${t.tenants} (tenant_id) ON DELETE CASCADE,
  label text COLLATE "C" NOT NULL,
  digest text COLLATE "C" NOT NULL UNIQUE CHECK (digest ~ '^[0-9a-f]{64}$'),
  created timestamptz NOT NULL DEFAULT now(),
  valid_until timestamptz,
  PRIMARY KEY (tenant_id, label)
)`,
    `CREATE TABLE ${t.state} (singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton), revision bigint NOT NULL)`,
    `INSERT INTO ${t.state} (singleton, revision) VALUES (true, 0)`,
    `CREATE FUNCTION ${t.changed}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE next bigint;
BEGIN
  UPDATE ${t.state} SET revision = revision + 1 RETURNING revision INTO next;
  PERFORM pg_notify('${t.channel}', next::text);
  RETURN NULL;
END $$`,
    trigger(t.tenants, 'scim_registry_tenants_changed'),
    trigger(t.tokens, 'scim_registry_tokens_changed'),
    `CREATE TABLE ${t.rateBuckets} (
  tenant_id text COLLATE "C" PRIMARY KEY,
  tokens double precision NOT NULL,
  updated timestamptz NOT NULL,
  granted boolean NOT NULL
)`,
  ];
}
