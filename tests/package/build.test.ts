import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outputOf, runToEnd } from '../helpers/processes.js';

const root = join(import.meta.dirname, '..', '..');

describe('the built package', () => {
  let consumer: string;

  beforeAll(async () => {
    await outputOf(join(root, 'node_modules', '.bin', 'tsup'), [], { cwd: root, timeoutMs: 170_000 });
    consumer = mkdtempSync(join(tmpdir(), 'scim-consumer-'));
    mkdirSync(join(consumer, 'node_modules'));
    symlinkSync(root, join(consumer, 'node_modules', 'scim-server'), 'dir');
  }, 180_000);
  afterAll(() => {
    if (consumer) rmSync(consumer, { recursive: true, force: true });
  });

  it('emits ESM, CJS and type declarations for every entry point', () => {
    for (const f of [
      'index.js',
      'index.cjs',
      'index.d.ts',
      'index.d.cts',
      'adapters/node.js',
      'adapters/node.cjs',
      'adapters/node.d.ts',
      'adapters/fetch.js',
      'adapters/fetch.cjs',
      'adapters/fetch.d.ts',
      ...['query', 'patch', 'schema', 'mcp', 'postgres', 'testing'].flatMap((name) => [`${name}.js`, `${name}.cjs`, `${name}.d.ts`, `${name}.d.cts`]),
    ]) {
      expect(existsSync(join(root, 'dist', f)), f).toBe(true);
    }
  });

  it('packs the build, the README, the changelog and the licence, and no source maps', async () => {
    const packed = JSON.parse(await outputOf('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root })) as {
      files: { path: string }[];
    }[];
    const files = (packed[0]?.files ?? []).map((f) => f.path);
    expect(files).toEqual(
      expect.arrayContaining(['README.md', 'CHANGELOG.md', 'LICENSE', 'package.json', 'dist/index.js', 'dist/index.cjs', 'dist/index.d.ts']),
    );
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(files.filter((f) => !f.startsWith('dist/') && !['README.md', 'CHANGELOG.md', 'LICENSE', 'package.json'].includes(f))).toEqual([]);
  });

  it('builds the scim-server command package.json names as its bin, runnable by node', async () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    const bin = join(root, pkg.bin['scim-server'] as string);
    expect(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    const help = await runToEnd(process.execPath, [bin, '--help'], { cwd: consumer });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: scim-server <command>');
    const { DATABASE_URL: _unset, ...env } = process.env;
    const missing = await runToEnd(process.execPath, [bin, 'tenants', 'list'], { cwd: consumer, env });
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe('');
    expect(missing.output).toContain('DATABASE_URL is not set');
  });

  it('can be required from CommonJS', async () => {
    const out = await outputOf(
      process.execPath,
      [
        '-e',
        "const s=require('scim-server');const n=require('scim-server/node');const f=require('scim-server/fetch');console.log(typeof s.ScimServer, typeof s.StaticTenantResolver, typeof n.toNodeHandler, typeof f.toFetchHandler)",
      ],
      { cwd: consumer },
    );
    expect(out.trim()).toBe('function function function function');
  });

  it('keeps the engines at their subpaths, and the root to what an integrator uses', async () => {
    const script = [
      "import * as root from 'scim-server';",
      "import { parseFilter, normalizePaging } from 'scim-server/query';",
      "import { applyPatch, parsePatchRequest } from 'scim-server/patch';",
      "import { SchemaRegistry, validateResource, projectResource } from 'scim-server/schema';",
      'const query = JSON.stringify(parseFilter(\'userName eq "x"\'));',
      'const paging = normalizePaging({ count: 5 }, { defaultPageSize: 10, maxPageSize: 20 }).count;',
      "const ops = parsePatchRequest({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'add', path: 'title', value: 'x' }] }).length;",
      'const engines = [typeof applyPatch, typeof validateResource, typeof projectResource].join();',
      "const inRoot = ['parseFilter', 'applyPatch', 'validateResource', 'processBulk'].filter((n) => n in root);",
      "console.log(query, paging, ops, engines, root.SchemaRegistry === SchemaRegistry, typeof root.ScimOperationHandler, inRoot.join() || 'none');",
    ].join('\n');
    const out = await outputOf(process.execPath, ['--input-type=module', '-e', script], { cwd: consumer });
    expect(out.trim()).toBe('{"kind":"compare","path":{"attr":"userName"},"op":"eq","value":"x"} 5 1 function,function,function true function none');
    const cjs = await outputOf(
      process.execPath,
      ['-e', "console.log(['query','patch','schema'].map((p) => Object.keys(require('scim-server/' + p)).length > 5).join())"],
      {
        cwd: consumer,
      },
    );
    expect(cjs.trim()).toBe('true,true,true');
  });

  it('can be imported as ESM and serves a request', async () => {
    const script = [
      "import { ScimServer, StaticTenantResolver } from 'scim-server';",
      "import { toFetchHandler } from 'scim-server/fetch';",
      "const s = new ScimServer({ tenantResolver: new StaticTenantResolver([{ id: 't', token: 'x' }]) });",
      'const h = toFetchHandler(s);',
      "const r = await h(new Request('http://localhost/scim/v2/Users', { method: 'POST', headers: { authorization: 'Bearer x', 'content-type': 'application/scim+json' }, body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'esm' }) }));",
      'console.log(r.status);',
    ].join('\n');
    const out = await outputOf(process.execPath, ['--input-type=module', '-e', script], { cwd: consumer });
    expect(out.trim()).toBe('201');
  });

  it('serves MCP tools from scim-server/mcp, in ESM and CommonJS', async () => {
    // An application that serves MCP depends on the SDK itself (an optional peer of this package).
    const sdk = join(consumer, 'node_modules', '@modelcontextprotocol');
    if (!existsSync(sdk)) symlinkSync(join(root, 'node_modules', '@modelcontextprotocol'), sdk, 'dir');
    const script = [
      "import { ScimOperationHandler } from 'scim-server';",
      "import { createScimMcpServer } from 'scim-server/mcp';",
      "import { Client } from '@modelcontextprotocol/sdk/client/index.js';",
      "import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';",
      'const operations = new ScimOperationHandler();',
      "const tenant = { tenantId: 't', isolationLevel: 'standard', permissions: {}, baseUrl: '' };",
      'const [a, b] = InMemoryTransport.createLinkedPair();',
      'await createScimMcpServer(operations, { tenant }).connect(a);',
      "const client = new Client({ name: 'esm', version: '1' });",
      'await client.connect(b);',
      'const { tools } = await client.listTools();',
      "const created = await client.callTool({ name: 'create_user', arguments: { userName: 'mcp-esm' } });",
      'console.log(tools.length, created.structuredContent.userName);',
      'await client.close();',
    ].join('\n');
    const out = await outputOf(process.execPath, ['--input-type=module', '-e', script], { cwd: consumer });
    expect(out.trim()).toBe('17 mcp-esm');
    const cjs = await outputOf(
      process.execPath,
      ['-e', "const m=require('scim-server/mcp');console.log(typeof m.createScimMcpServer, typeof m.ScimMcpHttpHandler, typeof m.connectScimMcpStdio)"],
      {
        cwd: consumer,
      },
    );
    expect(cjs.trim()).toBe('function function function');
  });

  it('keeps the MCP SDK and zod to scim-server/mcp: no other entry or chunk imports them', () => {
    const files = readdirSync(join(root, 'dist'), { recursive: true, encoding: 'utf8' }).filter((f) => /\.c?js$/.test(f) && !/^mcp\.c?js$/.test(f));
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) expect(readFileSync(join(root, 'dist', f), 'utf8'), f).not.toMatch(/@modelcontextprotocol|['"]zod/);
  });
});

describe('the built package without its optional peers', () => {
  let bare: string;

  beforeAll(async () => {
    if (!existsSync(join(root, 'dist', 'postgres.js'))) await outputOf(join(root, 'node_modules', '.bin', 'tsup'), [], { cwd: root, timeoutMs: 170_000 });
    // A consumer with the package's files and its runtime dependencies only: no pg, no PGlite, no vitest.
    bare = mkdtempSync(join(tmpdir(), 'scim-bare-'));
    const pkg = join(bare, 'node_modules', 'scim-server');
    mkdirSync(pkg, { recursive: true });
    cpSync(join(root, 'dist'), join(pkg, 'dist'), { recursive: true });
    cpSync(join(root, 'package.json'), join(pkg, 'package.json'));
    const runtime = (await outputOf('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: root })).trim().split('\n').slice(1);
    for (const dir of runtime) symlinkSync(dir, join(bare, 'node_modules', dir.slice(dir.lastIndexOf('node_modules/') + 'node_modules/'.length)), 'dir');
    for (const peer of ['pg', '@electric-sql/pglite', '@modelcontextprotocol/sdk', 'vitest'])
      expect(existsSync(join(bare, 'node_modules', peer)), peer).toBe(false);
  }, 180_000);
  afterAll(() => {
    if (bare) rmSync(bare, { recursive: true, force: true });
  });

  it('declares pg and PGlite as optional peer dependencies', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, Record<string, unknown>>;
    expect(pkg.peerDependencies).toMatchObject({ '@electric-sql/pglite': '>=0.3.0', pg: '^8.0.0' });
    expect(pkg.peerDependenciesMeta).toMatchObject({ '@electric-sql/pglite': { optional: true }, pg: { optional: true } });
    expect(Object.keys(pkg.dependencies ?? {}).sort()).toEqual(['ajv', 'uuid']);
  });

  it('imports scim-server, scim-server/postgres and scim-server/testing, and says which peer a client needs', async () => {
    const script = [
      "import { ScimServer, InMemoryStorage } from 'scim-server';",
      "import { PostgresStorage, openPGlite, connectPostgres } from 'scim-server/postgres';",
      "import { describeStorageContract } from 'scim-server/testing';",
      'console.log(typeof ScimServer, typeof InMemoryStorage, typeof PostgresStorage, typeof describeStorageContract);',
      "console.log(await openPGlite().then(() => 'opened', (e) => e.message));",
      "console.log(await connectPostgres('postgres://127.0.0.1:1/x').then(() => 'connected', (e) => e.message));",
    ].join('\n');
    const out = (await outputOf(process.execPath, ['--input-type=module', '-e', script], { cwd: bare })).trim().split('\n');
    expect(out[0]).toBe('function function function function');
    expect(out[1]).toMatch(/openPGlite needs the optional peer dependency "@electric-sql\/pglite"/);
    expect(out[2]).toMatch(/connectPostgres needs the optional peer dependency "pg"/);
    const cjs = await outputOf(
      process.execPath,
      ['-e', "const s=require('scim-server');const p=require('scim-server/postgres');console.log(typeof s.ScimServer, typeof p.PostgresStorage)"],
      { cwd: bare },
    );
    expect(cjs.trim()).toBe('function function');
  });
});

describe('scim-server/postgres with PGlite installed', () => {
  it('serves a SCIM request from PGlite through the built package', async () => {
    const consumer = mkdtempSync(join(tmpdir(), 'scim-pglite-consumer-'));
    mkdirSync(join(consumer, 'node_modules'));
    symlinkSync(root, join(consumer, 'node_modules', 'scim-server'), 'dir');
    const script = [
      "import { ScimServer, StaticTenantResolver } from 'scim-server';",
      "import { PostgresStorage, openPGlite } from 'scim-server/postgres';",
      'const storage = new PostgresStorage(await openPGlite());',
      'await storage.migrate();',
      "const s = new ScimServer({ tenantResolver: new StaticTenantResolver([{ id: 't', token: 'x' }]), storage });",
      "const headers = { authorization: 'Bearer x', 'content-type': 'application/scim+json' };",
      "const r = await s.handle({ method: 'POST', path: '/scim/v2/Users', headers, body: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'pg' } });",
      "const g = await s.handle({ method: 'GET', path: '/scim/v2/Users/' + r.body.id, headers });",
      'console.log(r.status, g.status, g.body.userName, g.headers.ETag);',
      'await storage.close();',
    ].join('\n');
    let out: string;
    try {
      out = await outputOf(process.execPath, ['--input-type=module', '-e', script], { cwd: consumer });
    } finally {
      rmSync(consumer, { recursive: true, force: true });
    }
    expect(out.trim()).toBe('201 200 pg W/"1"');
  }, 60_000);
});
