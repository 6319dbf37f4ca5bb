/**
 * The few functions of a test runner the storage contract suite needs. Vitest's and Jest's exports
 * fit as they are: pass `import * as vitest from 'vitest'` (or an object with Jest's globals), so
 * the suite itself depends on no runner.
 */
export interface ContractTestApi {
  describe(name: string, body: () => void): void;
  it(name: string, body: () => Promise<void> | void, timeout?: number): void;
  beforeAll(body: () => Promise<void> | void, timeout?: number): void;
  afterAll(body: () => Promise<void> | void, timeout?: number): void;
  expect: ContractExpect;
}

/** `expect(actual, message?)` as Vitest and Jest define it, reduced to the matchers the suite uses. */
export type ContractExpect = (actual: unknown, message?: string) => ContractAssertion;

/** The matchers the storage contract suite uses. */
export interface ContractAssertion {
  toBe(expected: unknown): void;
  toEqual(expected: unknown): void;
  toMatch(expected: RegExp | string): void;
  toMatchObject(expected: object): void;
  toContain(expected: unknown): void;
  toHaveLength(expected: number): void;
  toBeNull(): void;
  toBeUndefined(): void;
  toBeGreaterThan(expected: number): void;
  toBeGreaterThanOrEqual(expected: number): void;
  readonly not: ContractAssertion;
}
