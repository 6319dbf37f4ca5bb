import fc from 'fast-check';
import { isScimError } from '../../../src/error/scim-error.js';
import type { FilterNode, FilterValue } from '../../../src/query/ast.js';
import type { ResourceTypeModel } from '../../../src/schema/membership.js';
import type { ResourceSchema } from '../../../src/schema/resource-schema.js';
import type { ScimObject } from '../../../src/schema/types.js';
import type { StorageProvider } from '../../../src/storage/storage-provider.js';
import type { TenantContext } from '../../../src/tenant/tenant-context.js';
import { ENTERPRISE_URI, groupSchema, TYPES_EXT_URI, typesSchema, userSchema } from '../../query/query-fixtures.js';
import type { LiteralPools } from './filter-arbitraries.js';
import { filterArb, ID_PLACEHOLDER, STRING_POOL, sortArb } from './filter-arbitraries.js';
import { modelOf } from './sql-fixture.js';

/**
 * Random datasets and queries for comparing a storage with InMemoryStorage: resources of three
 * types (a Thing with an attribute of every type, Users with the Enterprise extension, Groups with
 * members) whose values include every JSON type where the schema expects another, and queries with
 * filters, sorts and pages whose literals are drawn from the same small pools, so they match often.
 * Literals may stand for the dataset's n-th id or a time near its n-th write (resolved per storage,
 * since ids and clocks are each storage's own).
 */

/** Strings the data holds: storable (no U+0000, no lone surrogate), with case, Unicode and LIKE traps. */
export const DATA_STRINGS = [
  '\uFEFFa',
  'a',
  'A',
  'ab',
  'AB',
  'aB',
  'b',
  '',
  'é',
  'É',
  'ß',
  'İ',
  'i̇',
  'ΑΣ',
  'ας',
  'σ',
  'x y',
  '%',
  '_',
  '\\',
  'a%b',
  "'",
  '"',
  'work',
  'Work',
  'home',
  'W/"1"',
  '0',
  '😀',
  'ÜNÏ',
];
const DATES = [
  '2024-01-01T00:00:00Z',
  '2024-01-01T01:00:00+01:00',
  '2023-12-31T23:00:00-01:00',
  '2024-01-01T00:00:00.5Z',
  '2024-01-01T00:00:00.500000Z',
  '2024-01-01T00:00:00.0000001Z',
  '2023-12-31T23:59:59.999999999Z',
  '0000-01-01T00:30:00+01:00',
  '2024-02-30T00:00:00Z',
  'soon',
];
/**
 * A dateTime literal near a write of the dataset: `DATE_PLACEHOLDER + "<n>|<ms>|<style>"` is the
 * n-th resource's `meta.created` (or `meta.lastModified` for odd n) moved by ms milliseconds.
 */
const DATE_PLACEHOLDER = '\u0001dt:';
const NEAR = [0, 1, 2, 3].flatMap((n) =>
  [-1, 0, 0, 1].flatMap((ms) => ['Z', 'offset', 'finer', 'micro'].map((style) => `${DATE_PLACEHOLDER}${n}|${ms}|${style}`)),
);

const POOLS: LiteralPools = {
  strings: STRING_POOL,
  numbers: [-2, -1, 0, 0.5, 1, 1.5, 2, 3, 1e21, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, '1', '-0.5'],
  dateTimes: [...DATES.slice(0, 8), ...NEAR],
};

const str = fc.constantFrom(...DATA_STRINGS);
const weird = fc.constantFrom<unknown>(null, 5, true, 'x', [], ['a'], {}, { value: 'a' }, [null], [[]], '2024-01-01T00:00:00Z');
const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<unknown> => fc.oneof({ weight: 8, arbitrary: arb }, { weight: 1, arbitrary: weird });
const multi = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<unknown> => maybe(fc.array(arb, { maxLength: 3 }));
const record = (fields: Record<string, fc.Arbitrary<unknown>>) => fc.record(fields, { requiredKeys: [] });

