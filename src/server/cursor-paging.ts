import type { CursorBinding, CursorPlace } from '../query/cursor.js';
import { listPage, positionPage, type ListPage } from './list-page.js';
import type { ListPlan } from './list-plan.js';
import type { Invocation } from './operation-context.js';
import type { RenderWork } from './paced-render.js';
import type { Projection } from './resource-renderer.js';

/** A cursor page and the places of the pages around it. */
interface CursorPage {
  readonly page: ListPage;
  readonly next?: CursorPlace;
  readonly previous?: CursorPlace;
}

/** A cursor-paged list: the page and the cursors of its neighbours. */
export interface CursorPaged {
  readonly page: ListPage;
  readonly links: { nextCursor?: string; previousCursor?: string };
}

/** A page from an offset into the list (several types, or a cursor that carries an offset). */
async function offsetPage(call: Invocation, plan: ListPlan, offset: number, count: number, projection: Projection, work: RenderWork): Promise<CursorPage> {
  const page = await listPage(call, plan, offset, count, projection, work);
  return {
    page,
    ...(offset + page.resources.length < page.total ? { next: { offset: offset + page.resources.length } } : {}),
    ...(offset > 0 ? { previous: { offset: Math.max(0, offset - count) } } : {}),
  };
}

/**
 * RFC 9865 cursor paging of a planned list. A list of one type pages by the positions its storage
 * defines (a keyset in PostgreSQL: a page deep in a table costs what the first one does); a root
 * search across types pages by offset. The cursors name the tenant and the query they belong to.
 */
export async function cursorPaging(
  call: Invocation,
  plan: ListPlan,
  cursor: string,
  count: number,
  binding: CursorBinding,
  projection: Projection,
  work: RenderWork,
): Promise<CursorPaged> {
  const cursors = call.services.cursors();
  const place: CursorPlace = cursor === '' ? { position: '' } : await cursors.decode(cursor, binding);
  const [single] = plan.plans;
  let paged: CursorPage;
  if (single && plan.plans.length === 1 && !plan.across && 'position' in place) {
    const page = await positionPage(call, single, place.position, count, projection, work);
    paged = {
      page,
      ...(page.nextPosition !== undefined ? { next: { position: page.nextPosition } } : {}),
      ...(page.previousPosition !== undefined ? { previous: { position: page.previousPosition } } : {}),
    };
  } else {
    paged = await offsetPage(call, plan, 'offset' in place ? place.offset : 0, count, projection, work);
  }
  const links: { nextCursor?: string; previousCursor?: string } = {};
  if (paged.next && count > 0) links.nextCursor = await cursors.encode({ ...binding, ...paged.next });
  if (paged.previous && count > 0) links.previousCursor = await cursors.encode({ ...binding, ...paged.previous });
  return { page: paged.page, links };
}
