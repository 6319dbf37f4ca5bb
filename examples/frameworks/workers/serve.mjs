#!/usr/bin/env node
// Runs the Workers recipe on workerd, the Workers runtime, from the npm package `workerd`:
// bundles worker.ts with esbuild next to a copy of config.capnp in a temporary directory, then
// serves it on 127.0.0.1:$PORT with the tenants of $SCIM_TENANTS (a file name or the JSON itself).
//
//   PORT=8080 SCIM_TENANTS=tenants.json node examples/frameworks/workers/serve.mjs
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { runtimeBinary } from '../../../scripts/runtime.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const port = Number(process.env.PORT ?? 8080);
const dir = mkdtempSync(join(tmpdir(), 'scim-workers-'));
const cleanup = () => rmSync(dir, { recursive: true, force: true });

await build({
  entryPoints: [join(here, 'worker.ts')],
  outfile: join(dir, 'worker.js'),
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  mainFields: ['module', 'main'],
  conditions: ['workerd', 'worker', 'browser'],
  external: ['cloudflare:workers'],
  logLevel: 'warning',
});
copyFileSync(join(here, 'config.capnp'), join(dir, 'config.capnp'));

const tenants = process.env.SCIM_TENANTS;
const env = { ...process.env };
if (tenants && !tenants.trimStart().startsWith('{')) env.SCIM_TENANTS = readFileSync(tenants, 'utf8');

const child = spawn(runtimeBinary('workerd'), ['serve', join(dir, 'config.capnp'), '--socket-addr', `http=127.0.0.1:${port}`], { stdio: 'inherit', env });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
  cleanup();
  process.exit(code ?? (signal ? 1 : 0));
});

// workerd says nothing when it is up: say it once the socket accepts connections.
const deadline = Date.now() + 30_000;
const probe = () => {
  const socket = connect(port, '127.0.0.1', () => {
    socket.end();
    console.log(`SCIM server listening on http://127.0.0.1:${port}/scim/v2`);
  });
  socket.on('error', () => (Date.now() < deadline ? setTimeout(probe, 100) : undefined));
};
probe();
