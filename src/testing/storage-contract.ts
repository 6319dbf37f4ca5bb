import type { StorageProvider } from '../storage/storage-provider.js';
import type { IsolationLevel } from '../tenant/isolation-level.js';
import { caseContext, type ContractCase } from './contract-cases.js';
import { COMPARE_AND_SET_CASES } from './contract-compare-and-set.js';
import { CRUD_CASES } from './contract-crud.js';
import { INPUT_CASES } from './contract-input.js';
import { crossTenantCase, DROP_CASES, LEVEL_CHANGE_CASES } from './contract-isolation.js';
import { ContractKit } from './contract-kit.js';
import { MEMBER_CASES } from './contract-members.js';
import { MEMBERSHIP_MODEL_CASES } from './contract-membership-models.js';
import { PAGING_CASES } from './contract-paging.js';
import { PASSWORD_CASES } from './contract-passwords.js';
import { QUERY_CASES } from './contract-queries.js';
import { QUOTA_CASES } from './contract-quotas.js';
import { UNIQUENESS_CASES } from './contract-uniqueness.js';
import { VERSION_CASES } from './contract-versions.js';
import type { ContractTestApi } from './test-api.js';

/** Options of {@link describeStorageContract}. */
export interface StorageContractOptions {
  /** Isolation levels to run the suite for; default all three. */
  isolationLevels?: readonly IsolationLevel[];
  /** Timeout of each test in milliseconds (default: the runner's). */
  timeout?: number;
}

const ALL_LEVELS: readonly IsolationLevel[] = ['strict', 'standard', 'shared'];

/** The sections every level runs, in order. */
const SECTIONS: readonly (readonly [string, readonly ContractCase[]])[] = [
  ['CRUD', CRUD_CASES],
  ['versions', VERSION_CASES],
  ['compare-and-set', COMPARE_AND_SET_CASES],
  ['uniqueness', UNIQUENESS_CASES],
  ['quotas', QUOTA_CASES],
  ['members', MEMBER_CASES],
  ['membership from the resource type model', MEMBERSHIP_MODEL_CASES],
  ['queries', QUERY_CASES],
  ['cursor positions', PAGING_CASES],
  ['bad input', INPUT_CASES],
  ['passwords', PASSWORD_CASES],
  ['isolation level changes', LEVEL_CHANGE_CASES],
  ['dropTenant', DROP_CASES],
];

/**
 * Declares the suite every {@link StorageProvider} must pass: CRUD, versions, compare-and-set,
 * uniqueness, quotas, members, queries, cursor positions, bad input, passwords (never received in
 * clear), tenant isolation, isolation level changes and `dropTenant`, once per isolation level.
 * `makeStorage` is called once; every test uses tenants of its own, dropped when the suite ends.
 *
 * Pass the test runner's functions, so the suite needs no particular runner:
 *
 * ```ts
 * import * as vitest from 'vitest';
 * import { describeStorageContract } from 'scim-server/testing';
 * import { MyStorage } from './my-storage.js';
 *
 * describeStorageContract(vitest, 'MyStorage', () => new MyStorage());
 * ```
 */
export function describeStorageContract(
  test: ContractTestApi,
  name: string,
  makeStorage: () => Promise<StorageProvider> | StorageProvider,
  options: StorageContractOptions = {},
): void {
  const levels = options.isolationLevels ?? ALL_LEVELS;
  const kit = new ContractKit(test);
  const run = (cases: readonly ContractCase[], level: IsolationLevel) => {
    const context = caseContext(kit, level);
    for (const [title, body] of cases) test.it(title, () => body(context), options.timeout);
  };
  test.describe(`StorageProvider contract: ${name}`, () => {
    test.beforeAll(async () => kit.use(await makeStorage()), options.timeout);
    test.afterAll(() => kit.dropTenants(), options.timeout);
    for (const level of levels) {
      test.describe(`${level} tenant`, () => {
        for (const [section, cases] of SECTIONS) test.describe(section, () => run(cases, level));
      });
    }
    test.describe('tenant isolation', () => {
      const [first = 'shared'] = levels;
      run(
        levels.flatMap((la) => levels.map((lb) => crossTenantCase(la, lb))),
        first,
      );
    });
  });
}
