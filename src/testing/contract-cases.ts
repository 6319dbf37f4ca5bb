import type { ScimError } from '../error/scim-error.js';
import type { ScimResource } from '../schema/types.js';
import type { QueryResult, StorageProvider } from '../storage/storage-provider.js';
import type { IsolationLevel } from '../tenant/isolation-level.js';
import type { TenantContext } from '../tenant/tenant-context.js';
import type { ContractKit, ContractQuery } from './contract-kit.js';
import type { ContractExpect } from './test-api.js';

/** `n` resources as a tuple, so `const [a, b] = await people(t, 2)` needs no checks. */
export type People<N extends number, Acc extends ScimResource[] = []> = Acc['length'] extends N ? Acc : People<N, [...Acc, ScimResource]>;

/** What one case of the suite receives. */
export interface CaseContext {
  /** The storage under test. */
  readonly storage: StorageProvider;
  /** The isolation level the case runs at. */
  readonly level: IsolationLevel;
  /** A fresh tenant at the case's level. */
  tenant(label?: string): TenantContext;
  /** A fresh tenant at another level. */
  tenantAt(level: IsolationLevel, label?: string): TenantContext;
  query(tenant: TenantContext, type: 'User' | 'Group', q?: ContractQuery): Promise<QueryResult>;
  readonly expect: ContractExpect;
  expectScimError(promise: Promise<unknown>, status: number, scimType?: string): Promise<ScimError>;
  versionOf(resource: ScimResource): number;
  memberValues(resource: ScimResource | null): string[];
  groupValues(resource: ScimResource | null): string[];
  people<N extends number>(t: TenantContext, n: N): Promise<People<N>>;
}

/** One test of the suite: its name and its body. */
export type ContractCase = readonly [name: string, run: (context: CaseContext) => Promise<void>];

/** The context the cases of one level receive, reading the storage when a case runs. */
export function caseContext(kit: ContractKit, level: IsolationLevel): CaseContext {
  return {
    get storage() {
      return kit.storage;
    },
    level,
    tenant: (label) => kit.tenant(level, label),
    tenantAt: (other, label) => kit.tenant(other, label),
    query: (tenant, type, q) => kit.query(tenant, type, q),
    expect: kit.expect,
    expectScimError: (promise, status, scimType) => kit.expectScimError(promise, status, scimType),
    versionOf: (resource) => kit.versionOf(resource),
    memberValues: (resource) => kit.memberValues(resource),
    groupValues: (resource) => kit.groupValues(resource),
    people: async <N extends number>(t: TenantContext, n: N) => (await kit.people(t, n)) as People<N>,
  };
}
