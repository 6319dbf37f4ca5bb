import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runToEnd } from '../helpers/processes.js';

const script = join(import.meta.dirname, '..', '..', 'scripts', 'check-layers.mjs');
const dirs: string[] = [];

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'scim-layers-'));
  dirs.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

async function check(dir?: string): Promise<{ status: number | string; output: string }> {
  const r = await runToEnd(process.execPath, dir ? [script, dir] : [script]);
  return { status: r.code, output: r.output };
}

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('the layer check', () => {
  it('passes on this repository', async () => {
    const r = await check();
    expect(r.output).toContain('every import follows the layer table');
    expect(r.status).toBe(0);
  });

  it('fails on an import that reaches upward, naming the file and the layers', async () => {
    const dir = tree({
      'tenant/a.ts': "import type { X } from '../server/x.js';\nexport type A = X;\n",
      'server/x.ts': 'export type X = 1;\n',
    });
    const r = await check(dir);
    expect(r.status).toBe(1);
    expect(r.output).toContain('tenant/a.ts:1: tenant/ may not import server/');
  });

  it('fails when storage and patch import each other, and when an adapter skips the server', async () => {
    const dir = tree({
      'storage/s.ts': "export { p } from '../patch/p.js';\n",
      'patch/p.ts': 'export const p = 1;\n',
      'adapters/a.ts': "import { t } from '../tenant/t.js';\nexport const a = t;\n",
      'tenant/t.ts': 'export const t = 1;\n',
    });
    const r = await check(dir);
    expect(r.status).toBe(1);
    expect(r.output).toContain('storage/ may not import patch/');
    expect(r.output).toContain('adapters/ may not import tenant/');
  });

  it('lets every layer use error/ and keeps entry points free', async () => {
    const dir = tree({
      'tenant/t.ts': "import { E } from '../error/e.js';\nexport const t = E;\n",
      'error/e.ts': 'export const E = 1;\n',
      'index.ts': "export * from './tenant/t.js';\n",
    });
    expect((await check(dir)).status).toBe(0);
  });
});
