// Configuration fails when it is given, naming the tenant, the key and what was expected.
import assert from 'node:assert/strict';
import { ConfigurationError, ScimServer, StaticTenantResolver, TokenBucketRateLimiter } from 'scim-server';

const refusal = (configure: () => unknown): string => {
  try {
    configure();
  } catch (error) {
    assert.ok(error instanceof ConfigurationError); // a TypeError, with .key and .tenantId
    return error.message;
  }
  throw new Error('accepted');
};

// A misspelt permission, a value of the wrong type, a tenant no token can reach, one id twice.
assert.equal(
  refusal(() => new StaticTenantResolver([{ id: 'acme', token: 't', permissions: { canDelet: false } as never }])),
  'tenant "acme": permissions.canDelet is not a permission; did you mean canDelete?',
);
assert.equal(
  refusal(() => new StaticTenantResolver([{ id: 'acme', token: 't', permissions: { canDelete: 'false' as never } }])),
  'tenant "acme": permissions.canDelete must be true or false, not "false" (a string)',
);
assert.match(refusal(() => new StaticTenantResolver([{ id: 'acme' }])), /^tenant "acme": token is missing/);
assert.match(
  refusal(
    () =>
      new StaticTenantResolver([
        { id: 'acme', token: 'a' },
        { id: 'acme', token: 'b' },
      ]),
  ),
  /^tenant "acme": id is given to two tenants/,
);

// The server checks its own options, and its resolver's tenants against them.
assert.equal(refusal(() => new ScimServer({ tenantResolver: new StaticTenantResolver(), maxPagesize: 50 } as never)), 'maxPagesize is not an option; did you mean maxPageSize?');
const limited = new StaticTenantResolver([{ id: 'trial', token: 't', permissions: { rateLimit: { requestsPerSecond: 1 } } }]);
assert.match(refusal(() => new ScimServer({ tenantResolver: limited })), /^tenant "trial": permissions.rateLimit is set, but the server has no rateLimiter/);
new ScimServer({ tenantResolver: limited, rateLimiter: new TokenBucketRateLimiter() }); // fine
console.log('configuration checks: ok');
