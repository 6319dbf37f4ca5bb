/**
 * A non-unique secondary index: index key → ids of the records holding that key.
 *
 * A key held by one record maps straight to its id (a string), and only turns into a `Set` when a
 * second record shares it, so an index over a million mostly-distinct values costs one map entry
 * per value.
 */
export class ValueIndex {
  private readonly entries = new Map<string, string | Set<string>>();

  /** Records that `id` holds `key`. */
  add(key: string, id: string): void {
    const found = this.entries.get(key);
    if (found === undefined) {
      this.entries.set(key, id);
    } else if (typeof found === 'string') {
      if (found !== id) this.entries.set(key, new Set([found, id]));
    } else {
      found.add(id);
    }
  }

  /** Forgets that `id` holds `key`. */
  remove(key: string, id: string): void {
    const found = this.entries.get(key);
    if (found === undefined) return;
    if (typeof found === 'string') {
      if (found === id) this.entries.delete(key);
      return;
    }
    found.delete(id);
    if (found.size === 1) {
      const [only] = found;
      if (only !== undefined) this.entries.set(key, only);
    } else if (found.size === 0) {
      this.entries.delete(key);
    }
  }

  /** Ids of the records holding `key`, in no particular order. */
  get(key: string): readonly string[] {
    const found = this.entries.get(key);
    if (found === undefined) return EMPTY;
    return typeof found === 'string' ? [found] : [...found];
  }

  /** Number of distinct keys. */
  get size(): number {
    return this.entries.size;
  }
}

const EMPTY: readonly string[] = Object.freeze([]);
