import { v4 as uuidv4 } from 'uuid';
import { isScimError, type ScimError } from '../error/scim-error.js';
import { parseFilter } from '../query/filter-parser.js';
import { ENTERPRISE_USER_SCHEMA } from '../schema/enterprise-user-schema.js';
import { GROUP_SCHEMA, GROUP_SCHEMA_URI } from '../schema/group-schema.js';
import { defineAttribute } from '../schema/define-attribute.js';
import type { ResourceTypeModel } from '../schema/membership.js';
import { createResourceSchema } from '../schema/resource-schema.js';
import { GROUP_RESOURCE_TYPE, USER_RESOURCE_TYPE } from '../schema/resource-types.js';
import type { ScimObject, ScimResource } from '../schema/types.js';
import { SchemaRegistry } from '../schema/schema-registry.js';
import { USER_SCHEMA, USER_SCHEMA_URI } from '../schema/user-schema.js';
import type { QueryResult, StorageProvider, StorageQuery, UniqueConstraint } from '../storage/storage-provider.js';
import type { IsolationLevel } from '../tenant/isolation-level.js';
import type { TenantContext } from '../tenant/tenant-context.js';
import type { ContractExpect, ContractTestApi } from './test-api.js';

/** The User schema (with the enterprise extension) the suite queries with. */
export const USER_SCHEMA_RT = createResourceSchema(USER_RESOURCE_TYPE, USER_SCHEMA, [{ schema: ENTERPRISE_USER_SCHEMA, required: false }]);
/** The Group schema the suite queries with. */
export const GROUP_SCHEMA_RT = createResourceSchema(GROUP_RESOURCE_TYPE, GROUP_SCHEMA);

/** The User schema of a registry that also serves Teams: it defines the derived `teams` attribute. */
export const USER_SCHEMA_RT_WITH_TEAMS = createResourceSchema(
  USER_RESOURCE_TYPE,
  {
    ...USER_SCHEMA,
    attributes: [
      ...USER_SCHEMA.attributes,
      defineAttribute('teams', 'complex', {
        multiValued: true,
        mutability: 'readOnly',
        subAttributes: [defineAttribute('value', 'string', { mutability: 'readOnly' }), defineAttribute('display', 'string', { mutability: 'readOnly' })],
      }),
    ],
  },
  [{ schema: ENTERPRISE_USER_SCHEMA, required: false }],
);

const REGISTRY = new SchemaRegistry();
/** The model a server passes for Users (they show `groups`). */
export const USER = REGISTRY.model('User') as ResourceTypeModel;
/** The model a server passes for Groups (they hold Users and Groups in `members`). */
export const GROUP = REGISTRY.model('Group') as ResourceTypeModel;
/**
 * A container type of an integrator's own, as plain data: a Team holds Users and Groups in
 * `members`, and a User registered beside it shows its teams in `teams` (a Group does not).
 */
export const TEAM: ResourceTypeModel = {
  name: 'Team',
  members: { attribute: 'members', memberTypes: ['User', 'Group'], displayAttribute: 'name' },
  memberOf: [],
};
/** The User model of a registry with Teams. */
export const USER_IN_TEAMS: ResourceTypeModel = {
  ...USER,
  memberOf: [...USER.memberOf, { containerType: 'Team', attribute: 'teams', displayAttribute: 'name' }],
};
/** A container type that may hold Users only. */
export const CREW: ResourceTypeModel = { name: 'Crew', members: { attribute: 'crew', memberTypes: ['User'], displayAttribute: 'name' }, memberOf: [] };

/** A Team body. */
export function team(name: string, extra: ScimObject = {}): ScimObject {
  return { schemas: ['urn:example:params:scim:schemas:Team'], name, ...extra };
}

/** A User body. */
export function user(userName: string, extra: ScimObject = {}): ScimObject {
  return { schemas: [USER_SCHEMA_URI], userName, ...extra };
}

/** A Group body. */
export function group(displayName: string, extra: ScimObject = {}): ScimObject {
  return { schemas: [GROUP_SCHEMA_URI], displayName, ...extra };
}

/** Create options that make `userName` unique, case-insensitively. */
export function userNameUnique(value: string): { unique: UniqueConstraint[] } {
  return { unique: [{ keys: ['userName'], value, caseExact: false }] };
}

