import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The example server under clients that cost a server without paying: hundreds of connections that
 * send no credential and a body slowly, or headers that never end, or a body that never ends. Run
 * as a real process, so that its memory can be read from the outside.
 */
const root = join(import.meta.dirname, '..', '..');
const HEADERS_TIMEOUT_MS = 2_000;
const REQUEST_TIMEOUT_MS = 4_000;

let child: ChildProcess | undefined;
let port = 0;

/** The resident memory of a process, in bytes (Linux). */
function rss(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error('no VmRSS');
  return Number(m[1]) * 1024;
}

beforeAll(async () => {
  child = spawn(process.execPath, ['--import', 'tsx', 'examples/http-server.ts'], {
    cwd: root,
    detached: true,
    env: { ...process.env, PORT: '0', SCIM_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS), SCIM_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS) },
  });
  port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 30_000);
    child?.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child?.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    child?.on('exit', () => reject(new Error(`server exited: ${out}`)));
  });
}, 40_000);

afterAll(() => {
  try {
    if (child?.pid) process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
});

interface Outcome {
  status: number | undefined;
  /** Milliseconds from connecting to the server closing the connection. */
  closedAfterMs: number;
  /** Bytes of body (or headers) the client managed to send. */
  sent: number;
}

/**
 * A client that writes `head`, then `trickle` every 100 ms until the server closes the connection
 * (or `giveUpMs` passes, when it counts as never closed).
 */
function slowClient(head: string, trickle: string, giveUpMs: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    let sent = 0;
    const tick = setInterval(() => {
      if (socket.writable) {
        socket.write(trickle);
        sent += trickle.length;
      }
    }, 100);
    const done = (closedAfterMs: number) => {
      clearInterval(tick);
      clearTimeout(giveUp);
      const m = /^HTTP\/1\.1 (\d{3}) /.exec(reply);
      resolve({ status: m ? Number(m[1]) : undefined, closedAfterMs, sent });
    };
    const giveUp = setTimeout(() => {
      socket.destroy();
      done(Number.POSITIVE_INFINITY);
    }, giveUpMs);
    socket.on('data', (d) => (reply += d.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => done(Date.now() - started));
    socket.write(head);
  });
}

describe('examples/http-server.ts under slow clients', () => {
  it('holds 300 unauthenticated slow-body connections (and 300 slow-header ones) in under 50 MB, and closes every one', async () => {
    const pid = child?.pid as number;
    // Warm up, so that the baseline includes what the first requests load.
    for (let i = 0; i < 5; i++) {
      await fetch(`http://127.0.0.1:${port}/scim/v2/Users`, { headers: { authorization: 'Bearer demo-token-enterprise-a' } }).then((r) => r.text());
      await fetch(`http://127.0.0.1:${port}/scim/v2/Users`).then((r) => r.text());
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    const baseline = rss(pid);
    let peak = baseline;
    const sampler = setInterval(() => {
      try {
        peak = Math.max(peak, rss(pid));
      } catch {
        // the process is gone; the assertions below say so
      }
    }, 50);

    const body = 'x'.repeat(64);
    const unauthenticated = Array.from({ length: 300 }, () =>
      slowClient('POST /scim/v2/Users HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/scim+json\r\nContent-Length: 1048576\r\n\r\n', body, 15_000),
    );
    const slowHeaders = Array.from({ length: 300 }, (_, i) => slowClient(`GET /scim/v2/Users HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow-${i}: `, 'a', 15_000));
    const slowBodies = Array.from({ length: 20 }, () =>
      slowClient(
        'POST /scim/v2/Users HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer demo-token-enterprise-a\r\nContent-Type: application/scim+json\r\nContent-Length: 100000\r\n\r\n',
        body,
        15_000,
      ),
    );
    const [a, h, b] = await Promise.all([Promise.all(unauthenticated), Promise.all(slowHeaders), Promise.all(slowBodies)]);
    clearInterval(sampler);

    // Without a credential: answered 401 from the headers alone, and closed long before any timeout.
    expect(new Set(a.map((o) => o.status))).toEqual(new Set([401]));
    expect(Math.max(...a.map((o) => o.closedAfterMs))).toBeLessThan(HEADERS_TIMEOUT_MS);
    // Headers that never end: closed by the headers timeout (checked every HEADERS_TIMEOUT_MS / 4).
    for (const o of h) {
      expect(o.closedAfterMs).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 50);
      expect(o.closedAfterMs).toBeLessThan(HEADERS_TIMEOUT_MS * 3);
    }
    // A body that never ends, from an authenticated client: closed by the request timeout.
    for (const o of b) {
      expect(o.closedAfterMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 50);
      expect(o.closedAfterMs).toBeLessThan(REQUEST_TIMEOUT_MS * 3);
      expect([undefined, 408]).toContain(o.status);
    }
    const grewBy = peak - baseline;
    console.log(`slow clients: server RSS ${(baseline / 2 ** 20).toFixed(1)} MiB before, peak +${(grewBy / 2 ** 20).toFixed(1)} MiB`);
    expect(grewBy).toBeLessThan(50 * 2 ** 20);

    // And the server still serves.
    const r = await fetch(`http://127.0.0.1:${port}/scim/v2/Users`, { headers: { authorization: 'Bearer demo-token-enterprise-a' } });
    expect(r.status).toBe(200);
  }, 60_000);
});
