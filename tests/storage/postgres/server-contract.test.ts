import * as vitest from 'vitest';
import { connectPostgres, PostgresStorage } from '../../../src/storage/postgres/index.js';
import { describeStorageContract } from '../../../src/testing/index.js';
import { describePostgresServer, freshDatabase } from '../../helpers/postgres-server.js';

describePostgresServer('storage contract over pg.Pool', () => {
  let storage: PostgresStorage | undefined;
  let drop: (() => Promise<void>) | undefined;

  describeStorageContract(
    vitest,
    'PostgresStorage on a PostgreSQL server',
    async () => {
      const db = await freshDatabase('contract');
      drop = db.drop;
      storage = new PostgresStorage(await connectPostgres(db.url, { max: 12 }));
      await storage.migrate();
      return storage;
    },
    { timeout: 60_000 },
  );

  vitest.afterAll(async () => {
    await storage?.close();
    await drop?.();
  });
});
