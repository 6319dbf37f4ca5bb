import type { SortSpec } from '../query/ast.js';
import type { QueryResult } from '../storage/storage-provider.js';
import type { TenantContext } from '../tenant/tenant-context.js';
import type { CaseContext, ContractCase } from './contract-cases.js';
import type { ContractQuery } from './contract-kit.js';
import { USER, user } from './contract-kit.js';

const BASES: readonly ContractQuery[] = [
  {},
  { sort: { path: { attr: 'title' }, order: 'ascending' } as SortSpec },
  { sort: { path: { attr: 'title' }, order: 'descending' } as SortSpec },
  { sort: { path: { attr: 'userName' }, order: 'descending' } as SortSpec, filterText: 'title ne "t1"' },
];

async function seed(c: CaseContext, t: TenantContext): Promise<void> {
  for (let i = 0; i < 23; i++) {
    await c.storage.create(t, USER, user(`user${i % 7}-${i}`, i % 5 === 4 ? {} : { title: i % 3 === 0 ? 'same' : `t${i % 4}` }));
  }
}

/** Follows `nextPosition` from the first page to the last, checking the total on every page. */
async function forward(c: CaseContext, t: TenantContext, base: ContractQuery, count: number, total: number): Promise<QueryResult[]> {
  const pages: QueryResult[] = [];
  let position: string | undefined = '';
  while (position !== undefined && pages.length <= total) {
    const page: QueryResult = await c.query(t, 'User', { ...base, count, position });
    c.expect(page.totalResults).toBe(total);
    pages.push(page);
    position = page.nextPosition;
  }
  return pages;
}

/** Cursor paging with positions (RFC 9865 cursors are built on them). */
export const PAGING_CASES: readonly ContractCase[] = [
  [
    'positions page forward through the whole result, in order, for any page size and sort',
    async (c) => {
      const t = c.tenant();
      await seed(c, t);
      for (const base of BASES) {
        const all = (await c.query(t, 'User', { ...base, count: 1000 })).resources.map((x) => x.id);
        for (const count of [1, 3, 7, 23, 50]) {
          const pages = await forward(c, t, base, count, all.length);
          c.expect(pages.flatMap((p) => p.resources.map((x) => x.id))).toEqual(all);
          c.expect(pages[0]?.previousPosition).toBeUndefined();
          c.expect(pages.at(-1)?.nextPosition).toBeUndefined();
        }
      }
    },
  ],
  [
    'previous positions walk back through the same pages',
    async (c) => {
      const t = c.tenant();
      await seed(c, t);
      for (const base of BASES) {
        const total = (await c.query(t, 'User', { ...base, count: 0 })).totalResults;
        const pages = await forward(c, t, base, 4, total);
        for (let i = pages.length - 1; i > 0; i--) {
          const back = pages[i]?.previousPosition;
          c.expect(back, `page ${i} has a previous position`).not.toBeUndefined();
          const page = await c.query(t, 'User', { ...base, count: 4, position: back as string });
          c.expect(page.resources.map((x) => x.id)).toEqual(pages[i - 1]?.resources.map((x) => x.id));
        }
      }
    },
  ],
  [
    'a position the storage did not issue is a 400 invalidCursor',
    async ({ tenant, query, expectScimError, storage }) => {
      const t = tenant();
      await storage.create(t, USER, user('one'));
      for (const position of ['not a position', '-1', '{}', '\u0000']) {
        await expectScimError(query(t, 'User', { count: 5, position }), 400, 'invalidCursor');
      }
    },
  ],
];
