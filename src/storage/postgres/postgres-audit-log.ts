import { keepEntries } from './audit-outbox.js';
import type { SqlClient } from './sql-client.js';
import { qualified, type StorageNameOptions, type StorageNames, storageNames } from './storage-names.js';

/** An audit event as the trail stores it: the JSON of scim-server's `AuditEvent`. */
export interface StoredAuditEvent {
  readonly time: string;
  readonly tenantId: string;
  readonly requestId: string;
  readonly action: string;
  readonly outcome: 'success' | 'refused' | 'failed';
  readonly status: number;
  readonly clientId?: string;
  readonly credentialId?: string;
  readonly resourceType?: string;
  readonly resourceId?: string;
  readonly version?: string;
  readonly reason?: string;
  readonly changed?: readonly string[];
  readonly active?: boolean;
  readonly causedBy?: { readonly action: string; readonly resourceType?: string; readonly resourceId?: string };
}

/** One row of a tenant's audit trail. */
export interface AuditLogEntry {
  /** Its position in the tenant's trail: 1, 2, 3, ... in commit order, without gaps. */
  readonly sequence: number;
  /** A unique id of the row (a UUID). */
  readonly id: string;
  /** When the database stored it, ISO 8601. */
  readonly recorded: string;
  readonly event: StoredAuditEvent;
}

/** One page of a tenant's trail, oldest first. */
export interface AuditLogPage {
  readonly entries: AuditLogEntry[];
  /** Pass as `after` for the next page; absent when this page reached the end. */
  readonly next?: number;
}

/** How long the trail keeps events. Either or both; an event goes when either says so. */
export interface AuditRetention {
  /** Delete events recorded more than this many days ago (a positive number). */
  readonly days?: number;
  /** Keep at most this many latest events per tenant (a positive integer). */
  readonly keep?: number;
}

/** Options of {@link PostgresAuditLog}. */
export interface PostgresAuditLogOptions extends StorageNameOptions {
  /** What {@link PostgresAuditLog.prune} deletes when called without a policy. */
  retention?: AuditRetention;
}

/** The least an event must have for {@link PostgresAuditLog.sink} to store it. */
export interface AuditSinkEventLike {
  readonly tenantId: string;
  readonly sequence?: number;
}

const DEFAULT_PAGE = 100;
const MAX_PAGE = 1000;

function checkRetention(retention: unknown, key: string): AuditRetention {
  if (typeof retention !== 'object' || retention === null) throw new TypeError(`PostgresAuditLog option "${key}" must be an object with "days" and/or "keep"`);
  const r = retention as Record<string, unknown>;
  for (const name of Object.keys(r)) {
    if (name !== 'days' && name !== 'keep') throw new TypeError(`PostgresAuditLog option "${key}.${name}" is not known: use "days" or "keep"`);
  }
  if (r.days !== undefined && !(typeof r.days === 'number' && Number.isFinite(r.days) && r.days > 0)) {
    throw new TypeError(`PostgresAuditLog option "${key}.days" must be a positive number, got ${JSON.stringify(r.days)}`);
  }
  if (r.keep !== undefined && !(typeof r.keep === 'number' && Number.isSafeInteger(r.keep) && r.keep > 0)) {
    throw new TypeError(`PostgresAuditLog option "${key}.keep" must be a positive integer, got ${JSON.stringify(r.keep)}`);
  }
  return r as AuditRetention;
}

/**
 * The audit trail in PostgreSQL: the events {@link PostgresStorage} keeps with each change (option
 * `auditOutbox`), and, through {@link PostgresAuditLog.sink}, every other event (refusals, failed
 * changes, authentication), in one sequence per tenant. Read back per tenant in order with
 * {@link PostgresAuditLog.read}; keep it bounded with {@link PostgresAuditLog.prune}.
 */
export class PostgresAuditLog {
  private readonly names: StorageNames;
  private readonly retention: AuditRetention | undefined;

