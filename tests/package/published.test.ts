/**
 * The package as npm publishes it: the metadata registries show, and an API reference grouped by
 * the subpaths the package exports. What the tarball holds is checked in build.test.ts, after the
 * build.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { outputOf } from '../helpers/processes.js';

const root = join(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  exports: Record<string, unknown>;
  repository?: { url?: string };
  homepage?: string;
  bugs?: { url?: string };
};

describe('the published package', () => {
  it('names its repository, homepage and issue tracker', () => {
    expect(pkg.repository?.url).toBe('git+https://github.com/scim-server/scim-server.git');
    expect(pkg.homepage).toBe('https://github.com/scim-server/scim-server#readme');
    expect(pkg.bugs?.url).toBe('https://github.com/scim-server/scim-server/issues');
  });

  it('documents its API as one module per exported subpath, named as it is imported', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scim-typedoc-'));
    const out = join(dir, 'api.json');
    let modules: string[];
    try {
      await outputOf(join(root, 'node_modules', '.bin', 'typedoc'), ['--json', out, '--out', join(dir, 'html'), '--logLevel', 'Error'], {
        cwd: root,
        timeoutMs: 110_000,
      });
      modules = (JSON.parse(readFileSync(out, 'utf8')) as { children: { name: string }[] }).children.map((c) => c.name).sort();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const subpaths = Object.keys(pkg.exports)
      .filter((key) => key !== './package.json')
      .map((key) => (key === '.' ? 'scim-server' : `scim-server/${key.slice(2)}`))
      .sort();
    expect(modules).toEqual(subpaths);
  }, 120_000);
});
