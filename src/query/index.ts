/**
 * The query engine: the RFC 7644 §3.4.2.2 filter language parsed to a typed AST and compiled to a
 * predicate, sorting (within a type and across types), index paging (RFC 7644 §3.4.2.4) and RFC 9865
 * cursors. Pure functions, no I/O: a storage pushes the AST down, a server pages and signs cursors.
 *
 * @packageDocumentation
 * @module scim-server/query
 */
export * from './ast.js';
export * from './filter-limits.js';
export * from './filter-parser.js';
export * from './filter-format.js';
export { compileFilter } from './filter-compiler.js';
export type { ResourcePredicate } from './filter-compiler.js';
export * from './sort.js';
export { dateTimeKey } from '../schema/date-time.js';
export * from './index-lookup.js';
export { normalizeFilterText } from './filter-text.js';
export * from './pacer.js';
export { pacedSort } from './paced-sort.js';
export * from './paging.js';
export * from './cursor.js';
