import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pacedSort } from '../../src/query/paced-sort.js';
import { FairScheduler, UNPACED, type Pacer } from '../../src/query/pacer.js';

/** Busy work for `ms` milliseconds of wall time. */
function spin(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy
  }
}

/** A pacer that yields at every call and counts its calls, for deterministic tests. */
function counting(): Pacer & { calls: number } {
  const p = {
    calls: 0,
    pace: async () => {
      p.calls++;
      await new Promise<void>((resolve) => setImmediate(resolve));
    },
  };
  return p;
}

describe('FairScheduler', () => {
  it('returns at once while the slice lasts, and yields to other macrotasks once it is used up', async () => {
    const scheduler = new FairScheduler(5);
    const pacer = scheduler.pacer();
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 0);
    try {
      await pacer.pace(); // within the slice: no other task ran
      expect(ticks).toBe(0);
      for (let i = 0; i < 5; i++) {
        spin(6);
        await pacer.pace();
      }
      expect(ticks).toBeGreaterThanOrEqual(3);
    } finally {
      clearInterval(ticker);
    }
  });

  it('hands out one slice per turn, in the order the work asked, so that long works take turns', async () => {
    const scheduler = new FairScheduler(1);
    const order: string[] = [];
    const work = async (name: string) => {
      const pacer = scheduler.pacer();
      for (let i = 0; i < 3; i++) {
        spin(2);
        order.push(name);
        await pacer.pace();
      }
    };
    await Promise.all([work('a'), work('b'), work('c')]);
    // Each work runs one slice and then waits behind the others.
    expect(order).toEqual(['a', 'b', 'c', 'a', 'b', 'c', 'a', 'b', 'c']);
    expect(scheduler.waitingCount).toBe(0);
  });

  it('refuses a slice length that is not a positive number', () => {
    expect(() => new FairScheduler(0)).toThrow(TypeError);
    expect(() => new FairScheduler(Number.NaN)).toThrow(TypeError);
  });

  it('UNPACED never waits', async () => {
    let ticks = 0;
    const t = setImmediate(() => ticks++);
    for (let i = 0; i < 100; i++) await UNPACED.pace();
    expect(ticks).toBe(0);
    clearImmediate(t);
  });
});

describe('pacedSort', () => {
  it('sorts as Array.prototype.sort does, stably, at any length', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 20_000 }), async (keys) => {
        const items = keys.map((key, i) => ({ key, i }));
        const expected = [...items].sort((a, b) => a.key - b.key);
        const sorted = await pacedSort([...items], (a, b) => a.key - b.key, UNPACED);
        expect(sorted).toEqual(expected);
      }),
      { numRuns: 25, seed: 13 },
    );
  });

  it('gives other work turns while it sorts a long list', async () => {
    const items = Array.from({ length: 50_000 }, (_, i) => (i * 7919) % 50_000);
    const pacer = counting();
    const sorted = await pacedSort(items, (a, b) => a - b, pacer);
    expect(sorted).toEqual(Array.from({ length: 50_000 }, (_, i) => i));
    expect(pacer.calls).toBeGreaterThan(100);
  });
});
