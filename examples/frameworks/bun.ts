/**
 * SCIM on Bun with `Bun.serve`.
 *
 *   PORT=8080 SCIM_TENANTS=tenants.json npm run recipe:bun
 *   (that is: bun examples/frameworks/bun.ts; tsconfig.json maps `scim-server` to the sources here)
 */
import { readFileSync } from 'node:fs';
import { toFetchHandler } from 'scim-server/fetch';
import { createScim, tenantsFrom } from './create-scim.js';

const handler = toFetchHandler(createScim(tenantsFrom(process.env.SCIM_TENANTS, (path) => readFileSync(path, 'utf8'))));

const server = Bun.serve({
  port: Number(process.env.PORT ?? 8080),
  hostname: '127.0.0.1',
  fetch: (request) => {
    const { pathname } = new URL(request.url);
    if (pathname === '/scim/v2' || pathname.startsWith('/scim/v2/')) return handler(request);
    return new Response('Not found', { status: 404 });
  },
});
console.log(`SCIM server listening on http://127.0.0.1:${server.port}/scim/v2`);
