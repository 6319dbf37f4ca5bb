/**
 * Per-tenant request-rate limits.
 *
 * {@link RateLimiter} is the small interface the server calls once per request; it is asynchronous so
 * that a limiter shared by many processes (a row in PostgreSQL, a key in Redis) can implement it.
 * {@link TokenBucketRateLimiter} is the in-process default.
 */

/** A request-rate limit: a token bucket refilled at `requestsPerSecond`, holding at most `burst`. */
export interface RateLimit {
  /** Tokens added per second, continuously. Must be a finite number above 0. */
  requestsPerSecond: number;
  /** Bucket capacity. Defaults to `max(1, requestsPerSecond)`. */
  burst?: number;
}

/** The answer of a {@link RateLimiter}. */
export interface RateLimitDecision {
  /** True when the request may proceed (its cost has been taken from the bucket). */
  allowed: boolean;
  /**
   * When refused: whole seconds (at least 1) until the request could succeed, for `Retry-After`.
   * Absent when allowed.
   */
  retryAfterSeconds?: number;
  /** Whole tokens left in the bucket after this decision. */
  remaining: number;
}

/** Decides whether a tenant may make another request now. */
export interface RateLimiter {
  /**
   * Takes `cost` tokens (default 1) from the tenant's bucket when it holds that many, and says
   * whether it did.
   */
  consume(tenantId: string, limit: RateLimit, cost?: number): Promise<RateLimitDecision>;
  /** Forgets a tenant's state (for example when the tenant is removed). Optional. */
  reset?(tenantId: string): void | Promise<void>;
}

/** Options of {@link TokenBucketRateLimiter}. */
export interface TokenBucketRateLimiterOptions {
  /** Clock in milliseconds. Defaults to `Date.now`. */
  now?: () => number;
  /**
   * Most buckets kept at once. Defaults to 10,000. Beyond it, buckets that have refilled are dropped
   * first (which changes nothing); if that is not enough, the least recently used buckets are
   * dropped, which grants those tenants a fresh full bucket.
   */
  maxBuckets?: number;
  /** How often (in clock milliseconds) refilled buckets are swept away. Defaults to 60,000. */
  sweepIntervalMs?: number;
}

/** The bucket capacity of a limit: its `burst`, by default `max(1, requestsPerSecond)`. */
export function burstOf(limit: RateLimit): number {
  return limit.burst ?? Math.max(1, limit.requestsPerSecond);
}

/** Floating-point residue tolerated when comparing token counts and rounding waits. */
const EPSILON = 1e-9;

interface Bucket {
  tokens: number;
  updatedAt: number;
  /** Tokens per millisecond, as of the last call. */
  ratePerMs: number;
  capacity: number;
}

function checkLimit(limit: RateLimit): { ratePerMs: number; capacity: number } {
  const rps = limit?.requestsPerSecond;
  if (typeof rps !== 'number' || !Number.isFinite(rps) || rps <= 0) {
    throw new RangeError('rateLimit.requestsPerSecond must be a finite number above 0');
  }
  const burst = burstOf(limit);
  if (typeof burst !== 'number' || !Number.isFinite(burst) || burst <= 0) {
    throw new RangeError('rateLimit.burst must be a finite number above 0');
  }
  return { ratePerMs: rps / 1000, capacity: burst };
}

/**
 * An in-process token bucket per tenant.
 *
 * A new tenant starts with a full bucket of `burst` tokens; tokens refill continuously at
 * `requestsPerSecond` up to `burst`. A refused request takes nothing. When a tenant's limit changes,
 * the new rate and capacity apply from the next call (tokens above the new capacity are dropped).
 *
 * Memory stays bounded: a bucket that has refilled is indistinguishable from no bucket and is swept
 * away periodically, and at most `maxBuckets` buckets are kept.
 *
 * Decisions are taken synchronously inside `consume`, so concurrent requests of one process never
 * overdraw a bucket. Processes do not share buckets; use a shared {@link RateLimiter} for that.
 */
