// Permissions per operation and quotas per resource type. Every refusal names what refused it.
import assert from 'node:assert/strict';
import { ScimServer, StaticTenantResolver } from 'scim-server';

const scim = new ScimServer({
  tenantResolver: new StaticTenantResolver([
    {
      id: 'startup',
      token: 'startup-token',
      permissions: {
        canDelete: false, // also: canCreate, canRead, canReplace, canPatch, canList, canBulk, readOnly
        maxUsers: 1, // also: maxGroups, quotas: { Device: 10 }, maxMembersPerGroup
        maxPageSize: 50, // lists never return more than 50 per page
        maxPayloadBytes: 64 * 1024, // larger bodies get 413
        maxBulkOperations: 20,
        expiresAt: '2099-01-01T00:00:00Z', // trial end: everything is refused after it
      },
    },
  ]),
});

const call = (method: string, path: string, body?: unknown) =>
  scim.handle({ method, path: `/scim/v2${path}`, headers: { authorization: 'Bearer startup-token', 'content-type': 'application/scim+json' }, body });
const user = (userName: string) => ({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName });

const first = await call('POST', '/Users', user('first'));
assert.equal(first.status, 201);
const second = await call('POST', '/Users', user('second'));
assert.equal(second.status, 403);
assert.match((second.body as { detail: string }).detail, /maxUsers/);
const del = await call('DELETE', `/Users/${(first.body as { id: string }).id}`);
assert.equal(del.status, 403);
assert.match((del.body as { detail: string }).detail, /canDelete/);
console.log('permissions and quotas: ok');
