import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runToEnd } from '../helpers/processes.js';

const root = join(import.meta.dirname, '..', '..');

/** Runs an example to its end in a process group of its own, killed when it ends or outlives the test. */
async function run(script: string): Promise<{ code: number | string; out: string }> {
  const { code, output } = await runToEnd(join(root, 'node_modules', '.bin', 'tsx'), [script], { cwd: root, timeoutMs: 50_000 });
  return { code, out: output };
}

describe('examples/operations.ts', () => {
  it('drives the three tenants through the operation handler, with each refusal and its audit event', async () => {
    const { code, out } = await run('examples/operations.ts');
    expect(out.trim().split('\n').at(-1)).toMatch(/^Operations: all \d+ checks passed\.$/);
    expect(code).toBe(0);
    for (const refusal of ['403 maxUsers', '403 canDelete', '403 canUpdate', '412 If-Match']) expect(out).toContain(refusal);
    expect(out).toMatch(/job-8\s+startup-b\s+startup-b-sync-job\s+create\s+refused\s+403 maxUsers/);
    expect(out).not.toContain('FAIL');
  }, 60_000);
});
