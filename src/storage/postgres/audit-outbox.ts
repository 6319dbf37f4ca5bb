import type { ChangeJournal, JournaledChange } from '../storage-provider.js';
import { leaveRole } from './row-level-security.js';
import type { SqlQueryable } from './sql-client.js';
import { qualified, type StorageNames } from './storage-names.js';

/**
 * Stores a change's journal entries in the change's own transaction: the tenant's head row moves by
 * the number of entries (its lock, held to the commit, orders the tenant's writers, so sequence
 * order is commit order and has no gaps), and each entry becomes one row at the next positions.
 * Runs as the session's role: the rows are keyed by the storage's tenant, never by the entries.
 * Returns the positions, in order.
 */
export async function keepEntries(tx: SqlQueryable, names: StorageNames, tenantId: string, rls: boolean, entries: readonly object[]): Promise<number[]> {
  if (entries.length === 0) return [];
  if (rls) await leaveRole(tx, tenantId);
  const heads = qualified(names.meta, 'scim_audit_heads');
  const { rows } = await tx.query(
    `WITH head AS (
  INSERT INTO ${heads} AS h (tenant_id, last_sequence) VALUES ($1, $2)
  ON CONFLICT (tenant_id) DO UPDATE SET last_sequence = h.last_sequence + $2
  RETURNING last_sequence
)
INSERT INTO ${qualified(names.meta, 'scim_audit_events')} (tenant_id, sequence, event)
SELECT $1, head.last_sequence - $2 + e.ord, e.entry FROM head, jsonb_array_elements($3::jsonb) WITH ORDINALITY AS e(entry, ord)
RETURNING sequence::text AS sequence`,
    [tenantId, entries.length, JSON.stringify(entries)],
  );
  return rows.map((row) => Number(row.sequence)).sort((a, b) => a - b);
}

/**
 * Runs a write whose journal, when there is one and the outbox is on, is kept in the same
 * transaction; tells the journal the positions after the commit.
 */
export class OutboxWrite {
  private positions: number[] | undefined;

  constructor(
    private readonly names: StorageNames,
    private readonly journal: ChangeJournal | undefined,
  ) {}

  /** Inside the transaction, after the change: keeps the journal's entries for `change`. */
  async keep(tx: SqlQueryable, tenantId: string, rls: boolean, change: JournaledChange): Promise<void> {
    if (!this.journal) return;
    this.positions = await keepEntries(tx, this.names, tenantId, rls, this.journal.entries(change));
  }

  /** After the commit: tells the journal where its entries are. */
  committed(): void {
    if (this.journal && this.positions) this.journal.stored(this.positions);
  }
}
