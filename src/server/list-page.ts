import type { ResourceSchema } from '../schema/resource-schema.js';
import type { ScimObject, ScimResource } from '../schema/types.js';
import type { ListPlan, TypePlan } from './list-plan.js';
import type { Invocation } from './operation-context.js';
import { renderResource, type Projection } from './resource-renderer.js';

/** One page of a list: its resources rendered for the tenant, and the total before paging. */
export interface ListPage {
  readonly resources: ScimObject[];
  readonly total: number;
}

async function totalsOf(call: Invocation, plans: readonly TypePlan[]): Promise<number[]> {
  const totals: number[] = [];
  for (const plan of plans) totals.push((await call.services.provider(plan.rt.name).list(call.tenant, plan.query)).totalResults);
  return totals;
}

/** Sorted across types: the first `offset + count` of each type, merged with one comparator, then the page. */
async function mergedPage(
  call: Invocation,
  plan: ListPlan,
  totals: readonly number[],
  offset: number,
  count: number,
  projection: Projection,
): Promise<ScimObject[]> {
  const across = plan.across;
  if (!across || count <= 0) return [];
  const gathered: { resource: ScimResource; schema: ResourceSchema }[] = [];
  for (const [i, p] of plan.plans.entries()) {
    const take = Math.min(offset + count, totals[i] ?? 0);
    if (take === 0) continue;
    const page = await call.services.provider(p.rt.name).list(call.tenant, { ...p.query, startIndex: 1, count: take });
    for (const resource of page.resources) gathered.push({ resource, schema: p.schema });
  }
  gathered.sort((a, b) => across(a.resource, b.resource));
  return gathered.slice(offset, offset + count).map((g) => renderResource(g.resource, g.schema, call.links(g.schema), projection));
}

/** In type order: the page across the concatenation of each type's results. */
async function concatenatedPage(
  call: Invocation,
  plans: readonly TypePlan[],
  totals: readonly number[],
  offset: number,
  count: number,
  projection: Projection,
): Promise<ScimObject[]> {
  const out: ScimObject[] = [];
  let skip = offset;
  let want = count;
  for (const [i, p] of plans.entries()) {
    if (want <= 0) break;
    const t = totals[i] ?? 0;
    if (skip >= t) {
      skip -= t;
      continue;
    }
    const page = await call.services.provider(p.rt.name).list(call.tenant, { ...p.query, startIndex: skip + 1, count: want });
    const links = call.links(p.schema);
    for (const r of page.resources) out.push(renderResource(r, p.schema, links, projection));
    want -= page.resources.length;
    skip = 0;
  }
  return out;
}

/** Runs a planned list: each type's total, then the resources from 0-based `offset`, at most `count`. */
export async function listPage(call: Invocation, plan: ListPlan, offset: number, count: number, projection: Projection): Promise<ListPage> {
  const totals = await totalsOf(call, plan.plans);
  const total = totals.reduce((a, b) => a + b, 0);
  const resources = plan.across
    ? await mergedPage(call, plan, totals, offset, count, projection)
    : await concatenatedPage(call, plan.plans, totals, offset, count, projection);
  return { resources, total };
}
