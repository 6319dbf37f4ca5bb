import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runToEnd } from '../helpers/processes.js';

const root = join(import.meta.dirname, '..', '..');
const dir = join(root, 'examples', 'snippets');
const snippets = readdirSync(dir)
  .filter((f) => f.endsWith('.ts'))
  .sort();

const docs = readdirSync(join(root, 'docs'))
  .filter((f) => f.endsWith('.md'))
  .map((f) => readFileSync(join(root, 'docs', f), 'utf8'));

describe('the runnable snippets of the docs', () => {
  it('has snippets', () => {
    expect(snippets.length).toBeGreaterThanOrEqual(10);
  });

  it.each(snippets)(
    '%s runs and checks what it shows',
    async (file) => {
      const { code, output } = await runToEnd(join(root, 'node_modules', '.bin', 'tsx'), [join(dir, file)], { cwd: root, timeoutMs: 55_000 });
      expect(output.trim().split('\n').at(-1), output).toMatch(/: ok$/);
      expect(code).toBe(0);
    },
    60_000,
  );

  it.each(snippets)('%s imports the package as a user would, not its sources', (file) => {
    const code = readFileSync(join(dir, file), 'utf8');
    const imports = [...code.matchAll(/from '([^']+)'/g)].map((m) => m[1] ?? '');
    expect(imports.filter((i) => i.startsWith('.'))).toEqual([]);
    expect(imports.some((i) => i === 'scim-server' || i.startsWith('scim-server/'))).toBe(true);
  });

  it.each(snippets)('%s appears verbatim in a page of docs/', (file) => {
    const code = readFileSync(join(dir, file), 'utf8').trim();
    expect(docs.some((doc) => doc.includes(code))).toBe(true);
  });
});
