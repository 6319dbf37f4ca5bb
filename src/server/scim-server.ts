import { isScimError, ScimError } from '../error/scim-error.js';
import type { PatchTolerances } from '../patch/patch-tolerances.js';
import { CursorCodec, queryKey } from '../query/cursor.js';
import type { SortSpec } from '../query/ast.js';
import { compileFilter } from '../query/filter-compiler.js';
import { compileSortAcrossTypes } from '../query/sort.js';
import type { FilterLimits } from '../query/filter-limits.js';
import type { ListQuery, ResourceProvider } from '../provider/resource-provider.js';
import { StandardResourceProvider } from '../provider/standard-resource-provider.js';
import type { ResourceSchema } from '../schema/resource-schema.js';
import { SchemaRegistry } from '../schema/schema-registry.js';
import type { ResourceTypeDefinition, ScimObject, ScimResource } from '../schema/types.js';
import { InMemoryStorage } from '../storage/memory/in-memory-storage.js';
import type { StorageProvider } from '../storage/storage-provider.js';
import type { RateLimiter } from '../tenant/rate-limiter.js';
import type { TenantContext } from '../tenant/tenant-context.js';
import { basePathLocator, type TenantLocator } from '../tenant/tenant-locator.js';
import { checkOperation, type TenantOperation } from '../tenant/tenant-permissions.js';
import type { TenantResolver, TenantResolverFunction } from '../tenant/tenant-resolver.js';
import { AuditTrail, type AuditEvent, type AuditSink } from './audit.js';
import { processBulk } from './bulk.js';
import { renderResourceType, renderSchema } from './discovery.js';
import { expectedVersionFrom, matchesEntityTag, parseEntityTags } from './etag.js';
import { readListParameters, sortFor, type RawListParameters } from './list-parameters.js';
import { LIST_RESPONSE_SCHEMA, SCIM_CONTENT_TYPE, SEARCH_REQUEST_SCHEMA } from './media-type.js';
import { readRequestBody } from './request-body.js';
import { queryParameters, requestTarget } from './request-target.js';
import { renderResource, type Projection, type ResourceLinks } from './resource-renderer.js';
import { allowedMethods, matchRoute, type Route } from './routes.js';
import type { ScimRequest, ScimResponse } from './scim-request.js';
import { serviceProviderConfig, type ServiceProviderFeatures } from './service-provider-config.js';
import { filterNamesSecret } from './sensitive-filter.js';
import { tenantSettings } from '../provider/tenant-settings.js';

/** How PATCH on a Group answers when the client did not ask for attributes. */
export type GroupPatchResponse = 'noContent' | 'resource';

/** Options of {@link ScimServer}. */
export interface ScimServerOptions {
  /** Turns credentials (and the URL's tenant, if any) into a tenant. Required: there is no default tenant. */
  tenantResolver: TenantResolver | TenantResolverFunction;
  /** Defaults to a new {@link InMemoryStorage}. */
  storage?: StorageProvider;
  /** Defaults to a registry with User (+ enterprise extension) and Group. */
  schemas?: SchemaRegistry;
  /** Where the SCIM base is and whether the URL names a tenant. Defaults to `/scim/v2`, no tenant in the URL. */
  locator?: TenantLocator;
  /** Shortcut for `locator: basePathLocator(basePath)`. */
  basePath?: string;
  /** Custom providers by resource type name; the rest get a {@link StandardResourceProvider}. */
  providers?: Record<string, ResourceProvider>;
  /** Largest page (default 200). */
  maxResults?: number;
  /** Page size without `count` (default 100). */
  defaultCount?: number;
  /** Largest request body in bytes (default 1 MiB). A tenant's `maxPayloadBytes` can only lower it. */
  maxPayloadBytes?: number;
  /** Most operations in one `/Bulk` request (default 1000). A tenant's `maxBulkOperations` can only lower it. */
  maxBulkOperations?: number;
  /** Deepest JSON nesting accepted (default 32). */
  maxBodyDepth?: number;
  /** Filter length and nesting limits. */
  filterLimits?: FilterLimits;
  /** Real-client PATCH tolerances (all on by default); a tenant's `settings.patchTolerances` override them. */
  patchTolerances?: Partial<PatchTolerances>;
  /** PATCH on a Group answers 204 unless attributes are requested (default), or 200 with the group. */
  groupPatchResponse?: GroupPatchResponse;
  /** HMAC secret for cursors; give every process of a deployment the same one. Random per server by default. */
  cursorSecret?: string | Uint8Array;
  /** Cursor lifetime in seconds (default 3600). */
  cursorTimeoutSeconds?: number;
  /** Per-tenant request-rate limiter, used for tenants whose permissions set `rateLimit`. */
  rateLimiter?: RateLimiter;
  /** Audit sinks: every change and every refusal is reported to each. */
  audit?: AuditSink | readonly AuditSink[];
  /** Called with unexpected errors (the client gets a bare 500) and failing audit sinks. */
  onError?: (error: unknown, info: { requestId: string }) => void;
  /** `documentationUri` of the ServiceProviderConfig. */
  documentationUri?: string;
  /** Clock, for tests. */
  now?: () => Date;
}

