import { describe, expect, it } from 'vitest';
import { InMemoryStorage, ScimServer, StaticTenantResolver, type ResourceTypeModel, type TenantContext } from '../../src/index.js';
import { errorOf, GROUP_SCHEMA, PATCH_OP, USER_SCHEMA } from '../helpers/scim-client.js';

/** A server whose tenant `a` holds one group of `members` users, and tenant `b` the same with its own budget. */
async function setup(members: number, options: { maxResponseBytes?: number; bBytes?: number } = {}) {
  const storage = new InMemoryStorage();
  const scim = new ScimServer({
    tenantResolver: new StaticTenantResolver([
      { id: 'a', token: 'a', settings: { groupPatchResponse: 'resource' } },
      { id: 'b', token: 'b', ...(options.bBytes !== undefined ? { permissions: { maxResponseBytes: options.bBytes } } : {}) },
    ]),
    storage,
    ...(options.maxResponseBytes !== undefined ? { maxResponseBytes: options.maxResponseBytes } : {}),
  });
  const groups: Record<string, string> = {};
  for (const id of ['a', 'b']) {
    const tenant: TenantContext = { tenantId: id, isolationLevel: 'standard', permissions: {}, baseUrl: '' };
    const ids: string[] = [];
    for (let i = 0; i < members; i++)
      ids.push((await storage.create(tenant, scim.schemas.model('User') as ResourceTypeModel, { schemas: [USER_SCHEMA], userName: `user-${i}` })).id);
    const g = await storage.create(tenant, scim.schemas.model('Group') as ResourceTypeModel, {
      schemas: [GROUP_SCHEMA],
      displayName: 'big',
      members: ids.map((value) => ({ value })),
    });
    groups[id] = g.id;
  }
  const get = (tenant: string, path: string) => scim.handle({ method: 'GET', path: `/scim/v2${path}`, headers: { authorization: `Bearer ${tenant}` } });
  return { scim, get, groups };
}

describe('maxResponseBytes: a response too large to render is refused with a way to ask for less', () => {
  it('refuses a page of large groups, and a large group by id, saying how to ask for less', async () => {
    const { get, groups } = await setup(3_000, { maxResponseBytes: 100_000 });
    const page = await get('a', '/Groups');
    expect(page.status).toBe(400);
    expect(errorOf(page)).toMatchObject({ scimType: 'tooMany' });
    expect(errorOf(page).detail).toBe(
      'The response would be larger than 100000 bytes (maxResponseBytes). Ask for less: excludedAttributes=members leaves the members out; a smaller count (this page asked for 100) returns fewer resources per page.',
    );
    const one = await get('a', `/Groups/${groups.a}`);
    expect(one.status).toBe(400);
    expect(errorOf(one).detail).toBe(
      'The response would be larger than 100000 bytes (maxResponseBytes). Ask for less: excludedAttributes=members leaves the members out.',
    );
    const lean = await get('a', '/Groups?excludedAttributes=members');
    expect(lean.status).toBe(200);
    expect((lean.body as { totalResults: number }).totalResults).toBe(1);
    expect((await get('a', `/Groups/${groups.a}?excludedAttributes=members`)).status).toBe(200);
  });

  it("a tenant's own maxResponseBytes replaces the server's, higher or lower", async () => {
    const high = await setup(3_000, { maxResponseBytes: 100_000, bBytes: 10_000_000 });
    expect((await high.get('a', '/Groups')).status).toBe(400);
    const page = await high.get('b', '/Groups');
    expect(page.status).toBe(200);
    expect((page.body as { Resources: { members: unknown[] }[] }).Resources[0]?.members).toHaveLength(3_000);
    const low = await setup(10, { bBytes: 500 });
    expect((await low.get('a', '/Users')).status).toBe(200);
    const refused = await low.get('b', '/Users?count=50');
    expect(refused.status).toBe(400);
    expect(errorOf(refused).detail).toBe(
      'The response would be larger than 500 bytes (maxResponseBytes). Ask for less: a smaller count (this page asked for 50) returns fewer resources per page.',
    );
    expect((await low.get('b', '/Users?count=1')).status).toBe(200);
  });

  it('the JSON text of a list is its body, byte for byte', async () => {
    const { get } = await setup(2_000);
    const r = await get('a', '/Groups');
    expect(r.status).toBe(200);
    expect(r.json).toBe(JSON.stringify(r.body));
    expect((r.body as { Resources: { members: unknown[] }[] }).Resources[0]?.members).toHaveLength(2_000);
  });

  it('the answer to a write is not refused: the write has happened', async () => {
    const { scim, groups } = await setup(3_000, { maxResponseBytes: 1_000 });
    const r = await scim.handle({
      method: 'PATCH',
      path: `/scim/v2/Groups/${groups.a}`,
      headers: { authorization: 'Bearer a' },
      body: { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'displayName', value: 'renamed' }] },
    });
    expect(r.status).toBe(200);
    expect((r.body as { members: unknown[] }).members).toHaveLength(3_000);
  });

  it('refuses a maxResponseBytes or timeSliceMs that is not a number above 0, naming it', () => {
    const tenantResolver = new StaticTenantResolver([]);
    expect(() => new ScimServer({ tenantResolver, maxResponseBytes: 0 })).toThrow(/maxResponseBytes/);
    expect(() => new ScimServer({ tenantResolver, timeSliceMs: -1 })).toThrow(/timeSliceMs/);
    expect(() => new ScimServer({ tenantResolver, maxResponseBytes: '1' as unknown as number })).toThrow(/maxResponseBytes/);
  });
});
