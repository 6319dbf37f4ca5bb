/**
 * Group membership through the whole stack (ScimServer.handle → PATCH → storage delta): adding and
 * removing one member of a 100,000-member group against the same on a 10-member group, in the same
 * run. The ratio is large-group speed over small-group speed: 1.0 means size does not matter; the
 * target is at least 0.5 (within 2×).
 */
import { ScimServer, StaticTenantResolver, type TenantContext } from '../src/index.js';
import { opsPerSecondAsync, rate, type BenchResult } from './harness.js';

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const LARGE = Number(process.env.MEMBERS_BENCH_SIZE ?? 100_000);

export async function run(): Promise<BenchResult[]> {
  const scim = new ScimServer({ tenantResolver: new StaticTenantResolver([{ id: 'bench', token: 'bench', isolationLevel: 'shared' }]) });
  const tenant: TenantContext = { tenantId: 'bench', isolationLevel: 'shared', permissions: {}, baseUrl: '/scim/v2' };
  const [userType, groupType] = [scim.schemas.model('User'), scim.schemas.model('Group')];
  if (!userType || !groupType) throw new Error('the built-in types have models');
  const ids: string[] = [];
  for (let i = 0; i < LARGE + 20; i++) {
    const u = await scim.storage.create(tenant, userType, { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: `member${i}` });
    ids.push(u.id);
  }
  const big = await scim.storage.create(tenant, groupType, {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
    displayName: 'everyone',
    members: ids.slice(0, LARGE).map((value) => ({ value, type: 'User' })),
  });
  const small = await scim.storage.create(tenant, groupType, {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
    displayName: 'ten',
    members: ids.slice(LARGE, LARGE + 10).map((value) => ({ value, type: 'User' })),
  });
  const extra = ids[LARGE + 15] as string;

  const patch = (groupId: string, op: 'add' | 'remove') =>
    scim.handle({
      method: 'PATCH',
      path: `/scim/v2/Groups/${groupId}`,
      headers: { authorization: 'Bearer bench', 'content-type': 'application/scim+json' },
      body: {
        schemas: [PATCH_OP],
        Operations: op === 'add' ? [{ op: 'add', path: 'members', value: [{ value: extra }] }] : [{ op: 'remove', path: `members[value eq "${extra}"]` }],
      },
    });

  // Check once that the operations do what they claim.
  for (const g of [big.id, small.id]) {
    const a = await patch(g, 'add');
    const r = await patch(g, 'remove');
    if (a.status !== 204 || r.status !== 204) throw new Error(`member PATCH failed: ${a.status} ${r.status}`);
  }
  const addRemove = (groupId: string) => async () => {
    await patch(groupId, 'add');
    await patch(groupId, 'remove');
  };
  const results: BenchResult[] = [];
  for (let round = 0; round < 2; round++) {
    const smallRate = await opsPerSecondAsync(addRemove(small.id), 2, 1500);
    const bigRate = await opsPerSecondAsync(addRemove(big.id), 2, 1500);
    if (round === 1) {
      results.push(
        rate(`PATCH member add+remove, ${LARGE.toLocaleString('en-US')}-member group`, bigRate, smallRate, '10-member group', 'ops/s', 'target: ratio >= 0.5'),
      );
    }
  }
  return results;
}
