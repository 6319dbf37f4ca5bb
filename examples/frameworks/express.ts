/**
 * SCIM in an Express 5 app, mounted under a prefix, behind the app-wide `express.json()` most apps
 * already have.
 *
 *   PORT=8080 SCIM_TENANTS=tenants.json npm run recipe:express
 *
 * - `app.use('/scim/v2', ...)` strips the prefix from `req.url`; the adapter reads `req.originalUrl`,
 *   so routing and `meta.location` see the URL the client sent.
 * - `express.json()` reads `application/json` bodies before SCIM sees them; the adapter takes its
 *   result from `req.body`. It leaves `application/scim+json` alone, and the adapter reads those.
 * - `express.json()` answers malformed JSON itself (an HTML 400); the error handler below gives the
 *   text to SCIM instead, so the client gets the same SCIM error as everywhere else.
 * - Its default size limit (100 kB) is below SCIM's (`maxPayloadBytes`, 1 MiB): raise it, or a
 *   large `/Bulk` request in `application/json` is refused by Express before SCIM sees it.
 */
import { readFileSync } from 'node:fs';
import express, { type NextFunction, type Request, type Response } from 'express';
import { toNodeHandler } from 'scim-server/node';
import { createScim, tenantsFrom } from './create-scim.js';

const scim = toNodeHandler(createScim(tenantsFrom(process.env.SCIM_TENANTS, (path) => readFileSync(path, 'utf8'))));

/** The text of a body express.json() could not parse, from the error it passes on. */
function unparsedBody(error: unknown): string | undefined {
  const { type, body } = (error ?? {}) as { type?: unknown; body?: unknown };
  return type === 'entity.parse.failed' && typeof body === 'string' ? body : undefined;
}

const app = express();
app.disable('x-powered-by');
app.use(express.json({ limit: '1mb' }));
app.use('/scim/v2', scim);
app.use('/scim/v2', (error: unknown, req: Request, res: Response, next: NextFunction) => {
  const text = unparsedBody(error);
  if (text === undefined) return next(error);
  scim(Object.assign(req, { rawBody: text }), res);
});

const server = app.listen(Number(process.env.PORT ?? 8080), '127.0.0.1', () => {
  const address = server.address();
  console.log(`SCIM server listening on http://127.0.0.1:${typeof address === 'object' && address ? address.port : ''}/scim/v2`);
});
