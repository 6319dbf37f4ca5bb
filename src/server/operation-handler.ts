import { isScimError, ScimError } from '../error/scim-error.js';
import { defaultPasswordHasher, type PasswordHasher } from '../provider/password-hasher.js';
import { secretAttributes } from '../provider/secret-attributes.js';
import type { PatchTolerances } from '../patch/patch-tolerances.js';
import type { ResourceProvider } from '../provider/resource-provider.js';
import { StandardResourceProvider } from '../provider/standard-resource-provider.js';
import { CursorCodec } from '../query/cursor.js';
import { SchemaRegistry } from '../schema/schema-registry.js';
import type { ResourceTypeDefinition } from '../schema/types.js';
import { InMemoryStorage } from '../storage/memory/in-memory-storage.js';
import type { StorageProvider } from '../storage/storage-provider.js';
import type { RateLimiter } from '../tenant/rate-limiter.js';
import type { TenantContext } from '../tenant/tenant-context.js';
import { AuditTrail, type AuditEvent, type AuditSink } from './audit.js';
import { runBulk } from './bulk-operations.js';
import { getResourceTypes, getSchemas, getServiceProviderConfig } from './discovery-operations.js';
import { errorResult } from './error-result.js';
import { featuresFrom, reportToStderr, type ErrorHandler, type ScimOperationHandlerOptions } from './handler-options.js';
import { listResources, searchResources } from './list-operations.js';
import { auditSubject, OperationAudit, type AuditOrigin, type AuthenticationRefusal } from './operation-audit.js';
import { Invocation, type OperationServices } from './operation-context.js';
import type { ScimOperation, ScimOperationRequest } from './operation-request.js';
import type { ScimOperationResponse } from './operation-response.js';
import { createResource, deleteResource, getResource, patchResource, replaceResource } from './resource-operations.js';
import type { ServiceProviderFeatures } from './service-provider-config.js';
import { checkHandlerOptions } from './options-check.js';
import { TenantConfiguration } from './tenant-configuration.js';
import { TenantLimits } from './tenant-limits.js';
import type { KnownTenant } from '../tenant/tenant-resolver.js';
import { DEFAULT_MAX_RESPONSE_BYTES } from './response-budget.js';
import { DEFAULT_SLICE_MS, FairScheduler } from '../query/pacer.js';

type Family = (call: Invocation) => Promise<ScimOperationResponse> | ScimOperationResponse;

/** Each operation's family, and whether it addresses a resource type (`true`: required, `'optional'`: a search without one is a root search). */
const OPERATIONS: Readonly<Record<ScimOperation, { run: Family; type: boolean | 'optional' }>> = {
  create: { run: createResource, type: true },
  get: { run: getResource, type: true },
  replace: { run: replaceResource, type: true },
  patch: { run: patchResource, type: true },
  delete: { run: deleteResource, type: true },
  list: { run: listResources, type: true },
  search: { run: searchResources, type: 'optional' },
  bulk: { run: runBulk, type: false },
  getSchemas: { run: getSchemas, type: false },
  getResourceTypes: { run: getResourceTypes, type: false },
  getServiceProviderConfig: { run: getServiceProviderConfig, type: false },
};

/** Audit sinks as a list, from the option's one sink or several. */
function sinkList(option: AuditSink | readonly AuditSink[] | undefined): readonly AuditSink[] {
  if (option === undefined) return [];
  return Array.isArray(option) ? option : [option as AuditSink];
}

function randomSecret(): Uint8Array {
  const bytes = new Uint8Array(32);
  globalThis.crypto.getRandomValues(bytes);
  return bytes;
}

