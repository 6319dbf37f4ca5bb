/**
 * The Fetch API adapter: `toFetchHandler(server)` serves a ScimServer as
 * `(request: Request) => Promise<Response>` on Node 20+, Deno, Bun, Cloudflare Workers, Hono and
 * Next.js route handlers. See docs/frameworks.md.
 *
 * @packageDocumentation
 * @module scim-server/fetch
 */
import type { ScimResponse, ScimServer } from '../server/index.js';
import { BodyTooLargeError, adapterError, declaredTooLarge, joinChunks, payloadTooLarge } from './body-reader.js';

/** Options of {@link toFetchHandler}. */
export interface FetchAdapterOptions {
  /** Most bytes read of a request body before answering 413 (default: the server's `maxPayloadBytes`). */
  maxBodyBytes?: number;
}

async function readBody(request: Request, limit: number): Promise<string | Uint8Array | undefined> {
  if (!request.body) return undefined;
  const reader = request.body.getReader();
  if (declaredTooLarge(request.headers.get('content-length'), limit)) {
    await reader.cancel().catch(() => undefined);
    throw new BodyTooLargeError(limit);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      throw new BodyTooLargeError(limit);
    }
    chunks.push(value);
  }
  return joinChunks(chunks, total);
}

/** Turns a {@link ScimResponse} into a Fetch API `Response`. */
export function toFetchResponse(response: ScimResponse): Response {
  const body = response.body === undefined ? null : JSON.stringify(response.body);
  return new Response(body, { status: response.status, headers: response.headers });
}

/**
 * A Fetch API handler serving `server`: `(request: Request) => Promise<Response>`, for Node 20+,
 * Deno, Bun, workers, Hono (`app.all('/scim/v2/*', (c) => handler(c.req.raw))`) and Next.js route
 * handlers. It always answers with a SCIM response: a body beyond `maxBodyBytes` is 413, a body that
 * cannot be read is 400.
 */
export function toFetchHandler(server: ScimServer, options: FetchAdapterOptions = {}): (request: Request) => Promise<Response> {
  const limit = options.maxBodyBytes ?? server.maxPayloadBytes;
  return async (request) => {
    const url = new URL(request.url);
    let body: string | Uint8Array | undefined;
    try {
      body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await readBody(request, limit);
    } catch (error) {
      if (error instanceof BodyTooLargeError) return toFetchResponse(payloadTooLarge(limit));
      return toFetchResponse(adapterError(400, 'Could not read the request'));
    }
    const headers: Record<string, string> = {};
    request.headers.forEach((value, key) => {
      headers[key] = value;
    });
    // The URL is authoritative in the Fetch API; a Request built in code carries its host only there.
    if (headers.host === undefined) headers.host = url.host;
    const response = await server.handle({
      method: request.method,
      path: url.pathname,
      query: url.search,
      headers,
      ...(body !== undefined ? { body } : {}),
      origin: url.origin,
    });
    try {
      return toFetchResponse(response);
    } catch {
      // A header value the Fetch API refuses (from a custom provider, say): answer without it.
      return toFetchResponse(adapterError(500, 'Internal error'));
    }
  };
}
