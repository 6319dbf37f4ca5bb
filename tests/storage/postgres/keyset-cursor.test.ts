/**
 * RFC 9865 cursors over PostgresStorage page by keyset in SQL: the statements of a cursor page carry
 * no OFFSET, the cursors hold positions, and pages forward and back match index paging.
 */
import { describe, expect, it } from 'vitest';
import { ScimServer, StaticTenantResolver } from '../../../src/index.js';
import { openPGlite, PostgresStorage } from '../../../src/storage/postgres/index.js';
import { recordingClient } from '../../helpers/recording-client.js';

const headers = { authorization: 'Bearer acme' };

describe('cursor paging on PostgreSQL', () => {
  it('is keyset paging: no OFFSET, the same resources as index paging, forward and back', async () => {
    const { client, statements } = recordingClient(await openPGlite());
    const storage = new PostgresStorage(client);
    try {
      await storage.migrate();
      const scim = new ScimServer({
        storage,
        cursorSecret: 'a-secret-of-enough-length',
        tenantResolver: new StaticTenantResolver([{ id: 'acme', token: 'acme' }]),
      });
      for (let i = 0; i < 23; i++) await scim.handle({ method: 'POST', path: '/scim/v2/Users', headers, body: { userName: `u${i}` } });
      const all = await scim.handle({ method: 'GET', path: '/scim/v2/Users', query: { count: '100' }, headers });
      const ids = (all.body as { Resources: { id: string }[] }).Resources.map((r) => r.id);
      expect(ids).toHaveLength(23);

      statements.length = 0;
      const pages: { ids: string[]; next?: string; previous?: string }[] = [];
      let cursor = '';
      for (let i = 0; i < 10; i++) {
        const r = await scim.handle({ method: 'GET', path: '/scim/v2/Users', query: { count: '5', cursor }, headers });
        expect(r.status).toBe(200);
        const body = r.body as { Resources: { id: string }[]; nextCursor?: string; previousCursor?: string; totalResults: number };
        expect(body.totalResults).toBe(23);
        pages.push({
          ids: body.Resources.map((x) => x.id),
          ...(body.nextCursor ? { next: body.nextCursor } : {}),
          ...(body.previousCursor ? { previous: body.previousCursor } : {}),
        });
        if (!body.nextCursor) break;
        cursor = body.nextCursor;
      }
      expect(pages.flatMap((p) => p.ids)).toEqual(ids);
      expect(pages.map((p) => p.ids.length)).toEqual([5, 5, 5, 5, 3]);
      const pageStatements = statements.filter((s) => /FROM "scim_standard"."scim_resources" r WHERE/.test(s.text));
      expect(pageStatements.length).toBeGreaterThan(0);
      for (const s of pageStatements) expect(s.text).not.toMatch(/OFFSET/i);

      for (let i = pages.length - 1; i > 0; i--) {
        const back = await scim.handle({ method: 'GET', path: '/scim/v2/Users', query: { count: '5', cursor: pages[i]?.previous as string }, headers });
        expect((back.body as { Resources: { id: string }[] }).Resources.map((x) => x.id)).toEqual(pages[i - 1]?.ids);
      }
    } finally {
      await storage.close();
    }
  }, 60_000);
});
