/**
 * The storage of the example server, chosen by the environment:
 *
 * - `DATABASE_URL=postgres://...`: PostgreSQL through `pg` (a pool of $SCIM_DB_POOL connections,
 *   default 10), for many server processes on one database;
 * - `SCIM_DATA_DIR=<directory>`: PGlite (PostgreSQL in this process) keeping its data in that
 *   directory, so a restarted server finds its tenants' users and groups again;
 * - neither: the in-memory storage, gone when the process stops.
 *
 * Both PostgreSQL storages are migrated before use (safe from several processes at once).
 */
import { InMemoryStorage, type StorageProvider } from '../src/index.js';
import { connectPostgres, openPGlite, PostgresStorage } from '../src/storage/postgres/index.js';

/** A storage, what to print about it, and how to release it. */
export interface ChosenStorage {
  storage: StorageProvider;
  description: string;
  close(): Promise<void>;
}

/** `postgres://user:secret@host/db` without the password, for logs. */
function withoutPassword(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(a connection string that is not a URL)';
  }
}

export async function storageFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<ChosenStorage> {
  if (env.DATABASE_URL) {
    const storage = new PostgresStorage(await connectPostgres(env.DATABASE_URL, { max: Number(env.SCIM_DB_POOL ?? 10) }));
    await storage.migrate();
    return { storage, description: `PostgreSQL at ${withoutPassword(env.DATABASE_URL)}`, close: () => storage.close() };
  }
  if (env.SCIM_DATA_DIR) {
    const storage = new PostgresStorage(await openPGlite(env.SCIM_DATA_DIR));
    await storage.migrate();
    return { storage, description: `PGlite in ${env.SCIM_DATA_DIR}`, close: () => storage.close() };
  }
  return { storage: new InMemoryStorage(), description: 'memory (set DATABASE_URL or SCIM_DATA_DIR to keep data across restarts)', close: async () => {} };
}
