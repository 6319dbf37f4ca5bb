export * from './error/index.js';
export * from './tenant/index.js';
