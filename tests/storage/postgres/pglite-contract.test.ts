import * as vitest from 'vitest';
import { openPGlite, PostgresStorage } from '../../../src/storage/postgres/index.js';
import { describeStorageContract } from '../../../src/testing/index.js';

let storage: PostgresStorage | undefined;

describeStorageContract(
  vitest,
  'PostgresStorage on PGlite (in memory)',
  async () => {
    storage = new PostgresStorage(await openPGlite());
    await storage.migrate();
    return storage;
  },
  { timeout: 60_000 },
);

vitest.afterAll(async () => {
  await storage?.close();
});
