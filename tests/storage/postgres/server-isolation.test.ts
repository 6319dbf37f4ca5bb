import { connectPostgres } from '../../../src/storage/postgres/index.js';
import { describePostgresServer, freshDatabase } from '../../helpers/postgres-server.js';
import { describePostgresIsolation } from './postgres-isolation.js';

describePostgresServer('isolation in the database', () => {
  describePostgresIsolation('pg.Pool', async () => {
    const db = await freshDatabase('isolation');
    const client = await connectPostgres(db.url, { max: 4 });
    return {
      client,
      close: async () => {
        await client.close?.();
        await db.drop();
      },
    };
  });
});
