import type { IsolationLevel } from './isolation-level.js';
import type { TenantContext } from './tenant-context.js';
import type { TenantPermissions } from './tenant-permissions.js';
import type { TenantSettings } from './tenant-settings.js';

/** What a resolver sees of a request. */
export interface TenantResolutionInput {
  /** The bearer token, when the request carried `Authorization: Bearer ...`. */
  readonly token?: string;
  /** Request headers, lower-cased names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The request path. */
  readonly path: string;
  /** The tenant id named by the URL, when the server's URL pattern found one. */
  readonly urlTenantId?: string;
  /** The base URL this request addresses (origin, tenant prefix and SCIM base path). */
  readonly baseUrl: string;
  /** Request id assigned by the server, for the resolver's own logs. */
  readonly requestId: string;
}

/**
 * Turns a request's credentials into a {@link TenantContext}, or `null` when the request cannot be
 * attributed to a tenant (the server answers 401).
 */
export interface TenantResolver {
  /**
   * The tenant the request's credentials belong to, or `null` (401). When `input.urlTenantId` is
   * set, return `null` unless the credentials belong to that tenant. Give the context
   * `input.baseUrl` (or the tenant's own public base URL).
   */
  resolve(input: TenantResolutionInput): Promise<TenantContext | null>;
  /**
   * The tenants the resolver can resolve, when it knows them in advance. Optional: a server given
   * a resolver that has it checks each tenant against its own configuration when it is created (a
   * `rateLimit` without a rate limiter, an unknown PATCH tolerance, an id its URLs cannot name),
   * instead of at the tenant's first request.
   */
  knownTenants?(): readonly KnownTenant[];
}

/** What a resolver knows in advance about one of its tenants (see {@link TenantResolver.knownTenants}). */
export interface KnownTenant {
  readonly id: string;
  readonly isolationLevel: IsolationLevel;
  readonly permissions: TenantPermissions;
  readonly settings?: TenantSettings;
}

/** A resolver written as a plain async function. */
export type TenantResolverFunction = (input: TenantResolutionInput) => Promise<TenantContext | null> | TenantContext | null;

/** Wraps a function as a {@link TenantResolver}. */
export function tenantResolverFrom(fn: TenantResolverFunction): TenantResolver {
  return { resolve: async (input) => fn(input) };
}
