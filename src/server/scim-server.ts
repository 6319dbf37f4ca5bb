import { ScimError } from '../error/scim-error.js';
import type { ResourceProvider } from '../provider/resource-provider.js';
import type { SchemaRegistry } from '../schema/schema-registry.js';
import type { StorageProvider } from '../storage/storage-provider.js';
import type { TenantContext } from '../tenant/tenant-context.js';
import { basePathLocator, type LocatedPath, type TenantLocator } from '../tenant/tenant-locator.js';
import type { TenantResolutionInput, TenantResolver, TenantResolverFunction } from '../tenant/tenant-resolver.js';
import type { AuditSink } from './audit.js';
import type { AuthenticationRefusalReason } from './operation-audit.js';
import { errorResult } from './error-result.js';
import { reportToStderr, type ErrorHandler, type ScimOperationHandlerOptions } from './handler-options.js';
import { bearerToken, lowerHeaders, requestIdOf, type RequestId } from './http-request.js';
import { httpResponse, json } from './http-response.js';
import { ScimOperationHandler } from './operation-handler.js';
import { checkHandlerOptions } from './options-check.js';
import { type Check, either, isFunction, isString, withMethods } from '../tenant/config-check.js';
import { ConfigurationError } from '../tenant/configuration-error.js';
import { queryParameters, requestTarget } from './request-target.js';
import { checkMethod, operationRequest } from './route-operation.js';
import { matchRoute, tenantEndpoints } from './routes.js';
import { AdmissionTicket, type AdmittedRequest, type ScimAdmission, type ScimRequestHead } from './admission.js';
import type { ScimRequest, ScimResponse } from './scim-request.js';

/** Options of {@link ScimServer}: where tenants come from and where SCIM lives, and the options of its {@link ScimOperationHandler}. */
export interface ScimServerOptions extends ScimOperationHandlerOptions {
  /** Turns credentials (and the URL's tenant, if any) into a tenant. Required: there is no default tenant. */
  tenantResolver: TenantResolver | TenantResolverFunction;
  /** Where the SCIM base is and whether the URL names a tenant. Defaults to `/scim/v2`, no tenant in the URL. */
  locator?: TenantLocator;
  /** Shortcut for `locator: basePathLocator(basePath)`. */
  basePath?: string;
}

/** The options a server adds to its operation handler's, and how each is checked. */
const SERVER_OPTION_CHECKS: { readonly [K in Exclude<keyof ScimServerOptions, keyof ScimOperationHandlerOptions>]-?: Check } = {
  tenantResolver: either(isFunction, withMethods('a TenantResolver', ['resolve']), 'a TenantResolver (an object with resolve()) or an async function'),
  locator: withMethods('a TenantLocator', ['locate']),
  basePath: isString(true),
};

/** Checks the server's options, and returns those of its operation handler. */
function handlerOptionsOf(options: ScimServerOptions): ScimOperationHandlerOptions {
  checkHandlerOptions(options, SERVER_OPTION_CHECKS);
  if (options?.tenantResolver === undefined) {
    throw new ConfigurationError('tenantResolver', 'is missing: every request must be attributed to a tenant, and there is no default tenant');
  }
  if (options.locator !== undefined && options.basePath !== undefined) {
    throw new ConfigurationError('basePath', 'is given with locator: the locator decides the base path; give one of them');
  }
  const { tenantResolver: _resolver, locator: _locator, basePath: _basePath, ...handlerOptions } = options;
  return handlerOptions;
}

/** What a request's headers and path say before the tenant is known. */
interface Arrival {
  readonly request: ScimRequestHead;
  readonly path: string;
  readonly headers: Record<string, string | undefined>;
  readonly requestId: RequestId;
}

const UNAUTHENTICATED = (): ScimResponse =>
  json(401, new ScimError(401, 'Authentication required: a valid bearer token for this tenant').toJSON(), { 'WWW-Authenticate': 'Bearer realm="scim"' });

/** A response as sent: with the request id, and without a body when it answers HEAD (RFC 9110 §9.3.2). */
function finish(response: ScimResponse, requestId: string, method: string): ScimResponse {
  if (method === 'HEAD') {
    delete response.body;
    delete response.json;
  }
  response.headers['X-Request-Id'] = requestId;
  return response;
}

/** The admission of a request its head alone answers. */
function refusal(response: ScimResponse, requestId: string, method: string): ScimAdmission {
  return { requestId, response: finish(response, requestId, method), maxBodyBytes: 0 };
}

