/**
 * ISO 8601 timestamps for `meta.created` and `meta.lastModified`. Writes within the same
 * millisecond share one string.
 */
export class WriteClock {
  private lastMs = Number.NaN;
  private lastIso = '';

  /** The current time as an ISO string (`2024-05-06T07:08:09.123Z`). */
  now(): string {
    const ms = Date.now();
    if (ms !== this.lastMs) {
      this.lastMs = ms;
      this.lastIso = new Date(ms).toISOString();
    }
    return this.lastIso;
  }
}
