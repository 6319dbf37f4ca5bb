/**
 * The HTTP path measured against its floor: autocannon against four servers on loopback, each in a
 * process of its own (bench/http-servers.ts), measured in the same run and interleaved, round after
 * round, so that the machine's load falls on all of them alike:
 *
 * - our ScimServer through the node adapter, and through the Fetch adapter on Node;
 * - the floor: a bare node:http server answering the same JSON from a Map;
 * - scimmy with scimmy-routers on Express.
 *
 * Cases: GET by id, a filtered list (`userName eq` over 10,000 users), POST, and a one-attribute
 * PATCH. Every server's answers are checked before it is measured. Each figure is the median over
 * the rounds of requests per second, with the p99 latency beside it and the server's CPU time per
 * request in the note (Linux).
 *
 *   npm run bench -- http          full run: per case and server 2 s of warm-up, then 3 rounds of 5 s
 *   BENCH_HTTP_SECONDS=1 BENCH_HTTP_ROUNDS=1 BENCH_HTTP_WARMUP_SECONDS=1 npm run bench -- http
 *                                  a quick look (figures from a loaded machine mean little)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import type { BenchResult } from './harness.js';
import { BENCH_TOKEN, BENCH_USERS, benchUser, type Ready } from './http-servers.js';

const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_HTTP_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_HTTP_CONNECTIONS ?? 10);
/** Unrecorded load before a case's first round, so that every server is measured warm. */
const WARMUP_SECONDS = Number(process.env.BENCH_HTTP_WARMUP_SECONDS ?? 2);
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

const SERVERS = {
  node: 'node adapter',
  fetch: 'Fetch adapter on Node',
  floor: 'bare node:http floor',
  scimmy: 'scimmy-routers on Express',
} as const;
type Kind = keyof typeof SERVERS;

interface Started {
  kind: Kind;
  child: ChildProcess;
  ready: Ready;
}

function startServer(kind: Kind): Promise<Started> {
  const child = spawn(join(import.meta.dirname, '..', 'node_modules', '.bin', 'tsx'), [join(import.meta.dirname, 'http-servers.ts'), kind], {
    detached: true,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve({ kind, child, ready: JSON.parse(line) as Ready });
    });
    child.on('exit', (code) => reject(new Error(`${kind} server exited (${code}) before it was ready`)));
  });
}

function stopServer(s: Started): void {
  try {
    process.kill(-(s.child.pid as number), 'SIGKILL');
  } catch {
    // already gone
  }
}