/**
 * SCIM operations below HTTP: `handle(request)` takes an operation on an already resolved tenant
 * as plain data ({@link ScimOperationRequest}) and answers a {@link ScimOperationResponse}.
 *
 * Every guarantee lives here, so every transport (HTTP through `ScimServer`, MCP tools, queue
 * consumers, command-line tools, tests) gets it: the tenant's rate limit, its permissions
 * (read-only and trial expiry included), quotas, body and page limits, preconditions (`ifMatch`,
 * `ifNoneMatch`), and an audit event for every change and every refusal. Bulk runs each of its
 * operations through the same checks. Errors are answered as `error` results; an unexpected failure
 * is a 500 that says nothing internal and is reported to `onError`.
 */
export class ScimOperationHandler {
  /** The schema registry (add resource types, schemas and per-tenant extensions here). */
  readonly schemas: SchemaRegistry;
  /** The storage every standard provider uses. */
  readonly storage: StorageProvider;
  /** The features served, as `/ServiceProviderConfig` announces them before any tenant's own limits. */
  readonly features: ServiceProviderFeatures;
  private readonly providers = new Map<string, ResourceProvider>();
  private readonly customProviders: Record<string, ResourceProvider>;
  private readonly patchTolerances: Partial<PatchTolerances>;
  private readonly rateLimiter: RateLimiter | undefined;
  private readonly trail: AuditTrail;
  private readonly onError: ErrorHandler;
  private readonly services: OperationServices;
  private readonly tenants: TenantConfiguration;
  private readonly passwordHasher: PasswordHasher;
  /** A hash to verify against when there is none, made at first need. */
  private decoy: Promise<string> | undefined;
  /** Made at the first cursor when no secret was given: nothing random runs in the constructor. */
  private cursorCodec: CursorCodec | undefined;

  /**
   * @param options - storage, schemas, limits, rate limiter, audit sinks; all optional.
   * @throws ConfigurationError naming the option, for an unknown option, a value of the wrong type
   *   or a contradiction (`defaultPageSize` above `maxPageSize`).
   */
  constructor(options: ScimOperationHandlerOptions = {}) {
    checkHandlerOptions(options);
    this.features = featuresFrom(options);
    this.storage = options.storage ?? new InMemoryStorage();
    this.schemas = options.schemas ?? new SchemaRegistry();
    this.customProviders = { ...(options.providers ?? {}) };
    this.patchTolerances = { ...(options.patchTolerances ?? {}) };
    this.rateLimiter = options.rateLimiter;
    this.onError = options.onError ?? reportToStderr;
    const now = options.now ?? (() => new Date());
    if (options.cursorSecret !== undefined) this.cursorCodec = this.newCursorCodec(options.cursorSecret, now);
    const reportSink = { onError: (error: unknown, event: AuditEvent) => this.onError(error, { requestId: event.requestId || 'audit' }) };
    this.trail = new AuditTrail(sinkList(options.audit), reportSink);
    const operatorTrail = options.operatorAudit === undefined ? this.trail : new AuditTrail(sinkList(options.operatorAudit), reportSink);
    this.tenants = new TenantConfiguration(this.rateLimiter, this.schemas);
    this.passwordHasher = options.passwordHasher ?? defaultPasswordHasher();
    this.services = {
      schemas: this.schemas,
      provider: (name) => this.provider(name),
      limits: new TenantLimits(this.features, options.maxBodyDepth ?? 32, options.filterLimits, options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES),
      scheduler: new FairScheduler(options.timeSliceMs ?? DEFAULT_SLICE_MS),
      groupPatchResponse: options.groupPatchResponse ?? 'noContent',
      cursors: () => this.cursors(now),
      audit: new OperationAudit(this.trail, now, operatorTrail),
      now,
      rateLimit: (tenant, cost) => this.applyRateLimit(tenant, cost),
      runNested: (request) => this.execute(request, false),
    };
  }

  /** Largest request body accepted, in bytes (`maxPayloadBytes`); transports stop reading beyond it. */
  get maxPayloadBytes(): number {
    return this.features.maxPayloadBytes;
  }

  /** Largest request body accepted from `tenant`, in bytes: the server's `maxPayloadBytes`, lowered by the tenant's. */
  maxPayloadBytesFor(tenant: TenantContext): number {
    return this.services.limits.body(tenant).maxBytes;
  }

