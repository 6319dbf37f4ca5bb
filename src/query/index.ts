export * from './ast.js';
export * from './filter-limits.js';
export * from './filter-parser.js';
