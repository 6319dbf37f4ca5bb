/**
 * Tests leave nothing behind: a process a test starts runs in a process group of its own, and the
 * group is ended after the test, also when the test fails. This file checks the helpers that make
 * it so (tests/helpers/processes.ts); tests/global-setup.ts counts the project's processes before
 * and after the whole run.
 */
import { describe, expect, it } from 'vitest';
import { groupAlive, runToEnd, start } from './helpers/processes.js';
import { newProcesses, projectProcesses, ROOT, supported } from './helpers/project-processes.js';

/** A shell that starts two grandchildren which would outlive it, and stays up. */
const TREE = ['-c', 'sleep 300 & sleep 300 & echo started; wait'];

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('processes started by tests', () => {
  it('run in a group of their own, and stopping it ends every process of the tree', async () => {
    const tree = start('/bin/sh', TREE, { cwd: ROOT });
    await until(() => tree.output().includes('started'), 'the tree started');
    expect(tree.pid).toBeGreaterThan(1);
    expect(groupAlive(tree.pid)).toBe(true);
    tree.stop();
    await until(() => !groupAlive(tree.pid), 'the group is gone');
  });

  it('run to their end, or are ended with everything they started when they outlive their time', async () => {
    const finished = await runToEnd('/bin/sh', ['-c', 'echo done; exit 3'], { cwd: ROOT });
    expect(finished).toMatchObject({ code: 3, output: 'done\n', stdout: 'done\n' });
    const error = await runToEnd('/bin/sh', ['-c', 'sleep 300 & echo $$; sleep 300'], { cwd: ROOT, timeoutMs: 1_000 }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toMatch(/did not end within 1000 ms/);
    // The shell printed its pid, which is its group's id: nothing of that group may be left.
    const pgid = Number(/\n(\d+)\n/.exec(error?.message ?? '')?.[1]);
    expect(pgid).toBeGreaterThan(1);
    await until(() => !groupAlive(pgid), 'the group is gone');
  });

  it("leave the count of the project's processes as it was, also when a test throws midway", async () => {
    if (!supported) return;
    const before = projectProcesses();
    const mine = (): number => newProcesses(before, projectProcesses()).filter((p) => groups.has(p.pgid)).length;
    const groups = new Set<number>();
    const body = async () => {
      const tree = start('/bin/sh', TREE, { cwd: ROOT });
      groups.add(tree.pid);
      await until(() => tree.output().includes('started'), 'the tree started');
      expect(mine()).toBe(3); // the shell and its two sleeps
      try {
        throw new Error('the test fails here');
      } finally {
        tree.stop();
      }
    };
    await expect(body()).rejects.toThrow('the test fails here');
    await until(() => mine() === 0, 'the processes are gone');
    expect(mine()).toBe(0);
  });
});
