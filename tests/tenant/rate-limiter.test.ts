import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TokenBucketRateLimiter, type RateLimiter } from '../../src/tenant/rate-limiter.js';

function fakeClock(start = 1_000_000) {
  let t = start;
  return {
    now: () => t,
    advance(ms: number) {
      t += ms;
    },
    set(ms: number) {
      t = ms;
    },
  };
}

async function drain(limiter: RateLimiter, tenant: string, limit: { requestsPerSecond: number; burst?: number }, n: number) {
  const decisions = [];
  for (let i = 0; i < n; i++) decisions.push(await limiter.consume(tenant, limit));
  return decisions;
}

describe('TokenBucketRateLimiter', () => {
  it('allows a full burst, then refuses', async () => {
    const clock = fakeClock();
    const limiter = new TokenBucketRateLimiter({ now: clock.now });
    const limit = { requestsPerSecond: 2, burst: 5 };
    const decisions = await drain(limiter, 't', limit, 6);
    expect(decisions.slice(0, 5).every((d) => d.allowed)).toBe(true);
    expect(decisions.map((d) => d.remaining)).toEqual([4, 3, 2, 1, 0, 0]);
    expect(decisions[5]!.allowed).toBe(false);
    expect(decisions[0]!.retryAfterSeconds).toBeUndefined();
  });

  it('defaults the burst to max(1, requestsPerSecond)', async () => {
    const clock = fakeClock();
    const limiter = new TokenBucketRateLimiter({ now: clock.now });
    const ten = await drain(limiter, 'a', { requestsPerSecond: 10 }, 11);
    expect(ten.filter((d) => d.allowed)).toHaveLength(10);
    const slow = await drain(limiter, 'b', { requestsPerSecond: 0.2 }, 2);
    expect(slow.map((d) => d.allowed)).toEqual([true, false]);
  });

  it('refills continuously at requestsPerSecond, up to the burst', async () => {
    const clock = fakeClock();
    const limiter = new TokenBucketRateLimiter({ now: clock.now });
    const limit = { requestsPerSecond: 4, burst: 4 };
    await drain(limiter, 't', limit, 4);
    expect((await limiter.consume('t', limit)).allowed).toBe(false);
    clock.advance(249); // 0.996 tokens
    expect((await limiter.consume('t', limit)).allowed).toBe(false);
    clock.advance(1); // exactly one token
    expect((await limiter.consume('t', limit)).allowed).toBe(true);
    expect((await limiter.consume('t', limit)).allowed).toBe(false);
    clock.advance(60_000); // far more than the capacity
    const after = await drain(limiter, 't', limit, 5);
    expect(after.map((d) => d.allowed)).toEqual([true, true, true, true, false]);
  });

  it('does not take tokens for a refused request', async () => {
    const clock = fakeClock();
    const limiter = new TokenBucketRateLimiter({ now: clock.now });
    const limit = { requestsPerSecond: 1, burst: 1 };
    await limiter.consume('t', limit);
    for (let i = 0; i < 5; i++) expect((await limiter.consume('t', limit)).allowed).toBe(false);
    clock.advance(1000);
    expect((await limiter.consume('t', limit)).allowed).toBe(true);
  });

  it('answers Retry-After in whole seconds, rounded up, at least 1', async () => {
    const clock = fakeClock();
    const limiter = new TokenBucketRateLimiter({ now: clock.now });
    const fast = { requestsPerSecond: 100, burst: 1 };
    await limiter.consume('fast', fast);
    expect((await limiter.consume('fast', fast)).retryAfterSeconds).toBe(1); // 10 ms, but at least 1

    const slow = { requestsPerSecond: 0.1, burst: 1 }; // one token per 10 s
    await limiter.consume('slow', slow);
    expect((await limiter.consume('slow', slow)).retryAfterSeconds).toBe(10);
    clock.advance(2500);
    expect((await limiter.consume('slow', slow)).retryAfterSeconds).toBe(8); // 7.5 s → 8
    clock.advance(7000);
    expect((await limiter.consume('slow', slow)).retryAfterSeconds).toBe(1); // 0.5 s → 1

    const third = { requestsPerSecond: 3, burst: 3 };
    await drain(limiter, 'third', third, 3);
    expect((await limiter.consume('third', third)).retryAfterSeconds).toBe(1);
  });

  it('a waiting client that honours Retry-After succeeds', async () => {
    const clock = fakeClock();
    const limiter = new TokenBucketRateLimiter({ now: clock.now });
    const limit = { requestsPerSecond: 0.3, burst: 2 };
    await drain(limiter, 't', limit, 2);
    for (let round = 0; round < 5; round++) {
      const refused = await limiter.consume('t', limit);
      expect(refused.allowed).toBe(false);
      clock.advance((refused.retryAfterSeconds ?? 0) * 1000);
      expect((await limiter.consume('t', limit)).allowed).toBe(true);
    }
  });

  it('Retry-After is always enough, and never more than one second too long (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.double({ min: 0.01, max: 500, noNaN: true }),
        fc.double({ min: 1, max: 50, noNaN: true }),
        fc.array(fc.integer({ min: 0, max: 5000 }), { minLength: 1, maxLength: 15 }),
        async (rps, burst, gaps) => {
          const clock = fakeClock();
          const limiter = new TokenBucketRateLimiter({ now: clock.now });
          const limit = { requestsPerSecond: rps, burst };
          for (const gap of gaps) {
            clock.advance(gap);
            let d = await limiter.consume('t', limit);
            while (d.allowed) d = await limiter.consume('t', limit);
            const wait = d.retryAfterSeconds ?? 0;
            expect(wait).toBeGreaterThanOrEqual(1);
            expect(Number.isInteger(wait)).toBe(true);
            expect(d.remaining).toBe(0);
            expect(wait).toBeLessThanOrEqual(Math.max(1, Math.ceil(1 / rps))); // one token from empty
            clock.advance(wait * 1000);
            expect((await limiter.consume('t', limit)).allowed).toBe(true);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('keeps tenants independent', async () => {
    const clock = fakeClock();
    const limiter = new TokenBucketRateLimiter({ now: clock.now });
    const limit = { requestsPerSecond: 1, burst: 2 };
    await drain(limiter, 'a', limit, 2);
    expect((await limiter.consume('a', limit)).allowed).toBe(false);
    expect((await limiter.consume('b', limit)).allowed).toBe(true);
    expect((await limiter.consume('b', limit)).allowed).toBe(true);
    expect((await limiter.consume('b', limit)).allowed).toBe(false);
    expect((await limiter.consume('a', { requestsPerSecond: 1000, burst: 1000 })).remaining).toBeGreaterThanOrEqual(0);
  });

  it('never lets concurrent requests overdraw a bucket', async () => {
    const clock = fakeClock();
    const limiter = new TokenBucketRateLimiter({ now: clock.now });
    const limit = { requestsPerSecond: 1, burst: 7 };
    const decisions = await Promise.all(Array.from({ length: 50 }, () => limiter.consume('t', limit)));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(7);
  });

  it('charges the given cost and computes Retry-After for it', async () => {
    const clock = fakeClock();
    const limiter = new TokenBucketRateLimiter({ now: clock.now });
    const limit = { requestsPerSecond: 1, burst: 10 };
    expect(await limiter.consume('t', limit, 7)).toEqual({ allowed: true, remaining: 3 });
    const refused = await limiter.consume('t', limit, 5);
    expect(refused).toEqual({ allowed: false, retryAfterSeconds: 2, remaining: 3 });
    expect((await limiter.consume('t', limit, 0)).allowed).toBe(true);
    // More than the capacity can never pass; the wait is until the bucket is full.
    const huge = await limiter.consume('t', limit, 50);
    expect(huge.allowed).toBe(false);
    expect(huge.retryAfterSeconds).toBe(7);
  });

  it('applies a changed limit from the next call', async () => {
    const clock = fakeClock();
    const limiter = new TokenBucketRateLimiter({ now: clock.now });
    await drain(limiter, 't', { requestsPerSecond: 1, burst: 10 }, 2); // 8 left
    const lowered = await limiter.consume('t', { requestsPerSecond: 1, burst: 3 });
    expect(lowered).toEqual({ allowed: true, remaining: 2 });
  });

  it('copes with a clock that goes backwards', async () => {
    const clock = fakeClock(50_000);
    const limiter = new TokenBucketRateLimiter({ now: clock.now });
    const limit = { requestsPerSecond: 1, burst: 1 };
    await limiter.consume('t', limit);
    clock.set(10_000);
    const d = await limiter.consume('t', limit);
    expect(d.allowed).toBe(false);
    expect(d.remaining).toBe(0);
  });

  it('reset gives a tenant a full bucket again, and only that tenant', async () => {
    const clock = fakeClock();
    const limiter = new TokenBucketRateLimiter({ now: clock.now });
    const limit = { requestsPerSecond: 1, burst: 1 };
    await limiter.consume('a', limit);
    await limiter.consume('b', limit);
    limiter.reset('a');
    expect((await limiter.consume('a', limit)).allowed).toBe(true);
    expect((await limiter.consume('b', limit)).allowed).toBe(false);
  });

  it('sweeps refilled buckets away periodically without changing decisions', async () => {
    const clock = fakeClock();
    const limiter = new TokenBucketRateLimiter({ now: clock.now, sweepIntervalMs: 1000 });
    const limit = { requestsPerSecond: 1, burst: 2 };
    for (let i = 0; i < 100; i++) await limiter.consume(`idle-${i}`, limit);
    await drain(limiter, 'busy', { requestsPerSecond: 0.001, burst: 2 }, 2);
    expect(limiter.size).toBe(101);
    clock.advance(5000);
    const busy = await limiter.consume('busy', { requestsPerSecond: 0.001, burst: 2 });
    expect(busy.allowed).toBe(false); // its bucket survived the sweep: it had not refilled
    expect(limiter.size).toBe(1);
    expect((await limiter.consume('idle-3', limit)).remaining).toBe(1); // a swept bucket is a full one
  });

  it('holds at most maxBuckets buckets, dropping refilled ones first', async () => {
    const clock = fakeClock();
    const limiter = new TokenBucketRateLimiter({ now: clock.now, maxBuckets: 10, sweepIntervalMs: 1e12 });
    const slow = { requestsPerSecond: 0.001, burst: 1 };
    const quick = { requestsPerSecond: 1000, burst: 1 };
    for (let i = 0; i < 5; i++) await limiter.consume(`slow-${i}`, slow);
    for (let i = 0; i < 5; i++) await limiter.consume(`quick-${i}`, quick);
    expect(limiter.size).toBe(10);
    clock.advance(10); // the quick buckets have refilled; the slow ones have not
    await limiter.consume('new', quick);
    expect(limiter.size).toBe(6);
    for (let i = 0; i < 5; i++) expect((await limiter.consume(`slow-${i}`, slow)).allowed).toBe(false);
  });

  it('stays bounded when every bucket is still draining', async () => {
    const clock = fakeClock();
    const limiter = new TokenBucketRateLimiter({ now: clock.now, maxBuckets: 100, sweepIntervalMs: 1e12 });
    const slow = { requestsPerSecond: 0.001, burst: 1 };
    for (let i = 0; i < 1000; i++) {
      await limiter.consume(`t-${i}`, slow);
      expect(limiter.size).toBeLessThanOrEqual(100);
    }
    // the most recently used tenant was not evicted
    expect((await limiter.consume('t-999', slow)).allowed).toBe(false);
  });

  it('rejects unusable limits and costs', async () => {
    const limiter = new TokenBucketRateLimiter();
    await expect(limiter.consume('t', { requestsPerSecond: 0 })).rejects.toThrow(RangeError);
    await expect(limiter.consume('t', { requestsPerSecond: -1 })).rejects.toThrow(RangeError);
    await expect(limiter.consume('t', { requestsPerSecond: Number.NaN })).rejects.toThrow(RangeError);
    await expect(limiter.consume('t', { requestsPerSecond: Number.POSITIVE_INFINITY })).rejects.toThrow(RangeError);
    await expect(limiter.consume('t', { requestsPerSecond: 1, burst: 0 })).rejects.toThrow(RangeError);
    await expect(limiter.consume('t', { requestsPerSecond: 1 }, -1)).rejects.toThrow(RangeError);
  });

  it('uses the wall clock by default', async () => {
    const limiter = new TokenBucketRateLimiter();
    const d = await limiter.consume('t', { requestsPerSecond: 1, burst: 1 });
    expect(d).toEqual({ allowed: true, remaining: 0 });
    const refused = await limiter.consume('t', { requestsPerSecond: 1, burst: 1 });
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterSeconds).toBe(1);
  });
});
