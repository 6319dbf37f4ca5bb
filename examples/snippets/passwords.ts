// A password an identity provider sets is hashed before storage sees it, and can be verified later
// by an application that signs its users in with it.
import assert from 'node:assert/strict';
import { ScimServer, StaticTenantResolver, verifyPassword, type TenantContext } from 'scim-server';

const scim = new ScimServer({
  tenantResolver: new StaticTenantResolver([{ id: 'acme', token: 'acme-token' }]),
  // passwordHasher: pbkdf2PasswordHasher({ iterations: 1_000_000 }), or a hasher of your own
});

const created = await scim.handle({
  method: 'POST',
  path: '/scim/v2/Users',
  headers: { authorization: 'Bearer acme-token' },
  body: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'kim', password: 'Corr3ct-Horse' },
});
const id = (created.body as { id: string }).id;
assert.ok(!JSON.stringify(created.body).includes('Corr3ct-Horse')); // never returned

// Storage holds a salted PBKDF2-SHA-256 hash that names its own parameters.
const acme: TenantContext = { tenantId: 'acme', isolationLevel: 'standard', permissions: {}, baseUrl: 'https://scim.example.com/scim/v2' };
const stored = await scim.storage.get(acme, scim.schemas.model('User')!, id);
assert.match(String(stored?.password), /^\$pbkdf2-sha256\$i=600000\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);

// Signing in: the handler reads the stored hash for you, or check a stored value directly.
assert.equal(await scim.operations.verifyPassword(acme, 'User', id, 'Corr3ct-Horse'), true);
assert.equal(await scim.operations.verifyPassword(acme, 'User', id, 'corr3ct-horse'), false);
assert.equal(await verifyPassword('Corr3ct-Horse', String(stored?.password)), true);
console.log('passwords: ok');
