import { afterAll } from 'vitest';
import { openPGlite, type SqlClient } from '../../../src/storage/postgres/index.js';
import { describePostgresIsolation } from './postgres-isolation.js';

// One PGlite for the file (each test uses a schema prefix of its own): starting one costs seconds.
let shared: Promise<SqlClient> | undefined;
afterAll(async () => {
  await (await shared)?.close?.();
});

describePostgresIsolation('PGlite', async () => {
  shared ??= openPGlite();
  return { client: await shared, close: async () => {} };
});
