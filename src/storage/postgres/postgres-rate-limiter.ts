import { burstOf, type RateLimit, type RateLimitDecision, type RateLimiter } from '../../tenant/rate-limiter.js';
import { registryTables } from './registry-tables.js';
import type { SqlQueryable } from './sql-client.js';
import { type StorageNameOptions, storageNames } from './storage-names.js';

/** Floating-point residue tolerated when comparing token counts, as the in-process limiter does. */
const EPSILON = 1e-9;

function checkLimit(limit: RateLimit, cost: number): { rate: number; capacity: number } {
  const rate = limit?.requestsPerSecond;
  if (typeof rate !== 'number' || !Number.isFinite(rate) || rate <= 0) throw new RangeError('rateLimit.requestsPerSecond must be a finite number above 0');
  const capacity = burstOf(limit);
  if (typeof capacity !== 'number' || !Number.isFinite(capacity) || capacity <= 0) throw new RangeError('rateLimit.burst must be a finite number above 0');
  if (typeof cost !== 'number' || !Number.isFinite(cost) || cost < 0) throw new RangeError('cost must be a finite number of at least 0');
  return { rate, capacity };
}

/**
 * The one statement of a decision. `$1` tenant, `$2` tokens per second, `$3` capacity, `$4` cost.
 * A new tenant starts with a full bucket. An existing bucket is refilled for the time since its last
 * decision (by the database's clock, read after the row is locked, so decisions of all processes
 * are ordered by one clock), capped at the capacity, and the cost is taken when the bucket holds it.
 * `granted` records whether it was, for `RETURNING` (which sees only the new row).
 */
function decisionStatement(table: string): string {
  const refilled = `least($3::float8, b.tokens + $2::float8 * greatest(0, extract(epoch FROM clock_timestamp() - b.updated))::float8)`;
  const enough = `(${refilled} + ${EPSILON} >= $4::float8)`;
  return `INSERT INTO ${table} AS b (tenant_id, tokens, updated, granted)
VALUES ($1, CASE WHEN $3::float8 + ${EPSILON} >= $4::float8 THEN greatest(0, $3::float8 - $4::float8) ELSE $3::float8 END, clock_timestamp(), $3::float8 + ${EPSILON} >= $4::float8)
ON CONFLICT (tenant_id) DO UPDATE SET
  tokens = CASE WHEN ${enough} THEN greatest(0, ${refilled} - $4::float8) ELSE ${refilled} END,
  updated = greatest(b.updated, clock_timestamp()),
  granted = ${enough}
RETURNING tokens, granted`;
}

/**
 * A {@link RateLimiter} shared by every process of a deployment: each tenant's token bucket is a
 * row in PostgreSQL (`<schema>.scim_rate_buckets`, created by `migrate()`), and each decision is one
 * `INSERT ... ON CONFLICT DO UPDATE ... RETURNING` statement, atomic on its own: no transaction or
 * lock is held across a request, and processes deciding at once for one tenant queue on its row for
 * the time of that statement only. The limit therefore holds for the deployment: four processes
 * together grant no more than one would, `burst` at once and `requestsPerSecond` after that.
 *
 * The semantics are those of {@link TokenBucketRateLimiter} (a full bucket to start, continuous
 * refill, a refused request takes nothing, a cost above the capacity is never served), with time
 * measured by the database server's clock. Each decision costs one round trip to the database.
 *
 * ```ts
 * const rateLimiter = new PostgresRateLimiter(await connectPostgres(process.env.DATABASE_URL!));
 * const scim = new ScimServer({ tenantResolver, storage, rateLimiter });
 * ```
 */
export class PostgresRateLimiter implements RateLimiter {
  private readonly statement: string;
  private readonly table: string;

  /**
   * @param client - a client of the database `migrate()` prepared (a pool: each decision takes a connection for one statement).
   * @param options - the schema name, when the storage uses another than `scim`.
   */
  constructor(
    private readonly client: SqlQueryable,
    options: StorageNameOptions = {},
  ) {
    this.table = registryTables(storageNames(options)).rateBuckets;
    this.statement = decisionStatement(this.table);
  }

  /**
   * Takes `cost` tokens (default 1) from the tenant's bucket when it holds that many, in one statement.
   *
   * @throws RangeError when the limit or the cost is not a usable number.
   */
  async consume(tenantId: string, limit: RateLimit, cost = 1): Promise<RateLimitDecision> {
    const { rate, capacity } = checkLimit(limit, cost);
    const { rows } = await this.client.query(this.statement, [tenantId, rate, capacity, cost]);
    const row = rows[0] as { tokens: number | string; granted: boolean } | undefined;
    if (!row) throw new Error('the rate limit statement returned no row');
    const tokens = Number(row.tokens);
    if (row.granted) return { allowed: true, remaining: Math.floor(tokens + EPSILON) };
    const seconds = Math.ceil((Math.min(cost, capacity) - tokens) / rate - EPSILON);
    return { allowed: false, retryAfterSeconds: Math.max(1, seconds), remaining: Math.floor(tokens + EPSILON) };
  }

  /** Forgets a tenant's bucket: its next request starts with a full bucket. */
  async reset(tenantId: string): Promise<void> {
    await this.client.query(`DELETE FROM ${this.table} WHERE tenant_id = $1`, [tenantId]);
  }
}
