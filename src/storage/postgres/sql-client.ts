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
  /**
   * Subscribes to a notification channel (`LISTEN`), optional. `onNotification` receives the
   * payload of each `NOTIFY` (or `pg_notify`) on `channel` committed after the subscription started;
   * `onLost` is called once if the subscription ends without {@link SqlSubscription.close} (its
   * connection was lost), after which no notification arrives: subscribe again.
   *
   * On a server, `LISTEN` holds a connection of its own for as long as the subscription lasts (a
   * pooled connection would hand the subscription to whichever statement takes it next). PGlite
   * delivers the notifications of its own statements, within the one process that runs it.
   * `channel` is a lower-case identifier: letters, digits and `_`.
   */
  listen?(channel: string, onNotification: (payload: string) => void, onLost: (error: Error) => void): Promise<SqlSubscription>;
}

/** A subscription made by {@link SqlClient.listen}. */
export interface SqlSubscription {
  /** Ends the subscription (`UNLISTEN`) and releases its connection. */
  close(): Promise<void>;
}
