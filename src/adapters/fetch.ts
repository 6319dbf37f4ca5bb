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
  /** Most bytes read of a request body before answering 413. The tenant's `maxPayloadBytes` applies whatever this says, so it can only lower that. */
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
  return joinChunks(chunks, total, request.headers.get('content-type'));
}

/** Turns a {@link ScimResponse} into a Fetch API `Response`: the body as the server serialised it, or `JSON.stringify(body)`. */
export function toFetchResponse(response: ScimResponse): Response {
  const body = response.body === undefined ? null : (response.json ?? JSON.stringify(response.body));
  return new Response(body, { status: response.status, headers: response.headers });
}

/** An adapter's own SCIM error, carrying the request id. */
function withRequestId(response: ScimResponse, requestId: string): ScimResponse {
  response.headers['X-Request-Id'] = requestId;
  return response;
}

/**
 * `response` as a Fetch `Response`. A failure to serialise it (or a header value the Fetch API
 * refuses) is reported to the server's `onError` and answered with a bare SCIM 500 naming the id.
 */
function respond(server: ScimServer, response: ScimResponse, requestId: string): Response {
  try {
    return toFetchResponse(response);
  } catch (error) {
    server.reportError(error, { requestId });
    return toFetchResponse(withRequestId(adapterError(500, `Internal error (request ${requestId})`), requestId));
  }
}

/**
 * A Fetch API handler serving `server`: `(request: Request) => Promise<Response>`, for Node 20+,
 * Deno, Bun, workers, Hono (`app.all('/scim/v2/*', (c) => handler(c.req.raw))`) and Next.js route
 * handlers. It always answers with a SCIM response that carries `X-Request-Id`. The tenant is
 * resolved from the headers before the body is read: a request without a valid credential is
 * answered 401 with its body unread. A body beyond the tenant's `maxPayloadBytes` (or
 * `maxBodyBytes`, when lower) is 413, a body that cannot be read is 400, and any failure reaches the
 * server's `onError` with the request id.
 */
export function toFetchHandler(server: ScimServer, options: FetchAdapterOptions = {}): (request: Request) => Promise<Response> {
  return async (request) => {
    const url = new URL(request.url);
    const headers: Record<string, string> = {};
    request.headers.forEach((value, key) => {
      headers[key] = value;
    });
    // The URL is authoritative in the Fetch API; a Request built in code carries its host only there.
    if (headers.host === undefined) headers.host = url.host;
    const head = { method: request.method, path: url.pathname, query: url.search, headers, origin: url.origin };
    const admission = await server.admit(head);
    const { requestId } = admission;
    if (admission.response) {
      await request.body?.cancel().catch(() => undefined);
      return respond(server, admission.response, requestId);
    }
    const limit = Math.min(options.maxBodyBytes ?? Number.POSITIVE_INFINITY, admission.maxBodyBytes);
    let body: string | Uint8Array | undefined;
    try {
      body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await readBody(request, limit);
    } catch (error) {
      if (error instanceof BodyTooLargeError) return respond(server, withRequestId(payloadTooLarge(limit), requestId), requestId);
      return respond(server, withRequestId(adapterError(400, 'Could not read the request'), requestId), requestId);
    }
    return respond(server, await server.handle({ ...head, ...(body !== undefined ? { body } : {}) }, admission), requestId);
  };
}