  /**
   * The provider serving a resource type (standard unless a custom one was given). Calling it
   * directly skips every guarantee of {@link handle}: permissions, limits and audit.
   */
  provider(resourceType: string): ResourceProvider {
    const custom = this.customProviders[resourceType];
    if (custom) return custom;
    let p = this.providers.get(resourceType);
    if (!p) {
      p = new StandardResourceProvider({
        resourceType,
        storage: this.storage,
        schemas: this.schemas,
        patchTolerances: this.patchTolerances,
        passwordHasher: this.passwordHasher,
      });
      this.providers.set(resourceType, p);
    }
    return p;
  }

  /**
   * Checks a password against the one stored for a resource (a User's `password`), for an
   * application that signs users in with passwords an identity provider set through SCIM. False
   * when the resource does not exist for the tenant, has no password, or has another one, after
   * the same work as a wrong password, so that the time taken does not tell which. Reads storage
   * directly: no permission check, no audit event, no rate limit.
   */
  async verifyPassword(tenant: TenantContext, resourceType: string, id: string, password: string): Promise<boolean> {
    if (typeof password !== 'string') return false;
    const stored = await this.storedSecret(tenant, resourceType, id);
    if (stored !== undefined) return this.passwordHasher.verify(password, stored);
    this.decoy ??= this.passwordHasher.hash('no password is stored here');
    await this.passwordHasher.verify(password, await this.decoy);
    return false;
  }

  /** The stored value of a resource's (core) secret attribute, if it has one. */
  private async storedSecret(tenant: TenantContext, resourceType: string, id: string): Promise<string | undefined> {
    const schema = this.schemas.resourceSchema(tenant.tenantId, resourceType);
    const secret = schema ? secretAttributes(schema).find((s) => s.uri === undefined) : undefined;
    if (!schema || !secret) return undefined;
    try {
      const resource = await this.provider(schema.resourceType.name).get(tenant, id, { excludeMembers: true });
      const stored = resource[secret.name];
      return typeof stored === 'string' ? stored : undefined;
    } catch (error) {
      if (isScimError(error) && error.status === 404) return undefined;
      throw error;
    }
  }

  /** Adds an audit sink at runtime. Returns a function that removes it again. */
  addAuditSink(sink: AuditSink): () => void {
    return this.trail.add(sink);
  }

  /**
   * Deletes every resource of a tenant, its schema extensions and its rate-limit state (for example
   * when the tenant is removed), and records it in the tenant's audit trail (`dropTenant`), naming
   * `actor` when given.
   */
  async dropTenant(tenantId: string, info: { actor?: string; requestId?: string } = {}): Promise<void> {
    const record = { actor: info.actor, requestId: info.requestId ?? globalThis.crypto.randomUUID() };
    try {
      await this.storage.dropTenant(tenantId);
      this.schemas.removeTenantExtensions(tenantId);
      await this.rateLimiter?.reset?.(tenantId);
    } catch (error) {
      this.services.audit.tenantDropped(tenantId, record, error);
      throw error;
    }
    this.services.audit.tenantDropped(tenantId, record);
  }

  /**
   * Records a request refused for its credential in the audit trail: for transports, which resolve
   * tenants before any operation runs. `ScimServer` reports every 401 it answers.
   */
  auditAuthenticationRefusal(refusal: AuthenticationRefusal): void {
    this.services.audit.authenticationRefused(refusal);
  }

  /**
   * Checks a tenant's configuration against this handler's: its permissions and settings, a
   * `rateLimit` without a rate limiter to enforce it, PATCH tolerances that do not exist. A server
   * does it for the tenants its resolver knows when it is created; call it when you add a tenant
   * elsewhere, to fail then rather than at the tenant's first request (which answers 500, reported
   * to `onError`, for a tenant that fails it).
   *
   * @throws ConfigurationError naming the tenant and the key.
   */
  checkTenantConfiguration(tenant: KnownTenant): void {
    this.tenants.check(tenant);
  }