export class TokenBucketRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly now: () => number;
  private readonly maxBuckets: number;
  private readonly sweepIntervalMs: number;
  private lastSweep: number;

  /** @param options - clock, bucket limit and sweep interval; all optional. */
  constructor(options: TokenBucketRateLimiterOptions = {}) {
    this.now = options.now ?? Date.now;
    this.maxBuckets = Math.max(1, Math.floor(options.maxBuckets ?? 10_000));
    this.sweepIntervalMs = Math.max(0, options.sweepIntervalMs ?? 60_000);
    this.lastSweep = this.now();
  }

  /**
   * Takes `cost` tokens from `tenantId`'s bucket when available.
   *
   * When refused, `retryAfterSeconds` is the whole seconds, rounded up and at least 1, until the
   * bucket holds `cost` tokens (one token for the default cost). A cost above the capacity can never
   * be served; it is refused with the time until the bucket is full.
   *
   * @throws RangeError when the limit or the cost is not a usable number (a configuration error).
   */
  async consume(tenantId: string, limit: RateLimit, cost = 1): Promise<RateLimitDecision> {
    return this.take(tenantId, limit, cost);
  }

  /** The synchronous core of {@link consume}. */
  take(tenantId: string, limit: RateLimit, cost = 1): RateLimitDecision {
    const { ratePerMs, capacity } = checkLimit(limit);
    if (typeof cost !== 'number' || !Number.isFinite(cost) || cost < 0) {
      throw new RangeError('cost must be a finite number of at least 0');
    }
    const now = this.now();
    this.maybeSweep(now);
    let bucket = this.buckets.get(tenantId);
    if (bucket) {
      this.buckets.delete(tenantId); // re-inserted below: Map order is least recently used first
      const elapsed = Math.max(0, now - bucket.updatedAt);
      bucket.tokens = Math.min(capacity, bucket.tokens + elapsed * ratePerMs);
      bucket.updatedAt = now;
      bucket.ratePerMs = ratePerMs;
      bucket.capacity = capacity;
    } else {
      if (this.buckets.size >= this.maxBuckets) this.makeRoom(now);
      bucket = { tokens: capacity, updatedAt: now, ratePerMs, capacity };
    }
    this.buckets.set(tenantId, bucket);

    if (bucket.tokens + EPSILON >= cost) {
      bucket.tokens = Math.max(0, bucket.tokens - cost);
      return { allowed: true, remaining: Math.floor(bucket.tokens) };
    }
    const needed = Math.min(cost, capacity) - bucket.tokens;
    const seconds = Math.ceil(needed / ratePerMs / 1000 - EPSILON);
    return { allowed: false, retryAfterSeconds: Math.max(1, seconds), remaining: Math.floor(bucket.tokens) };
  }

  /** Forgets a tenant's bucket: its next request starts with a full bucket. */
  reset(tenantId: string): void {
    this.buckets.delete(tenantId);
  }

  /** Number of buckets held in memory. */
  get size(): number {
    return this.buckets.size;
  }

  private isFull(bucket: Bucket, now: number): boolean {
    const elapsed = Math.max(0, now - bucket.updatedAt);
    return bucket.tokens + elapsed * bucket.ratePerMs >= bucket.capacity;
  }

  private sweep(now: number): number {
    let removed = 0;
    for (const [id, bucket] of this.buckets) {
      if (this.isFull(bucket, now)) {
        this.buckets.delete(id);
        removed++;
      }
    }
    this.lastSweep = now;
    return removed;
  }

  private maybeSweep(now: number): void {
    if (now - this.lastSweep >= this.sweepIntervalMs || now < this.lastSweep) this.sweep(now);
  }

  /**
   * Called when a new bucket would exceed `maxBuckets`: sweeps refilled buckets, and when that frees
   * too little, drops the least recently used down to 90% of the limit, so the sweep's cost is spread
   * over many insertions.
   */
  private makeRoom(now: number): void {
    this.sweep(now);
    const target = Math.max(0, Math.min(this.maxBuckets - 1, Math.floor(this.maxBuckets * 0.9)));
    if (this.buckets.size <= target) return;
    for (const id of this.buckets.keys()) {
      if (this.buckets.size <= target) break;
      this.buckets.delete(id);
    }
  }
}
