// Any async function can resolve tenants, for example from your own database of API clients.
import assert from 'node:assert/strict';
import { ScimServer, constantTimeEqual, hashToken, type TenantContext } from 'scim-server';

// Stand-in for a table of API clients, holding token digests only.
const clients = [{ tenantId: 'acme', clientId: 'entra-prod', tokenHash: await hashToken('s3cret'), plan: 'enterprise' }];

const scim = new ScimServer({
  tenantResolver: async ({ token, baseUrl }): Promise<TenantContext | null> => {
    if (!token) return null;
    const digest = await hashToken(token);
    const client = clients.find((c) => constantTimeEqual(c.tokenHash, digest));
    if (!client) return null;
    return {
      tenantId: client.tenantId,
      clientId: client.clientId,
      isolationLevel: client.plan === 'enterprise' ? 'strict' : 'shared',
      permissions: client.plan === 'enterprise' ? {} : { maxUsers: 50 },
      baseUrl,
    };
  },
});

assert.equal((await scim.handle({ method: 'GET', path: '/scim/v2/Users', headers: { authorization: 'Bearer s3cret' } })).status, 200);
assert.equal((await scim.handle({ method: 'GET', path: '/scim/v2/Users', headers: { authorization: 'Bearer nope' } })).status, 401);
console.log('function resolver: ok');
