import { defineConfig } from 'vitest/config';

/** Tests that also run where the runtime forbids code generation from strings, as workers do. */
const NO_CODEGEN = ['tests/schema/validate-resource.test.ts', 'tests/**/*.no-codegen.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      { extends: true, test: { name: 'node', include: ['tests/**/*.test.ts'], exclude: ['tests/**/*.no-codegen.test.ts'] } },
      { extends: true, test: { name: 'no-codegen', include: NO_CODEGEN, execArgv: ['--disallow-code-generation-from-strings'] } },
    ],
  },
});
