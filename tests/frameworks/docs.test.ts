/**
 * docs/frameworks.md shows each recipe's code as it is (the recipes import `scim-server` as an
 * application does); the README lists each recipe's command.
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

/** A recipe's code from its first import on: what the docs quote. */
function asDocumented(file: string): string {
  const text = readFileSync(join(ROOT, 'examples', 'frameworks', file), 'utf8');
  return text.slice(text.indexOf('\nimport ') + 1).trim();
}

describe('the framework docs', () => {
  const page = readFileSync(join(ROOT, 'docs', 'frameworks.md'), 'utf8');

  it.each(RECIPE_FILES)('show examples/frameworks/%s as it is, importing the package by name', (file) => {
    const code = asDocumented(file);
    expect(code).not.toMatch(/from '(?:\.\.\/)+src\//);
    expect(page).toContain(`\`\`\`ts\n${code}\n\`\`\``);
  });

  it.each(RECIPES.map((r) => r.script))('list the command of every recipe, in the README too: npm run %s', (script) => {
    expect(page).toContain(`\`npm run ${script}\``);
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain(`npm run ${script}`);
  });
});
