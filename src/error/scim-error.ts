/**
 * The `scimType` values of RFC 7644 §3.12, plus the cursor errors of RFC 9865 §3.
 */
export type ScimType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive'
  | 'invalidCursor'
  | 'expiredCursor'
  | 'invalidCount';

/** The SCIM error message schema URI (RFC 7644 §3.12). */
export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** The JSON body of a SCIM error response. `status` is a string, as RFC 7644 §3.12 shows it. */
export interface ScimErrorBody {
  schemas: [typeof ERROR_SCHEMA];
  status: string;
  scimType?: ScimType;
  detail?: string;
}

/**
 * An error that leaves the server as a SCIM Error response.
 *
 * Every layer throws `ScimError` for anything a client did wrong; anything else that escapes is
 * turned into a 500 that reveals nothing internal.
 */
export class ScimError extends Error {
  /** HTTP status code. */
  readonly status: number;
  /** RFC 7644 §3.12 error type, when one applies. */
  readonly scimType: ScimType | undefined;
  /** Human-readable detail sent to the client. */
  readonly detail: string;
  /** Extra response headers (for example `Retry-After` on 429). */
  readonly headers: Record<string, string> | undefined;
  /**
   * The permission or quota that refused the request (`canDelete`, `maxUsers`, `rateLimit`), for
   * audit events. Never contains client data.
   */
  readonly reason: string | undefined;

  constructor(status: number, detail: string, scimType?: ScimType, headers?: Record<string, string>, reason?: string) {
    super(detail);
    this.name = 'ScimError';
    this.status = status;
    this.scimType = scimType;
    this.detail = detail;
    this.headers = headers;
    this.reason = reason;
  }

  /** The SCIM Error JSON for this error. */
  toJSON(): ScimErrorBody {
    const body: ScimErrorBody = { schemas: [ERROR_SCHEMA], status: String(this.status) };
    if (this.scimType) body.scimType = this.scimType;
    if (this.detail) body.detail = this.detail;
    return body;
  }

  /** 400 with a scimType. */
  static badRequest(scimType: ScimType, detail: string): ScimError {
    return new ScimError(400, detail, scimType);
  }

  /** 404 for a resource that does not exist for this tenant. */
  static notFound(detail = 'Resource not found'): ScimError {
    return new ScimError(404, detail);
  }

  /** 403 naming the permission or quota that refused the request. */
  static forbidden(detail: string, reason?: string): ScimError {
    return new ScimError(403, detail, undefined, undefined, reason);
  }

  /** 409 uniqueness conflict. */
  static uniqueness(detail: string): ScimError {
    return new ScimError(409, detail, 'uniqueness');
  }

  /** 412 for a failed `If-Match` / expected-version precondition. */
  static preconditionFailed(detail = 'Resource version does not match the precondition'): ScimError {
    return new ScimError(412, detail, undefined, undefined, 'If-Match');
  }
}

/** True when `value` is a {@link ScimError} (also across bundle copies). */
export function isScimError(value: unknown): value is ScimError {
  return (
    value instanceof ScimError ||
    (typeof value === 'object' &&
      value !== null &&
      (value as { name?: unknown }).name === 'ScimError' &&
      typeof (value as { status?: unknown }).status === 'number')
  );
}
