/**
 * PostgresRateLimiter on PGlite: the token bucket's semantics (those of the in-process limiter),
 * one statement per decision, and the server's 429 through it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScimServer, StaticTenantResolver } from '../../../src/index.js';
import { migrate, openPGlite, PostgresRateLimiter, type SqlClient } from '../../../src/storage/postgres/index.js';

describe('PostgresRateLimiter on PGlite', () => {
  let client: SqlClient;
  const statements: string[] = [];
  let limiter: PostgresRateLimiter;

  beforeAll(async () => {
    client = await openPGlite();
    await migrate(client);
    // Records every statement the limiter sends.
    limiter = new PostgresRateLimiter({
      query: (text, params) => {
        statements.push(text);
        return client.query(text, params);
      },
    });
  }, 60_000);

  afterAll(async () => {
    await client?.close?.();
  });

  // A refill so slow that no token comes back during the test: 1 token per 1,000 s.
  const slow = { requestsPerSecond: 0.001, burst: 3 };

  it('starts full, grants up to the burst, then refuses with the wait for one token; one statement per decision', async () => {
    statements.length = 0;
    const decisions = [];
    for (let i = 0; i < 4; i++) decisions.push(await limiter.consume('a', slow));
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false]);
    expect(decisions.map((d) => d.remaining)).toEqual([2, 1, 0, 0]);
    expect(decisions[3]?.retryAfterSeconds).toBeGreaterThan(990);
    expect(decisions[3]?.retryAfterSeconds).toBeLessThanOrEqual(1000);
    expect(statements).toHaveLength(4);
    expect(statements.every((s) => s.startsWith('INSERT INTO "scim"."scim_rate_buckets"') && s.includes('ON CONFLICT'))).toBe(true);
  });

  it('tenants have buckets of their own; a bulk cost takes several tokens, never more than there are', async () => {
    expect((await limiter.consume('b', slow, 2)).remaining).toBe(1);
    const refused = await limiter.consume('b', slow, 2);
    expect(refused).toMatchObject({ allowed: false, remaining: 1 });
    expect((await limiter.consume('b', slow, 1)).allowed).toBe(true);
    expect((await limiter.consume('c', slow, 4)).allowed).toBe(false); // above the capacity: never served
    expect((await limiter.consume('c', slow, 3)).allowed).toBe(true);
  });

  it('refills continuously at the rate, up to the capacity', async () => {
    const fast = { requestsPerSecond: 50, burst: 2 };
    expect((await limiter.consume('d', fast, 2)).allowed).toBe(true);
    expect((await limiter.consume('d', fast, 2)).allowed).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 120)); // 6 tokens' worth, capped at 2
    expect(await limiter.consume('d', fast, 2)).toEqual({ allowed: true, remaining: 0 });
  });

  it('reset gives the tenant a full bucket; a limit that is not a usable number is a RangeError', async () => {
    expect((await limiter.consume('a', slow)).allowed).toBe(false);
    await limiter.reset('a');
    expect((await limiter.consume('a', slow)).allowed).toBe(true);
    await expect(limiter.consume('a', { requestsPerSecond: 0 })).rejects.toThrow(RangeError);
    await expect(limiter.consume('a', slow, -1)).rejects.toThrow(RangeError);
  });

  it('the server answers 429 with Retry-After through it', async () => {
    const scim = new ScimServer({
      tenantResolver: new StaticTenantResolver([{ id: 'r', token: 'rt', permissions: { rateLimit: { requestsPerSecond: 0.01, burst: 2 } } }]),
      rateLimiter: limiter,
    });
    const get = () => scim.handle({ method: 'GET', path: '/scim/v2/Users', headers: { authorization: 'Bearer rt' } });
    expect([(await get()).status, (await get()).status]).toEqual([200, 200]);
    const refused = await get();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['Retry-After'])).toBeGreaterThan(90);
  });
});