/**
 * A SCIM 2.0 service provider over plain request objects: the HTTP face of a {@link ScimOperationHandler}.
 *
 * `handle({ method, path, query, headers, body })` returns `{ status, headers, body }`; adapters
 * turn HTTP into that and back. It parses the request, resolves the tenant (401 otherwise), maps the
 * route to a SCIM operation, lets the operation handler (permissions, limits, preconditions, audit)
 * answer it, and renders the answer (status, `ETag`, `Location`, SCIM JSON).
 */
export class ScimServer {
  /** The operation handler behind this server: give it to other transports (MCP tools, queues) so they share its limits, cursors and audit. */
  readonly operations: ScimOperationHandler;
  private readonly resolver: TenantResolver;
  private readonly locator: TenantLocator;
  private readonly onError: ErrorHandler;

  /**
   * Checks the whole configuration: the options (see {@link ScimOperationHandler}), and every
   * tenant the resolver knows in advance (a `StaticTenantResolver`'s) against them: a `rateLimit`
   * without a `rateLimiter`, an unknown PATCH tolerance, an id the locator's URLs can never name.
   *
   * @throws ConfigurationError naming the option, or the tenant and its key.
   */
  constructor(options: ScimServerOptions) {
    const handlerOptions = handlerOptionsOf(options);
    const r = options.tenantResolver;
    this.resolver = typeof r === 'function' ? { resolve: async (input) => r(input) } : r;
    this.locator = options.locator ?? basePathLocator(options.basePath ?? '/scim/v2');
    this.onError = options.onError ?? reportToStderr;
    this.operations = new ScimOperationHandler(handlerOptions);
    for (const tenant of this.resolver.knownTenants?.() ?? []) {
      this.operations.checkTenantConfiguration(tenant);
      if (this.locator.canReach && !this.locator.canReach(tenant.id)) {
        throw new ConfigurationError('id', "can never be reached: the server's locator cannot name this tenant in a URL (see its tenantIdPattern)", tenant.id);
      }
    }
  }

  /** The schema registry (add resource types, schemas and per-tenant extensions here). */
  get schemas(): SchemaRegistry {
    return this.operations.schemas;
  }

  /** The storage every standard provider uses. */
  get storage(): StorageProvider {
    return this.operations.storage;
  }

  /** Largest request body this server accepts, in bytes (`maxPayloadBytes`); adapters stop reading beyond it. */
  get maxPayloadBytes(): number {
    return this.operations.maxPayloadBytes;
  }

  /** The provider serving a resource type. Calling it directly skips permissions, limits and audit: prefer {@link operations}. */
  provider(resourceType: string): ResourceProvider {
    return this.operations.provider(resourceType);
  }

  /** Adds an audit sink at runtime. Returns a function that removes it again. */
  addAuditSink(sink: AuditSink): () => void {
    return this.operations.addAuditSink(sink);
  }

  /**
   * Deletes every resource of a tenant (for example when the tenant is removed) and records it in
   * the tenant's audit trail, naming `actor` when given.
   */
  dropTenant(tenantId: string, info: { actor?: string; requestId?: string } = {}): Promise<void> {
    return this.operations.dropTenant(tenantId, info);
  }

  /**
   * Reports an error that happened around a request rather than inside `handle` (reading its
   * body, writing its response) to `onError`, with the request id. For transports.
   */
  reportError(error: unknown, info: { requestId: string }): void {
    try {
      this.onError(error, info);
    } catch {
      // The error handler failed as well; nothing is left to tell.
    }
  }

  /**
   * Decides what can be decided from a request's head alone, before reading any of its body:
   * the tenant (401 without a valid credential), the endpoint (404) and the method (405). Never
   * rejects for anything a client sent; see {@link handle} for what it rejects with.
   *
   * An adapter calls it as soon as the headers have arrived, answers `response` at once when it is
   * set (reading none of the body), and otherwise reads at most `maxBodyBytes` (the tenant's
   * `maxPayloadBytes`) and passes the admission on to {@link handle}.
   */
  admit(head: ScimRequestHead): Promise<ScimAdmission> {
    return this.admitHead(head);
  }

