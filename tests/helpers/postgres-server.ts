/**
 * The run's PostgreSQL server (started by tests/setup/postgres-server.ts), for tests that need one.
 * Each test file works in a database of its own, so files running in parallel never meet.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, inject } from 'vitest';

/** URL of the run's server, or '' when this machine has no PostgreSQL server binaries. */
export const POSTGRES_URL: string = inject('postgresUrl');

/**
 * `describe` for tests that need the PostgreSQL server. Without one the suite is reported as
 * skipped with a name that says why, and a warning names it: never a silent skip.
 */
export function describePostgresServer(name: string, body: () => void): void {
  if (POSTGRES_URL) {
    describe(`PostgreSQL server: ${name}`, body);
    return;
  }
  console.warn(`NOT RUN (no PostgreSQL server binaries on this machine): ${name}`);
  describe.skip(`PostgreSQL server: ${name} (NOT RUN: no PostgreSQL server binaries)`, body);
}

/** A database of its own on the run's server, and a way to drop it. */
export async function freshDatabase(label: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `scim_${label.replace(/[^a-z0-9_]/g, '_')}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: POSTGRES_URL });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
