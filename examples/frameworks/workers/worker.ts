/**
 * SCIM on Cloudflare Workers (and workerd, the Workers runtime, which runs it locally and in tests).
 *
 *   PORT=8080 SCIM_TENANTS=tenants.json npm run recipe:workers
 *   (that is: node examples/frameworks/workers/serve.mjs, which bundles this file with esbuild and
 *   runs `workerd serve config.capnp`; on Cloudflare, `wrangler deploy` bundles it the same way)
 *
 * The server is built at module scope, once per isolate: that is allowed because building it
 * draws no random value and starts no asynchronous work. `SCIM_TENANTS` is a binding that holds
 * the tenants JSON itself (a Workers secret, or an environment variable passed on by workerd's
 * config), not a file name.
 */
import { env } from 'cloudflare:workers';
import { toFetchHandler } from 'scim-server/fetch';
import { createScim, tenantsFrom } from '../create-scim.js';

const tenants = (env as { SCIM_TENANTS?: string | null }).SCIM_TENANTS;
// No demo tenants here: at a worker's global scope the clock reads 1970, so the demo trial would
// already have ended. Give the tenants you mean to serve.
if (!tenants) throw new Error('SCIM_TENANTS is not set: give it the tenants JSON (on Cloudflare: wrangler secret put SCIM_TENANTS)');
const handler = toFetchHandler(createScim(tenantsFrom(tenants)));

export default {
  fetch(request: Request): Response | Promise<Response> {
    const { pathname } = new URL(request.url);
    if (pathname === '/scim/v2' || pathname.startsWith('/scim/v2/')) return handler(request);
    return new Response('Not found', { status: 404 });
  },
};
