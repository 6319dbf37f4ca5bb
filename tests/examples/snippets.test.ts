import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const dir = join(root, 'examples', 'snippets');
const snippets = readdirSync(dir).filter((f) => f.endsWith('.ts')).sort();
const run = promisify(execFile);

describe('the runnable snippets of docs/multi-tenancy.md', () => {
  it('has snippets', () => {
    expect(snippets.length).toBeGreaterThanOrEqual(10);
  });

  it.each(snippets)('%s runs and checks what it shows', async (file) => {
    const { stdout } = await run(join(root, 'node_modules', '.bin', 'tsx'), [join(dir, file)], { cwd: root });
    expect(stdout.trim().split('\n').at(-1)).toMatch(/: ok$/);
  }, 60_000);

  it.each(snippets)('%s appears verbatim in docs/multi-tenancy.md', (file) => {
    const doc = readFileSync(join(root, 'docs', 'multi-tenancy.md'), 'utf8');
    const code = readFileSync(join(dir, file), 'utf8').trim();
    expect(doc).toContain(code);
  });
});
