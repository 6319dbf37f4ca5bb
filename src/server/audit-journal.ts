import type { ChangeJournal, JournaledChange } from '../storage/storage-provider.js';
import { type AuditEvent, redactAuditEvent } from './audit.js';
import type { AuditFields, AuditOrigin, OperationAudit } from './operation-audit.js';

/**
 * The audit events of one successful change, recorded exactly once. Handed to storage as the
 * write's journal: a storage that keeps an outbox stores the events in the change's own
 * transaction, and {@link AuditJournal.emit} then gives the trail those very events, marked with
 * their `sequence` (sinks that store events skip them). With any other storage, `emit` builds the
 * events from what the write returned, and the trail's sinks record them as usual.
 */
export class AuditJournal implements ChangeJournal {
  private pending: AuditEvent[] = [];
  private kept: AuditEvent[] | undefined;

  /**
   * @param audit - the operation audit that stamps and emits events.
   * @param origin - who acted, in which request.
   * @param describe - the events of a change, from what the write changed.
   */
  constructor(
    private readonly audit: OperationAudit,
    private readonly origin: AuditOrigin,
    private readonly describe: (change: JournaledChange) => AuditFields[],
  ) {}

  /** The events of `change`, redacted, for storage to keep in the write's transaction. */
  entries(change: JournaledChange): readonly object[] {
    this.pending = this.describe(change).map((fields) => redactAuditEvent(this.audit.event(this.origin, fields)));
    this.kept = undefined;
    return this.pending;
  }

  /** Storage kept the events: remembers the position of each. */
  stored(positions: readonly number[]): void {
    this.kept = this.pending.map((event, i) => {
      const sequence = positions[i];
      return sequence === undefined ? event : { ...event, sequence };
    });
  }

  /**
   * Gives the trail the events of the change, once the write has resolved: those storage kept, or,
   * when it kept none, the events of `change` (what the write returned).
   */
  emit(change: JournaledChange): void {
    if (this.audit.trail.size === 0) return; // no sink would see them
    if (this.kept) {
      for (const event of this.kept) this.audit.trail.emit(event);
      return;
    }
    for (const fields of this.describe(change)) this.audit.emit(this.origin, fields);
  }
}