  /**
   * @param client - the storage's database client.
   * @param options - the storage's `schema`, and the `retention` policy.
   * @throws TypeError naming the option when one is not accepted.
   */
  constructor(
    private readonly client: SqlClient,
    options: PostgresAuditLogOptions = {},
  ) {
    this.names = storageNames(options);
    this.retention = options.retention === undefined ? undefined : checkRetention(options.retention, 'retention');
  }

  /**
   * An audit sink (give it to `ScimServer`'s `audit` option) that stores each event in its own
   * transaction, except events that already have a `sequence`: the storage kept those with their
   * change.
   */
  sink(): { emit(event: AuditSinkEventLike): Promise<void> } {
    return {
      emit: async (event) => {
        if (event.sequence !== undefined) return;
        await this.record(event);
      },
    };
  }

  /** Stores one event in the trail of its `tenantId`; resolves to its sequence. */
  async record(event: AuditSinkEventLike): Promise<number> {
    const positions = await this.client.transaction((tx) => keepEntries(tx, this.names, String(event.tenantId ?? ''), false, [event]));
    return positions[0] ?? 0;
  }

  /**
   * One page of a tenant's trail in sequence order: the events after `after` (default 0, the
   * beginning), at most `limit` (default 100, at most 1000).
   */
  async read(tenantId: string, page: { after?: number; limit?: number } = {}): Promise<AuditLogPage> {
    const after = page.after ?? 0;
    const limit = page.limit ?? DEFAULT_PAGE;
    if (!Number.isSafeInteger(after) || after < 0)
      throw new TypeError(`"after" must be a sequence (a non-negative integer), got ${JSON.stringify(page.after)}`);
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PAGE)
      throw new TypeError(`"limit" must be an integer from 1 to ${MAX_PAGE}, got ${JSON.stringify(page.limit)}`);
    const { rows } = await this.client.query(
      `SELECT e.sequence::text AS position, e.event_id::text AS id, to_char(e.recorded AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS recorded, e.event
FROM ${qualified(this.names.meta, 'scim_audit_events')} e WHERE e.tenant_id = $1 AND e.sequence > $2 ORDER BY e.sequence LIMIT $3`,
      [tenantId, after, limit + 1],
    );
    const entries = rows.slice(0, limit).map((row) => ({
      sequence: Number(row.position),
      id: String(row.id),
      recorded: String(row.recorded),
      event: (typeof row.event === 'string' ? JSON.parse(row.event) : row.event) as StoredAuditEvent,
    }));
    const last = entries[entries.length - 1];
    return rows.length > limit && last ? { entries, next: last.sequence } : { entries };
  }

  /**
   * Deletes what the retention policy (`policy`, else the `retention` option) lets go: events older
   * than `days`, and all but the `keep` latest of each tenant. Events an event publisher has not yet
   * delivered stay. Resolves to the number of events deleted.
   */
  async prune(policy?: AuditRetention): Promise<number> {
    const retention = policy === undefined ? this.retention : checkRetention(policy, 'prune');
    if (!retention || (retention.days === undefined && retention.keep === undefined)) return 0;
    const events = qualified(this.names.meta, 'scim_audit_events');
    const heads = qualified(this.names.meta, 'scim_audit_heads');
    const deliveries = qualified(this.names.meta, 'scim_event_deliveries');
    const { rows } = await this.client.query(
      `WITH gone AS (
  DELETE FROM ${events} e USING ${heads} h
  WHERE h.tenant_id = e.tenant_id
    AND (($1::float8 IS NOT NULL AND e.recorded < now() - $1::float8 * interval '1 day') OR ($2::bigint IS NOT NULL AND e.sequence <= h.last_sequence - $2::bigint))
    AND NOT EXISTS (SELECT 1 FROM ${deliveries} d WHERE d.tenant_id = e.tenant_id AND d.delivered < e.sequence)
  RETURNING 1
)
SELECT count(*)::int AS deleted FROM gone`,
      [retention.days ?? null, retention.keep ?? null],
    );
    return Number(rows[0]?.deleted ?? 0);
  }
}