const thingArb = record({
  label: maybe(str),
  code: maybe(str),
  enabled: maybe(fc.boolean()),
  size: maybe(fc.integer({ min: -2, max: 3 })),
  weight: maybe(fc.constantFrom(-1, 0, 0.5, 1, 1.5, 1e21)),
  seen: maybe(fc.constantFrom(...DATES)),
  home: maybe(str),
  blob: maybe(str),
  aliases: multi(str),
  scores: multi(fc.integer({ min: -2, max: 3 })),
  parts: multi(
    record({
      value: maybe(str),
      kind: maybe(str),
      count: maybe(fc.integer({ min: -1, max: 2 })),
      primary: maybe(fc.boolean()),
      at: maybe(fc.constantFrom(...DATES)),
    }),
  ),
  shape: maybe(record({ width: maybe(fc.integer({ min: 0, max: 3 })), color: maybe(str) })),
  [TYPES_EXT_URI]: maybe(record({ tag: maybe(str), tags: multi(record({ value: maybe(str), kind: maybe(str) })) })),
});

const userArb = record({
  userName: maybe(str),
  externalId: maybe(str),
  displayName: maybe(str),
  title: maybe(str),
  active: maybe(fc.boolean()),
  name: maybe(record({ givenName: maybe(str), familyName: maybe(str) })),
  emails: multi(record({ value: maybe(str), type: maybe(fc.constantFrom('work', 'home', 'Work')), primary: maybe(fc.boolean()), display: maybe(str) })),
  [ENTERPRISE_URI]: maybe(record({ employeeNumber: maybe(str), manager: maybe(record({ value: maybe(str), displayName: maybe(str) })) })),
});

const memberPick = fc.record({ index: fc.nat(9), type: fc.constantFrom(undefined, 'User', 'Group', 'user'), display: fc.option(str, { nil: undefined }) });
const groupArb = fc.record({ body: record({ displayName: maybe(str), externalId: maybe(str) }), members: fc.array(memberPick, { maxLength: 4 }) });

export const datasetArb = fc.record({
  things: fc.array(thingArb, { minLength: 1, maxLength: 8 }),
  users: fc.array(userArb, { minLength: 1, maxLength: 8 }),
  groups: fc.array(groupArb, { maxLength: 4 }),
  renames: fc.array(fc.nat(20), { maxLength: 3 }),
});
export type Dataset = typeof datasetArb extends fc.Arbitrary<infer T> ? T : never;

export const SCHEMAS: Record<string, ResourceSchema> = { Thing: typesSchema, User: userSchema, Group: groupSchema };
export const model = (type: string): ResourceTypeModel => modelOf(SCHEMAS[type] as ResourceSchema);

export const queryArb = fc.oneof(
  ...Object.entries(SCHEMAS).map(([type, schema]) =>
    fc.record({
      type: fc.constant(type),
      filter: fc.option(filterArb(schema, POOLS), { freq: 8, nil: undefined }),
      sort: sortArb(schema, ['members', 'groups']),
      startIndex: fc.integer({ min: 1, max: 12 }),
      count: fc.integer({ min: 0, max: 12 }),
      pageSize: fc.integer({ min: 1, max: 4 }),
    }),
  ),
);
export type Query = typeof queryArb extends fc.Arbitrary<infer T> ? T : never;

export function tenant(tenantId: string): TenantContext {
  return { tenantId, isolationLevel: 'shared', permissions: {}, baseUrl: `https://example.test/${tenantId}` };
}

export interface Loaded {
  readonly tenantId: string;
  readonly ids: string[];
  /** `meta.created` and `meta.lastModified` of every resource, in milliseconds. */
  readonly times: number[];
}

