/**
 * The whole test run leaves nothing running. Before the first test, the project's running processes
 * are counted; after the last, they are counted again, together with every process group a test
 * started through tests/helpers/processes.ts. Anything new that is still alive (after a few
 * seconds' grace for processes that are exiting) is listed, killed, and fails the run.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { groupAlive, killGroup, newProcesses, type ProjectProcess, projectProcesses, supported } from './helpers/project-processes.js';

const GRACE_MS = 5_000;

function groupsStarted(file: string): number[] {
  try {
    return [...new Set(readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number))];
  } catch {
    return [];
  }
}

/** What is still running after the grace period: new project processes, and groups tests started. */
async function leftovers(before: readonly ProjectProcess[], groupsFile: string): Promise<{ processes: ProjectProcess[]; groups: number[] }> {
  const deadline = Date.now() + GRACE_MS;
  for (;;) {
    const processes = newProcesses(before, projectProcesses());
    const groups = groupsStarted(groupsFile).filter(groupAlive);
    if ((processes.length === 0 && groups.length === 0) || Date.now() > deadline) return { processes, groups };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Set by the first call: vitest runs this once per project, and one check covers the whole run. */
const ONCE = Symbol.for('scim-server.tests.process-check');

export default function setup(): () => Promise<void> {
  const state = globalThis as { [ONCE]?: true };
  if (state[ONCE]) return async () => undefined;
  state[ONCE] = true;
  const dir = mkdtempSync(join(tmpdir(), 'scim-test-run-'));
  const groupsFile = join(dir, 'process-groups');
  // Test workers inherit the environment, and record there each process group they start.
  process.env.SCIM_TEST_GROUPS_FILE = groupsFile;
  const before = projectProcesses();
  return async () => {
    const { processes, groups } = await leftovers(before, groupsFile);
    rmSync(dir, { recursive: true, force: true });
    if (!supported) {
      console.warn('Process check skipped: /proc is not readable here, so processes left running cannot be counted.');
      return;
    }
    if (processes.length === 0 && groups.length === 0) return;
    for (const pgid of groups) killGroup(pgid);
    for (const p of processes) killGroup(p.pgid);
    const lines = processes.map((p) => `  pid ${p.pid} (group ${p.pgid}): ${p.command.slice(0, 200)}`);
    console.error(
      `The tests left ${processes.length} process(es) of the project and ${groups.length} process group(s) they started running; all are killed now:\n${lines.join('\n')}${
        groups.length > 0 ? `\n  groups still alive: ${groups.join(', ')}` : ''
      }`,
    );
    process.exitCode = 1;
  };
}
