import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

describe('the built package', () => {
  let consumer: string;

  beforeAll(() => {
    execFileSync(join(root, 'node_modules', '.bin', 'tsup'), { cwd: root, stdio: 'pipe' });
    consumer = mkdtempSync(join(tmpdir(), 'scim-consumer-'));
    mkdirSync(join(consumer, 'node_modules'));
    symlinkSync(root, join(consumer, 'node_modules', 'scim-server'), 'dir');
  }, 180_000);

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
    ]) {
      expect(existsSync(join(root, 'dist', f)), f).toBe(true);
    }
  });

  it('packs the build, the README, the changelog and the licence, and no source maps', () => {
    const packed = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' })) as {
      files: { path: string }[];
    }[];
    const files = (packed[0]?.files ?? []).map((f) => f.path);
    expect(files).toEqual(
      expect.arrayContaining(['README.md', 'CHANGELOG.md', 'LICENSE', 'package.json', 'dist/index.js', 'dist/index.cjs', 'dist/index.d.ts']),
    );
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(files.filter((f) => !f.startsWith('dist/') && !['README.md', 'CHANGELOG.md', 'LICENSE', 'package.json'].includes(f))).toEqual([]);
  });

  it('can be required from CommonJS', () => {
    const out = execFileSync(
      process.execPath,
      [
        '-e',
        "const s=require('scim-server');const n=require('scim-server/node');const f=require('scim-server/fetch');console.log(typeof s.ScimServer, typeof s.StaticTenantResolver, typeof n.toNodeHandler, typeof f.toFetchHandler)",
      ],
      { cwd: consumer, encoding: 'utf8' },
    );
    expect(out.trim()).toBe('function function function function');
  });

  it('can be imported as ESM and serves a request', () => {
    const script = [
      "import { ScimServer, StaticTenantResolver } from 'scim-server';",
      "import { toFetchHandler } from 'scim-server/fetch';",
      "const s = new ScimServer({ tenantResolver: new StaticTenantResolver([{ id: 't', token: 'x' }]) });",
      'const h = toFetchHandler(s);',
      "const r = await h(new Request('http://localhost/scim/v2/Users', { method: 'POST', headers: { authorization: 'Bearer x', 'content-type': 'application/scim+json' }, body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'esm' }) }));",
      'console.log(r.status);',
    ].join('\n');
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: consumer, encoding: 'utf8' });
    expect(out.trim()).toBe('201');
  });
});
