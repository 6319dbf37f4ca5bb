/**
 * The recipes of examples/, started the way the README says (their npm scripts), each as a real
 * process on 127.0.0.1 with `$PORT` and `$SCIM_TENANTS`, in a process group of its own so that
 * stopping it stops everything it started.
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import { start as startProcess, type Started } from '../helpers/processes.js';
import type { WireRequest, WireResponse } from './conformance-table.js';

export const ROOT = join(import.meta.dirname, '..', '..');

/** A recipe: its name and the npm script that starts it. */
export interface Recipe {
  name: string;
  script: string;
}

/** The reference first: the node:http example every other recipe is compared with. */
export const RECIPES: readonly Recipe[] = [
  { name: 'node:http', script: 'serve' },
  { name: 'Express 5', script: 'recipe:express' },
  { name: 'Fastify 5', script: 'recipe:fastify' },
  { name: 'Hono on Node', script: 'recipe:hono' },
  { name: 'Deno', script: 'recipe:deno' },
  { name: 'Bun', script: 'recipe:bun' },
  { name: 'workerd', script: 'recipe:workers' },
];

/** A port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Sends one request over a fresh connection and reads the whole response. */
export function sendHttp(port: number, req: WireRequest): Promise<WireResponse> {
  return new Promise((resolve, reject) => {
    const r = request({ host: '127.0.0.1', port, method: req.method, path: req.path, headers: req.headers, agent: false, timeout: 20_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
        resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', reject);
    });
    r.on('timeout', () => r.destroy(new Error(`${req.method} ${req.path}: no answer`)));
    r.on('error', reject);
    r.end(req.body);
  });
}

/** A started recipe. */
export interface Running {
  recipe: Recipe;
  port: number;
  child: ChildProcess;
  output: () => string;
  /** The process group, killed by {@link stop} (and after the test file at the latest). */
  process: Started;
}

/** Starts a recipe with its npm script's command (not through npm, so that signals reach it). */
export async function start(recipe: Recipe, env: Record<string, string>): Promise<Running> {
  const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const command = scripts[recipe.script];
  if (!command) throw new Error(`package.json has no script ${recipe.script}`);
  const port = await freePort();
  const started = startProcess('/bin/sh', ['-c', command], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), PATH: `${join(ROOT, 'node_modules', '.bin')}${delimiter}${process.env.PATH ?? ''}` },
  });
  return { recipe, port, child: started.child, output: started.output, process: started };
}

/** Waits until the recipe answers HTTP, or fails with what it printed. */
export async function ready(running: Running, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (running.child.exitCode !== null) throw new Error(`${running.recipe.name} exited (${running.child.exitCode}): ${running.output()}`);
    try {
      await sendHttp(running.port, { method: 'GET', path: '/scim/v2/ServiceProviderConfig', headers: {} });
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`${running.recipe.name} did not answer on port ${running.port}: ${running.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** Stops a recipe and everything it started. */
export function stop(running: Running): void {
  running.process.stop();
}
