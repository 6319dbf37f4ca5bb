/** Most distinct lists kept; beyond it lists are still frozen, just not shared. */
const MAX_LISTS = 1024;

/**
 * Hands out one frozen array per distinct `schemas` list, so a million stored resources share a
 * handful of arrays instead of holding one each.
 */
export class SchemaListInterner {
  private readonly lists = new Map<string, readonly string[]>();

  /** A frozen array equal to `list`, shared with every earlier equal list. */
  intern(list: readonly string[]): readonly string[] {
    const key = list.join('\u0000');
    const found = this.lists.get(key);
    if (found) return found;
    const frozen = Object.freeze([...list]);
    if (this.lists.size < MAX_LISTS) this.lists.set(key, frozen);
    return frozen;
  }
}
