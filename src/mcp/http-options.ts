import type { TenantContext, TenantResolver, TenantResolverFunction } from '../server/index.js';
import type { ActorNamer } from './tool-context.js';

/** Options of {@link ScimMcpHttpHandler}. */
export interface ScimMcpHttpOptions {
  /** Turns each request's bearer token into its tenant: give it the same resolver as the `ScimServer`. Required. */
  tenantResolver: TenantResolver | TenantResolverFunction;
  /**
   * The SCIM base URL that `meta.location` and `$ref` in tool results start with, such as
   * `https://scim.example.com/scim/v2`, or a function of the tenant. Default: the base URL the
   * resolver gives the tenant, else none (locations are then paths such as `/Users/{id}`).
   */
  scimBaseUrl?: string | ((tenant: TenantContext) => string);
  /** Expose only the tools that read, for every tenant or for those the function names. Default false. */
  readOnly?: boolean | ((tenant: TenantContext) => boolean);
  /** Names the actor of a tool call in audit events. Default: `<clientId> via mcp:<client name>`. */
  actor?: ActorNamer;
  /** The server's name and version as MCP clients see them. */
  serverInfo?: { name: string; version: string };
  /**
   * Origins a browser-based client may call from. A request with an `Origin` header not listed is
   * refused (403), against DNS rebinding; `'*'` allows any. Default: none (MCP hosts that are not
   * browsers send no `Origin`).
   */
  allowedOrigins?: readonly string[] | '*';
  /** Most open sessions in all (default 1000); beyond it a new session is refused with 503. */
  maxSessions?: number;
  /** Most open sessions per tenant (default 20); a new one beyond it closes the tenant's least recently used. */
  maxSessionsPerTenant?: number;
  /** A session unused this long is closed, in milliseconds (default 30 minutes). */
  sessionIdleTimeoutMs?: number;
  /** Largest request body in bytes (default: the operation handler's `maxPayloadBytes`). */
  maxBodyBytes?: number;
  /** An OAuth protected resource metadata URL (RFC 9728) to name in the 401 challenge, for deployments that issue tokens through OAuth. */
  resourceMetadataUrl?: string;
  /** Told of unexpected failures: a resolver that throws, a tool that fails other than with a SCIM error. Default: stderr. */
  onError?: (error: unknown) => void;
}

const KEYS: ReadonlySet<string> = new Set([
  'tenantResolver',
  'scimBaseUrl',
  'readOnly',
  'actor',
  'serverInfo',
  'allowedOrigins',
  'maxSessions',
  'maxSessionsPerTenant',
  'sessionIdleTimeoutMs',
  'maxBodyBytes',
  'resourceMetadataUrl',
  'onError',
]);

const POSITIVE_INTEGERS = ['maxSessions', 'maxSessionsPerTenant', 'sessionIdleTimeoutMs', 'maxBodyBytes'] as const;

/**
 * Checks the options when they are given.
 *
 * @throws TypeError naming the key for a missing resolver, an unknown key or a value of the wrong type.
 */
export function checkHttpOptions(options: ScimMcpHttpOptions): void {
  const where = 'ScimMcpHttpHandler';
  if (typeof options !== 'object' || options === null) throw new TypeError(`${where} needs options with a tenantResolver`);
  for (const key of Object.keys(options)) if (!KEYS.has(key)) throw new TypeError(`${where}: unknown option ${key}`);
  const r = options.tenantResolver as unknown;
  if (typeof r !== 'function' && (typeof r !== 'object' || r === null || typeof (r as TenantResolver).resolve !== 'function')) {
    throw new TypeError(`${where}: option tenantResolver must be a TenantResolver or a function`);
  }
  for (const key of POSITIVE_INTEGERS) {
    const value = options[key];
    if (value !== undefined && (!Number.isSafeInteger(value) || value < 1)) throw new TypeError(`${where}: option ${key} must be a positive integer`);
  }
  const origins = options.allowedOrigins;
  if (origins !== undefined && origins !== '*' && (!Array.isArray(origins) || origins.some((o) => typeof o !== 'string'))) {
    throw new TypeError(`${where}: option allowedOrigins must be a list of origins or '*'`);
  }
  const base = options.scimBaseUrl;
  if (base !== undefined && typeof base !== 'string' && typeof base !== 'function')
    throw new TypeError(`${where}: option scimBaseUrl must be a string or a function`);
}
