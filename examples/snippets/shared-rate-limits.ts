// One rate limit for the whole deployment: PostgresRateLimiter keeps each tenant's token bucket in
// a row and decides in one atomic statement, so N processes together grant what one would.
import assert from 'node:assert/strict';
import { type RateLimiter, ScimServer, StaticTenantResolver } from 'scim-server';
import { migrate, openPGlite, PostgresRateLimiter } from 'scim-server/postgres';

const client = await openPGlite(); // or: await connectPostgres(process.env.DATABASE_URL)
await migrate(client);
const tenantResolver = new StaticTenantResolver([{ id: 'acme', token: 't', permissions: { rateLimit: { requestsPerSecond: 0.1, burst: 2 } } }]);
const scim = new ScimServer({ tenantResolver, rateLimiter: new PostgresRateLimiter(client) });
const get = () => scim.handle({ method: 'GET', path: '/scim/v2/Users', headers: { authorization: 'Bearer t' } });
assert.deepEqual([(await get()).status, (await get()).status, (await get()).status], [200, 200, 429]);

// Another store: implement consume() as one atomic step of that store. Here a fixed window per
// tenant over a store with an atomic increment (Redis: INCR, and EXPIRE on the window's first call).
const counters = new Map<string, number>();
const store = { incr: async (key: string) => counters.set(key, (counters.get(key) ?? 0) + 1).get(key) as number };
const fixedWindow: RateLimiter = {
  async consume(tenantId, limit, cost = 1) {
    const window = Math.floor(Date.now() / 1000);
    let used = 0;
    for (let i = 0; i < cost; i++) used = await store.incr(`rate:${tenantId}:${window}`);
    const allowed = used <= limit.requestsPerSecond;
    return allowed ? { allowed, remaining: limit.requestsPerSecond - used } : { allowed, remaining: 0, retryAfterSeconds: 1 };
  },
};
const onePerSecond = new StaticTenantResolver([{ id: 'acme', token: 't', permissions: { rateLimit: { requestsPerSecond: 1 } } }]);
const other = new ScimServer({ tenantResolver: onePerSecond, rateLimiter: fixedWindow });
const statuses = [];
for (let i = 0; i < 3; i++) statuses.push((await other.handle({ method: 'GET', path: '/scim/v2/Users', headers: { authorization: 'Bearer t' } })).status);
assert.ok(statuses[0] === 200 && statuses.includes(429), statuses.join());
await client.close?.();
console.log('shared rate limits: ok');
