import type { Pacer } from './pacer.js';

/** Arrays up to this length are sorted in one step. */
const ONE_STEP = 4_096;
/** Length of the runs sorted in one step before merging. */
const RUN = 512;
/** Elements merged between two calls of `pace`. */
const MERGE_STEP = 256;

/**
 * Sorts `items` in place with `compare`, as `Array.prototype.sort` does (stable), in slices that
 * call `pacer.pace()` between them: runs sorted in one step, then merged bottom-up. Returns `items`.
 */
export async function pacedSort<T>(items: T[], compare: (a: T, b: T) => number, pacer: Pacer): Promise<T[]> {
  const n = items.length;
  if (n <= ONE_STEP) return items.sort(compare);
  for (let start = 0; start < n; start += RUN) {
    const run = items.slice(start, start + RUN).sort(compare);
    for (let i = 0; i < run.length; i++) items[start + i] = run[i] as T;
    await pacer.pace();
  }
  let from = items;
  let to = new Array<T>(n);
  for (let width = RUN; width < n; width *= 2) {
    let merged = 0;
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      for (let k = lo; k < hi; k++) {
        // Ties take the left run first, which keeps the sort stable.
        if (i < mid && (j >= hi || compare(from[i] as T, from[j] as T) <= 0)) to[k] = from[i++] as T;
        else to[k] = from[j++] as T;
        if (++merged % MERGE_STEP === 0) await pacer.pace();
      }
    }
    [from, to] = [to, from];
  }
  if (from !== items) for (let k = 0; k < n; k++) items[k] = from[k] as T;
  return items;
}
