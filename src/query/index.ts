export * from './ast.js';
export * from './filter-limits.js';
export * from './filter-parser.js';
export * from './filter-compiler.js';
export * from './sort.js';
export * from './date-time.js';
