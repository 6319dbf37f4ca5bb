/**
 * Vitest global setup: when PostgreSQL's server binaries are on this machine, starts a throwaway
 * cluster for the run and gives its URL to the tests (`inject('postgresUrl')`, and
 * `SCIM_TEST_DATABASE_URL` for processes the tests start); stops it and deletes its directory when
 * the run ends, whether tests passed or not. Without the binaries it says loudly which tests will
 * not run.
 */
import type { TestProject } from 'vitest/node';
import { findPostgresBin, type PostgresCluster, startPostgresCluster } from '../helpers/postgres-cluster.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the run's PostgreSQL server, or '' when there is none. */
    postgresUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const bin = findPostgresBin();
  if (!bin) {
    const line = '!'.repeat(100);
    console.warn(
      `\n${line}\n!! No PostgreSQL server binaries (initdb, pg_ctl) in PATH or /usr/lib/postgresql/*/bin.\n` +
        '!! NOT RUN: every test under "PostgreSQL server" (tests/storage/postgres/*server*, the multi-process test,\n' +
        '!! the example server on DATABASE_URL). Install them (Debian: apt-get install postgresql) to run them.\n' +
        `${line}\n`,
    );
    project.provide('postgresUrl', '');
    return () => {};
  }
  const cluster: PostgresCluster = await startPostgresCluster(bin, 'scim-test-pg');
  process.env.SCIM_TEST_DATABASE_URL = cluster.url;
  project.provide('postgresUrl', cluster.url);
  const stopOnSignal = (signal: NodeJS.Signals) => {
    cluster.stop();
    process.kill(process.pid, signal);
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  process.once('exit', () => cluster.stop());
  return () => cluster.stop();
}
