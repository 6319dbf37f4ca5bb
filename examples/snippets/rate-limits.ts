// A token bucket per tenant. Past the limit: 429 with Retry-After. The RateLimiter interface is
// async, so a limiter shared by many processes (PostgreSQL, Redis) can replace the in-process one.
import assert from 'node:assert/strict';
import { ScimServer, StaticTenantResolver, TokenBucketRateLimiter, type RateLimiter } from 'scim-server';

const scim = new ScimServer({
  tenantResolver: new StaticTenantResolver([{ id: 'acme', token: 't', permissions: { rateLimit: { requestsPerSecond: 5, burst: 2 } } }]),
  rateLimiter: new TokenBucketRateLimiter(),
});
const get = () => scim.handle({ method: 'GET', path: '/scim/v2/Users', headers: { authorization: 'Bearer t' } });
assert.equal((await get()).status, 200);
assert.equal((await get()).status, 200);
const limited = await get();
assert.equal(limited.status, 429);
assert.ok(Number(limited.headers['Retry-After']) >= 1);

// The shape of a shared limiter: one async call per request.
const sharedLimiter: RateLimiter = {
  async consume(tenantId, limit) {
    void tenantId; // e.g. a Redis INCR with expiry, or an UPDATE ... RETURNING in PostgreSQL
    return { allowed: true, remaining: limit.burst ?? limit.requestsPerSecond };
  },
};
assert.equal(typeof sharedLimiter.consume, 'function');
console.log('rate limits: ok');
