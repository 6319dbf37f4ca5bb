import { checkChannel } from './notification-channel.js';
import type { SqlClient, SqlQueryable, SqlResult, SqlSubscription } from './sql-client.js';

/** The part of a PGlite transaction the adapter uses. */
export interface PGliteTransactionLike {
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
}

/** The part of a PGlite instance the adapter uses; `await PGlite.create(...)` fits. */
export interface PGliteLike extends PGliteTransactionLike {
  transaction<T>(work: (tx: PGliteTransactionLike) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** PGlite's `listen`: resolves to the function that ends the subscription. */
  listen?(channel: string, callback: (payload: string) => void): Promise<() => Promise<void>>;
}

function run(target: PGliteTransactionLike, text: string, params?: readonly unknown[]): Promise<SqlResult> {
  return target.query(text, params ? [...params] : []).then((r) => ({ rows: r.rows as Record<string, unknown>[] }));
}

/**
 * A {@link SqlClient} over PGlite (`@electric-sql/pglite`: PostgreSQL compiled to WebAssembly,
 * running inside this process). PGlite has one connection: statements and transactions queue for
 * it, so a transaction never interleaves with another.
 *
 * PGlite runs as a superuser, which row-level security does not apply to; {@link PostgresStorage}
 * therefore switches to a role of its own for `standard` tenants, on PGlite as on a server.
 *
 * `listen` subscribes through PGlite's own `listen`: notifications reach the subscribers of this
 * PGlite instance, that is of this one process (another process cannot open the same PGlite).
 */
export function pgliteClient(db: PGliteLike): SqlClient {
  const client: SqlClient = {
    query: (text, params) => run(db, text, params),
    transaction: <T>(work: (tx: SqlQueryable) => Promise<T>) => db.transaction((tx) => work({ query: (text, params) => run(tx, text, params) })),
    close: () => db.close(),
  };
  const listen = db.listen?.bind(db);
  if (listen) {
    client.listen = async (channel: string, onNotification: (payload: string) => void): Promise<SqlSubscription> => {
      checkChannel(channel);
      const unlisten = await listen(channel, onNotification);
      return { close: () => unlisten() };
    };
  }
  return client;
}

interface PGliteModule {
  PGlite: { create(dataDir?: string): Promise<PGliteLike> };
}

/**
 * Starts PGlite (loading the optional `@electric-sql/pglite` package) and wraps it in
 * {@link pgliteClient}: in memory without `dataDir`, else persisted in that directory, which a
 * later process can open again (one process at a time).
 */
export async function openPGlite(dataDir?: string): Promise<SqlClient> {
  const name = '@electric-sql/pglite';
  let mod: PGliteModule;
  try {
    mod = (await import(name)) as PGliteModule;
  } catch (error) {
    throw new Error(
      `openPGlite needs the optional peer dependency "@electric-sql/pglite" (npm install @electric-sql/pglite): ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const db = dataDir === undefined ? await mod.PGlite.create() : await mod.PGlite.create(dataDir);
  return pgliteClient(db);
}
