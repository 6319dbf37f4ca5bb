/**
 * PostgresStorage with each of its two clients:
 *
 *   npx tsx examples/postgres.ts                       # PGlite, in memory and then in a directory
 *   DATABASE_URL=postgres://... npx tsx examples/postgres.ts   # and a PostgreSQL server through pg
 *
 * Each run migrates the database (safe to repeat), serves a tenant's requests through a ScimServer,
 * and prints what it stored. The same SQL runs on both clients.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { ScimServer, StaticTenantResolver } from '../src/index.js';
import { PostgresStorage, pgliteClient, pgPoolClient, type SqlClient } from '../src/storage/postgres/index.js';

const headers = { authorization: 'Bearer acme-token', 'content-type': 'application/scim+json' };

/** Migrates, then serves a create, a PATCH and a filtered list for one tenant. */
async function demo(label: string, client: SqlClient): Promise<void> {
  const storage = new PostgresStorage(client);
  const report = await storage.migrate();
  const scim = new ScimServer({
    tenantResolver: new StaticTenantResolver([{ id: 'acme', token: 'acme-token', isolationLevel: 'standard' }]),
    storage,
  });
  const userName = `bjensen-${Date.now()}`;
  const created = await scim.handle({
    method: 'POST',
    path: '/scim/v2/Users',
    headers,
    body: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName, name: { givenName: 'Barbara', familyName: 'Jensen' } },
  });
  const id = (created.body as { id: string }).id;
  const patched = await scim.handle({
    method: 'PATCH',
    path: `/scim/v2/Users/${id}`,
    headers: { ...headers, 'if-match': String(created.headers.ETag) },
    body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'nickName', value: 'Babs' }] },
  });
  const found = await scim.handle({ method: 'GET', path: '/scim/v2/Users', query: { filter: `userName eq "${userName}"` }, headers });
  const total = (found.body as { totalResults: number }).totalResults;
  console.log(
    `${label}: migrations applied ${JSON.stringify(report.applied)}; POST ${created.status} ${created.headers.ETag}; ` +
      `PATCH ${patched.status} ${patched.headers.ETag}; userName eq finds ${total}`,
  );
  await storage.close();
}

// PGlite in memory: an embedded PostgreSQL for tests and single-process tools.
await demo('PGlite in memory', pgliteClient(await PGlite.create()));

// PGlite in a directory: the same, kept on disk (one process at a time).
const dir = mkdtempSync(join(tmpdir(), 'scim-pglite-example-'));
try {
  await demo('PGlite in a directory', pgliteClient(await PGlite.create(dir)));
} finally {
  rmSync(dir, { recursive: true, force: true });
}

// A PostgreSQL server through a pg pool: many ScimServer processes can share it.
if (process.env.DATABASE_URL) {
  await demo('PostgreSQL through pg', pgPoolClient(new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 5 })));
} else {
  console.log('PostgreSQL through pg: skipped (set DATABASE_URL to run it)');
}
