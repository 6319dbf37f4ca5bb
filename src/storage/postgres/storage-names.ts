/** Options that name what {@link PostgresStorage} creates in the database. */
export interface StorageNameOptions {
  /**
   * Prefix of every schema the storage creates (default `scim`): metadata (migrations, the tenant
   * registry) in `<schema>`, `shared` tenants in `<schema>_shared`, `standard` tenants in
   * `<schema>_standard`, and each `strict` tenant in a schema of its own, `<schema>_t_<name>_<hash>`.
   * Lower-case letters, digits and `_`, at most 20 characters.
   */
  schema?: string;
  /**
   * The role every transaction of a `standard` tenant switches to (default `scim_rls`), so that
   * row-level security applies even when the application connects as a superuser or as the owner
   * of the tables. `migrate()` creates it (`NOLOGIN`) when it does not exist.
   */
  rlsRole?: string;
}

/** The names of what the storage creates, checked once. */
export interface StorageNames {
  readonly meta: string;
  readonly shared: string;
  readonly standard: string;
  readonly strictPrefix: string;
  readonly rlsRole: string;
}

/** The per-transaction setting that row-level security policies compare `tenant_id` with. */
export const TENANT_SETTING = 'scim.tenant_id';

const SCHEMA_PREFIX = /^[a-z_][a-z0-9_]{0,19}$/;
const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Checks the naming options and derives every schema name.
 *
 * @throws TypeError naming the option when a name is not of the accepted form.
 */
export function storageNames(options: StorageNameOptions = {}): StorageNames {
  const schema = options.schema ?? 'scim';
  const rlsRole = options.rlsRole ?? 'scim_rls';
  if (typeof schema !== 'string' || !SCHEMA_PREFIX.test(schema)) {
    throw new TypeError(`PostgresStorage option "schema" must be lower-case letters, digits and _ (at most 20 characters), got ${JSON.stringify(schema)}`);
  }
  if (typeof rlsRole !== 'string' || !ROLE_NAME.test(rlsRole)) {
    throw new TypeError(`PostgresStorage option "rlsRole" must be lower-case letters, digits and _, got ${JSON.stringify(rlsRole)}`);
  }
  return { meta: schema, shared: `${schema}_shared`, standard: `${schema}_standard`, strictPrefix: `${schema}_t_`, rlsRole };
}

/** `name` as a quoted SQL identifier. Only names this module checked or derived are ever quoted. */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** `"schema"."table"`. */
export function qualified(schema: string, table: string): string {
  return `${ident(schema)}.${ident(table)}`;
}

/**
 * The schema of a `strict` tenant: the prefix, up to 12 characters of the tenant id made safe, and
 * 96 bits of the SHA-256 of the whole id (so distinct tenants never share a schema, and any tenant
 * id, whatever its characters or length, yields a valid name under PostgreSQL's 63 bytes).
 */
export async function strictSchemaName(names: StorageNames, tenantId: string): Promise<string> {
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(tenantId)));
  const hash = Array.from(digest.subarray(0, 12), (b) => b.toString(16).padStart(2, '0')).join('');
  const slug = tenantId
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .slice(0, 12)
    .replace(/^_+|_+$/g, '');
  return `${names.strictPrefix}${slug === '' ? '' : `${slug}_`}${hash}`;
}
