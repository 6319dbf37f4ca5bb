import { readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchModule, BenchResult } from './harness.js';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);

function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) >= 1000) return Math.round(n).toLocaleString('en-US');
  return n.toPrecision(3);
}

const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

const all: BenchResult[] = [];
for (const file of files) {
  const mod = (await import(pathToFileURL(join(here, file)).href)) as BenchModule;
  console.log(`\n## ${file}`);
  for (const r of await mod.run()) {
    all.push(r);
    console.log(
      `${r.name.padEnd(58)} ours ${fmt(r.ours).padStart(12)} ${r.unit.padEnd(9)} ` +
        `${r.peerName} ${fmt(r.peer)}  ratio ${r.ratio.toFixed(2)}x` +
        `${r.oursP99Ms !== undefined ? `  p99 ${fmt(r.oursP99Ms)} ms vs ${fmt(r.peerP99Ms ?? Number.NaN)} ms` : ''}${r.note ? `  (${r.note})` : ''}`,
    );
  }
}
writeFileSync(join(here, 'results.json'), `${JSON.stringify(all, null, 2)}\n`);
console.log(`\nwrote bench/results.json (${all.length} figures)`);
