/**
 * The processes of this project that are running: those whose command line or working directory is
 * inside the repository (a `tsx examples/http-server.ts`, the node process it starts, a recipe's
 * runtime, an esbuild service), other than the process asking and its ancestors (the test runner,
 * `npm test`). Read from /proc, so Linux only; elsewhere the list is empty and `supported` false.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

/** The repository root. */
export const ROOT = join(import.meta.dirname, '..', '..');

/** True where /proc can be read (Linux). */
export const supported = (() => {
  try {
    readdirSync('/proc');
    return readFileSync('/proc/self/stat', 'utf8').length > 0;
  } catch {
    return false;
  }
})();

/** One running process. */
export interface ProjectProcess {
  pid: number;
  /** Its process group. */
  pgid: number;
  /** Its command line, arguments joined by spaces. */
  command: string;
}

/** `pid`, state, parent and process group from /proc/<pid>/stat, or undefined when it is gone. */
function stat(pid: number): { state: string; ppid: number; pgid: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '?', ppid: Number(fields[1]), pgid: Number(fields[2]) };
  } catch {
    return undefined;
  }
}

/** The process asking and its ancestors: never counted. */
function selfAndAncestors(): Set<number> {
  const out = new Set<number>();
  for (let pid = process.pid; pid > 1 && !out.has(pid); ) {
    out.add(pid);
    const parent = stat(pid)?.ppid;
    if (parent === undefined) break;
    pid = parent;
  }
  return out;
}

function inside(path: string, root: string): boolean {
  return path === root || path.startsWith(`${root}/`);
}

/** The project's running processes (zombies excluded: they hold nothing but a table entry). */
export function projectProcesses(root: string = ROOT): ProjectProcess[] {
  if (!supported) return [];
  const skip = selfAndAncestors();
  const out: ProjectProcess[] = [];
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || skip.has(pid)) continue;
    try {
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
      let cwd = '';
      try {
        cwd = readlinkSync(`/proc/${pid}/cwd`);
      } catch {
        // another user's process: its command line decides
      }
      if (!command.includes(`${root}/`) && !command.endsWith(root) && !inside(cwd, root)) continue;
      const s = stat(pid);
      if (!s || s.state === 'Z') continue;
      out.push({ pid, pgid: s.pgid, command });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** Kills every process of a group; a group that is already gone is fine. */
export function killGroup(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // no process left in the group
  }
}

/** True while some process of the group is alive (zombies included, until their parent reaps them). */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The processes of `after` that were not in `before`, except this runner's own test workers. */
export function newProcesses(before: readonly ProjectProcess[], after: readonly ProjectProcess[]): ProjectProcess[] {
  const known = new Set(before.map((p) => p.pid));
  return after.filter((p) => !known.has(p.pid) && !p.command.includes('/node_modules/vitest/'));
}