  /** {@link admit}: an admitted request's admission carries what `handle` needs of it. */
  private async admitHead(head: ScimRequestHead): Promise<ScimAdmission> {
    // In-process callers are not type-checked: a missing request or a non-string field is treated
    // as absent rather than allowed to throw.
    const req: ScimRequestHead = typeof head === 'object' && head !== null ? head : { method: '', path: '' };
    const target = requestTarget(req.path, req.query);
    const headers = lowerHeaders(req.headers);
    const arrival: Arrival = { request: req, path: target.path, headers, requestId: requestIdOf(headers) };
    const requestId = arrival.requestId.id;
    const method = typeof req.method === 'string' ? req.method.toUpperCase() : '';
    try {
      const located = this.locate(arrival);
      const tenant = await this.resolve(arrival, located);
      if (typeof tenant === 'string') {
        this.operations.auditAuthenticationRefusal({
          ...(located.tenantId !== undefined ? { tenantId: located.tenantId } : {}),
          requestId,
          requestIdSource: arrival.requestId.source,
          reason: tenant,
        });
        return refusal(UNAUTHENTICATED(), requestId, method);
      }
      const route = matchRoute(located.resourcePath, tenantEndpoints(this.schemas, tenant.tenantId));
      if (!route) throw ScimError.notFound('No SCIM endpoint at this path');
      checkMethod(route, method);
      const state: AdmittedRequest = { tenant, route, method, query: queryParameters(target.query), headers, requestIdSource: arrival.requestId.source };
      return new AdmissionTicket(requestId, this.operations.maxPayloadBytesFor(tenant), this, state);
    } catch (error) {
      return refusal(httpResponse(errorResult(error, requestId, this.onError)), requestId, method);
    }
  }

  /**
   * Answers one SCIM request. Whatever a client sent becomes a SCIM response; the promise rejects
   * only with a `TypeError` for a request no client could have sent, made by the calling code: a
   * `query` that is neither a string, a `URLSearchParams` nor a record, or a query string in `path`
   * while `query` is given as well.
   *
   * @param request - the request, body included.
   * @param admission - what {@link admit} answered for this request's head, when the transport
   *   asked before reading the body; without it, the head is admitted here.
   */
  async handle(request: ScimRequest, admission?: ScimAdmission): Promise<ScimResponse> {
    let state = admission !== undefined ? AdmissionTicket.stateOf(admission, this) : undefined;
    let admitted = admission;
    if (!state || !admitted) {
      admitted = await this.admitHead(request);
      state = AdmissionTicket.stateOf(admitted, this);
      if (!state) return admitted.response ?? UNAUTHENTICATED();
    }
    const { requestId } = admitted;
    let response: ScimResponse;
    try {
      const body = typeof request === 'object' && request !== null ? request.body : undefined;
      const operation = operationRequest(state, body, requestId);
      response = httpResponse(await this.operations.handle(operation));
    } catch (error) {
      response = httpResponse(errorResult(error, requestId, this.onError));
    }
    return finish(response, requestId, state.method);
  }

  /** Where the request points: its tenant (when the URL names one), SCIM base and resource path. */
  private locate(arrival: Arrival): LocatedPath {
    const host = arrival.headers.host;
    const located = this.locator.locate({ path: arrival.path, ...(host ? { host } : {}) });
    if (!located) throw this.unlocated(arrival.path, host);
    return located;
  }

  /** The tenant the credentials (and the URL) name, with its base URL; else why they name none (401). */
  private async resolve(arrival: Arrival, located: LocatedPath): Promise<TenantContext | AuthenticationRefusalReason> {
    const origin = typeof arrival.request.origin === 'string' ? arrival.request.origin : undefined;
    const baseUrl = `${origin ?? located.origin ?? ''}${located.basePath}`;
    // Built without spreads: this runs for every request.
    const input: { -readonly [K in keyof TenantResolutionInput]: TenantResolutionInput[K] } = {
      headers: arrival.headers,
      path: arrival.path,
      baseUrl,
      requestId: arrival.requestId.id,
    };
    const token = bearerToken(arrival.headers.authorization);
    if (token !== undefined) input.token = token;
    if (located.tenantId !== undefined) input.urlTenantId = located.tenantId;
    const resolved = await this.resolver.resolve(input);
    if (!resolved) return token === undefined ? 'noCredential' : 'invalidCredential';
    if (located.tenantId !== undefined && resolved.tenantId !== located.tenantId) return 'tenantMismatch';
    return resolved.baseUrl ? resolved : { ...resolved, baseUrl };
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
}
