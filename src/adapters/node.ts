/**
 * The `node:http` adapter: `toNodeHandler(server)` serves a ScimServer from `http.createServer`, and
 * from frameworks built on `node:http` (Express, Fastify, ...). See docs/frameworks.md.
 *
 * @packageDocumentation
 * @module scim-server/node
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ScimAdmission, ScimRequest, ScimRequestHead, ScimResponse, ScimServer } from '../server/index.js';
import { utf8Length } from '../server/utf8-length.js';
import { BodyTooLargeError, DEFAULT_MAX_BODY_BYTES, adapterError, declaredTooLarge, joinChunks, payloadTooLarge } from './body-reader.js';

/** Options of {@link toNodeHandler}. */
export interface NodeAdapterOptions {
  /**
   * Most bytes read of a request body before answering 413. {@link toNodeHandler} reads at most the
   * tenant's `maxPayloadBytes` whatever this says, so it can only lower that; {@link toScimRequest}
   * reads 1 MiB by default.
   */
  maxBodyBytes?: number;
  /** Trust `X-Forwarded-Proto` / `X-Forwarded-Host` for the public origin (behind a proxy you run). */
  trustProxy?: boolean;
}

function readBody(req: IncomingMessage, limit: number): Promise<string | Uint8Array> {
  const contentType = firstHeader(req.headers['content-type']);
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
        resolve(joinChunks(chunks, total, contentType));
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

/** The request's method, target, headers and origin: all that is known before its body is read. */
function requestHead(req: FrameworkRequest, options: NodeAdapterOptions): ScimRequestHead {
  const forwardedProto = options.trustProxy ? firstHeader(req.headers['x-forwarded-proto'])?.split(',')[0]?.trim().toLowerCase() : undefined;
  const proto = forwardedProto === 'http' || forwardedProto === 'https' ? forwardedProto : undefined;
  // A Host that is not a host name (a path, a user-info part, spaces) never reaches meta.location.
  const host = (options.trustProxy ? safeHost(firstHeader(req.headers['x-forwarded-host'])) : undefined) ?? safeHost(req.headers.host);
  const secure = (req.socket as { encrypted?: boolean }).encrypted === true;
  const head: ScimRequestHead = {
    method: (req.method ?? 'GET').toUpperCase(),
    path: requestUrl(req),
    headers: req.headers as Record<string, string | string[] | undefined>,
  };
  if (host) head.origin = `${proto ?? (secure ? 'https' : 'http')}://${host}`;
  return head;
}

/**
 * The body of a request with this head, at most `limit` bytes. GET and HEAD bodies are never read,
 * but one announced beyond the limit is still refused, so that the connection closes instead of
 * Node discarding it byte by byte.
 */
async function bodyOf(req: FrameworkRequest, method: string, limit: number): Promise<unknown> {
  return method === 'GET' || method === 'HEAD' ? noBody(req, limit) : requestBody(req, limit);
}

/** The body of a GET or HEAD: none, but one announced beyond `limit` is refused. */
function noBody(req: IncomingMessage, limit: number): undefined {
  if (declaredTooLarge(firstHeader(req.headers['content-length']), limit)) throw new BodyTooLargeError(limit);
  return undefined;
}

/** True when the client has sent, or will send, a body nobody has read yet. */
function bodyPending(req: IncomingMessage): boolean {
  if (streamConsumed(req)) return false;
  const length = firstHeader(req.headers['content-length'])?.trim();
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * Turns a Node request into a {@link ScimRequest}, body included (at most `maxBodyBytes`, 1 MiB by
 * default). Works on a bare `node:http` request and on one a framework has been through: a URL
 * rewritten for a mount prefix is read from `originalUrl`, and a body a parser already read is
 * taken from `rawBody` or `body`. {@link toNodeHandler} does more: it reads no body before the
 * server has admitted the request's head.
 */
export async function toScimRequest(req: IncomingMessage, options: NodeAdapterOptions = {}): Promise<ScimRequest> {
  const head = requestHead(req, options);
  const body = await bodyOf(req, head.method, options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
  return { ...head, ...(body !== undefined ? { body } : {}) };
}

/**
 * Writes a {@link ScimResponse} to a Node response: the body as the server serialised it (`json`)
 * or as `JSON.stringify(body)`.
 *
 * @throws whatever serialising the body or writing the head throws (a `BigInt` in the body, a
 *   header value Node refuses); {@link toNodeHandler} reports that to `onError` and answers 500.
 */
export function writeScimResponse(res: ServerResponse, response: ScimResponse): void {
  const text = response.body === undefined ? undefined : (response.json ?? JSON.stringify(response.body));
  const headers: Record<string, string | number> = { ...response.headers };
  if (text !== undefined) headers['Content-Length'] = Buffer.byteLength(text);
  res.writeHead(response.status, headers);
  res.end(text);
}

/**
 * Writes `response`. A failure to serialise or write it is reported to the server's `onError` with
 * the request id and answered with a bare SCIM 500 that carries it; when even that cannot be
 * written, the connection is closed.
 */
function respond(server: ScimServer, res: ServerResponse, response: ScimResponse, requestId: string): void {
  try {
    writeScimResponse(res, response);
  } catch (error) {
    server.reportError(error, { requestId });
    failed(res, requestId);
  }
}

/** Answers a bare SCIM 500 naming the request id, or closes the connection when a response has begun. */
function failed(res: ServerResponse, requestId: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  try {
    const response = adapterError(500, `Internal error (request ${requestId})`);
    response.headers['X-Request-Id'] = requestId;
    writeScimResponse(res, response);
  } catch {
    res.destroy();
  }
}

/** The answer to a body that could not be read: 413 beyond the limit, 500 when a parser took it, else 400. */
function bodyFailure(server: ScimServer, error: unknown, requestId: string): ScimResponse {
  let response: ScimResponse;
  if (error instanceof BodyTooLargeError) {
    response = payloadTooLarge(error.limit);
    response.headers.Connection = 'close';
  } else if (error instanceof BodyConsumedError) {
    server.reportError(error, { requestId });
    response = adapterError(500, error.message);
  } else {
    response = adapterError(400, 'Could not read the request');
    response.headers.Connection = 'close';
  }
  response.headers['X-Request-Id'] = requestId;
  return response;
}

/** Serves one request: admits its head, reads its body within the tenant's limit, answers. */
async function serve(server: ScimServer, req: FrameworkRequest, res: ServerResponse, options: NodeAdapterOptions): Promise<void> {
  const head = requestHead(req, options);
  const admission: ScimAdmission = await server.admit(head);
  const { requestId } = admission;
  if (admission.response) {
    // Refused on its headers: no byte of the body is read, and the connection closes after the answer.
    if (bodyPending(req)) admission.response.headers.Connection = 'close';
    respond(server, res, admission.response, requestId);
    return;
  }
  const request: ScimRequest = head;
  try {
    const limit = Math.min(options.maxBodyBytes ?? Number.POSITIVE_INFINITY, admission.maxBodyBytes);
    // A GET or HEAD has no body to wait for: only its announced length is checked.
    const body = head.method === 'GET' || head.method === 'HEAD' ? noBody(req, limit) : await requestBody(req, limit);
    if (body !== undefined) request.body = body;
  } catch (error) {
    respond(server, res, bodyFailure(server, error, requestId), requestId);
    return;
  }
  respond(server, res, await server.handle(request, admission), requestId);
}

/**
 * A `node:http` request listener serving `server`:
 * `http.createServer(toNodeHandler(server)).listen(8080, '127.0.0.1')` (or, with timeouts, a header
 * size limit and a connection cap, {@link createNodeServer}).
 *
 * The tenant is resolved from the request's headers before any of its body is read: a request
 * without a valid credential is answered 401 at once and its connection closed. An admitted
 * request's body is read up to the tenant's `maxPayloadBytes` (and `maxBodyBytes`, when lower); a
 * longer one (announced by `Content-Length`, or counted while reading) is answered 413 without
 * reading the rest, and the connection is closed. Every response carries `X-Request-Id`, and any
 * failure, serialising the response included, reaches the server's `onError` with that id.
 */
export function toNodeHandler(server: ScimServer, options: NodeAdapterOptions = {}): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    serve(server, req, res, options).catch((error: unknown) => {
      const requestId = globalThis.crypto.randomUUID();
      server.reportError(error, { requestId });
      failed(res, requestId);
    });
  };
}

export { createNodeServer, applyNodeServerLimits, nodeServerLimits, DEFAULT_NODE_SERVER_LIMITS } from './node-server.js';
export type { NodeServerLimits, NodeServerOptions } from './node-server.js';
