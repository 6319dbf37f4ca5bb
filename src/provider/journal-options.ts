import type { ChangeJournal, JournaledChange } from '../storage/storage-provider.js';

/**
 * The `journal` option to hand to storage: none without a journal; the journal itself; or, when
 * the provider knows which attributes a write changed (a PATCH), the journal told them as well.
 */
export function journalOf(journal: ChangeJournal | undefined, changed?: (change: JournaledChange) => readonly string[]): { journal?: ChangeJournal } {
  if (!journal) return {};
  if (!changed) return { journal };
  return {
    journal: {
      entries: (change) => journal.entries({ ...change, changed: changed(change) }),
      stored: (positions) => journal.stored(positions),
    },
  };
}
