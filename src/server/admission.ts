import type { Route } from './routes.js';
import type { ScimRequest, ScimResponse } from './scim-request.js';
import type { TenantContext } from '../tenant/tenant-context.js';

/** A request without its body: what a transport knows once the headers have arrived. */
export type ScimRequestHead = Omit<ScimRequest, 'body'>;

/**
 * What a server decided from a request's head (method, path, headers), before any of its body is
 * read. Transports call `ScimServer.admit(head)` first: a refused request (no or unknown
 * credential, no such endpoint, a method the endpoint does not answer) is answered with
 * {@link ScimAdmission.response} without reading its body; an admitted one reads at most
 * {@link ScimAdmission.maxBodyBytes} and is handled with `ScimServer.handle(request, admission)`.
 */
export interface ScimAdmission {
  /** The request's id: its response carries it as `X-Request-Id`, and its audit events and error reports name it. */
  readonly requestId: string;
  /** Set when the head alone decides the answer: send it, and read none of the body. */
  readonly response?: ScimResponse;
  /** Most bytes of body to read: the tenant's `maxPayloadBytes` (0 when the request is refused). */
  readonly maxBodyBytes: number;
}

/** What an admitted request carries on to `handle`: everything `admit` worked out. */
export interface AdmittedRequest {
  readonly tenant: TenantContext;
  readonly route: Route;
  /** Upper-case method. */
  readonly method: string;
  /** The query parameters, decoded. */
  readonly query: Readonly<Record<string, string | undefined>>;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly requestIdSource: 'client' | 'server';
}

/**
 * An admission one server made. What `handle` needs of the request travels with it in private
 * fields, which a transport can neither read nor forge, so no lookup table is needed between
 * `admit` and `handle`.
 */
export class AdmissionTicket implements ScimAdmission {
  readonly #issuer: object;
  readonly #state: AdmittedRequest;

  /**
   * @param requestId - the request's id.
   * @param maxBodyBytes - most bytes of body to read.
   * @param issuer - the server that admitted the request.
   * @param state - what `handle` needs of it.
   */
  constructor(
    readonly requestId: string,
    readonly maxBodyBytes: number,
    issuer: object,
    state: AdmittedRequest,
  ) {
    this.#issuer = issuer;
    this.#state = state;
  }

  /** What `issuer` worked out when it admitted the request; undefined for any other admission. */
  static stateOf(admission: unknown, issuer: object): AdmittedRequest | undefined {
    if (typeof admission !== 'object' || admission === null || !(#state in admission)) return undefined;
    return admission.#issuer === issuer ? admission.#state : undefined;
  }
}
