/**
 * SCIM on Deno with `Deno.serve`.
 *
 *   PORT=8080 SCIM_TENANTS=tenants.json npm run recipe:deno
 *
 * In an application, map `scim-server` to `npm:scim-server` (deno.json `imports`). Here the import
 * map deno-import-map.json maps it to the repository's TypeScript sources, whose imports name
 * `.js` files, hence `--sloppy-imports`.
 */
import { toFetchHandler } from 'scim-server/fetch';
import { createScim, tenantsFrom } from './create-scim.js';

const handler = toFetchHandler(createScim(tenantsFrom(Deno.env.get('SCIM_TENANTS'), Deno.readTextFileSync)));

Deno.serve(
  {
    port: Number(Deno.env.get('PORT') ?? 8080),
    hostname: '127.0.0.1',
    onListen: ({ port }) => console.log(`SCIM server listening on http://127.0.0.1:${port}/scim/v2`),
  },
  (request) => {
    const { pathname } = new URL(request.url);
    if (pathname === '/scim/v2' || pathname.startsWith('/scim/v2/')) return handler(request);
    return new Response('Not found', { status: 404 });
  },
);
