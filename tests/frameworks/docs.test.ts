/**
 * docs/frameworks.md shows each recipe's code as it is, with the repository's source imports
 * written the way an application imports the package; the README lists each recipe's command.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RECIPES, ROOT } from './recipes.js';

const RECIPE_FILES = [
  'create-scim.ts',
  'express.ts',
  'fastify.ts',
  'hono-node.ts',
  'deno.ts',
  'bun.ts',
  'workers/worker.ts',
  'nextjs/app/scim/v2/[...path]/route.ts',
];

/** A recipe's code from its first import on, imported as an application imports the package. */
function asDocumented(file: string): string {
  const text = readFileSync(join(ROOT, 'examples', 'frameworks', file), 'utf8');
  return text
    .slice(text.indexOf('\nimport ') + 1)
    .trim()
    .replace(/'(?:\.\.\/)+src\/index\.js'/g, "'scim-server'")
    .replace(/'(?:\.\.\/)+src\/adapters\/(node|fetch)\.js'/g, "'scim-server/$1'");
}

describe('the framework docs', () => {
  const page = readFileSync(join(ROOT, 'docs', 'frameworks.md'), 'utf8');

  it.each(RECIPE_FILES)('show examples/frameworks/%s as it is', (file) => {
    expect(page).toContain(`\`\`\`ts\n${asDocumented(file)}\n\`\`\``);
  });

  it.each(RECIPES.map((r) => r.script))('list the command of every recipe, in the README too: npm run %s', (script) => {
    expect(page).toContain(`\`npm run ${script}\``);
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain(`npm run ${script}`);
  });
});
