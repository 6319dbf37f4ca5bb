/**
 * Where SCIM data lives in PostgreSQL, as the SQL compilers see it: table, column and function names
 * as quoted SQL identifiers. Names come only from trusted configuration (never from a request) and
 * are quoted here once, so every statement uses them the same way.
 *
 * The data model the compilers assume:
 *
 * - One row per resource: `tenant_id`, `resource_type`, `id` (text), `version` (bigint; `meta.version`
 *   is `W/"<version>"`), `created` and `last_modified` (timestamptz; `meta.created` and
 *   `meta.lastModified` denote exactly these instants), and `data` (jsonb): the resource as the
 *   in-memory storage keeps it, without `id`, `meta` and the membership attributes, with `schemas`
 *   holding only the strings of the body's `schemas`. Text columns should be `COLLATE "C"`: ids and
 *   sort keys compare in code-point order, as in memory.
 * - Optional attribute columns: a top-level, single-valued core attribute copied into a text column
 *   of its own, holding the value when it is a JSON string (lower-cased by `toLowerCase` when the
 *   column is `folded`) and NULL otherwise: `user_name_folded`, `external_id`, `display_name_folded`.
 *   Comparisons with a string use the column (and its index; a plain column compared with a
 *   parameter stays usable under row-level security); `pr` and `eq null` read `data`.
 * - One row per membership: `container_type` and `container_id` (the group), `member_id`,
 *   `member_type` (the member's `type`, NULL when it has none) and `display` (NULL when none). The
 *   members attribute of a type that holds members, and the reverse attributes of its member types
 *   (`groups`), come from this table (the resource type's `ResourceTypeModel`).
 * - Two SQL functions created by {@link sqlFunctionStatements}: the case fold of
 *   `String.prototype.toLowerCase` and the dateTime key of `dateTimeKey`.
 *
 * No string in the data may contain U+0000 or an unpaired surrogate: PostgreSQL text cannot hold
 * them, so the storage refuses such values before they reach SQL.
 */
export interface SqlLayout {
  /** The resources table, quoted and qualified. */
  readonly resources: string;
  /** Quoted column names of the resources table. */
  readonly resourceColumns: ResourceColumns;
  /** Attribute columns: resource type (`*` for every type) → canonical attribute name → column. */
  readonly attributeColumns: ReadonlyMap<string, ReadonlyMap<string, SqlAttributeColumn>>;
  /** The memberships table, quoted and qualified. */
  readonly members: string;
  /** Quoted column names of the memberships table. */
  readonly memberColumns: MemberColumns;
  /** Quoted, qualified names of the SQL functions (see {@link sqlFunctionStatements}). */
  readonly functions: SqlFunctionNames;
}

/** Columns of the resources table. */
export interface ResourceColumns {
  readonly tenantId: string;
  readonly resourceType: string;
  readonly id: string;
  readonly version: string;
  readonly created: string;
  readonly lastModified: string;
  readonly data: string;
}

/** Columns of the memberships table. */
export interface MemberColumns {
  readonly tenantId: string;
  readonly containerType: string;
  readonly containerId: string;
  readonly memberId: string;
  readonly memberType: string;
  readonly display: string;
}

/** A column holding a top-level string attribute (see {@link SqlLayout}). */
export interface SqlAttributeColumn {
  /** The column, quoted. */
  readonly sql: string;
  /** True when it holds the value lower-cased by `toLowerCase`. */
  readonly folded: boolean;
}

/** Names of the SQL functions the compiled SQL calls. */
export interface SqlFunctionNames {
  /** `fold(text) → text`: `String.prototype.toLowerCase`. */
  readonly fold: string;
  /** The part of `fold` for text that is not all ASCII. */
  readonly foldFull: string;
  /** `dateTimeKey(text) → text`: the chronological key of an `xsd:dateTime`, NULL when invalid. */
  readonly dateTimeKey: string;
}

/** An attribute held in a column of its own (see {@link SqlLayout}). */
export interface AttributeColumn {
  /** Canonical name of a top-level, single-valued core attribute of type string or reference. */
  readonly attribute: string;
  /** Column name (unquoted). */
  readonly column: string;
  /** The resource type it applies to; every type when absent. */
  readonly resourceType?: string;
  /** True when the column holds the value lower-cased by `toLowerCase` (usable for case-insensitive attributes only). */
  readonly folded?: boolean;
}

/** Options of {@link createSqlLayout}; every name is unquoted, and every option has a default. */
export interface SqlLayoutOptions {
  /** Schema of the tables; unqualified (the search path decides) when absent. */
  readonly schema?: string;
  /**
   * Schema of the functions; default `public`. Always explicit: an index calls the fold function,
   * and PostgreSQL 17 and later run index maintenance with a search path of `pg_catalog` only.
   */
  readonly functionSchema?: string;
  /** Default `scim_resources`. */
  readonly resourcesTable?: string;
  /** Default `scim_members`. */
  readonly membersTable?: string;
  readonly resourceColumns?: Partial<Record<keyof ResourceColumns, string>>;
  readonly memberColumns?: Partial<Record<keyof MemberColumns, string>>;
  /** Default: `userName` in `user_name_folded` and `displayName` in `display_name_folded` (both folded), `externalId` in `external_id`, for every type. */
  readonly attributeColumns?: readonly AttributeColumn[];
  /** Unqualified function names; defaults `scim_fold_v1`, `scim_fold_full_v1`, `scim_datetime_key_v1`. */
  readonly functionNames?: Partial<Record<keyof SqlFunctionNames, string>>;
}

