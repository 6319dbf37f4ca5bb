import { beforeAll, describe, expect, it } from 'vitest';
import { parseFilter } from '../../../src/query/filter-parser.js';
import { FairScheduler } from '../../../src/query/pacer.js';
import type { ResourceTypeModel } from '../../../src/schema/membership.js';
import type { ResourceSchema } from '../../../src/schema/resource-schema.js';
import { SchemaRegistry } from '../../../src/schema/schema-registry.js';
import { InMemoryStorage } from '../../../src/storage/memory/in-memory-storage.js';
import type { StorageQuery } from '../../../src/storage/storage-provider.js';
import type { TenantContext } from '../../../src/tenant/tenant-context.js';

const registry = new SchemaRegistry();
const USER = registry.model('User') as ResourceTypeModel;
const schema = registry.resourceSchema('t', 'User') as ResourceSchema;
const tenant: TenantContext = { tenantId: 't', isolationLevel: 'shared', permissions: {}, baseUrl: '' };
const storage = new InMemoryStorage();
const N = 60_000;

beforeAll(async () => {
  for (let i = 0; i < N; i++) await storage.create(tenant, USER, { schemas: [schema.core.id], userName: `user-${(i * 7919) % N}` });
});

/** Runs a query while counting the other macrotasks that ran during it. */
async function during(query: Omit<StorageQuery, 'schema'>): Promise<{ ids: string[]; total: number; turns: number }> {
  let turns = 0;
  let running = true;
  const tick = () => {
    if (!running) return;
    turns++;
    setImmediate(tick);
  };
  setImmediate(tick);
  const result = await storage.query(tenant, USER, { schema, ...query });
  running = false;
  return { ids: result.resources.map((r) => r.id), total: result.totalResults, turns };
}

describe('InMemoryStorage queries give other requests turns', () => {
  it('an unindexed scan, a sort and a deep page run in slices, with the same results as in one step', async () => {
    const queries: Omit<StorageQuery, 'schema'>[] = [
      { filter: parseFilter('userName co "99"'), startIndex: 1, count: 50 },
      { sort: { path: { attr: 'userName' }, order: 'descending' }, startIndex: 1, count: 20 },
      { startIndex: N - 10, count: 10 },
    ];
    for (const query of queries) {
      const inOneStep = await during(query);
      const paced = await during({ ...query, pacer: new FairScheduler(0.01).pacer() });
      expect(paced.ids).toEqual(inOneStep.ids);
      expect(paced.total).toBe(inOneStep.total);
      expect(inOneStep.turns).toBe(0);
      expect(paced.turns).toBeGreaterThan(5);
    }
  });
});
