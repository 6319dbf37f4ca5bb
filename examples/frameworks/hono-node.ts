/**
 * SCIM in a Hono app on Node (`@hono/node-server`). The same app runs on Deno, Bun and Workers
 * with their own `serve`.
 *
 *   PORT=8080 SCIM_TENANTS=tenants.json npm run recipe:hono
 *
 * - The Fetch adapter takes Hono's raw `Request` (`c.req.raw`), body unread: nothing in front of it
 *   may read the body first (a validator middleware on these routes would).
 * - `app.route('/scim/v2', sub)` or `basePath` change nothing: `c.req.raw.url` is the full URL.
 */
import { readFileSync } from 'node:fs';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { toFetchHandler } from 'scim-server/fetch';
import { createScim, tenantsFrom } from './create-scim.js';

const scim = toFetchHandler(createScim(tenantsFrom(process.env.SCIM_TENANTS, (path) => readFileSync(path, 'utf8'))));

const app = new Hono();
app.all('/scim/v2/*', (c) => scim(c.req.raw));

serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 8080), hostname: '127.0.0.1' }, ({ port }) => {
  console.log(`SCIM server listening on http://127.0.0.1:${port}/scim/v2`);
});