const RESOURCE_COLUMNS: Record<keyof ResourceColumns, string> = {
  tenantId: 'tenant_id',
  resourceType: 'resource_type',
  id: 'id',
  version: 'version',
  created: 'created',
  lastModified: 'last_modified',
  data: 'data',
};

const MEMBER_COLUMNS: Record<keyof MemberColumns, string> = {
  tenantId: 'tenant_id',
  containerType: 'container_type',
  containerId: 'container_id',
  memberId: 'member_id',
  memberType: 'member_type',
  display: 'display',
};

const FUNCTION_NAMES: Record<keyof SqlFunctionNames, string> = {
  fold: 'scim_fold_v1',
  foldFull: 'scim_fold_full_v1',
  dateTimeKey: 'scim_datetime_key_v1',
};

const DEFAULT_ATTRIBUTE_COLUMNS: readonly AttributeColumn[] = [
  { attribute: 'userName', column: 'user_name_folded', folded: true },
  { attribute: 'externalId', column: 'external_id' },
  { attribute: 'displayName', column: 'display_name_folded', folded: true },
];

const OPTION_KEYS = new Set([
  'schema',
  'functionSchema',
  'resourcesTable',
  'membersTable',
  'resourceColumns',
  'memberColumns',
  'attributeColumns',
  'functionNames',
]);

/**
 * Quotes an SQL identifier: `"name"`, with inner double quotes doubled.
 *
 * @throws TypeError naming `key` for an empty name, one with U+0000, or one longer than 63 bytes
 *   (PostgreSQL would silently truncate it).
 */
export function quoteIdentifier(name: string, key = 'identifier'): string {
  if (typeof name !== 'string' || name.length === 0 || name.includes('\u0000') || new TextEncoder().encode(name).length > 63) {
    throw new TypeError(`SQL layout: ${key} must be a non-empty name of at most 63 bytes without U+0000, not ${JSON.stringify(name)}`);
  }
  return `"${name.replace(/"/g, '""')}"`;
}

function qualified(schema: string | undefined, name: string, key: string): string {
  const quoted = quoteIdentifier(name, key);
  return schema === undefined ? quoted : `${quoteIdentifier(schema, 'schema')}.${quoted}`;
}

function quoteAll<K extends string>(defaults: Record<K, string>, given: Partial<Record<K, string>> | undefined, key: string): Record<K, string> {
  const out = {} as Record<K, string>;
  for (const name of Object.keys(defaults) as K[]) out[name] = quoteIdentifier(given?.[name] ?? defaults[name], `${key}.${name}`);
  for (const name of Object.keys(given ?? {})) {
    if (!(name in defaults)) throw new TypeError(`SQL layout: unknown key ${key}.${name}`);
  }
  return out;
}

function attributeColumnMap(list: readonly AttributeColumn[]): ReadonlyMap<string, ReadonlyMap<string, SqlAttributeColumn>> {
  const out = new Map<string, Map<string, SqlAttributeColumn>>();
  list.forEach((entry, i) => {
    const type = entry.resourceType ?? '*';
    let columns = out.get(type);
    if (!columns) {
      columns = new Map();
      out.set(type, columns);
    }
    if (typeof entry.attribute !== 'string' || entry.attribute === '') throw new TypeError(`SQL layout: attributeColumns[${i}].attribute must be a name`);
    columns.set(entry.attribute, { sql: quoteIdentifier(entry.column, `attributeColumns[${i}].column`), folded: entry.folded === true });
  });
  return out;
}

/**
 * Builds a {@link SqlLayout} from names, quoting each; the defaults are the tables of the PostgreSQL
 * storage's migrations. A storage with a schema per tenant builds one layout per schema.
 *
 * @throws TypeError naming the option, for an unknown key or a name that is not a valid identifier.
 */
export function createSqlLayout(options: SqlLayoutOptions = {}): SqlLayout {
  for (const key of Object.keys(options)) if (!OPTION_KEYS.has(key)) throw new TypeError(`SQL layout: unknown key ${key}`);
  const functionSchema = options.functionSchema ?? 'public';
  const names = { ...FUNCTION_NAMES, ...options.functionNames };
  const functions: SqlFunctionNames = {
    fold: qualified(functionSchema, names.fold, 'functionNames.fold'),
    foldFull: qualified(functionSchema, names.foldFull, 'functionNames.foldFull'),
    dateTimeKey: qualified(functionSchema, names.dateTimeKey, 'functionNames.dateTimeKey'),
  };
  return Object.freeze({
    resources: qualified(options.schema, options.resourcesTable ?? 'scim_resources', 'resourcesTable'),
    resourceColumns: Object.freeze(quoteAll(RESOURCE_COLUMNS, options.resourceColumns, 'resourceColumns')),
    attributeColumns: attributeColumnMap(options.attributeColumns ?? DEFAULT_ATTRIBUTE_COLUMNS),
    members: qualified(options.schema, options.membersTable ?? 'scim_members', 'membersTable'),
    memberColumns: Object.freeze(quoteAll(MEMBER_COLUMNS, options.memberColumns, 'memberColumns')),
    functions: Object.freeze(functions),
  });
}

/** The column holding `attribute` for resources of `resourceType`, if the layout has one. */
export function attributeColumn(layout: SqlLayout, resourceType: string, attribute: string): SqlAttributeColumn | undefined {
  return layout.attributeColumns.get(resourceType)?.get(attribute) ?? layout.attributeColumns.get('*')?.get(attribute);
}
