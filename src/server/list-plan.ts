import { ScimError } from '../error/scim-error.js';
import type { ListQuery } from '../provider/resource-provider.js';
import type { SortSpec } from '../query/ast.js';
import { compileFilter } from '../query/filter-compiler.js';
import { compileSortAcrossTypes } from '../query/sort.js';
import type { ResourceSchema } from '../schema/resource-schema.js';
import type { ResourceTypeDefinition, ScimResource } from '../schema/types.js';
import type { ListParameters } from './list-parameters.js';
import { sortFor } from './list-parameters.js';
import type { Invocation } from './operation-context.js';
import { wantsMembers } from './projection-query.js';
import type { Projection } from './resource-renderer.js';
import { filterNamesSecret } from './sensitive-filter.js';

/** Where the list parameters came from: a URL (`list`, a `GET`) or a SearchRequest body (`search`). */
export type ListSource = 'url' | 'body';

/** One resource type's part of a list: its schema and the query its provider runs. */
export interface TypePlan {
  readonly rt: ResourceTypeDefinition;
  readonly schema: ResourceSchema;
  /** The query, with `startIndex` and `count` to be set per page. It never asks for members. */
  readonly query: ListQuery;
  /**
   * Whether the response shows the members of this type's resources: each is then read with its
   * members when it is rendered, one at a time, rather than every member of the page at once.
   */
  readonly withMembers: boolean;
}

/** How a list runs: the types taking part, and the comparator of a sort across types (a sorted root search). */
export interface ListPlan {
  readonly plans: readonly TypePlan[];
  readonly across?: (a: ScimResource, b: ScimResource) => number;
}

/** Reading order of a type that lacks the sort attribute in a root search: its resources have no sort value. */
const BY_ID: SortSpec = { path: { attr: 'id' }, order: 'ascending' };

/** Refuses a filter on a never-returned attribute: in a URL it would leak a secret into logs (400 `sensitive`). */
function checkSecretFilter(params: ListParameters, schema: ResourceSchema, source: ListSource): void {
  if (!params.filter || !filterNamesSecret(params.filter, schema)) return;
  throw source === 'url'
    ? ScimError.badRequest('sensitive', 'Filters on secret attributes must not be sent in a URL; such attributes cannot be filtered')
    : ScimError.badRequest('invalidFilter', 'Attributes that are never returned cannot be filtered');
}

interface PlanState {
  readonly plans: TypePlan[];
  readonly sortable: ResourceSchema[];
  firstError?: unknown;
  sortError?: unknown;
}

/** Plans one type, or records why it cannot take part (a root search leaves it out). */
function planType(
  call: Invocation,
  rt: ResourceTypeDefinition,
  params: ListParameters,
  projection: Projection,
  source: ListSource,
  state: PlanState,
  single: boolean,
): void {
  const schema = call.schemaFor(rt);
  try {
    checkSecretFilter(params, schema, source);
    if (params.filter) compileFilter(params.filter, schema);
    let sort: SortSpec | undefined;
    try {
      sort = sortFor(params, schema);
    } catch (error) {
      // In a root search, a type without the sort attribute still takes part: its resources have
      // no sort value (read in id order, the tie-break of every sort).
      if (single) throw error;
      state.sortError ??= error;
      sort = BY_ID;
    }
    if (sort && !single && sort.path.attr !== 'id') state.sortable.push(schema);
    const query: ListQuery = {
      ...(params.filter ? { filter: params.filter } : {}),
      ...(sort ? { sort } : {}),
      startIndex: 1,
      count: 0,
      excludeMembers: true,
      pacer: call.pacer,
    };
    state.plans.push({ rt, schema, query, withMembers: wantsMembers(projection, rt) });
  } catch (error) {
    if (single) throw error;
    state.firstError ??= error;
  }
}

/**
 * Resolves the filter and sort for each type. A filter that names attributes a type lacks leaves
 * that type out of a root search, and is an error when it fits no type at all; a sort attribute
 * no type has is an error.
 */
export function planList(
  call: Invocation,
  types: readonly ResourceTypeDefinition[],
  params: ListParameters,
  projection: Projection,
  source: ListSource,
): ListPlan {
  const state: PlanState = { plans: [], sortable: [] };
  for (const rt of types) planType(call, rt, params, projection, source, state, types.length === 1);
  const { plans } = state;
  if (plans.length === 0) throw state.firstError ?? ScimError.badRequest('invalidFilter', 'The filter matches no resource type');
  const sortSpec =
    plans.length > 1 && (params.sortBy !== undefined || params.sortOrder !== undefined)
      ? plans.find((p) => p.query.sort && p.query.sort.path.attr !== 'id')?.query.sort
      : undefined;
  if (plans.length > 1 && state.sortError && !sortSpec) throw state.sortError;
  return { plans, ...(sortSpec ? { across: compileSortAcrossTypes(sortSpec, state.sortable) } : {}) };
}
