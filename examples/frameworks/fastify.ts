/**
 * SCIM in a Fastify 5 app, as a plugin under the `/scim/v2` prefix.
 *
 *   PORT=8080 SCIM_TENANTS=tenants.json npm run recipe:fastify
 *
 * - Fastify parses bodies by content type and answers 415 to the ones it has no parser for, such
 *   as `application/scim+json`, which Entra ID sends. Inside the plugin, its parsers are replaced by
 *   one that reads nothing, so the adapter reads and checks every body itself, whatever its type.
 * - `reply.hijack()` tells Fastify the adapter writes the response on `reply.raw`.
 * - The routes see Fastify's `request.raw`, whose `url` is the full URL: nothing to strip.
 */
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';
import { toNodeHandler } from 'scim-server/node';
import { createScim, tenantsFrom } from './create-scim.js';

const scim = toNodeHandler(createScim(tenantsFrom(process.env.SCIM_TENANTS, (path) => readFileSync(path, 'utf8'))));

const app = Fastify();
await app.register(
  async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null));
    scope.all('/*', (request, reply) => {
      reply.hijack();
      scim(request.raw, reply.raw);
    });
  },
  { prefix: '/scim/v2' },
);

await app.listen({ port: Number(process.env.PORT ?? 8080), host: '127.0.0.1' });
const address = app.server.address();
console.log(`SCIM server listening on http://127.0.0.1:${typeof address === 'object' && address ? address.port : ''}/scim/v2`);
