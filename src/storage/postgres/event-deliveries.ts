import type { SqlQueryable } from './sql-client.js';
import { qualified, type StorageNames } from './storage-names.js';

/** A tenant whose undelivered events this publisher holds the lease of. */
export interface ClaimedTenant {
  readonly tenantId: string;
  /** The last sequence delivered. */
  readonly delivered: number;
  /** Failed attempts in a row so far. */
  readonly attempts: number;
}

/**
 * Each tenant's delivery position in `<schema>.scim_event_deliveries`, moved one delivered event
 * at a time, and a lease so that one publisher at a time delivers a tenant's events (in order):
 * a publisher that dies leaves its lease to expire.
 */
export class EventDeliveries {
  private readonly table: string;
  private readonly heads: string;

  constructor(
    private readonly q: SqlQueryable,
    names: StorageNames,
    private readonly owner: string,
    private readonly leaseMs: number,
  ) {
    this.table = qualified(names.meta, 'scim_event_deliveries');
    this.heads = qualified(names.meta, 'scim_audit_heads');
  }

  /** Takes the lease of every tenant with undelivered events that is due and not leased by another. */
  async claim(limit: number): Promise<ClaimedTenant[]> {
    await this.q.query(
      `INSERT INTO ${this.table} (tenant_id) SELECT h.tenant_id FROM ${this.heads} h
WHERE NOT EXISTS (SELECT 1 FROM ${this.table} d WHERE d.tenant_id = h.tenant_id) ON CONFLICT (tenant_id) DO NOTHING`,
    );
    const { rows } = await this.q.query(
      `UPDATE ${this.table} d SET lease_owner = $1, lease_until = clock_timestamp() + $2 * interval '1 millisecond'
WHERE d.tenant_id IN (
  SELECT d2.tenant_id FROM ${this.table} d2 JOIN ${this.heads} h ON h.tenant_id = d2.tenant_id
  WHERE h.last_sequence > d2.delivered AND (d2.next_attempt IS NULL OR d2.next_attempt <= clock_timestamp())
    AND (d2.lease_until IS NULL OR d2.lease_until < clock_timestamp() OR d2.lease_owner = $1)
  ORDER BY d2.tenant_id LIMIT $3
  FOR UPDATE OF d2 SKIP LOCKED
)
RETURNING d.tenant_id, d.delivered::text AS delivered, d.attempts`,
      [this.owner, this.leaseMs, limit],
    );
    return rows.map((row) => ({ tenantId: String(row.tenant_id), delivered: Number(row.delivered), attempts: Number(row.attempts) }));
  }

  /** Records `sequence` as delivered and renews the lease; false when the lease was lost. */
  async advance(tenantId: string, sequence: number): Promise<boolean> {
    const { rows } = await this.q.query(
      `UPDATE ${this.table} SET delivered = $2, attempts = 0, next_attempt = NULL, last_error = NULL, lease_until = clock_timestamp() + $4 * interval '1 millisecond'
WHERE tenant_id = $1 AND lease_owner = $3 AND delivered < $2 RETURNING tenant_id`,
      [tenantId, sequence, this.owner, this.leaseMs],
    );
    return rows.length > 0;
  }

  /** Records a failed attempt: the next one is due after `delayMs`; the lease is released. */
  async failed(tenantId: string, delayMs: number, error: string): Promise<void> {
    await this.q.query(
      `UPDATE ${this.table} SET attempts = attempts + 1, next_attempt = clock_timestamp() + $2 * interval '1 millisecond', last_error = $3, lease_owner = NULL, lease_until = NULL
WHERE tenant_id = $1 AND lease_owner = $4`,
      [tenantId, delayMs, error.slice(0, 1000), this.owner],
    );
  }

  /** Gives back the lease of `tenantId`, or of every tenant this publisher holds. */
  async release(tenantId?: string): Promise<void> {
    await this.q.query(`UPDATE ${this.table} SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = $1 AND ($2::text IS NULL OR tenant_id = $2)`, [
      this.owner,
      tenantId ?? null,
    ]);
  }
}
