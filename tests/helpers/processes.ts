/**
 * Starting processes from tests so that none outlives its test: each runs in a process group of its
 * own (`detached: true`), and the whole group is killed when the test is done with it, also when the
 * test fails: `runToEnd` kills it before it returns or throws, `start` leaves it to `stop`, and every
 * group a test file started and did not stop is killed in that file's `afterAll`.
 *
 * Killing the group, not the child, matters: `tsx` runs the script in a second node process, `sh -c`
 * runs its command in another, and tools start services (esbuild) that a signal to the parent alone
 * would leave running.
 */
import { type ChildProcess, spawn, type SpawnOptions } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { afterAll } from 'vitest';
import { killGroup } from './project-processes.js';

export { groupAlive, killGroup } from './project-processes.js';

/** The groups started by this test file and not stopped yet. */
const running = new Set<number>();

afterAll(() => {
  for (const pgid of running) killGroup(pgid);
  running.clear();
});

/** A started process: its output so far, its exit, and how to end it with everything it started. */
export interface Started {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Standard output and standard error so far, interleaved. */
  output(): string;
  /** Standard output alone so far. */
  stdout(): string;
  /** Resolves with the exit code (or the signal's name) once the child has exited. */
  readonly exited: Promise<number | string>;
  /** Resolves once the child's output streams are closed. */
  readonly closed: Promise<void>;
  /** Sends a signal to the whole group (default SIGKILL). */
  signal(name?: NodeJS.Signals): void;
  /** Kills the whole group. */
  stop(): void;
}

/**
 * Starts `command` in a process group of its own, with stdout and stderr captured (and stdin open
 * when `input` is set). The group is killed by {@link Started.stop}, or in the test file's
 * `afterAll` at the latest.
 */
export function start(command: string, args: readonly string[], options: SpawnOptions & { input?: boolean } = {}): Started {
  const { input = false, ...spawnOptions } = options;
  const child = spawn(command, args, { ...spawnOptions, detached: true, stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  const pid = child.pid;
  running.add(pid);
  // A record outside this worker, for the check at the end of the whole run (tests/global-setup.ts).
  if (process.env.SCIM_TEST_GROUPS_FILE) appendFileSync(process.env.SCIM_TEST_GROUPS_FILE, `${pid}\n`);
  let out = '';
  let stdout = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
    stdout += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  // Output may still arrive after the exit; the streams close when it is all read (or when a process
  // that inherited them, still holding them open, is killed with the group).
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  return {
    child,
    pid,
    output: () => out,
    stdout: () => stdout,
    exited,
    closed,
    signal: (name = 'SIGKILL') => {
      try {
        process.kill(-pid, name);
      } catch {
        // already gone
      }
    },
    stop: () => {
      killGroup(pid);
      running.delete(pid);
    },
  };
}

/**
 * Waits until a started server says `READY <port>` on standard output, and gives its origin on
 * 127.0.0.1. Fails with what it printed when it exits first or is not ready within `timeoutMs`.
 */
export function readyOrigin(started: Started, name: string, timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start: ${started.output()}`)), timeoutMs);
    const check = () => {
      const m = /READY (\d+)/.exec(started.stdout());
      if (!m) return;
      clearTimeout(timer);
      resolve(`http://127.0.0.1:${m[1]}`);
    };
    started.child.stdout?.on('data', check);
    check();
    void started.exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}): ${started.output()}`));
    });
  });
}

/** How a process run to its end ended. */
export interface Finished {
  code: number | string;
  /** Standard output and standard error, interleaved. */
  output: string;
  /** Standard output alone. */
  stdout: string;
}

/**
 * Runs `command` to its end in a process group of its own and returns its exit code and output.
 * After `timeoutMs` the group is killed and the promise rejects with what it printed. Whatever
 * happens, the group is killed before this returns, so nothing it started stays behind.
 */
export async function runToEnd(command: string, args: readonly string[], options: SpawnOptions & { timeoutMs?: number } = {}): Promise<Finished> {
  const { timeoutMs = 60_000, ...spawnOptions } = options;
  const started = start(command, args, spawnOptions);
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${command} ${args.join(' ')} did not end within ${timeoutMs} ms:\n${started.output()}`)), timeoutMs);
    });
    const code = await Promise.race([started.exited, timeout]);
    await Promise.race([started.closed, new Promise((resolve) => setTimeout(resolve, 500))]);
    return { code, output: started.output(), stdout: started.stdout() };
  } finally {
    clearTimeout(timer);
    started.stop();
  }
}

/** Runs `command` to its end (see {@link runToEnd}) and returns its standard output; any exit code but 0 throws with what it printed. */
export async function outputOf(command: string, args: readonly string[], options: SpawnOptions & { timeoutMs?: number } = {}): Promise<string> {
  const { code, output, stdout } = await runToEnd(command, args, options);
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${code}:\n${output}`);
  return stdout;
}
