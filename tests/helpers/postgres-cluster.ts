/**
 * A throwaway PostgreSQL cluster for tests and benchmarks: initdb in a temp dir, started on a free
 * 127.0.0.1 port (as the `postgres` user when run as root, since PostgreSQL refuses root), stopped
 * and deleted by `stop()`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';

/** A running cluster. */
export interface PostgresCluster {
  /** `postgres://postgres@127.0.0.1:<port>/postgres`. */
  readonly url: string;
  /** Where its binaries are. */
  readonly bin: string;
  /** Stops the server and deletes its directory. Safe to call twice. */
  stop(): void;
}

/**
 * The directory of PostgreSQL's server binaries (`initdb`, `pg_ctl`, and beside them `pg_dump`):
 * where an `initdb` on PATH really lives (following a symlink), else the newest
 * /usr/lib/postgresql/<n>/bin.
 */
export function findPostgresBin(): string | undefined {
  const has = (dir: string) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'));
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && has(dir)) return dirname(realpathSync(join(dir, 'initdb')));
  }
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  for (const v of versions) if (has(join(base, v, 'bin'))) return join(base, v, 'bin');
  return undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const asRoot = process.getuid?.() === 0;

/** Runs a PostgreSQL binary, as `postgres` when this process is root. */
function runPg(bin: string, tool: string, args: string[]): void {
  const [command, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]] : [join(bin, tool), args];
  const r = spawnSync(command, argv, { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`${tool} failed (${r.status}): ${r.stderr || r.stdout}`);
}

/**
 * Starts a cluster tuned for throwaway use (no fsync, no synchronous commit). Tries a few ports in
 * case another process takes the free one first.
 */
export async function startPostgresCluster(bin: string, label = 'scim-pg'): Promise<PostgresCluster> {
  const dir = mkdtempSync(join(tmpdir(), `${label}-`));
  if (asRoot) execFileSync('chown', ['-R', 'postgres:', dir]);
  const data = join(dir, 'data');
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try {
      runPg(bin, 'pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } catch {
      /* not running */
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    runPg(bin, 'initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300`;
      try {
        runPg(bin, 'pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '60', '-o', options, 'start']);
        return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, bin, stop };
      } catch (error) {
        if (attempt >= 3) throw new Error(`${String(error)}\n${readFileSync(join(dir, 'server.log'), 'utf8').slice(-2000)}`);
      }
    }
  } catch (error) {
    stop();
    throw error;
  }
}
