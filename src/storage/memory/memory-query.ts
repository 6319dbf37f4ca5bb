import type { FilterNode, SortSpec } from '../../query/ast.js';
import { compileFilter, compileSort } from '../../query/filter-compiler.js';
import { findIndexedEquality } from '../../query/index-lookup.js';
import { pacedSort } from '../../query/paced-sort.js';
import { UNPACED, type Pacer } from '../../query/pacer.js';
import type { ResourceSchema } from '../../schema/resource-schema.js';
import type { AttrPath, ScimResource } from '../../schema/types.js';
import type { StorageQuery } from '../storage-provider.js';
import { offsetPositions, readOffsetPosition } from './offset-position.js';
import type { ResourceTable } from './resource-table.js';

/** How a query sees the records of one resource type. */
export interface QueryContext {
  /**
   * The resource as a read returns it: with `full`, its members attached; its reverse attributes
   * (a User's `groups`) are attached either way.
   */
  materialise(record: ScimResource, full: boolean): ScimResource;
  /** The attributes this type's reads attach (`members`, `groups`): the member attribute and the reverse attributes. */
  attachable: readonly string[];
  /** Leave members out of the returned page. */
  excludeMembers: boolean;
}

/** A page of results, the positions around it (cursor paging) and how many records the predicate was evaluated on. */
export interface QueryOutcome {
  resources: ScimResource[];
  totalResults: number;
  evaluated: number;
  nextPosition?: string;
  previousPosition?: string;
}

/** True when the filter or sort names one of the top-level core attributes `names` (any case). */
function mentions(filter: FilterNode | undefined, sort: SortSpec | undefined, schema: ResourceSchema, names: readonly string[]): boolean {
  if (names.length === 0) return false;
  const lower = names.map((n) => n.toLowerCase());
  const hits = (path: AttrPath): boolean => {
    const resolved = schema.resolve(path);
    return resolved !== undefined && !resolved.extension && lower.includes(resolved.attribute.name.toLowerCase());
  };
  if (sort && hits(sort.path)) return true;
  const stack: FilterNode[] = filter ? [filter] : [];
  while (stack.length > 0) {
    const node = stack.pop() as FilterNode;
    switch (node.kind) {
      case 'and':
      case 'or':
        stack.push(node.left, node.right);
        break;
      case 'not':
        stack.push(node.filter);
        break;
      default:
        if (hits(node.path)) return true;
    }
  }
  return false;
}

/**
 * Candidate records for a filter from an index, in creation order, or `undefined` when no index
 * can narrow it (see `findIndexedEquality`). `id eq` is answered by the table itself.
 */
function indexedCandidates(filter: FilterNode, schema: ResourceSchema, table: ResourceTable): ScimResource[] | undefined {
  const indexed = ['id'];
  for (const spec of table.indexSpecs()) {
    const [key] = spec.keys;
    if (spec.keys.length === 1 && key !== undefined) indexed.push(key);
  }
  const lookup = findIndexedEquality(filter, schema, indexed);
  if (!lookup) return undefined;
  if (lookup.key === 'id') {
    const record = table.records.get(lookup.value);
    return record ? [record] : [];
  }
  const ids = table.candidates([lookup.key], lookup.value, lookup.caseExact);
  if (!ids) return undefined;
  const records: ScimResource[] = [];
  for (const id of [...ids].sort()) {
    const record = table.records.get(id);
    if (record) records.push(record);
  }
  return records;
}

function clampStart(startIndex: number): number {
  return Number.isFinite(startIndex) && startIndex > 1 ? Math.floor(startIndex) : 1;
}

function clampCount(count: number): number {
  if (Number.isNaN(count) || count <= 0) return 0;
  return Number.isFinite(count) ? Math.floor(count) : Number.POSITIVE_INFINITY;
}

/** Records visited between two calls of `pace` in a scan. */
const SCAN_STEP = 256;

/** The records of a table from 1-based `start`, at most `count`, visited in slices. */
async function pageInOrder(
  table: ResourceTable,
  start: number,
  count: number,
  present: (r: ScimResource) => ScimResource,
  pacer: Pacer,
): Promise<ScimResource[]> {
  const resources: ScimResource[] = [];
  if (count <= 0 || start > table.records.size) return resources;
  let position = 0;
  for (const record of table.records.values()) {
    position++;
    if (position % SCAN_STEP === 0) await pacer.pace();
    if (position < start) continue;
    resources.push(present(record));
    if (resources.length >= count) break;
  }
  return resources;
}

/**
 * Runs a {@link StorageQuery}, then, for cursor paging (`query.position`), adds the positions of the
 * neighbouring pages: this storage's positions are offsets into the sorted result.
 */
export async function runQuery(table: ResourceTable | undefined, query: StorageQuery, context: QueryContext): Promise<QueryOutcome> {
  if (query.position === undefined) return runPage(table, query, context);
  const offset = readOffsetPosition(query.position);
  const outcome = await runPage(table, { ...query, startIndex: offset + 1 }, context);
  return { ...outcome, ...offsetPositions(offset, outcome.resources.length, clampCount(query.count), outcome.totalResults) };
}

/**
 * Runs a {@link StorageQuery} over one table: compiles the filter (a filter the schema cannot serve
 * is a 400 `invalidFilter`, even on an empty table), narrows the candidates through an index when
 * the filter requires equality on an indexed attribute, evaluates the filter on each candidate,
 * sorts (ties by id, which is creation order) and returns the requested page.
 *
 * The filter sees what a read returns: a Group with its members, a User with its groups, so
 * `members[value eq "..."]` works. Members and reverse attributes are attached to candidates only
 * when the filter or the sort names them.
 *
 * A scan that no index narrows, and a sort, run in slices that call `query.pacer` between them, so
 * that other requests are served meanwhile; writes made in between may or may not be seen.
 */
async function runPage(table: ResourceTable | undefined, query: StorageQuery, context: QueryContext): Promise<QueryOutcome> {
  const { schema, filter, sort } = query;
  const predicate = filter ? compileFilter(filter, schema) : undefined;
  const comparator = sort ? compileSort(sort, schema) : undefined;
  const start = clampStart(query.startIndex);
  const count = clampCount(query.count);
  if (!table || table.records.size === 0) return { resources: [], totalResults: 0, evaluated: 0 };
  const full = !context.excludeMembers;
  const present = (record: ScimResource): ScimResource => context.materialise(record, full);
  const pacer = query.pacer ?? UNPACED;

  if (!predicate && !comparator) {
    const total = table.records.size;
    return { resources: await pageInOrder(table, start, count, present, pacer), totalResults: total, evaluated: 0 };
  }

  const attach = mentions(filter, sort, schema, context.attachable);
  let candidates: Iterable<ScimResource> = table.records.values();
  if (filter) candidates = indexedCandidates(filter, schema, table) ?? candidates;

  let evaluated = 0;
  let visited = 0;
  const matched: ScimResource[] = [];
  for (const record of candidates) {
    if (++visited % SCAN_STEP === 0) await pacer.pace();
    const subject = attach ? context.materialise(record, true) : record;
    if (predicate) {
      evaluated++;
      if (!predicate(subject)) continue;
    }
    matched.push(subject);
  }
  if (comparator) await pacedSort(matched, comparator, pacer);

  const totalResults = matched.length;
  const page = count > 0 ? matched.slice(start - 1, start - 1 + count) : [];
  const resources = page.map((subject) => {
    if (!attach) return present(subject);
    if (full) return subject;
    const record = table.records.get(subject.id);
    return record ? present(record) : subject;
  });
  return { resources, totalResults, evaluated };
}
