/**
 * What the PostgreSQL bench measures on each storage, one function per figure. Every query is
 * checked for the right answer while it is timed; a wrong answer fails the bench.
 */
import { parseFilter } from '../src/query/filter-parser.js';
import { ENTERPRISE_USER_SCHEMA } from '../src/schema/enterprise-user-schema.js';
import { GROUP_SCHEMA_URI } from '../src/schema/group-schema.js';
import { createResourceSchema } from '../src/schema/resource-schema.js';
import { USER_RESOURCE_TYPE } from '../src/schema/resource-types.js';
import { USER_SCHEMA } from '../src/schema/user-schema.js';
import type { TenantContext } from '../src/tenant/tenant-context.js';
import { benchUser, GROUP, type Subject, tenant, USER } from './postgres-subjects.js';

const USERS_SCHEMA = createResourceSchema(USER_RESOURCE_TYPE, USER_SCHEMA, [{ schema: ENTERPRISE_USER_SCHEMA, required: false }]);

/** Median milliseconds of `calls` calls of `fn`, after a short warm-up. */
export async function medianMs(calls: number, fn: (i: number) => Promise<void>): Promise<number> {
  return (await alternatingMedianMs(calls, [fn]))[0] as number;
}

/**
 * Median milliseconds of `calls` calls of each of `fns`, called in alternation (one call of each per
 * round, after a short warm-up), so that whatever else the machine and the database do during the
 * measurement (a checkpoint, autovacuum) weighs on each alike.
 */
export async function alternatingMedianMs(calls: number, fns: readonly ((i: number) => Promise<void>)[]): Promise<number[]> {
  for (let i = 0; i < Math.min(20, calls); i++) for (const fn of fns) await fn(i);
  const times = fns.map((): number[] => []);
  for (let i = 0; i < calls; i++) {
    for (const [k, fn] of fns.entries()) {
      const start = performance.now();
      await fn(i);
      times[k]?.push(performance.now() - start);
    }
  }
  return times.map((list) => list.sort((a, b) => a - b)[Math.floor(list.length / 2)] as number);
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`bench: wrong answer: ${what}`);
}

/** A deterministic pseudo-random sequence, so runs compare. */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Median ms of `userName eq` for random users `<prefix><i>` of tenants chosen by `pick`. */
export async function userNameEq(s: Subject, calls: number, pick: (r: number) => { t: TenantContext; i: number }, prefix: string): Promise<number> {
  const random = lcg(7);
  return medianMs(calls, async () => {
    const { t, i } = pick(random());
    const userName = `${prefix}${i}@example.com`;
    const r = await s.storage.query(t, USER, { schema: USERS_SCHEMA, filter: parseFilter(`userName eq "${userName}"`), startIndex: 1, count: 10 });
    check(r.totalResults === 1 && r.resources[0]?.userName === userName, `userName eq ${userName}`);
  });
}

/** Median ms of a value-path filter that one user matches. */
export async function valuePath(s: Subject, t: TenantContext, users: number, prefix: string): Promise<number> {
  const random = lcg(11);
  return medianMs(200, async () => {
    const i = Math.floor(random() * users);
    const filter = parseFilter(`emails[type eq "work" and value eq "${prefix}${i}@example.com"]`);
    const r = await s.storage.query(t, USER, { schema: USERS_SCHEMA, filter, startIndex: 1, count: 10, excludeMembers: true });
    check(r.totalResults === 1, `value path for user ${i}`);
  });
}

/** Median ms of the first page of 100 sorted by userName. */
export async function sortedPage(s: Subject, t: TenantContext): Promise<number> {
  return medianMs(30, async () => {
    const r = await s.storage.query(t, USER, { schema: USERS_SCHEMA, sort: { path: { attr: 'userName' }, order: 'ascending' }, startIndex: 1, count: 100 });
    check(r.resources.length === 100, 'a sorted page of 100');
  });
}

/** Median ms of a cursor page of 100 starting at each of `positions`, measured in alternation. */
export async function cursorPages(s: Subject, t: TenantContext, positions: readonly string[]): Promise<number[]> {
  return alternatingMedianMs(
    100,
    positions.map((position) => async () => {
      const r = await s.storage.query(t, USER, { schema: USERS_SCHEMA, startIndex: 1, count: 100, position });
      check(r.resources.length === 100, `a cursor page at ${position.slice(0, 40)}`);
    }),
  );
}

/** Median ms of adding one member to a group (each add followed, untimed, by its removal). */
export async function memberAdd(s: Subject, t: TenantContext, members: readonly string[], extra: string): Promise<number> {
  const group = await s.storage.create(t, GROUP, {
    schemas: [GROUP_SCHEMA_URI],
    displayName: `g${members.length}`,
    members: members.map((value) => ({ value })),
  });
  const times: number[] = [];
  for (let i = 0; i < 220; i++) {
    const start = performance.now();
    const r = await s.storage.updateMembers(t, GROUP, group.id, { add: [{ value: extra }] });
    times.push(performance.now() - start);
    check(r.added.length === 1, 'one member added');
    await s.storage.updateMembers(t, GROUP, group.id, { remove: [extra] });
  }
  const sorted = times.slice(20).sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** Creates `count` strict tenants with one user each; returns ms per tenant and the tenants. */
export async function strictTenants(s: Subject, count: number): Promise<{ msPerTenant: number; tenants: TenantContext[] }> {
  const tenants: TenantContext[] = [];
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const t = tenant(`strict-${i}`, 'strict');
    await s.storage.create(t, USER, benchUser('strict', i));
    tenants.push(t);
  }
  return { msPerTenant: (performance.now() - start) / count, tenants };
}
