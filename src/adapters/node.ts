import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ScimRequest, ScimResponse, ScimServer } from '../server/index.js';
import { BodyTooLargeError, DEFAULT_MAX_BODY_BYTES, joinChunks, payloadTooLarge } from './body-reader.js';

/** Options of {@link toNodeHandler}. */
export interface NodeAdapterOptions {
  /** Most bytes read of a request body before answering 413 (default 1 MiB). */
  maxBodyBytes?: number;
  /** Trust `X-Forwarded-Proto` / `X-Forwarded-Host` for the public origin (behind a proxy you run). */
  trustProxy?: boolean;
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let total = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      total += chunk.byteLength;
      if (total > limit) {
        done = true;
        reject(new BodyTooLargeError(limit));
        req.resume();
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
  });
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Turns a Node request into a {@link ScimRequest}. */
export async function toScimRequest(req: IncomingMessage, options: NodeAdapterOptions = {}): Promise<ScimRequest> {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const query = q < 0 ? '' : url.slice(q + 1);
  const proto = options.trustProxy ? firstHeader(req.headers['x-forwarded-proto'])?.split(',')[0]?.trim() : undefined;
  const host = (options.trustProxy ? firstHeader(req.headers['x-forwarded-host']) : undefined) ?? req.headers.host;
  const secure = (req.socket as { encrypted?: boolean }).encrypted === true;
  const origin = host ? `${proto ?? (secure ? 'https' : 'http')}://${host}` : undefined;
  const method = (req.method ?? 'GET').toUpperCase();
  const body = method === 'GET' || method === 'HEAD' ? undefined : await readBody(req, options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
  return {
    method,
    path,
    query,
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

/**
 * A `node:http` request listener serving `server`:
 * `http.createServer(toNodeHandler(server)).listen(8080, '127.0.0.1')`.
 */
export function toNodeHandler(server: ScimServer, options: NodeAdapterOptions = {}): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    toScimRequest(req, options)
      .then((request) => server.handle(request))
      .then(
        (response) => writeScimResponse(res, response),
        (error: unknown) => {
          if (error instanceof BodyTooLargeError) writeScimResponse(res, payloadTooLarge(error.limit));
          else writeScimResponse(res, { status: 400, headers: { 'Content-Type': 'application/scim+json' }, body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '400', detail: 'Could not read the request' } });
        },
      );
  };
}