  /**
   * Runs one operation for the request's tenant and answers it. Never rejects for anything the
   * operation's data or query contains: refusals and failures are `error` results.
   *
   * @throws TypeError when the request has no tenant (a caller's programming error).
   */
  handle(request: ScimOperationRequest): Promise<ScimOperationResponse> {
    return this.execute(request, true);
  }

  private async execute(request: ScimOperationRequest, rateLimited: boolean): Promise<ScimOperationResponse> {
    const tenant: TenantContext | undefined = request?.tenant;
    if (typeof tenant !== 'object' || tenant === null || typeof tenant.tenantId !== 'string') {
      throw new TypeError('A ScimOperationRequest needs the resolved tenant');
    }
    const given = typeof request.requestId === 'string' && request.requestId !== '';
    const requestId = given ? (request.requestId as string) : globalThis.crypto.randomUUID();
    const requestIdSource = given && request.requestIdSource === 'client' ? 'client' : 'server';
    const origin: AuditOrigin = { tenant, requestId, requestIdSource, actor: request.actor };
    const entry = Object.hasOwn(OPERATIONS, request.operation) ? OPERATIONS[request.operation] : undefined;
    if (!entry) return errorResult(ScimError.badRequest('invalidValue', `Unknown operation ${String(request.operation).slice(0, 40)}`), requestId, undefined);
    let type: ResourceTypeDefinition | undefined;
    try {
      type = this.resourceType(request, entry.type);
    } catch (error) {
      return errorResult(error, requestId, this.onError);
    }
    try {
      this.tenants.request(tenant);
      if (rateLimited) await this.applyRateLimit(tenant);
      return await entry.run(new Invocation(this.services, request, origin, type));
    } catch (error) {
      const result = errorResult(error, requestId, this.onError);
      if (result.status !== 401) this.services.audit.failure(origin, auditSubject(request, type?.name), error, result.status);
      return result;
    }
  }

  /** The resource type the request names, as the tenant sees it: 404 for a type the tenant does not have. */
  private resourceType(request: ScimOperationRequest, needed: boolean | 'optional'): ResourceTypeDefinition | undefined {
    if (needed === false) return undefined;
    const name = request.resourceType;
    if (name === undefined && needed === 'optional') return undefined;
    if (typeof name !== 'string' || name === '') throw ScimError.badRequest('invalidValue', `${request.operation} needs a resource type`);
    const rt = this.schemas.resourceType(request.tenant.tenantId, name);
    if (!rt) throw ScimError.notFound(`Resource type ${name.slice(0, 100)} not found`);
    return rt;
  }

  private async applyRateLimit(tenant: TenantContext, cost = 1): Promise<void> {
    const limit = tenant.permissions.rateLimit;
    if (!limit || !this.rateLimiter) return;
    const decision = await this.rateLimiter.consume(tenant.tenantId, limit, cost);
    if (decision.allowed) return;
    const retry = String(Math.max(1, Math.ceil(decision.retryAfterSeconds ?? 1)));
    throw new ScimError(429, `Rate limit exceeded for this tenant (rateLimit); retry after ${retry} s`, undefined, { 'Retry-After': retry }, 'rateLimit');
  }

  private newCursorCodec(secret: string | Uint8Array, now: () => Date): CursorCodec {
    return new CursorCodec(secret, this.features.cursorTimeoutSeconds, { now: () => now().getTime() });
  }

  /**
   * The cursor codec. Without a configured secret, a random one is drawn at the first cursor rather
   * than in the constructor: runtimes such as Cloudflare Workers refuse random values at start-up.
   */
  private cursors(now: () => Date): CursorCodec {
    this.cursorCodec ??= this.newCursorCodec(randomSecret(), now);
    return this.cursorCodec;
  }
}
