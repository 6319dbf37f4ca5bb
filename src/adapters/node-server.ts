import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { ScimServer } from '../server/index.js';
import { toNodeHandler, type NodeAdapterOptions } from './node.js';

/**
 * What a `node:http` server serving many tenants allows one client: how long it may take to send
 * its headers and its request, how long a connection may wait or stay silent, how large its headers
 * may be, and how many connections may be open at once. A client that exceeds a timeout has its
 * connection closed; one that sends larger headers gets 431.
 */
export interface NodeServerLimits {
  /** Most milliseconds from the start of a request to the end of its headers (Node's `headersTimeout`). */
  headersTimeoutMs?: number;
  /** Most milliseconds for a whole request, its body included (Node's `requestTimeout`). */
  requestTimeoutMs?: number;
  /** Most milliseconds a keep-alive connection waits for its next request (Node's `keepAliveTimeout`). */
  keepAliveTimeoutMs?: number;
  /** Most milliseconds a connection may stay silent, neither side sending a byte (the socket timeout). */
  idleTimeoutMs?: number;
  /** Largest request head, request line and headers, in bytes (Node's `maxHeaderSize`); more is 431. */
  maxHeaderBytes?: number;
  /** Most connections open at once (Node's `maxConnections`); more are closed as they arrive. */
  maxConnections?: number;
}

/**
 * The defaults of {@link NodeServerLimits}: 10 s for headers, 30 s for a whole request, 5 s of
 * keep-alive, 30 s of silence, 16 KiB of headers and 1,024 connections. Node's own defaults (60 s,
 * 300 s, no idle timeout, no connection cap) let a few hundred slow clients hold a server for minutes.
 */
export const DEFAULT_NODE_SERVER_LIMITS: Readonly<Required<NodeServerLimits>> = Object.freeze({
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  idleTimeoutMs: 30_000,
  maxHeaderBytes: 16_384,
  maxConnections: 1_024,
});

const LIMIT_KEYS = Object.keys(DEFAULT_NODE_SERVER_LIMITS) as (keyof NodeServerLimits)[];

/**
 * The limits with defaults filled in.
 *
 * @throws TypeError naming the key for a value that is not a positive integer, or a
 *   `headersTimeoutMs` above `requestTimeoutMs`.
 */
export function nodeServerLimits(limits: NodeServerLimits = {}): Required<NodeServerLimits> {
  const out = { ...DEFAULT_NODE_SERVER_LIMITS };
  for (const key of LIMIT_KEYS) {
    const value: unknown = limits[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
      throw new TypeError(`${key} must be a positive integer, not ${JSON.stringify(value) ?? String(value)}`);
    }
    out[key] = value;
  }
  if (out.headersTimeoutMs > out.requestTimeoutMs) {
    throw new TypeError(`headersTimeoutMs (${out.headersTimeoutMs}) must not be above requestTimeoutMs (${out.requestTimeoutMs})`);
  }
  return out;
}

/**
 * Applies the limits that can change on a running server (all but `maxHeaderBytes`, which Node
 * fixes when the server is made) to a `node:http` server made elsewhere, by a framework's `listen`
 * for instance. Returns the limits applied.
 */
export function applyNodeServerLimits(server: Server, limits: NodeServerLimits = {}): Required<NodeServerLimits> {
  const applied = nodeServerLimits(limits);
  server.headersTimeout = applied.headersTimeoutMs;
  server.requestTimeout = applied.requestTimeoutMs;
  server.keepAliveTimeout = applied.keepAliveTimeoutMs;
  server.maxConnections = applied.maxConnections;
  server.setTimeout(applied.idleTimeoutMs);
  return applied;
}

/** Options of {@link createNodeServer}: the adapter's, and the server's limits. */
export interface NodeServerOptions extends NodeAdapterOptions, NodeServerLimits {}

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * A `node:http` server with {@link NodeServerLimits} (defaults: {@link DEFAULT_NODE_SERVER_LIMITS})
 * serving a ScimServer (`createNodeServer(scim).listen(8080, '127.0.0.1')`), or any request listener
 * of yours that calls `toNodeHandler(scim)` for SCIM paths.
 *
 * Timeouts are checked every second at most (Node's `connectionsCheckingInterval`, 30 s by
 * default), so a slow client is closed close to its deadline.
 *
 * @throws TypeError naming the key for a limit that is not a positive integer.
 */
export function createNodeServer(scim: ScimServer | Listener, options: NodeServerOptions = {}): Server {
  const limits = nodeServerLimits(options);
  const listener = typeof scim === 'function' ? scim : toNodeHandler(scim, options);
  const check = Math.max(100, Math.min(1_000, Math.floor(Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs) / 4)));
  const server = createServer({ maxHeaderSize: limits.maxHeaderBytes, connectionsCheckingInterval: check }, listener);
  applyNodeServerLimits(server, limits);
  return server;
}
