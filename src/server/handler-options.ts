import type { PatchTolerances } from '../patch/patch-tolerances.js';
import type { PasswordHasher } from '../provider/password-hasher.js';
import type { ResourceProvider } from '../provider/resource-provider.js';
import type { FilterLimits } from '../query/filter-limits.js';
import type { SchemaRegistry } from '../schema/schema-registry.js';
import type { StorageProvider } from '../storage/storage-provider.js';
import type { RateLimiter } from '../tenant/rate-limiter.js';
import type { AuditSink } from './audit.js';
import type { ServiceProviderFeatures } from './service-provider-config.js';

/** How PATCH on a resource that holds members (a Group) answers when the client did not ask for attributes. */
export type GroupPatchResponse = 'noContent' | 'resource';

/**
 * Called with unexpected errors (the caller gets a bare 500), with errors the operator must act on
 * (a 5xx `ScimError`, such as a tenant whose isolation level changed while it holds data), and with
 * failing audit sinks.
 */
export type ErrorHandler = (error: unknown, info: { requestId: string }) => void;

/** The default {@link ErrorHandler}: one line to stderr with the request id, then the error. */
export const reportToStderr: ErrorHandler = (error, { requestId }) => {
  console.error(`scim-server: request ${requestId} failed:`, error);
};

/** Options of {@link ScimOperationHandler} (and of `ScimServer`, which passes them on). */
export interface ScimOperationHandlerOptions {
  /** Defaults to a new `InMemoryStorage`. */
  storage?: StorageProvider;
  /** Defaults to a registry with User (+ enterprise extension) and Group. */
  schemas?: SchemaRegistry;
  /** Custom providers by resource type name; the rest get a `StandardResourceProvider`. */
  providers?: Record<string, ResourceProvider>;
  /** Largest page a list or search returns (default 200). A tenant's `maxPageSize` can only lower it. */
  maxPageSize?: number;
  /** Page size when the client gives no `count` (default 100). */
  defaultPageSize?: number;
  /** Largest request body in bytes (default 1 MiB). A tenant's `maxPayloadBytes` can only lower it. */
  maxPayloadBytes?: number;
  /**
   * Most bytes of JSON one response may render (default 4 MiB): a page or a resource beyond it is
   * refused with 400 `tooMany` saying how to ask for less (`excludedAttributes=members`, a smaller
   * `count`), after about this much work rather than all of it. A tenant's `maxResponseBytes`
   * replaces it for that tenant. Answers to writes are not refused: the write has happened.
   */
  maxResponseBytes?: number;
  /**
   * How long, in milliseconds, long work of one request (a scan, a sort, rendering large groups)
   * runs before other requests get a turn (default 4). See `FairScheduler`.
   */
  timeSliceMs?: number;
  /** Most operations in one Bulk request (default 1000). A tenant's `maxBulkOperations` can only lower it. */
  maxBulkOperations?: number;
  /** Deepest JSON nesting accepted in a body (default 32). */
  maxBodyDepth?: number;
  /** Filter length and nesting limits. */
  filterLimits?: FilterLimits;
  /** Real-client PATCH tolerances (all on by default); a tenant's `settings.patchTolerances` override them. */
  patchTolerances?: Partial<PatchTolerances>;
  /** PATCH on a resource that holds members answers 204 unless attributes are requested (default), or 200 with it. */
  groupPatchResponse?: GroupPatchResponse;
  /** HMAC secret for cursors; give every process of a deployment the same one. Random per handler by default. */
  cursorSecret?: string | Uint8Array;
  /** Cursor lifetime in seconds (default 3600). */
  cursorTimeoutSeconds?: number;
  /**
   * Hashes `password` (and any other attribute a schema makes a secret: `writeOnly`, `returned:
   * never`) before storage sees it. Defaults to PBKDF2-HMAC-SHA-256 (`pbkdf2PasswordHasher()`).
   * Give every process of a deployment the same one, or hashes stored by one cannot be verified by
   * another.
   */
  passwordHasher?: PasswordHasher;
  /** Per-tenant request-rate limiter, used for tenants whose permissions set `rateLimit`. */
  rateLimiter?: RateLimiter;
  /** Audit sinks: every change and every refusal is reported to each. */
  audit?: AuditSink | readonly AuditSink[];
  /**
   * Sinks for audit events that belong to no tenant: a refused authentication whose URL or host
   * named no tenant (`tenantId` is then `''`). Defaults to the `audit` sinks.
   */
  operatorAudit?: AuditSink | readonly AuditSink[];
  /**
   * Called with unexpected errors (the caller gets a bare 500 that names the request id), with 5xx
   * `ScimError`s the operator must act on (a tenant whose isolation level changed while it holds
   * data), and with failing audit sinks. Defaults to {@link reportToStderr}: no failure goes unseen.
   */
  onError?: ErrorHandler;
  /** `documentationUri` of the ServiceProviderConfig. */
  documentationUri?: string;
  /** Clock, for tests. */
  now?: () => Date;
}

/** The features the handler serves, from its (checked) options with defaults filled in. */
export function featuresFrom(options: ScimOperationHandlerOptions): ServiceProviderFeatures {
  const maxPageSize = options.maxPageSize ?? 200;
  return {
    ...(options.documentationUri ? { documentationUri: options.documentationUri } : {}),
    maxPageSize,
    defaultPageSize: Math.min(options.defaultPageSize ?? 100, maxPageSize),
    maxPayloadBytes: options.maxPayloadBytes ?? 1_048_576,
    cursorTimeoutSeconds: options.cursorTimeoutSeconds ?? 3600,
    changePassword: true,
    maxBulkOperations: options.maxBulkOperations ?? 1000,
  };
}
