/**
 * SCIM on Deno with `Deno.serve`.
 *
 *   PORT=8080 SCIM_TENANTS=tenants.json npm run recipe:deno
 *   (that is: deno run --allow-net --allow-env --allow-read --sloppy-imports examples/frameworks/deno.ts)
 *
 * In an application of your own, `import { toFetchHandler } from 'npm:scim-server/fetch'`; this
 * file imports the repository's sources, whose `.js` import specifiers name `.ts` files, hence
 * `--sloppy-imports`.
 */
import { toFetchHandler } from '../../src/adapters/fetch.js';
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