/** CPU seconds the process has used (Linux /proc), or undefined elsewhere. */
function cpuSeconds(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    // utime and stime are fields 14 and 15 of stat; after "pid (comm) " they are at 11 and 12.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** The node process that serves (tsx runs the server in a child of its own). */
function servingPid(s: Started): number | undefined {
  try {
    const children = readFileSync(`/proc/${s.child.pid}/task/${s.child.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    return Number(children[0] ?? s.child.pid);
  } catch {
    return s.child.pid;
  }
}

interface Case {
  name: string;
  method: 'GET' | 'POST' | 'PATCH';
  path: (r: Ready) => string;
  /** A body per request (POST makes a new user each time). */
  body?: () => string;
  /** Checks one answer before measuring. */
  check: (status: number, body: Record<string, unknown>) => string | undefined;
}

let created = 0;
const target = benchUser(7777);
const CASES: Case[] = [
  {
    name: 'GET /Users/{id}',
    method: 'GET',
    path: (r) => `/scim/v2/Users/${r.getId}`,
    check: (status, body) => (status === 200 && body.userName === benchUser(1234).userName ? undefined : `GET by id: ${status}`),
  },
  {
    name: `GET /Users?filter=userName eq (${BENCH_USERS.toLocaleString('en-US')} users)`,
    method: 'GET',
    path: () => `/scim/v2/Users?filter=${encodeURIComponent(`userName eq "${target.userName}"`)}`,
    check: (status, body) =>
      status === 200 && body.totalResults === 1 && (body.Resources as { userName: string }[])[0]?.userName === target.userName
        ? undefined
        : `filter: ${status}`,
  },
  {
    name: 'POST /Users',
    method: 'POST',
    path: () => '/scim/v2/Users',
    body: () => JSON.stringify({ ...benchUser(0), userName: `created${created++}@example.com`, emails: undefined }),
    check: (status, body) => (status === 201 && String(body.userName).startsWith('created') ? undefined : `POST: ${status}`),
  },
  {
    name: 'PATCH /Users/{id} (one attribute)',
    method: 'PATCH',
    path: (r) => `/scim/v2/Users/${r.patchId}`,
    body: () => JSON.stringify({ schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'displayName', value: 'Patched Name' }] }),
    check: (status, body) => (status === 200 && body.displayName === 'Patched Name' ? undefined : `PATCH: ${status}`),
  },
];

const HEADERS = { authorization: `Bearer ${BENCH_TOKEN}`, 'content-type': 'application/scim+json' };

async function checkOnce(s: Started, c: Case): Promise<string | undefined> {
  const r = await fetch(`http://127.0.0.1:${s.ready.port}${c.path(s.ready)}`, { method: c.method, headers: HEADERS, ...(c.body ? { body: c.body() } : {}) });
  const text = await r.text();
  return c.check(r.status, (text ? JSON.parse(text) : {}) as Record<string, unknown>);
}

interface Sample {
  rps: number;
  p99: number;
  cpuMicros: number | undefined;
  failures: number;
}

async function measure(s: Started, c: Case, seconds = SECONDS): Promise<Sample> {
  const pid = servingPid(s);
  const cpuBefore = cpuSeconds(pid);
  const result = await autocannon({
    url: `http://127.0.0.1:${s.ready.port}`,
    connections: CONNECTIONS,
    duration: seconds,
    headers: HEADERS,
    requests: [
      {
        method: c.method,
        path: c.path(s.ready),
        ...(c.body ? { setupRequest: (req: autocannon.Request) => ({ ...req, body: (c.body as () => string)() }) } : {}),
      },
    ],
  });
  const cpuAfter = cpuSeconds(pid);
  const total = result.requests.total;
  return {
    rps: result.requests.average,
    p99: result.latency.p99,
    cpuMicros: cpuBefore !== undefined && cpuAfter !== undefined && total > 0 ? ((cpuAfter - cpuBefore) * 1e6) / total : undefined,
    failures: result.non2xx + result.errors + result.timeouts,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function summary(samples: Sample[]): Sample {
  const cpu = samples.map((s) => s.cpuMicros).filter((c): c is number => c !== undefined);
  return {
    rps: median(samples.map((s) => s.rps)),
    p99: median(samples.map((s) => s.p99)),
    cpuMicros: cpu.length > 0 ? median(cpu) : undefined,
    failures: samples.reduce((n, s) => n + s.failures, 0),
  };
}

function row(caseName: string, ours: Kind, peer: Kind, figures: Map<Kind, Sample>, wrong: Map<Kind, string>): BenchResult {
  const o = figures.get(ours) as Sample;
  const p = figures.get(peer) as Sample;
  const cpu =
    o.cpuMicros !== undefined && p.cpuMicros !== undefined ? `server CPU ${o.cpuMicros.toFixed(0)} µs/request vs ${p.cpuMicros.toFixed(0)}` : undefined;
  const problems = [ours, peer].flatMap((k) => {
    const w = wrong.get(k);
    const f = figures.get(k)?.failures ?? 0;
    return [...(w ? [`${SERVERS[k]} answered wrong: ${w}`] : []), ...(f > 0 ? [`${SERVERS[k]}: ${f} failed requests`] : [])];
  });
  return {
    name: `HTTP ${caseName}, ${SERVERS[ours]}`,
    ours: o.rps,
    peer: p.rps,
    peerName: SERVERS[peer],
    unit: 'req/s',
    ratio: o.rps / p.rps,
    oursP99Ms: o.p99,
    peerP99Ms: p.p99,
    ...(cpu || problems.length > 0 ? { note: [cpu, ...problems].filter(Boolean).join('; ') } : {}),
  };
}

export async function run(): Promise<BenchResult[]> {
  const kinds = Object.keys(SERVERS) as Kind[];
  const servers: Started[] = [];
  try {
    for (const kind of kinds) servers.push(await startServer(kind));
    const results: BenchResult[] = [];
    for (const c of CASES) {
      const wrong = new Map<Kind, string>();
      for (const s of servers) {
        const problem = await checkOnce(s, c);
        if (problem) wrong.set(s.kind, problem);
      }
      for (const s of servers) if (WARMUP_SECONDS > 0) await measure(s, c, WARMUP_SECONDS);
      const samples = new Map<Kind, Sample[]>(kinds.map((k) => [k, []]));
      for (let round = 0; round < ROUNDS; round++) {
        // Interleaved: each round measures every server once, in a rotating order.
        for (let i = 0; i < servers.length; i++) {
          const s = servers[(i + round) % servers.length] as Started;
          samples.get(s.kind)?.push(await measure(s, c));
        }
      }
      const figures = new Map<Kind, Sample>(kinds.map((k) => [k, summary(samples.get(k) as Sample[])]));
      results.push(row(c.name, 'node', 'floor', figures, wrong));
      results.push(row(c.name, 'node', 'scimmy', figures, wrong));
      results.push(row(c.name, 'fetch', 'floor', figures, wrong));
      results.push(row(c.name, 'fetch', 'scimmy', figures, wrong));
    }
    return results;
  } finally {
    for (const s of servers) stopServer(s);
  }
}
