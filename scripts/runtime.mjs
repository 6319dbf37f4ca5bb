#!/usr/bin/env node
// Runs Deno, Bun or workerd from the npm packages `npm ci` installed, whether or not their install
// scripts ran. Each ships its binary in a per-platform package (@deno/linux-x64-glibc,
// @oven/bun-linux-x64, @cloudflare/workerd-linux-64, ...); the main package's install script only
// copies it into place, and npm may be set not to run install scripts. This finds the binary either
// way.
//
//   node scripts/runtime.mjs deno run --allow-net examples/frameworks/deno.ts
//   node scripts/runtime.mjs --path bun        prints the binary's path
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { platform, arch } = process;
const exe = platform === 'win32' ? '.exe' : '';

function isMusl() {
  if (platform !== 'linux') return false;
  const report = process.report?.getReport?.();
  return !report?.header?.glibcVersionRuntime;
}

/** Per runtime: the platform packages that may hold the binary, and where the binary is in each. */
const RUNTIMES = {
  deno: {
    platformPackages: {
      'linux-x64': ['@deno/linux-x64-glibc'],
      'linux-arm64': ['@deno/linux-arm64-glibc'],
      'darwin-x64': ['@deno/darwin-x64'],
      'darwin-arm64': ['@deno/darwin-arm64'],
      'win32-x64': ['@deno/win32-x64'],
      'win32-arm64': ['@deno/win32-arm64'],
    },
    inPlatformPackage: `deno${exe}`,
    inMainPackage: ['deno', `deno${exe}`],
  },
  bun: {
    platformPackages: {
      'linux-x64': isMusl() ? ['@oven/bun-linux-x64-musl'] : ['@oven/bun-linux-x64', '@oven/bun-linux-x64-baseline'],
      'linux-arm64': isMusl() ? ['@oven/bun-linux-aarch64-musl'] : ['@oven/bun-linux-aarch64'],
      'darwin-x64': ['@oven/bun-darwin-x64', '@oven/bun-darwin-x64-baseline'],
      'darwin-arm64': ['@oven/bun-darwin-aarch64'],
      'win32-x64': ['@oven/bun-windows-x64', '@oven/bun-windows-x64-baseline'],
      'win32-arm64': ['@oven/bun-windows-aarch64'],
    },
    inPlatformPackage: `bin/bun${exe}`,
    inMainPackage: ['bun', 'bin/bun.exe'],
  },
  workerd: {
    platformPackages: {
      'linux-x64': ['@cloudflare/workerd-linux-64'],
      'linux-arm64': ['@cloudflare/workerd-linux-arm64'],
      'darwin-x64': ['@cloudflare/workerd-darwin-64'],
      'darwin-arm64': ['@cloudflare/workerd-darwin-arm64'],
      'win32-x64': ['@cloudflare/workerd-windows-64'],
    },
    inPlatformPackage: `bin/workerd${exe}`,
    inMainPackage: ['workerd', `bin/workerd${exe}`],
  },
};

function packageDir(name) {
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch {
    return undefined;
  }
}

/** A real binary, not the small placeholder a package ships until its install script replaces it. */
function isBinary(path) {
  try {
    const stat = statSync(path);
    return stat.isFile() && stat.size > 1_000_000;
  } catch {
    return false;
  }
}

/** The path of the runtime's binary, or an Error saying what is missing. */
export function runtimeBinary(name) {
  const runtime = RUNTIMES[name];
  if (!runtime) throw new Error(`Unknown runtime ${name}: use ${Object.keys(RUNTIMES).join(', ')}`);
  const candidates = [];
  for (const pkg of runtime.platformPackages[`${platform}-${arch}`] ?? []) {
    const dir = packageDir(pkg);
    if (dir) candidates.push(join(dir, runtime.inPlatformPackage));
  }
  const [main, inMain] = runtime.inMainPackage;
  const mainDir = packageDir(main);
  if (mainDir) candidates.push(join(mainDir, inMain));
  const found = candidates.find(isBinary);
  if (!found) throw new Error(`No ${name} binary for ${platform}-${arch} in node_modules (looked at ${candidates.join(', ') || 'nothing'}); run npm ci`);
  return found;
}

const self = fileURLToPath(import.meta.url);
if (process.argv[1] && resolve(process.argv[1]) === self) {
  const [first, ...rest] = process.argv.slice(2);
  if (first === '--path') {
    console.log(runtimeBinary(rest[0]));
  } else {
    const child = spawn(runtimeBinary(first), rest, { stdio: 'inherit' });
    for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
    child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  }
}
