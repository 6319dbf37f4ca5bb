import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toNodeHandler } from '../../src/adapters/node.js';
import type { ScimServer } from '../../src/index.js';

/** A ScimServer behind node:http on 127.0.0.1, on a free port, for tests that need real HTTP. */
export interface HttpHarness {
  origin: string;
  /** fetch() against the server with a bearer token and a JSON body. */
  call(token: string | undefined, method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

export async function listen(scim: ScimServer): Promise<HttpHarness> {
  const server: Server = createServer(toNodeHandler(scim));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    call: (token, method, path, body, headers = {}) =>
      fetch(`${origin}${path}`, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body !== undefined ? { 'content-type': 'application/scim+json' } : {}),
          ...headers,
        },
        ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
      }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
