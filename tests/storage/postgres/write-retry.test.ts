/**
 * A write that PostgreSQL rolls back for a deadlock (40P01) or a serialization failure (40001) runs
 * again, and nothing of the rolled-back attempt remains; any other failure is not retried and
 * leaves nothing behind. The failures are raised by the database itself, at the end of a write's
 * transaction, after all of its statements ran.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResourceTypeModel } from '../../../src/schema/membership.js';
import { SchemaRegistry } from '../../../src/schema/schema-registry.js';
import { openPGlite, PostgresStorage, type SqlClient } from '../../../src/storage/postgres/index.js';
import type { TenantContext } from '../../../src/tenant/tenant-context.js';

const USER = new SchemaRegistry().model('User') as ResourceTypeModel;
const t: TenantContext = { tenantId: 'retry', isolationLevel: 'shared', permissions: {}, baseUrl: '' };

/** A client whose next `failures` transactions end with a database error of SQLSTATE `code`. */
function failingClient(inner: SqlClient) {
  const state = { code: '40P01', failures: 0, transactions: 0 };
  const client: SqlClient = {
    query: (text, params) => inner.query(text, params),
    transaction: (work) =>
      inner.transaction(async (tx) => {
        state.transactions++;
        const result = await work(tx);
        if (state.failures > 0) {
          state.failures--;
          await tx.query(`DO $$ BEGIN RAISE EXCEPTION 'injected failure' USING ERRCODE = '${state.code}'; END $$`);
        }
        return result;
      }),
    close: () => inner.close?.() ?? Promise.resolve(),
  };
  return { client, state };
}

describe('PostgresStorage writes the database rolled back', () => {
  let inner: SqlClient;
  let storage: PostgresStorage;
  let state: ReturnType<typeof failingClient>['state'];
  const rowsNamed = async (userName: string) =>
    (await inner.query("SELECT count(*)::int AS n FROM scim_shared.scim_resources WHERE tenant_id = $1 AND data ->> 'userName' = $2", [t.tenantId, userName]))
      .rows[0]?.n;

  beforeAll(async () => {
    inner = await openPGlite();
    const failing = failingClient(inner);
    state = failing.state;
    storage = new PostgresStorage(failing.client);
    await storage.migrate();
    await storage.create(t, USER, { schemas: [], userName: 'warm-up' });
  }, 60_000);

  afterAll(async () => {
    await storage.close();
  });

  const inject = (code: string, failures: number) => {
    Object.assign(state, { code, failures, transactions: 0 });
  };

  it('runs a write rolled back for a deadlock again, and keeps one copy of it', async () => {
    inject('40P01', 2);
    const created = await storage.create(t, USER, { schemas: [], userName: 'after-deadlocks' });
    expect(state.transactions).toBe(3);
    expect(created.meta.version).toBe('W/"1"');
    expect(await rowsNamed('after-deadlocks')).toBe(1);
    expect(await storage.count(t, USER)).toBe(2);
  });

  it('runs a write rolled back for a serialization failure again: one new version, not two', async () => {
    const u = await storage.create(t, USER, { schemas: [], userName: 'serialized' });
    inject('40001', 1);
    const replaced = await storage.replace(t, USER, u.id, { schemas: [], userName: 'serialized', nickName: 'n' }, { expectedVersion: u.meta.version });
    expect(state.transactions).toBe(2);
    expect(replaced.meta.version).toBe('W/"2"');
    expect((await storage.get(t, USER, u.id))?.meta.version).toBe('W/"2"');
  });

  it('does not retry other failures, and keeps nothing of the write', async () => {
    inject('XX000', 1);
    await expect(storage.create(t, USER, { schemas: [], userName: 'internal-error' })).rejects.toMatchObject({ code: 'XX000' });
    expect(state.transactions).toBe(1);
    expect(await rowsNamed('internal-error')).toBe(0);
  });

  it('gives up after a bounded number of attempts', async () => {
    inject('40P01', 1000);
    await expect(storage.create(t, USER, { schemas: [], userName: 'never' })).rejects.toMatchObject({ code: '40P01' });
    expect(state.transactions).toBeGreaterThan(1);
    expect(state.transactions).toBeLessThanOrEqual(10);
    expect(await rowsNamed('never')).toBe(0);
    inject('40P01', 0);
  });
});
