import { openPGlite } from '../../../src/storage/postgres/index.js';
import { describePostgresIsolation } from './postgres-isolation.js';

describePostgresIsolation('PGlite', async () => {
  const client = await openPGlite();
  return { client, close: () => client.close?.() ?? Promise.resolve() };
});
