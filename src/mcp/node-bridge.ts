import type { IncomingMessage, ServerResponse } from 'node:http';

/** The request body as a web stream, read only when something pulls it (after authentication). */
function bodyStream(req: IncomingMessage): ReadableStream<Uint8Array> {
  const chunks = req[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await chunks.next();
      if (done) controller.close();
      else controller.enqueue(typeof value === 'string' ? new TextEncoder().encode(value) : new Uint8Array(value as Uint8Array));
    },
    async cancel() {
      await chunks.return?.();
    },
  });
}

function hasBody(req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

/** A Fetch API request for a `node:http` one; its signal aborts when the client goes away. */
function webRequest(req: IncomingMessage, res: ServerResponse): Request {
  const headers = new Headers();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i] as string, req.rawHeaders[i + 1] as string);
  let url: URL;
  try {
    url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
  } catch {
    url = new URL(req.url ?? '/', 'http://localhost');
  }
  const aborted = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) aborted.abort();
  });
  const method = req.method ?? 'GET';
  const withBody = method !== 'GET' && method !== 'HEAD' && hasBody(req);
  const init: RequestInit & { duplex?: 'half' } = { method, headers, signal: aborted.signal, ...(withBody ? { body: bodyStream(req), duplex: 'half' } : {}) };
  return new Request(url, init);
}

/** Resolves when the response can take more, or is closed. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** Writes a Fetch API response to a `node:http` one, streaming its body (server-sent events included). */
async function writeResponse(req: IncomingMessage, res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  // A request refused before its body was read: close the connection rather than read the rest.
  if (!req.complete && hasBody(req)) headers.connection = 'close';
  res.writeHead(response.status, headers);
  if (!response.body) {
    res.end();
    return;
  }
  if (response.headers.get('content-type')?.startsWith('text/event-stream')) res.flushHeaders();
  const reader = response.body.getReader();
  const stop = (): void => void reader.cancel().catch(() => undefined);
  res.once('close', stop);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!res.write(value)) await drained(res);
    }
  } catch {
    // The client went away, or the stream was cancelled: nothing more to send.
  } finally {
    res.off('close', stop);
    res.end();
  }
}

/** Serves a `node:http` request with a Fetch API handler. */
export async function serveNode(req: IncomingMessage, res: ServerResponse, handler: (request: Request) => Promise<Response>): Promise<void> {
  let response: Response;
  try {
    response = await handler(webRequest(req, res));
  } catch {
    response = new Response(JSON.stringify({ jsonrpc: '2.0', error: { code: -32603, message: 'Internal server error' }, id: null }), {
      status: 500,
      headers: { 'Content-Type': 'application/json' },
    });
  }
  await writeResponse(req, res, response);
}
