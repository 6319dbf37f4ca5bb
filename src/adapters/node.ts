/**
 * The `node:http` adapter: `toNodeHandler(server)` serves a ScimServer from `http.createServer`, and
 * from frameworks built on `node:http` (Express, Fastify, ...). See docs/frameworks.md.
 *
 * @packageDocumentation
 * @module scim-server/node
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ScimRequest, ScimResponse, ScimServer } from '../server/index.js';
import { utf8Length } from '../server/utf8-length.js';
import { BodyTooLargeError, DEFAULT_MAX_BODY_BYTES, adapterError, declaredTooLarge, joinChunks, payloadTooLarge } from './body-reader.js';

/** Options of {@link toNodeHandler}. */
export interface NodeAdapterOptions {
  /** Most bytes read of a request body before answering 413 (default: the server's `maxPayloadBytes`). */
  maxBodyBytes?: number;
  /** Trust `X-Forwarded-Proto` / `X-Forwarded-Host` for the public origin (behind a proxy you run). */
  trustProxy?: boolean;
}

function readBody(req: IncomingMessage, limit: number): Promise<string | Uint8Array> {
  return new Promise((resolve, reject) => {
    if (declaredTooLarge(firstHeader(req.headers['content-length']), limit)) {
      reject(new BodyTooLargeError(limit));
      return;
    }
    const chunks: Uint8Array[] = [];
    let total = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      total += chunk.byteLength;
      if (total > limit) {
        // Stop here: the rest is never read, and the connection closes after the 413.
        done = true;
        req.pause();
        reject(new BodyTooLargeError(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!done) {
        done = true;
        resolve(joinChunks(chunks, total));
      }
    });
    req.on('error', (err) => {
      if (!done) {
        done = true;
        reject(err);
      }
    });
    req.on('close', () => {
      if (!done) {
        done = true;
        reject(new Error('The client closed the connection before the body ended'));
      }
    });
  });
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** A host name or IP literal with an optional port: what a Host header may carry (RFC 9110 §7.2). */
const HOST = /^(?:[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*\.?|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?$/;

/** The host for absolute URLs, or undefined when the header is absent or is not a host at all. */
function safeHost(value: string | undefined): string | undefined {
  const host = value?.split(',')[0]?.trim();
  return host && HOST.test(host) ? host : undefined;
}

/**
 * What web frameworks add to a Node request: the URL before a mount prefix was stripped (Express,
 * Connect), and a body a parser has already read (`body`, and `rawBody` where a parser keeps the
 * bytes).
 */
interface FrameworkRequest extends IncomingMessage {
  originalUrl?: unknown;
  body?: unknown;
  rawBody?: unknown;
}

/** Thrown when a parser read the body before the SCIM handler and left nothing to read it from. */
class BodyConsumedError extends Error {}

/** True when the request stream was read to its end by someone else (a body parser). */
function streamConsumed(req: IncomingMessage): boolean {
  return req.readableEnded || (req as { _body?: unknown })._body === true;
}

function isBytesOrText(value: unknown): value is string | Uint8Array {
  return typeof value === 'string' || value instanceof Uint8Array;
}

/** A body given as text or bytes, refused like a read one when it is larger than `limit`. */
function withinLimit(body: string | Uint8Array, limit: number): string | Uint8Array {
  const size = typeof body === 'string' ? utf8Length(body) : body.byteLength;
  if (size > limit) throw new BodyTooLargeError(limit);
  return body;
}

/**
 * The request body: the bytes a parser kept (`rawBody`), else what the stream still holds, else the
 * parser's result (`body`: an object, text or bytes). A request announcing `Content-Length: 0` has
 * no body, whatever a parser put in `req.body` for it.
 */
async function requestBody(req: FrameworkRequest, limit: number): Promise<unknown> {
  if (firstHeader(req.headers['content-length'])?.trim() === '0') return undefined;
  if (isBytesOrText(req.rawBody)) return withinLimit(req.rawBody, limit);
  if (!streamConsumed(req)) return readBody(req, limit);
  if (isBytesOrText(req.body)) return withinLimit(req.body, limit);
  if (req.body !== undefined) return req.body;
  throw new BodyConsumedError('The request body was read before the SCIM handler and left neither req.body nor req.rawBody');
}

/** The request target as the client sent it: `originalUrl` when a framework rewrote `req.url` for a mount. */
function requestUrl(req: FrameworkRequest): string {
  const original = req.originalUrl;
  return typeof original === 'string' && original.startsWith('/') ? original : (req.url ?? '/');
}

/**
 * Turns a Node request into a {@link ScimRequest}. Works on a bare `node:http` request and on one a
 * framework has been through: a URL rewritten for a mount prefix is read from `originalUrl`, and a
 * body a parser already read is taken from `rawBody` or `body`.
 */
export async function toScimRequest(req: IncomingMessage, options: NodeAdapterOptions = {}): Promise<ScimRequest> {
  const forwardedProto = options.trustProxy ? firstHeader(req.headers['x-forwarded-proto'])?.split(',')[0]?.trim().toLowerCase() : undefined;
  const proto = forwardedProto === 'http' || forwardedProto === 'https' ? forwardedProto : undefined;
  // A Host that is not a host name (a path, a user-info part, spaces) never reaches meta.location.
  const host = (options.trustProxy ? safeHost(firstHeader(req.headers['x-forwarded-host'])) : undefined) ?? safeHost(req.headers.host);
  const secure = (req.socket as { encrypted?: boolean }).encrypted === true;
  const origin = host ? `${proto ?? (secure ? 'https' : 'http')}://${host}` : undefined;
  const method = (req.method ?? 'GET').toUpperCase();
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  // GET and HEAD bodies are never read, but one announced beyond the limit is still refused, so that
  // the connection closes instead of Node discarding it byte by byte.
  if ((method === 'GET' || method === 'HEAD') && declaredTooLarge(firstHeader(req.headers['content-length']), limit)) throw new BodyTooLargeError(limit);
  const body = method === 'GET' || method === 'HEAD' ? undefined : await requestBody(req, limit);
  return {
    method,
    path: requestUrl(req),
    headers: req.headers as Record<string, string | string[] | undefined>,
    ...(body !== undefined ? { body } : {}),
    ...(origin !== undefined ? { origin } : {}),
  };
}

/** Writes a {@link ScimResponse} to a Node response. */
export function writeScimResponse(res: ServerResponse, response: ScimResponse): void {
  const text = response.body === undefined ? undefined : JSON.stringify(response.body);
  const headers: Record<string, string | number> = { ...response.headers };
  if (text !== undefined) headers['Content-Length'] = Buffer.byteLength(text);
  res.writeHead(response.status, headers);
  res.end(text);
}

/** Writes `response`, or a bare SCIM 500 when it cannot be written (a header value Node refuses). */
function writeSafely(res: ServerResponse, response: ScimResponse): void {
  try {
    writeScimResponse(res, response);
  } catch {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    try {
      writeScimResponse(res, adapterError(500, 'Internal error'));
    } catch {
      res.destroy();
    }
  }
}

/**
 * A `node:http` request listener serving `server`:
 * `http.createServer(toNodeHandler(server)).listen(8080, '127.0.0.1')`.
 *
 * A body larger than `maxBodyBytes` (announced by `Content-Length`, or counted while reading) is
 * answered with 413 without reading the rest, and the connection is closed.
 */
export function toNodeHandler(server: ScimServer, options: NodeAdapterOptions = {}): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    toScimRequest(req, { ...options, maxBodyBytes: options.maxBodyBytes ?? server.maxPayloadBytes })
      .then(
        async (request) => writeSafely(res, await server.handle(request)),
        (error: unknown) => {
          if (error instanceof BodyTooLargeError) {
            const response = payloadTooLarge(error.limit);
            response.headers.Connection = 'close';
            writeSafely(res, response);
          } else if (error instanceof BodyConsumedError) {
            writeSafely(res, adapterError(500, error.message));
          } else {
            writeSafely(res, {
              ...adapterError(400, 'Could not read the request'),
              headers: { 'Content-Type': 'application/scim+json; charset=utf-8', Connection: 'close' },
            });
          }
        },
      )
      .catch(() => res.destroy());
  };
}
