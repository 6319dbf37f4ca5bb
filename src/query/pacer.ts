/**
 * Cooperative time slicing, so that no request holds the process for long.
 *
 * JavaScript runs one piece of work at a time: a scan over a million resources, a sort of them or
 * the rendering of a page of large groups would keep every other request (of every tenant) waiting
 * until it ends. Long work calls `await pacer.pace()` between small chunks instead; the call returns
 * at once while the work's time slice lasts, and otherwise waits for the work's next turn, which a
 * {@link FairScheduler} hands out one slice per turn of the event loop, in order, to all the work it
 * paces. Requests that need no more than a slice (nearly all of them) are served between those turns.
 */

/** Lets long synchronous work give other requests their turn. */
export interface Pacer {
  /** Returns at once while this work's time slice lasts; otherwise waits for its next turn. */
  pace(): Promise<void>;
}

const NOW: () => number = typeof performance === 'object' && typeof performance.now === 'function' ? () => performance.now() : () => Date.now();
const RESOLVED: Promise<void> = Promise.resolve();

/** A pacer that never waits: for work that is known to be short, and callers that ask for no pacing. */
export const UNPACED: Pacer = Object.freeze({ pace: () => RESOLVED });

/** Default length of a time slice, in milliseconds. */
export const DEFAULT_SLICE_MS = 4;

type Defer = (run: () => void) => void;

/** A new macrotask: `setImmediate` where the runtime has it (after pending I/O), else `setTimeout(0)`. */
const nextMacrotask: Defer =
  typeof (globalThis as { setImmediate?: unknown }).setImmediate === 'function'
    ? (run) => void (globalThis as unknown as { setImmediate: (f: () => void) => unknown }).setImmediate(run)
    : (run) => void setTimeout(run, 0);

/**
 * Hands out time slices to paced work, one per turn of the event loop, first come first served:
 * however many long requests are in flight, other requests wait for at most about one slice
 * between turns. One scheduler serves one server (no state is shared between servers).
 */
export class FairScheduler {
  private readonly waiting: (() => void)[] = [];
  private scheduled = false;

  /** @param sliceMs - how long paced work may run before it waits for its next turn (default {@link DEFAULT_SLICE_MS}). */
  constructor(readonly sliceMs: number = DEFAULT_SLICE_MS) {
    if (!Number.isFinite(sliceMs) || sliceMs <= 0) throw new TypeError(`sliceMs must be a positive number, not ${String(sliceMs)}`);
  }

  /** A pacer for one piece of work (one request), whose first slice starts now. */
  pacer(): Pacer {
    let sliceStart = NOW();
    const resume = () => {
      sliceStart = NOW();
    };
    return {
      pace: () => {
        if (NOW() - sliceStart < this.sliceMs) return RESOLVED;
        return this.turn().then(resume);
      },
    };
  }

  /** Number of pieces of work waiting for a turn. */
  get waitingCount(): number {
    return this.waiting.length;
  }

  /** Resolves at the work's next turn. */
  private turn(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    nextMacrotask(() => this.tick());
  }

  /** One turn: the longest-waiting work runs its next slice; the rest wait for later turns. */
  private tick(): void {
    this.scheduled = false;
    const next = this.waiting.shift();
    if (this.waiting.length > 0) this.schedule();
    next?.();
  }
}
