import type { SqlClient, SqlQueryable, SqlResult } from './sql-client.js';

/** The part of a `pg` client (`PoolClient`) the adapter uses. */
export interface PgPoolClientLike {
  query(text: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  release(destroy?: boolean | Error): void;
  on?(event: 'error', listener: (error: Error) => void): unknown;
  off?(event: 'error', listener: (error: Error) => void): unknown;
}

/** The part of a `pg.Pool` the adapter uses; `new pg.Pool(...)` fits. */
export interface PgPoolLike {
  query(text: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  connect(): Promise<PgPoolClientLike>;
  end(): Promise<void>;
  on?(event: 'error', listener: (error: Error) => void): unknown;
}

/**
 * A connection lost while it is checked out (the server restarted, or terminated it) makes its
 * statement fail; `pg` also emits the error on the client, which must not crash the process.
 */
function ignoreLostConnection(): void {}

function run(
  target: { query(text: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }> },
  text: string,
  params?: readonly unknown[],
): Promise<SqlResult> {
  return target.query(text, params ? [...params] : []).then((r) => ({ rows: r.rows }));
}

/**
 * A {@link SqlClient} over a `pg.Pool` (the `pg` package, a PostgreSQL server). Statements outside a
 * transaction take any free connection; a transaction holds one connection until it ends, and a
 * connection whose `ROLLBACK` failed is destroyed rather than returned to the pool.
 *
 * ```ts
 * import pg from 'pg';
 * const client = pgPoolClient(new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 }));
 * ```
 */
export function pgPoolClient(pool: PgPoolLike): SqlClient {
  return {
    query: (text, params) => run(pool, text, params),
    async transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T> {
      const connection = await pool.connect();
      connection.on?.('error', ignoreLostConnection);
      let broken: Error | undefined;
      try {
        await connection.query('BEGIN');
        const result = await work({ query: (text, params) => run(connection, text, params) });
        await connection.query('COMMIT');
        return result;
      } catch (error) {
        try {
          await connection.query('ROLLBACK');
        } catch (rollbackError) {
          broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
        }
        throw error;
      } finally {
        connection.off?.('error', ignoreLostConnection);
        connection.release(broken ?? false);
      }
    },
    close: () => pool.end(),
  };
}

/**
 * Opens a `pg.Pool` on `connectionString` (loading the optional `pg` package) and wraps it in
 * {@link pgPoolClient}. `max` is the pool size (default 10, as `pg`'s own default).
 */
export async function connectPostgres(connectionString: string, options: { max?: number; applicationName?: string } = {}): Promise<SqlClient> {
  const pg = await loadPg();
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    ...(options.applicationName !== undefined ? { application_name: options.applicationName } : {}),
  });
  // An idle connection the server closes is dropped by the pool and replaced on the next query.
  pool.on?.('error', ignoreLostConnection);
  return pgPoolClient(pool);
}

interface PgModule {
  Pool: new (config: Record<string, unknown>) => PgPoolLike;
}

async function loadPg(): Promise<PgModule> {
  const name = 'pg';
  try {
    const mod = (await import(name)) as { default?: PgModule } & Partial<PgModule>;
    const pg = mod.Pool ? (mod as PgModule) : mod.default;
    if (!pg?.Pool) throw new Error('the module has no Pool');
    return pg;
  } catch (error) {
    throw new Error(`connectPostgres needs the optional peer dependency "pg" (npm install pg): ${error instanceof Error ? error.message : String(error)}`);
  }
}
