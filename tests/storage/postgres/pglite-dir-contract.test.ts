import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vitest from 'vitest';
import { openPGlite, PostgresStorage } from '../../../src/storage/postgres/index.js';
import { describeStorageContract } from '../../../src/testing/index.js';

/** The contract on PGlite persisted in a data directory (the example server's `SCIM_DATA_DIR`), not only in memory. */
const dataDir = mkdtempSync(join(tmpdir(), 'scim-pglite-contract-'));
let storage: PostgresStorage | undefined;

describeStorageContract(
  vitest,
  'PostgresStorage on PGlite (in a data directory)',
  async () => {
    storage = new PostgresStorage(await openPGlite(dataDir));
    await storage.migrate();
    return storage;
  },
  { timeout: 60_000 },
);

vitest.it('keeps its database in the data directory', () => {
  vitest.expect(readdirSync(dataDir)).toContain('PG_VERSION');
});

vitest.afterAll(async () => {
  await storage?.close();
  rmSync(dataDir, { recursive: true, force: true });
});
