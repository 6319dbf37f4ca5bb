import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

/** Runs an example to its end in a process group of its own, killed if it outlives the test. */
function run(script: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(root, 'node_modules', '.bin', 'tsx'), [script], { cwd: root, detached: true });
    let out = '';
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      reject(new Error(`${script} did not finish`));
    }, 50_000);
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
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