interface Exchange {
  requestId: string;
  method: string;
  headers: Record<string, string | undefined>;
  query: Record<string, string | undefined>;
  rawBody: unknown;
  tenant: TenantContext;
  route: Route;
}

/** Sets `out[key]` as an own data property, so that a key such as `__proto__` stays plain data. */
function setOwn(out: Record<string, string | undefined>, key: string, value: string): void {
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Header names in lower case. Arrays are joined as HTTP joins repeated headers; numbers and booleans
 * become text; anything else (an in-process caller's object) is not a header and is left out.
 */
function lowerHeaders(headers: unknown): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  if (typeof headers !== 'object' || headers === null) return out;
  for (const [k, v] of Object.entries(headers)) {
    const text = Array.isArray(v) ? v.filter((x) => typeof x === 'string').join(', ') : scalarText(v);
    if (text !== undefined) setOwn(out, k.toLowerCase(), text);
  }
  return out;
}

function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** Query parameter names are matched case-insensitively. */
function param(query: Record<string, string | undefined>, name: string): string | undefined {
  if (query[name] !== undefined) return query[name];
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(query)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

function bearerToken(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  const m = /^\s*Bearer\s+(\S+)\s*$/i.exec(authorization);
  return m ? m[1] : undefined;
}

/**
 * The canonical names of the attributes a POST or PUT body sets, for audit events. Keys the schema
 * does not know are left out, so nothing a client invents reaches the audit trail.
 */
function changedAttributes(body: ScimObject, schema: ResourceSchema): string[] {
  const out: string[] = [];
  for (const key of Object.keys(body)) {
    const resolved = schema.resolveText(key);
    if (!resolved) continue;
    if ('extensionUri' in resolved) out.push(resolved.extensionUri);
    else if (resolved.attribute.mutability !== 'readOnly') {
      out.push(resolved.extension ? `${resolved.schemaUri}:${resolved.keys.slice(1).join('.')}` : resolved.keys.join('.'));
    }
  }
  return out;
}

/** The list and search parameters, as RFC 7644 §3.4.2 and RFC 9865 name them. */
const LIST_PARAMETER_NAMES = ['filter', 'sortBy', 'sortOrder', 'startIndex', 'count', 'cursor', 'attributes', 'excludedAttributes'] as const;

/** Statuses that mean a policy refused the request. */
const REFUSAL_STATUSES: ReadonlySet<number> = new Set([403, 412, 413, 429]);
/** Actions that change data. */
const WRITE_ACTIONS: ReadonlySet<string> = new Set(['create', 'replace', 'patch', 'delete', 'members', 'bulk']);

/** How an error detail names a method: as given when it is a short HTTP token, else generically. */
function methodLabel(method: string): string {
  return /^[A-Z0-9!#$%&'*+.^_`|~-]{1,24}$/.test(method) ? `Method ${method}` : 'This method';
}

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

function json(status: number, body: unknown, headers: Record<string, string> = {}): ScimResponse {
  return { status, headers: { 'Content-Type': SCIM_CONTENT_TYPE, ...headers }, body };
}

function randomSecret(): Uint8Array {
  const bytes = new Uint8Array(32);
  globalThis.crypto.getRandomValues(bytes);
  return bytes;
}

/**
 * A SCIM 2.0 service provider over plain request objects.
 *
 * `handle({ method, path, query, headers, body })` returns `{ status, headers, body }`; adapters
 * turn HTTP into that and back. Every request is resolved to a tenant first (401 otherwise), then
 * rate-limited, checked against the tenant's permissions, routed and answered. Errors leave as SCIM
 * Error JSON; unexpected failures as a 500 that says nothing internal.
 */
export class ScimServer {
  /** The schema registry (add resource types, schemas and per-tenant extensions here). */
  readonly schemas: SchemaRegistry;
  /** The storage every standard provider uses. */
  readonly storage: StorageProvider;
  private readonly resolver: TenantResolver;
  private readonly locator: TenantLocator;
  private readonly providers = new Map<string, ResourceProvider>();
  private readonly customProviders: Record<string, ResourceProvider>;
  private readonly features: ServiceProviderFeatures;
  private readonly maxBodyDepth: number;
  private readonly filterLimits: FilterLimits | undefined;
  private readonly patchTolerances: Partial<PatchTolerances>;
  private readonly groupPatchResponse: GroupPatchResponse;
  /** Made at the first cursor when no secret was given: nothing random runs in the constructor. */
  private cursorCodec: CursorCodec | undefined;
  private readonly rateLimiter: RateLimiter | undefined;
  private readonly audit: AuditTrail;
  private readonly onError: ((error: unknown, info: { requestId: string }) => void) | undefined;
  private readonly now: () => Date;

  constructor(options: ScimServerOptions) {
    if (!options?.tenantResolver) throw new TypeError('ScimServer needs a tenantResolver');
    const r = options.tenantResolver;
    this.resolver = typeof r === 'function' ? { resolve: async (input) => r(input) } : r;
    this.storage = options.storage ?? new InMemoryStorage();
    this.schemas = options.schemas ?? new SchemaRegistry();
    this.locator = options.locator ?? basePathLocator(options.basePath ?? '/scim/v2');
    this.customProviders = { ...(options.providers ?? {}) };
    const maxResults = options.maxResults ?? 200;
    this.features = {
      ...(options.documentationUri ? { documentationUri: options.documentationUri } : {}),
      maxResults,
      defaultCount: Math.min(options.defaultCount ?? 100, maxResults),
      maxPayloadBytes: options.maxPayloadBytes ?? 1_048_576,
      cursorTimeoutSeconds: options.cursorTimeoutSeconds ?? 3600,
      changePassword: true,
      maxBulkOperations: options.maxBulkOperations ?? 1000,
    };
    this.maxBodyDepth = options.maxBodyDepth ?? 32;
    this.filterLimits = options.filterLimits;
    this.patchTolerances = { ...(options.patchTolerances ?? {}) };
    this.groupPatchResponse = options.groupPatchResponse ?? 'noContent';
    const now = options.now ?? (() => new Date());
    if (options.cursorSecret !== undefined) this.cursorCodec = this.newCursorCodec(options.cursorSecret, now);
    this.rateLimiter = options.rateLimiter;
    this.onError = options.onError;
    const sinks = options.audit === undefined ? [] : Array.isArray(options.audit) ? options.audit : [options.audit as AuditSink];
    this.audit = new AuditTrail(sinks, {
      onError: (error) => this.onError?.(error, { requestId: 'audit' }),
    });
    this.now = now;
  }

  private newCursorCodec(secret: string | Uint8Array, now: () => Date): CursorCodec {
    return new CursorCodec(secret, this.features.cursorTimeoutSeconds, { now: () => now().getTime() });
  }

  /**
   * The cursor codec. Without a configured secret, a random one is drawn at the first cursor rather
   * than in the constructor: runtimes such as Cloudflare Workers refuse random values at start-up.
   */
  private get cursors(): CursorCodec {
    this.cursorCodec ??= this.newCursorCodec(randomSecret(), this.now);
    return this.cursorCodec;
  }

  /** Largest request body this server accepts, in bytes; adapters stop reading beyond it. */
  get maxPayloadBytes(): number {
    return this.features.maxPayloadBytes;
  }

  /** The provider serving a resource type (standard unless a custom one was given). */
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
      });
      this.providers.set(resourceType, p);
    }
    return p;
  }

  /** Adds an audit sink at runtime. */
  addAuditSink(sink: AuditSink): void {
    this.audit.add(sink);
  }

  /** Deletes every resource of a tenant (for example when the tenant is removed). */
  async dropTenant(tenantId: string): Promise<void> {
    await this.storage.dropTenant(tenantId);
    this.schemas.removeTenantExtensions(tenantId);
    this.rateLimiter?.reset?.(tenantId);
  }

  /**
   * Answers one SCIM request. Whatever a client sent becomes a SCIM response; the promise rejects
   * only with a `TypeError` for a request no client could have sent, made by the calling code: a
   * `query` that is neither a string, a `URLSearchParams` nor a record, or a query string in `path`
   * while `query` is given as well.
   */
  async handle(request: ScimRequest): Promise<ScimResponse> {
    // In-process callers are not type-checked: a missing request or a non-string field is treated
    // as absent rather than allowed to throw.
    if (typeof request !== 'object' || request === null) request = { method: '', path: '' };
    const target = requestTarget(request.path, request.query);
    const headers = lowerHeaders(request.headers);
    const given = headers['x-request-id'];
    const requestId = given && SAFE_REQUEST_ID.test(given) ? given : globalThis.crypto.randomUUID();
    let tenant: TenantContext | undefined;
    let auditBase: { action: string; resourceType?: string; resourceId?: string } | undefined;
    try {
      const method = typeof request.method === 'string' ? request.method.toUpperCase() : '';
      const located = this.locator.locate({ path: target.path, ...(headers.host ? { host: headers.host } : {}) });
      if (!located) throw this.unlocated(target.path, headers.host);
      const baseUrl = `${(typeof request.origin === 'string' ? request.origin : undefined) ?? located.origin ?? ''}${located.basePath}`;
      const resolved = await this.resolver.resolve({
        ...(bearerToken(headers.authorization) !== undefined ? { token: bearerToken(headers.authorization) as string } : {}),
        headers,
        path: target.path,
        ...(located.tenantId !== undefined ? { urlTenantId: located.tenantId } : {}),
        baseUrl,
        requestId,
      });
      if (!resolved || (located.tenantId !== undefined && resolved.tenantId !== located.tenantId)) {
        return this.withRequestId(
          json(401, new ScimError(401, 'Authentication required: a valid bearer token for this tenant').toJSON(), {
            'WWW-Authenticate': 'Bearer realm="scim"',
          }),
          requestId,
        );
      }
      tenant = { ...resolved, baseUrl: resolved.baseUrl || baseUrl, requestId };
      const query = queryParameters(target.query);
      const route = matchRoute(located.resourcePath, this.schemas.resourceTypes(tenant.tenantId));
      if (!route) throw ScimError.notFound('No SCIM endpoint at this path');
      auditBase = this.auditBaseFor(route, method);
      await this.applyRateLimit(tenant);
      const response = await this.dispatch({ requestId, method, headers, query, rawBody: request.body, tenant, route });
      return this.withRequestId(response, requestId);
    } catch (error) {
      const response = this.errorResponse(error, requestId);
      if (tenant && auditBase && response.status !== 401) this.auditFailure(tenant, auditBase, error, response.status);
      return this.withRequestId(response, requestId);
    }
  }

  /**
   * Why a path is not served: a 400 `invalidVers` when it would be served under `/v2` instead of
   * the version it names (RFC 7644 §3.13: a client configured for another protocol version learns
   * why), else a 404.
   */
  private unlocated(path: string, host: string | undefined): ScimError {
    const m = /\/v(\d+)(?=\/|$)/i.exec(path);
    if (m && m[1] !== '2') {
      const asV2 = `${path.slice(0, m.index)}/v2${path.slice(m.index + m[0].length)}`;
      if (this.locator.locate({ path: asV2, ...(host ? { host } : {}) })) {
        return ScimError.badRequest('invalidVers', `SCIM protocol version ${m[1]} is not supported; this server speaks version 2 (use /v2)`);
      }
    }
    return ScimError.notFound('No SCIM endpoint at this path');
  }

  /**
   * Audits a request that did not succeed: a refusal by policy (permission, quota, rate limit,
   * precondition, size) whatever the action, and any failed change. A read of something that does
   * not exist is not an audit event.
   */
  private auditFailure(tenant: TenantContext, base: { action: string; resourceType?: string; resourceId?: string }, error: unknown, status: number): void {
    const refused = REFUSAL_STATUSES.has(status);
    if (!refused && !WRITE_ACTIONS.has(base.action)) return;
    const scimError = isScimError(error) ? error : undefined;
    const reason = scimError ? (scimError.reason ?? scimError.scimType) : undefined;
    this.emit(tenant, { ...base, outcome: refused ? 'refused' : 'failed', status, ...(reason ? { reason } : {}) });
  }

  private withRequestId(response: ScimResponse, requestId: string): ScimResponse {
    response.headers['X-Request-Id'] = requestId;
    return response;
  }

  private errorResponse(error: unknown, requestId: string): ScimResponse {
    if (isScimError(error)) {
      return json(error.status, error.toJSON(), { ...(error.headers ?? {}) });
    }
    this.onError?.(error, { requestId });
    return json(500, new ScimError(500, `Internal error (request ${requestId})`).toJSON());
  }

  private auditBaseFor(route: Route, method: string): { action: string; resourceType?: string; resourceId?: string } | undefined {
    if (route.kind === 'collection' && method === 'POST') return { action: 'create', resourceType: route.resourceType.name };
    if (route.kind === 'resource') {
      const action = method === 'PUT' ? 'replace' : method === 'PATCH' ? 'patch' : method === 'DELETE' ? 'delete' : 'read';
      return { action, resourceType: route.resourceType.name, resourceId: route.id };
    }
    if (route.kind === 'collection' || route.kind === 'search') return { action: 'list', resourceType: route.resourceType.name };
    if (route.kind === 'rootSearch') return { action: 'list' };
    if (route.kind === 'bulk') return { action: 'bulk' };
    return { action: 'read' };
  }

  private emit(tenant: TenantContext, fields: Omit<AuditEvent, 'time' | 'tenantId' | 'requestId' | 'clientId'>): void {
    this.audit.emit({
      time: this.now().toISOString(),
      tenantId: tenant.tenantId,
      ...(tenant.clientId !== undefined ? { clientId: tenant.clientId } : {}),
      requestId: tenant.requestId ?? '',
      ...fields,
    } as AuditEvent);
  }

  private async applyRateLimit(tenant: TenantContext): Promise<void> {
    const limit = tenant.permissions.rateLimit;
    if (!limit || !this.rateLimiter) return;
    const decision = await this.rateLimiter.consume(tenant.tenantId, limit);
    if (!decision.allowed) {
      const retry = String(Math.max(1, Math.ceil(decision.retryAfterSeconds ?? 1)));
      throw new ScimError(429, `Rate limit exceeded for this tenant (rateLimit); retry after ${retry} s`, undefined, { 'Retry-After': retry }, 'rateLimit');
    }
  }

  private permit(tenant: TenantContext, operation: TenantOperation): void {
    const refusal = checkOperation(tenant.permissions, operation, this.now());
    if (refusal) throw ScimError.forbidden(refusal.detail, refusal.permission);
  }

  private body(ex: Exchange): unknown {
    const tenantMax = ex.tenant.permissions.maxPayloadBytes;
    const maxBytes = tenantMax !== undefined ? Math.min(tenantMax, this.features.maxPayloadBytes) : this.features.maxPayloadBytes;
    return readRequestBody(ex.rawBody, ex.headers['content-type'], { maxBytes, maxDepth: this.maxBodyDepth });
  }

  private requireObject(value: unknown): ScimObject {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw ScimError.badRequest('invalidSyntax', 'Request body must be a JSON object');
    }
    return value as ScimObject;
  }

  private schemaFor(tenant: TenantContext, rt: ResourceTypeDefinition): ResourceSchema {
    const schema = this.schemas.resourceSchema(tenant.tenantId, rt.name);
    if (!schema) throw ScimError.notFound(`Resource type ${rt.name} is not available`);
    return schema;
  }

  private projection(query: Record<string, string | undefined>): Projection {
    const p = readListParameters(
      {
        ...(param(query, 'attributes') !== undefined ? { attributes: param(query, 'attributes') as string } : {}),
        ...(param(query, 'excludedAttributes') !== undefined ? { excludedAttributes: param(query, 'excludedAttributes') as string } : {}),
      },
      { defaultCount: this.features.defaultCount, maxResults: this.features.maxResults },
    );
    return {
      ...(p.attributes ? { attributes: p.attributes } : {}),
      ...(p.excludedAttributes ? { excludedAttributes: p.excludedAttributes } : {}),
    };
  }

  private resourceResponse(status: number, resource: ScimResource, schema: ResourceSchema, ex: Exchange, projection: Projection): ScimResponse {
    const body = renderResource(resource, schema, this.links(ex.tenant, schema), projection);
    const headers: Record<string, string> = { ETag: resource.meta.version };
    if (status === 201)
      headers.Location = (body.meta as { location: string } | undefined)?.location ?? `${ex.tenant.baseUrl}${schema.resourceType.endpoint}/${resource.id}`;
    return json(status, body, headers);
  }

  private async dispatch(ex: Exchange): Promise<ScimResponse> {
    const { route, method } = ex;
    if (!allowedMethods(route).includes(method)) {
      if (route.kind === 'me') throw new ScimError(501, '/Me is not supported');
      return json(405, new ScimError(405, `${methodLabel(method)} is not allowed here`).toJSON(), { Allow: allowedMethods(route).join(', ') });
    }
    switch (route.kind) {
      case 'serviceProviderConfig':
      case 'resourceTypes':
      case 'schemas':
        return this.discovery(ex, route);
      case 'bulk':
        return this.bulk(ex);
      case 'me':
        throw new ScimError(501, '/Me is not supported');
      case 'rootSearch':
        this.permit(ex.tenant, 'list');
        return this.search(ex, undefined);
      case 'search':
        this.permit(ex.tenant, 'list');
        return this.search(ex, route.resourceType);
      case 'collection':
        if (method === 'GET') {
          this.permit(ex.tenant, 'list');
          return this.list(ex, [route.resourceType], this.listParameters(ex.query), 'GET');
        }
        this.permit(ex.tenant, 'create');
        return this.create(ex, route.resourceType);
      case 'resource':
        return this.resource(ex, route.resourceType, route.id);
    }
  }

  private bulkLimits(tenant: TenantContext): { maxOperations: number; maxPayloadBytes: number } {
    const p = tenant.permissions;
    return {
      maxOperations:
        p.maxBulkOperations !== undefined ? Math.max(0, Math.min(p.maxBulkOperations, this.features.maxBulkOperations)) : this.features.maxBulkOperations,
      maxPayloadBytes: p.maxPayloadBytes !== undefined ? Math.min(p.maxPayloadBytes, this.features.maxPayloadBytes) : this.features.maxPayloadBytes,
    };
  }

  /** `/Bulk` (RFC 7644 §3.7): each operation runs as its own request of the same tenant. */
  private async bulk(ex: Exchange): Promise<ScimResponse> {
    this.permit(ex.tenant, 'bulk');
    const body = this.body(ex);
    return processBulk(body, this.bulkLimits(ex.tenant), (op) => this.bulkOperation(ex, op), { baseUrl: ex.tenant.baseUrl });
  }

  private async bulkOperation(ex: Exchange, op: { method: string; path: string; body?: unknown; ifMatch?: string }): Promise<ScimResponse> {
    const method = op.method.toUpperCase();
    const route = matchRoute(op.path, this.schemas.resourceTypes(ex.tenant.tenantId));
    if (!route || (route.kind !== 'collection' && route.kind !== 'resource')) {
      return this.errorResponse(
        ScimError.badRequest('invalidPath', `Bulk operations address /{ResourceType} or /{ResourceType}/{id}, not ${op.path}`),
        ex.requestId,
      );
    }
    const headers: Record<string, string | undefined> = { ...ex.headers, 'content-type': 'application/scim+json' };
    delete headers['if-match'];
    delete headers['if-none-match'];
    if (op.ifMatch !== undefined) headers['if-match'] = op.ifMatch;
    const sub: Exchange = { ...ex, method, route, query: {}, headers, rawBody: op.body };
    try {
      return await this.dispatch(sub);
    } catch (error) {
      const response = this.errorResponse(error, ex.requestId);
      const base = this.auditBaseFor(route, method);
      if (base) this.auditFailure(ex.tenant, base, error, response.status);
      return response;
    }
  }

  private discovery(ex: Exchange, route: Route): ScimResponse {
    const refusal = checkOperation(ex.tenant.permissions, 'read', this.now());
    if (refusal && refusal.permission === 'expiresAt') throw ScimError.forbidden(refusal.detail, refusal.permission);
    if (param(ex.query, 'filter') !== undefined) {
      throw new ScimError(403, 'Filtering is not supported on discovery endpoints');
    }
    const base = ex.tenant.baseUrl;
    const tenantId = ex.tenant.tenantId;
    if (route.kind === 'serviceProviderConfig') {
      // The tenant's own limits: a tenant with a lower maxPageSize is told its real page size.
      const page = this.pageLimits(ex.tenant);
      const bulk = this.bulkLimits(ex.tenant);
      return json(
        200,
        serviceProviderConfig(
          {
            ...this.features,
            maxResults: page.maxResults,
            defaultCount: page.defaultCount,
            maxBulkOperations: bulk.maxOperations,
            maxPayloadBytes: bulk.maxPayloadBytes,
          },
          base,
        ),
      );
    }
    if (route.kind === 'resourceTypes') {
      const all = this.schemas.resourceTypes(tenantId);
      if (route.id !== undefined) {
        const rt = all.find((r) => r.id.toLowerCase() === (route.id as string).toLowerCase() || r.name.toLowerCase() === (route.id as string).toLowerCase());
        if (!rt) throw ScimError.notFound(`Resource type ${route.id} not found`);
        return json(200, renderResourceType(rt, base));
      }
      return json(
        200,
        this.listBody(
          all.map((rt) => renderResourceType(rt, base)),
          all.length,
          1,
        ),
      );
    }
    if (route.kind === 'schemas') {
      if (route.id !== undefined) {
        const schema = this.schemas.schema(tenantId, route.id);
        if (!schema) throw ScimError.notFound(`Schema ${route.id} not found`);
        return json(200, renderSchema(schema, base));
      }
      const all = this.schemas.schemas(tenantId);
      return json(
        200,
        this.listBody(
          all.map((s) => renderSchema(s, base)),
          all.length,
          1,
        ),
      );
    }
    throw ScimError.notFound();
  }

  private listBody(resources: unknown[], total: number, startIndex: number | undefined, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      schemas: [LIST_RESPONSE_SCHEMA],
      totalResults: total,
      ...(startIndex !== undefined ? { startIndex } : {}),
      itemsPerPage: resources.length,
      ...extra,
      Resources: resources,
    };
  }

  private pageLimits(tenant: TenantContext): { defaultCount: number; maxResults: number; filter?: FilterLimits } {
    const tenantMax = tenant.permissions.maxPageSize;
    const maxResults = tenantMax !== undefined ? Math.max(0, Math.min(tenantMax, this.features.maxResults)) : this.features.maxResults;
    return {
      defaultCount: Math.min(this.features.defaultCount, maxResults),
      maxResults,
      ...(this.filterLimits ? { filter: this.filterLimits } : {}),
    };
  }

  private listParameters(query: Record<string, string | undefined>): RawListParameters {
    const raw: RawListParameters = {};
    for (const key of LIST_PARAMETER_NAMES) {
      const v = param(query, key);
      if (v !== undefined) (raw as Record<string, string>)[key] = v;
    }
    return raw;
  }

  private async search(ex: Exchange, resourceType: ResourceTypeDefinition | undefined): Promise<ScimResponse> {
    // No body is an empty search; a JSON null (or any other non-object) is refused like elsewhere.
    const given = this.body(ex);
    const body = this.requireObject(given === undefined ? {} : given);
    const schemas = body.schemas;
    if (
      schemas !== undefined &&
      (!Array.isArray(schemas) || !schemas.some((s) => typeof s === 'string' && s.toLowerCase() === SEARCH_REQUEST_SCHEMA.toLowerCase()))
    ) {
      throw ScimError.badRequest('invalidSyntax', `A search request must list ${SEARCH_REQUEST_SCHEMA} in schemas`);
    }
    const raw: RawListParameters = {};
    const lowerKeys = new Map(Object.keys(body).map((k) => [k.toLowerCase(), k]));
    for (const key of LIST_PARAMETER_NAMES) {
      const actual = lowerKeys.get(key.toLowerCase());
      if (actual !== undefined && body[actual] !== undefined && body[actual] !== null) {
        (raw as Record<string, unknown>)[key] = body[actual];
      }
    }
    const types = resourceType ? [resourceType] : this.schemas.resourceTypes(ex.tenant.tenantId);
    return this.list(ex, types, raw, 'POST');
  }

  private async list(ex: Exchange, types: readonly ResourceTypeDefinition[], raw: RawListParameters, via: 'GET' | 'POST'): Promise<ScimResponse> {
    const params = readListParameters(raw, this.pageLimits(ex.tenant));
    const projection: Projection = {
      ...(params.attributes ? { attributes: params.attributes } : {}),
      ...(params.excludedAttributes ? { excludedAttributes: params.excludedAttributes } : {}),
    };
    // Resolve the filter and sort per type; a filter that names attributes a type lacks leaves that
    // type out of a root search, and is an error when it fits no type at all.
    const plans: { rt: ResourceTypeDefinition; schema: ResourceSchema; query: ListQuery }[] = [];
    const sortable: ResourceSchema[] = [];
    let firstError: unknown;
    let sortError: unknown;
    for (const rt of types) {
      const schema = this.schemaFor(ex.tenant, rt);
      try {
        if (params.filter && filterNamesSecret(params.filter, schema)) {
          throw via === 'GET'
            ? ScimError.badRequest('sensitive', 'Filters on secret attributes must not be sent in a URL; such attributes cannot be filtered')
            : ScimError.badRequest('invalidFilter', 'Attributes that are never returned cannot be filtered');
        }
        if (params.filter) compileFilter(params.filter, schema);
        let sort: SortSpec | undefined;
        try {
          sort = sortFor(params, schema);
        } catch (error) {
          // In a root search, a type without the sort attribute still takes part: its resources
          // have no sort value (read in id order, the tie-break of every sort).
          if (types.length === 1) throw error;
          sortError ??= error;
          sort = { path: { attr: 'id' }, order: 'ascending' };
        }
        if (sort && types.length > 1 && sort.path.attr !== 'id') sortable.push(schema);
        plans.push({
          rt,
          schema,
          query: {
            ...(params.filter ? { filter: params.filter } : {}),
            ...(sort ? { sort } : {}),
            startIndex: 1,
            count: 0,
            excludeMembers: !this.wantsMembers(projection, rt),
          },
        });
      } catch (error) {
        if (types.length === 1) throw error;
        firstError ??= error;
      }
    }
    if (plans.length === 0) throw firstError ?? ScimError.badRequest('invalidFilter', 'The filter matches no resource type');
    const sortSpec =
      plans.length > 1 && (params.sortBy !== undefined || params.sortOrder !== undefined)
        ? plans.find((p) => p.query.sort && p.query.sort.path.attr !== 'id')?.query.sort
        : undefined;
    if (plans.length > 1 && sortError && !sortSpec) throw sortError;
    const across = sortSpec ? compileSortAcrossTypes(sortSpec, sortable) : undefined;

    let offset: number;
    let cursorMode = false;
    const hash = queryKey({
      resourceType: types.map((t) => t.name).join(','),
      ...(params.filterText !== undefined ? { filter: params.filterText } : {}),
      ...(params.sortBy !== undefined ? { sortBy: params.sortBy } : {}),
      ...(params.sortOrder !== undefined ? { sortOrder: params.sortOrder } : {}),
    });
    if (params.cursor !== undefined) {
      if (raw.startIndex !== undefined) throw ScimError.badRequest('invalidValue', 'cursor and startIndex cannot be combined');
      cursorMode = true;
      offset = params.cursor === '' ? 0 : (await this.cursors.decode(params.cursor, { tenantId: ex.tenant.tenantId, queryKey: hash })).offset;
    } else {
      offset = params.startIndex - 1;
    }
    const count = params.count;

    // Totals per type, then the page across the concatenation.
    const totals: number[] = [];
    for (const plan of plans) {
      const r = await this.provider(plan.rt.name).list(ex.tenant, plan.query);
      totals.push(r.totalResults);
    }
    const total = totals.reduce((a, b) => a + b, 0);
    const rendered: ScimObject[] = [];
    if (across && count > 0) {
      // Sorted across types: the first offset + count of each type, merged with one comparator.
      const gathered: { resource: ScimResource; schema: ResourceSchema }[] = [];
      for (let i = 0; i < plans.length; i++) {
        const plan = plans[i] as (typeof plans)[number];
        const take = Math.min(offset + count, totals[i] as number);
        if (take === 0) continue;
        const page = await this.provider(plan.rt.name).list(ex.tenant, { ...plan.query, startIndex: 1, count: take });
        for (const resource of page.resources) gathered.push({ resource, schema: plan.schema });
      }
      gathered.sort((a, b) => across(a.resource, b.resource));
      for (const g of gathered.slice(offset, offset + count)) rendered.push(renderResource(g.resource, g.schema, this.links(ex.tenant, g.schema), projection));
    }
    let skip = offset;
    let want = across ? 0 : count;
    for (let i = 0; i < plans.length && want > 0; i++) {
      const plan = plans[i] as (typeof plans)[number];
      const t = totals[i] as number;
      if (skip >= t) {
        skip -= t;
        continue;
      }
      const page = await this.provider(plan.rt.name).list(ex.tenant, { ...plan.query, startIndex: skip + 1, count: want });
      const links = this.links(ex.tenant, plan.schema);
      for (const r of page.resources) rendered.push(renderResource(r, plan.schema, links, projection));
      want -= page.resources.length;
      skip = 0;
    }
    if (!cursorMode) return json(200, this.listBody(rendered, total, params.startIndex));
    const extra: Record<string, unknown> = {};
    if (offset + rendered.length < total && count > 0) {
      extra.nextCursor = await this.cursors.encode({ tenantId: ex.tenant.tenantId, queryKey: hash, offset: offset + rendered.length });
    }
    if (offset > 0 && count > 0) {
      extra.previousCursor = await this.cursors.encode({ tenantId: ex.tenant.tenantId, queryKey: hash, offset: Math.max(0, offset - count) });
    }
    return json(200, this.listBody(rendered, total, undefined, extra));
  }

  /** Where a rendered resource's URLs point, for the tenant. */
  private links(tenant: TenantContext, schema: ResourceSchema): ResourceLinks {
    const model = this.schemas.model(schema.resourceType.name);
    if (!model) throw ScimError.notFound(`Resource type ${schema.resourceType.name} is not available`);
    return { baseUrl: tenant.baseUrl, model, endpointOf: (name) => this.schemas.resourceType(tenant.tenantId, name)?.endpoint };
  }

  /** Whether a response with this projection shows the members of a resource of type `rt`. */
  private wantsMembers(projection: Projection, rt: ResourceTypeDefinition): boolean {
    const members = rt.membership?.attribute.toLowerCase();
    if (members === undefined) return false;
    const excluded = projection.excludedAttributes?.some((a) => a.toLowerCase() === members);
    if (excluded) return false;
    if (projection.attributes && projection.attributes.length > 0) {
      return projection.attributes.some((a) => a.toLowerCase() === members || a.toLowerCase().startsWith(`${members}.`));
    }
    return true;
  }

  private async create(ex: Exchange, rt: ResourceTypeDefinition): Promise<ScimResponse> {
    const schema = this.schemaFor(ex.tenant, rt);
    const projection = this.projection(ex.query);
    const body = this.requireObject(this.body(ex));
    const created = await this.provider(rt.name).create(ex.tenant, body);
    this.emit(ex.tenant, {
      action: 'create',
      resourceType: rt.name,
      resourceId: created.id,
      version: created.meta.version,
      outcome: 'success',
      status: 201,
      changed: changedAttributes(body, schema),
    });
    return this.resourceResponse(201, created, schema, ex, projection);
  }

  private async ifMatch(ex: Exchange, rt: ResourceTypeDefinition, id: string): Promise<string | undefined> {
    const tags = parseEntityTags(ex.headers['if-match']);
    if (!tags) return undefined;
    if (tags.length === 1 && tags[0] !== '*') return expectedVersionFrom(tags);
    // `*` or a list: compare with the current version and write against exactly that version.
    const current = await this.provider(rt.name).get(ex.tenant, id, { excludeMembers: true });
    if (!matchesEntityTag(current.meta.version, tags)) throw ScimError.preconditionFailed();
    return current.meta.version;
  }

  private async resource(ex: Exchange, rt: ResourceTypeDefinition, id: string): Promise<ScimResponse> {
    const schema = this.schemaFor(ex.tenant, rt);
    const provider = this.provider(rt.name);
    switch (ex.method) {
      case 'GET': {
        this.permit(ex.tenant, 'read');
        const projection = this.projection(ex.query);
        const resource = await provider.get(ex.tenant, id, { excludeMembers: !this.wantsMembers(projection, rt) });
        const inm = parseEntityTags(ex.headers['if-none-match']);
        if (inm && matchesEntityTag(resource.meta.version, inm)) {
          return { status: 304, headers: { ETag: resource.meta.version } };
        }
        return this.resourceResponse(200, resource, schema, ex, projection);
      }
      case 'PUT': {
        this.permit(ex.tenant, 'replace');
        const projection = this.projection(ex.query);
        const body = this.requireObject(this.body(ex));
        const expectedVersion = await this.ifMatch(ex, rt, id);
        const replaced = await provider.replace(ex.tenant, id, body, expectedVersion !== undefined ? { expectedVersion } : {});
        this.emit(ex.tenant, {
          action: 'replace',
          resourceType: rt.name,
          resourceId: id,
          version: replaced.meta.version,
          outcome: 'success',
          status: 200,
          changed: changedAttributes(body, schema),
        });
        return this.resourceResponse(200, replaced, schema, ex, projection);
      }
      case 'PATCH': {
        this.permit(ex.tenant, 'patch');
        const projection = this.projection(ex.query);
        const body = this.requireObject(this.body(ex));
        const expectedVersion = await this.ifMatch(ex, rt, id);
        const settings = tenantSettings(ex.tenant);
        const outcome = await provider.patch(ex.tenant, id, body, expectedVersion !== undefined ? { expectedVersion } : {});
        const members = rt.membership?.attribute.toLowerCase();
        this.emit(ex.tenant, {
          action: members !== undefined && outcome.changed.some((c) => c.toLowerCase().startsWith(members)) ? 'members' : 'patch',
          resourceType: rt.name,
          resourceId: id,
          version: outcome.resource.meta.version,
          outcome: 'success',
          status: 200,
          changed: outcome.changed,
        });
        const style = settings.groupPatchResponse ?? this.groupPatchResponse;
        const asked = projection.attributes !== undefined || projection.excludedAttributes !== undefined;
        if (rt.membership && style === 'noContent' && !asked) {
          return { status: 204, headers: { ETag: outcome.resource.meta.version } };
        }
        let resource = outcome.resource;
        if (members !== undefined && this.wantsMembers(projection, rt) && resource[rt.membership?.attribute ?? ''] === undefined) {
          resource = await provider.get(ex.tenant, id);
        }
        return this.resourceResponse(200, resource, schema, ex, projection);
      }
      case 'DELETE': {
        this.permit(ex.tenant, 'delete');
        const expectedVersion = await this.ifMatch(ex, rt, id);
        await provider.delete(ex.tenant, id, expectedVersion !== undefined ? { expectedVersion } : {});
        this.emit(ex.tenant, { action: 'delete', resourceType: rt.name, resourceId: id, outcome: 'success', status: 204 });
        return { status: 204, headers: {} };
      }
      default:
        return json(405, new ScimError(405, `${methodLabel(ex.method)} is not allowed here`).toJSON(), { Allow: 'GET, PUT, PATCH, DELETE' });
    }
  }
}
