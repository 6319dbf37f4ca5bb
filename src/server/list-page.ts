import { isScimError } from '../error/scim-error.js';
import { pacedSort } from '../query/paced-sort.js';
import type { ScimResource } from '../schema/types.js';
import type { ListPlan, TypePlan } from './list-plan.js';
import type { Invocation } from './operation-context.js';
import { renderPaced, type RenderedResource, type RenderWork } from './paced-render.js';
import type { Projection, ResourceLinks } from './resource-renderer.js';

/** One page of a list: its resources rendered for the tenant (with their JSON text), and the total before paging. */
export interface ListPage {
  readonly resources: readonly RenderedResource[];
  readonly total: number;
}

/** A resource of the page, with the plan of its type. */
interface Listed {
  readonly resource: ScimResource;
  readonly plan: TypePlan;
}

async function totalsOf(call: Invocation, plans: readonly TypePlan[]): Promise<number[]> {
  const totals: number[] = [];
  for (const plan of plans) totals.push((await call.services.provider(plan.rt.name).list(call.tenant, plan.query)).totalResults);
  return totals;
}

/**
 * The resource as the response shows it: read again with its members when the response shows them
 * (lists never load the members of a whole page at once); undefined when it was deleted meanwhile.
 */
async function shown(call: Invocation, item: Listed): Promise<ScimResource | undefined> {
  if (!item.plan.withMembers) return item.resource;
  try {
    return await call.services.provider(item.plan.rt.name).get(call.tenant, item.resource.id);
  } catch (error) {
    if (isScimError(error) && error.status === 404) return undefined;
    throw error;
  }
}

/** Renders the page one resource at a time, charging the budget and pacing between resources. */
async function renderPage(call: Invocation, items: readonly Listed[], projection: Projection, work: RenderWork): Promise<RenderedResource[]> {
  const links = new Map<TypePlan, ResourceLinks>();
  const out: RenderedResource[] = [];
  for (const item of items) {
    const resource = await shown(call, item);
    if (resource === undefined) continue;
    let link = links.get(item.plan);
    if (!link) {
      link = call.links(item.plan.schema);
      links.set(item.plan, link);
    }
    out.push(await renderPaced(resource, item.plan.schema, link, projection, work));
    await work.pacer.pace();
  }
  return out;
}

/** Sorted across types: the first `offset + count` of each type, merged with one comparator, then the page. */
async function mergedPage(call: Invocation, plan: ListPlan, totals: readonly number[], offset: number, count: number): Promise<Listed[]> {
  const across = plan.across;
  if (!across || count <= 0) return [];
  const gathered: Listed[] = [];
  for (const [i, p] of plan.plans.entries()) {
    const take = Math.min(offset + count, totals[i] ?? 0);
    if (take === 0) continue;
    const page = await call.services.provider(p.rt.name).list(call.tenant, { ...p.query, startIndex: 1, count: take });
    for (const resource of page.resources) gathered.push({ resource, plan: p });
  }
  await pacedSort(gathered, (a, b) => across(a.resource, b.resource), call.pacer);
  return gathered.slice(offset, offset + count);
}

/** In type order: the page across the concatenation of each type's results. */
async function concatenatedPage(call: Invocation, plans: readonly TypePlan[], totals: readonly number[], offset: number, count: number): Promise<Listed[]> {
  const out: Listed[] = [];
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
    for (const resource of page.resources) out.push({ resource, plan: p });
    want -= page.resources.length;
    skip = 0;
  }
  return out;
}

/** A page of one type read from a storage position (RFC 9865 cursors), with the positions around it. */
export interface PositionedPage extends ListPage {
  readonly nextPosition?: string;
  readonly previousPosition?: string;
}

/** One type's page from a storage position (`''`: the first page), rendered under `work`'s budget, and the positions the storage gives back. */
export async function positionPage(
  call: Invocation,
  plan: TypePlan,
  position: string,
  count: number,
  projection: Projection,
  work: RenderWork,
): Promise<PositionedPage> {
  const page = await call.services.provider(plan.rt.name).list(call.tenant, { ...plan.query, startIndex: 1, count, position });
  const items = page.resources.map((resource) => ({ resource, plan }));
  return {
    resources: await renderPage(call, items, projection, work),
    total: page.totalResults,
    ...(page.nextPosition !== undefined ? { nextPosition: page.nextPosition } : {}),
    ...(page.previousPosition !== undefined ? { previousPosition: page.previousPosition } : {}),
  };
}

/**
 * Runs a planned list: the resources from 0-based `offset`, at most `count`, and the total, rendered
 * under `work`'s budget. One type is read in one query; several (a root search) by type.
 */
export async function listPage(call: Invocation, plan: ListPlan, offset: number, count: number, projection: Projection, work: RenderWork): Promise<ListPage> {
  const [only] = plan.plans;
  if (plan.plans.length === 1 && only && !plan.across) {
    const page = await call.services.provider(only.rt.name).list(call.tenant, { ...only.query, startIndex: offset + 1, count });
    const items = page.resources.map((resource) => ({ resource, plan: only }));
    return { resources: await renderPage(call, items, projection, work), total: page.totalResults };
  }
  const totals = await totalsOf(call, plan.plans);
  const total = totals.reduce((a, b) => a + b, 0);
  const items = plan.across ? await mergedPage(call, plan, totals, offset, count) : await concatenatedPage(call, plan.plans, totals, offset, count);
  return { resources: await renderPage(call, items, projection, work), total };
}
