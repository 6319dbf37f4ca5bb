#!/usr/bin/env node
// Fails when a module under src/ imports a layer it may not import.
// The layer table is the one in docs/architecture.md: data flows down, nothing reaches upward.
//
//   adapters, mcp  → server only
//   server         → provider, storage, patch, query, schema, tenant
//   provider       → storage, patch, query, schema, tenant
//   storage, patch → query, schema, tenant (never each other)
//   query          → schema, tenant
//   schema         → tenant
//   tenant         → nothing of ours
//
// `error/` is a leaf every layer may use. Files directly in src/ (the package entry points) and
// `testing/` (the storage contract suite) sit on top and may import anything.
// Usage: node scripts/check-layers.mjs [srcDir]   (srcDir defaults to this repository's src/)
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = process.argv[2] ? resolve(process.argv[2]) : resolve(dirname(fileURLToPath(import.meta.url)), '..', 'src');

/** Layer → layers it may import (besides itself and `error`). */
const MAY_IMPORT = {
  tenant: [],
  schema: ['tenant'],
  query: ['schema', 'tenant'],
  patch: ['query', 'schema', 'tenant'],
  storage: ['query', 'schema', 'tenant'],
  provider: ['storage', 'patch', 'query', 'schema', 'tenant'],
  server: ['provider', 'storage', 'patch', 'query', 'schema', 'tenant'],
  adapters: ['server'],
  mcp: ['server'],
  error: [],
};
const TOP = new Set(['', 'testing', 'cli']);

function files(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...files(path));
    else if (/\.(ts|mts|cts)$/.test(name)) out.push(path);
  }
  return out;
}

function layerOf(path) {
  const rel = relative(root, path);
  const parts = rel.split(sep);
  return parts.length === 1 ? '' : parts[0];
}

const IMPORT = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
const problems = [];
for (const file of files(root)) {
  const from = layerOf(file);
  if (TOP.has(from)) continue;
  const allowed = MAY_IMPORT[from];
  if (!allowed) {
    problems.push(`${relative(process.cwd(), file)}: src/${from}/ is not in the layer table (scripts/check-layers.mjs)`);
    continue;
  }
  const text = readFileSync(file, 'utf8');
  for (const match of text.matchAll(IMPORT)) {
    const spec = match[1] ?? match[2];
    if (!spec?.startsWith('.')) continue;
    const target = resolve(dirname(file), spec);
    if (!target.startsWith(root + sep)) continue;
    const to = layerOf(target);
    if (to === from || to === 'error') continue;
    if (TOP.has(to) || !allowed.includes(to)) {
      const line = text.slice(0, match.index).split('\n').length;
      problems.push(`${relative(process.cwd(), file)}:${line}: ${from}/ may not import ${to === '' ? 'the package entry' : `${to}/`} ('${spec}')`);
    }
  }
}

if (problems.length > 0) {
  console.error(`Layer check failed (${problems.length}):\n${problems.join('\n')}`);
  process.exit(1);
}
console.log('Layer check: every import follows the layer table.');
