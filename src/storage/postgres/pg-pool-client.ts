import { checkChannel } from './notification-channel.js';
import type { SqlClient, SqlQueryable, SqlResult, SqlSubscription } from './sql-client.js';

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

/** A `pg` connection as `LISTEN` uses it: a `pg.Client`, or a `PoolClient` checked out for the purpose. */
export interface PgNotifyingConnectionLike {
  query(text: string): Promise<unknown>;
  on(event: 'notification', listener: (message: { channel: string; payload?: string }) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
}

/** A connection of its own for `LISTEN`, and how to give it back when the subscription ends. */
export interface PgListenConnection {
  readonly connection: PgNotifyingConnectionLike;
  /** Closes (or destroys) the connection. */
  release(): Promise<void> | void;
}

/** Options of {@link pgPoolClient}. */
export interface PgPoolClientOptions {
  /**
   * Opens the connection a {@link SqlClient.listen} subscription holds. By default one connection
   * is checked out of the pool and held until the subscription ends (then destroyed): the pool has
   * one fewer for statements meanwhile. {@link connectPostgres} opens a separate `pg.Client` instead.
   */
  listenConnection?: () => Promise<PgListenConnection>;
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
export function pgPoolClient(pool: PgPoolLike, options: PgPoolClientOptions = {}): SqlClient {
  const open =
    options.listenConnection ??
    (async (): Promise<PgListenConnection> => {
      const pooled = await pool.connect();
      return { connection: pooled as unknown as PgNotifyingConnectionLike, release: () => pooled.release(true) };
    });
  return {
    listen: (channel, onNotification, onLost) => subscribe(open, channel, onNotification, onLost),
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
 * `LISTEN channel` on a connection of its own. A connection that errors or ends reports `onLost`
 * once and is released; `close()` ends the subscription without reporting it.
 */
async function subscribe(
  open: () => Promise<PgListenConnection>,
  channel: string,
  onNotification: (payload: string) => void,
  onLost: (error: Error) => void,
): Promise<SqlSubscription> {
  checkChannel(channel);
  const held = await open();
  let ended = false;
  const end = async (lost?: Error) => {
    if (ended) return;
    ended = true;
    if (lost) onLost(lost);
    await held.release();
  };
  const { connection } = held;
  connection.on('notification', (message) => {
    if (!ended && message.channel === channel) onNotification(message.payload ?? '');
  });
  connection.on('error', (error) => void end(error).catch(() => undefined));
  connection.on('end', () => void end(new Error('the LISTEN connection ended')).catch(() => undefined));
  try {
    await connection.query(`LISTEN ${channel}`);
  } catch (error) {
    ended = true;
    await held.release();
    throw error;
  }
  return {
    close: async () => {
      if (ended) return;
      try {
        await connection.query(`UNLISTEN ${channel}`);
      } finally {
        await end();
      }
    },
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
  const config = { connectionString, ...(options.applicationName !== undefined ? { application_name: options.applicationName } : {}) };
  const listenConnection = async (): Promise<PgListenConnection> => {
    const client = new pg.Client(config);
    client.on('error', ignoreLostConnection);
    await client.connect();
    return { connection: client, release: () => client.end().catch(() => undefined) };
  };
  return pgPoolClient(pool, { listenConnection });
}

interface PgClientLike extends PgNotifyingConnectionLike {
  connect(): Promise<unknown>;
  end(): Promise<void>;
}

interface PgModule {
  Pool: new (config: Record<string, unknown>) => PgPoolLike;
  Client: new (config: Record<string, unknown>) => PgClientLike;
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
