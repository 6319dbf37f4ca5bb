/** One benchmark figure beside its peer, measured in the same run. */
export interface BenchResult {
  /** What was measured. */
  name: string;
  /** Our figure. */
  ours: number;
  /** The peer's figure (or the target, for absolute targets). */
  peer: number;
  /** Who the peer is. */
  peerName: string;
  /** Unit of both figures, for example `ops/s` or `ms/query`. */
  unit: string;
  /** ours / peer for rates, peer / ours for times: above 1 means we are ahead. */
  ratio: number;
  /** Free-form note (for example a peer that returned wrong matches). */
  note?: string;
  /** For request rates measured over HTTP: our 99th-percentile latency, in milliseconds. */
  oursP99Ms?: number;
  /** For request rates measured over HTTP: the peer's 99th-percentile latency, in milliseconds. */
  peerP99Ms?: number;
}

/** A bench module: `bench/*.bench.ts` exports `run`. */
export type BenchModule = { run: () => Promise<BenchResult[]> };

/**
 * Runs `fn` repeatedly for at least `minMs` (after a warm-up) and returns operations per second,
 * where one call of `fn` performs `opsPerCall` operations.
 */
export function opsPerSecond(fn: () => unknown, opsPerCall = 1, minMs = 500): number {
  const warmEnd = performance.now() + Math.min(200, minMs / 2);
  while (performance.now() < warmEnd) fn();
  let calls = 0;
  const start = performance.now();
  let now = start;
  while (now - start < minMs) {
    fn();
    calls++;
    now = performance.now();
  }
  return (calls * opsPerCall * 1000) / (now - start);
}

/** Async version of {@link opsPerSecond}. */
export async function opsPerSecondAsync(fn: () => Promise<unknown>, opsPerCall = 1, minMs = 500): Promise<number> {
  const warmEnd = performance.now() + Math.min(200, minMs / 2);
  while (performance.now() < warmEnd) await fn();
  let calls = 0;
  const start = performance.now();
  let now = start;
  while (now - start < minMs) {
    await fn();
    calls++;
    now = performance.now();
  }
  return (calls * opsPerCall * 1000) / (now - start);
}

/** A rate result: ratio = ours / peer. */
export function rate(name: string, ours: number, peer: number, peerName: string, unit = 'ops/s', note?: string): BenchResult {
  return { name, ours, peer, peerName, unit, ratio: ours / peer, ...(note ? { note } : {}) };
}

/** A time result (lower is better): ratio = peer / ours. */
export function time(name: string, ours: number, peer: number, peerName: string, unit = 'ms', note?: string): BenchResult {
  return { name, ours, peer, peerName, unit, ratio: peer / ours, ...(note ? { note } : {}) };
}