/** How many calls succeeded, and how many failed with each status (-1: not a ScimError). */
export function statusCounts(results: PromiseSettledResult<unknown>[]): { ok: number; byStatus: Record<number, number> } {
  const byStatus: Record<number, number> = {};
  let ok = 0;
  for (const r of results) {
    if (r.status === 'fulfilled') ok++;
    else {
      const status = isScimError(r.reason) ? r.reason.status : -1;
      byStatus[status] = (byStatus[status] ?? 0) + 1;
    }
  }
  return { ok, byStatus };
}

/** The `ScimError` a call fails with; any other outcome fails the test. */
export async function rejection(promise: Promise<unknown>): Promise<ScimError> {
  try {
    await promise;
  } catch (err) {
    if (isScimError(err)) return err;
    throw new Error(`expected a ScimError, got ${String(err)}`);
  }
  throw new Error('expected the call to fail, it succeeded');
}

/** A query for the suite: the type's schema, the first 1000 results, and the filter as text. */
export type ContractQuery = Partial<StorageQuery> & { filterText?: string };

/**
 * What every section of the suite works with: the runner, the storage under test, fresh tenants
 * (dropped when the suite ends) and assertions about SCIM errors, versions and members.
 */
export class ContractKit {
  readonly expect: ContractExpect;
  private current: StorageProvider | undefined;
  private readonly used = new Set<string>();

  constructor(readonly api: ContractTestApi) {
    this.expect = api.expect;
  }

  /** The storage under test (set before the first test runs). */
  get storage(): StorageProvider {
    if (!this.current) throw new Error('The storage under test is not ready yet');
    return this.current;
  }

  /** Called once by the suite before its tests. */
  use(storage: StorageProvider): void {
    this.current = storage;
  }

  /** Drops every tenant a test made. */
  async dropTenants(): Promise<void> {
    for (const id of this.used) await this.storage.dropTenant(id);
    this.used.clear();
  }

  /** A tenant of its own for one test. */
  tenant(level: IsolationLevel, label = 't'): TenantContext {
    const tenantId = `${label}-${level}-${uuidv4()}`;
    this.used.add(tenantId);
    return { tenantId, isolationLevel: level, permissions: {}, baseUrl: `https://example.test/${tenantId}/scim/v2` };
  }

  /** Runs a query with the suite's schemas; `filterText` is parsed. */
  query(tenant: TenantContext, type: 'User' | 'Group', q: ContractQuery = {}): Promise<QueryResult> {
    const { filterText, ...rest } = q;
    return this.storage.query(tenant, type === 'User' ? USER : GROUP, {
      schema: type === 'User' ? USER_SCHEMA_RT : GROUP_SCHEMA_RT,
      startIndex: 1,
      count: 1000,
      ...(filterText !== undefined ? { filter: parseFilter(filterText) } : {}),
      ...rest,
    });
  }

  /** Asserts that a call fails with this status (and scimType, when given). */
  async expectScimError(promise: Promise<unknown>, status: number, scimType?: string): Promise<ScimError> {
    const err = await rejection(promise);
    this.expect(err.status).toBe(status);
    if (scimType !== undefined) this.expect(err.scimType).toBe(scimType);
    return err;
  }

  /** The n of a `W/"n"` version, asserting the form. */
  versionOf(resource: ScimResource): number {
    const m = /^W\/"(\d+)"$/.exec(resource.meta.version);
    this.expect(m, `version ${resource.meta.version} is W/"n"`).not.toBeNull();
    return Number(m?.[1]);
  }

  /** A group's member ids, sorted. */
  memberValues(resource: ScimResource | null): string[] {
    return this.refValues(resource?.members);
  }

  /** A user's group ids, sorted. */
  groupValues(resource: ScimResource | null): string[] {
    return this.refValues(resource?.groups);
  }

  private refValues(list: unknown): string[] {
    if (list === undefined) return [];
    this.expect(Array.isArray(list)).toBe(true);
    return (list as { value: string }[]).map((m) => m.value).sort();
  }

  /** `n` users of the tenant. */
  async people(t: TenantContext, n: number): Promise<ScimResource[]> {
    const out: ScimResource[] = [];
    for (let i = 0; i < n; i++) out.push(await this.storage.create(t, USER, user(`p${i}`)));
    return out;
  }
}
