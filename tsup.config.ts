import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'adapters/node': 'src/adapters/node.ts',
    'adapters/fetch': 'src/adapters/fetch.ts',
    query: 'src/query/index.ts',
    patch: 'src/patch/index.ts',
    schema: 'src/schema/index.ts',
    mcp: 'src/mcp/index.ts',
    postgres: 'src/storage/postgres/index.ts',
    testing: 'src/testing/index.ts',
    // The `scim-server` command (package.json `bin`).
    cli: 'src/cli/main.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  // No source maps: they would point at sources the package does not ship.
  sourcemap: false,
  clean: true,
  splitting: true,
  treeshake: true,
  target: 'node20',
  outDir: 'dist',
});