/** A placeholder literal, resolved against the dataset. */
function resolveLiteral(value: FilterValue, loaded: Loaded): FilterValue {
  if (typeof value !== 'string') return value;
  if (value.startsWith(ID_PLACEHOLDER)) return loaded.ids[Number(value.slice(ID_PLACEHOLDER.length)) % loaded.ids.length] as string;
  if (!value.startsWith(DATE_PLACEHOLDER)) return value;
  const [n, ms, style] = value.slice(DATE_PLACEHOLDER.length).split('|') as [string, string, string];
  const at = new Date((loaded.times[Number(n) % loaded.times.length] as number) + Number(ms));
  const iso = at.toISOString();
  if (style === 'finer') return iso.replace('Z', '0001Z');
  if (style === 'micro') return iso.replace('Z', '000Z');
  if (style === 'offset') return `${new Date(at.getTime() + 3_600_000).toISOString().slice(0, -1)}+01:00`;
  return iso;
}

export function resolveFilter(node: FilterNode, loaded: Loaded): FilterNode {
  switch (node.kind) {
    case 'and':
    case 'or':
      return { kind: node.kind, left: resolveFilter(node.left, loaded), right: resolveFilter(node.right, loaded) };
    case 'not':
      return { kind: 'not', filter: resolveFilter(node.filter, loaded) };
    case 'valuePath':
      return { ...node, filter: resolveFilter(node.filter, loaded) };
    case 'compare':
      return { ...node, value: resolveLiteral(node.value, loaded) };
    default:
      return node;
  }
}

export type Outcome = { ids: string[]; total: number } | { error: { status: number; scimType: string | undefined; detail: string } };

export async function outcome(run: () => Promise<{ ids: string[]; total: number }>): Promise<Outcome> {
  try {
    return await run();
  } catch (e) {
    if (isScimError(e)) return { error: { status: e.status, scimType: e.scimType, detail: e.detail } };
    throw e;
  }
}

/**
 * Writes a dataset into a storage: Things, Users, Groups with members (Users and earlier Groups),
 * then renames; `pause` milliseconds between writes keep each write's timestamp distinct. Returns
 * the ids in creation order and each resource's `meta.created` and `meta.lastModified`.
 */
export async function writeDataset(storage: StorageProvider, tenantId: string, data: Dataset, pause = 0): Promise<Loaded> {
  const t = tenant(tenantId);
  const ids: string[] = [];
  const members: string[] = [];
  const write = async <T>(run: () => Promise<T>): Promise<T> => {
    const out = await run();
    if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
    return out;
  };
  for (const body of data.things) ids.push((await write(() => storage.create(t, model('Thing'), { schemas: [typesSchema.core.id], ...body }))).id);
  for (const body of data.users)
    members.push((await write(() => storage.create(t, model('User'), { schemas: [userSchema.core.id, ENTERPRISE_URI], ...body }))).id);
  ids.push(...members);
  for (const group of data.groups) {
    const refs = group.members.map((pick) => {
      const ref: ScimObject = { value: members[pick.index % members.length] as string };
      if (pick.type !== undefined) ref.type = pick.type;
      if (pick.display !== undefined) ref.display = pick.display;
      return ref;
    });
    const id = (await write(() => storage.create(t, model('Group'), { schemas: [groupSchema.core.id], ...group.body, members: refs }))).id;
    ids.push(id);
    members.push(id);
  }
  for (const n of data.renames) {
    const id = ids[n % ids.length] as string;
    for (const type of Object.keys(SCHEMAS)) {
      const current = await storage.get(t, model(type), id);
      if (current) await write(() => storage.replace(t, model(type), id, { ...current, displayName: DATA_STRINGS[n % DATA_STRINGS.length] }));
    }
  }
  const times: number[] = [];
  for (const id of ids) {
    for (const type of Object.keys(SCHEMAS)) {
      const resource = await storage.get(t, model(type), id);
      if (resource) times.push(Date.parse(resource.meta.created), Date.parse(resource.meta.lastModified));
    }
  }
  return { tenantId, ids, times };
}
