/**
 * `scim-server/testing`: the storage contract suite. Anyone who writes a `StorageProvider`
 * runs it with a few lines (see {@link describeStorageContract}) and gets the same checks the
 * bundled storages pass: CRUD, versions, compare-and-set under concurrency, uniqueness, quotas,
 * members, queries, cursor positions, bad input, passwords never received in clear and tenant
 * isolation at every level.
 *
 * @packageDocumentation
 * @module scim-server/testing
 */
export { describeStorageContract } from './storage-contract.js';
export type { StorageContractOptions } from './storage-contract.js';
export type { ContractAssertion, ContractExpect, ContractTestApi } from './test-api.js';
export { HOSTILE_TEXTS } from './contract-input.js';
