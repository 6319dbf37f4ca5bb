import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (path: string): string => fileURLToPath(new URL(`./src/${path}`, import.meta.url));

/** `scim-server` and its subpaths resolve to the sources, as tsconfig.json's `paths` make them do for tsc and tsx. */
const SELF = [
  { find: /^scim-server$/, replacement: src('index.ts') },
  { find: /^scim-server\/(node|fetch)$/, replacement: src('adapters/$1.ts') },
  { find: /^scim-server\/(query|patch|schema|mcp)$/, replacement: src('$1/index.ts') },
  { find: /^scim-server\/postgres$/, replacement: src('storage/postgres/index.ts') },
  { find: /^scim-server\/testing$/, replacement: src('testing/index.ts') },
];

/** Tests that also run where the runtime forbids code generation from strings, as workers do. */
const NO_CODEGEN = ['tests/schema/validate-resource.test.ts', 'tests/**/*.no-codegen.test.ts'];

export default defineConfig({
  resolve: { alias: SELF },
  test: {
    // Counts the project's processes before and after the run: the run fails if a test left one running.
    globalSetup: ['tests/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      // The node project starts the run's throwaway PostgreSQL server (when this machine has one).
      {
        extends: true,
        test: {
          name: 'node',
          include: ['tests/**/*.test.ts'],
          exclude: ['tests/**/*.no-codegen.test.ts', 'tests/load/**'],
          globalSetup: ['tests/setup/postgres-server.ts'],
        },
      },
      // Latency under load: alone, after every other file has run (groupOrder), one file at a time.
      { extends: true, test: { name: 'load', include: ['tests/load/**/*.test.ts'], sequence: { groupOrder: 1 }, maxWorkers: 1 } },
      { extends: true, test: { name: 'no-codegen', include: NO_CODEGEN, execArgv: ['--disallow-code-generation-from-strings'] } },
    ],
  },
});
