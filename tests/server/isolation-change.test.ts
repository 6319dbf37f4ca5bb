import { describe, expect, it } from 'vitest';
import { InMemoryStorage, ScimServer, StaticTenantResolver } from '../../src/index.js';

const headers = { authorization: 'Bearer acme', 'content-type': 'application/scim+json' };

describe('a tenant whose isolation level changes while it holds data', () => {
  it('gets a 503 naming the tenant and both levels, reported to onError, and works again at its old level', async () => {
    const storage = new InMemoryStorage();
    const reported: unknown[] = [];
    const resolver = new StaticTenantResolver([{ id: 'acme', token: 'acme', isolationLevel: 'strict' }]);
    const scim = new ScimServer({ storage, tenantResolver: resolver, onError: (error) => reported.push(error) });
    const created = await scim.handle({ method: 'POST', path: '/scim/v2/Users', headers, body: { userName: 'kept' } });
    expect(created.status).toBe(201);

    await resolver.addTenant({ id: 'acme', token: 'acme', isolationLevel: 'shared' });
    const refused = await scim.handle({ method: 'GET', path: '/scim/v2/Users', headers });
    expect(refused.status).toBe(503);
    const detail = (refused.body as { detail: string }).detail;
    expect(detail).toContain('Tenant "acme"');
    expect(detail).toContain('"strict"');
    expect(detail).toContain('"shared"');
    expect(reported).toHaveLength(1);
    expect((reported[0] as { detail?: string }).detail).toBe(detail);

    await resolver.addTenant({ id: 'acme', token: 'acme', isolationLevel: 'strict' });
    const back = await scim.handle({ method: 'GET', path: `/scim/v2/Users/${(created.body as { id: string }).id}`, headers });
    expect(back.status).toBe(200);
  });
});
