/**
 * The rows of one statement. Column values arrive as the driver parses them; the storage selects
 * only types both bundled clients parse alike (text, integers, booleans and JSON).
 */
export interface SqlResult {
  rows: Record<string, unknown>[];
}

/** Something that runs one parameterized statement: a connection, a pool, or a transaction. */
export interface SqlQueryable {
  /**
   * Runs `text` with `$1`, `$2`, ... bound to `params`. Values are only ever passed as parameters:
   * strings, numbers, booleans, `null`, and arrays of strings (for `= ANY($n::text[])`).
   */
  query(text: string, params?: readonly unknown[]): Promise<SqlResult>;
}

/**
 * The minimal database client {@link PostgresStorage} needs: statements, and transactions that
 * hold one connection from `BEGIN` to `COMMIT` (or `ROLLBACK` when `work` throws).
 *
 * Two are bundled: {@link pgPoolClient} over a `pg.Pool` (a PostgreSQL server) and
 * {@link pgliteClient} over PGlite (PostgreSQL compiled to WebAssembly, in memory or in a
 * directory). Anything else that speaks PostgreSQL's SQL can implement it in a few lines.
 */
export interface SqlClient extends SqlQueryable {
  /**
   * Runs `work` in one transaction on one connection; commits when it resolves, rolls back and
   * rethrows when it rejects. Statements of `work` must go through the `tx` it receives.
   */
  transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T>;
  /** Releases the connections (optional). */
  close?(): Promise<void>;
}
