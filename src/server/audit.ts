/**
 * The audit trail: one event per change and per refusal, fanned out to pluggable sinks.
 *
 * Events carry who, what and how it ended, never resource values: `changed` lists attribute paths,
 * and {@link redactAuditEvent} (applied to every event before any sink sees it) makes sure that no
 * password, bearer token or other secret can ride along in a free-text field.
 */

/** What was attempted. The listed names are the ones the server emits; others are allowed. */
export type AuditAction =
  | 'create'
  | 'replace'
  | 'patch'
  | 'delete'
  | 'members'
  | 'read'
  | 'list'
  | 'bulk'
  | 'authenticate'
  | 'dropTenant'
  | (string & Record<never, never>);

/** The change that caused another as its side effect (a User's delete, for the Groups it leaves). */
export interface AuditCause {
  /** The action of the request, for example `delete`. */
  action: string;
  /** The resource type the request addressed. */
  resourceType?: string;
  /** The resource the request addressed. */
  resourceId?: string;
}

/** How an attempt ended: done, refused by policy (permission, quota, rate, precondition), or failed. */
export type AuditOutcome = 'success' | 'refused' | 'failed';

/** One audit record. Contains identifiers and attribute paths only, never attribute values. */
export interface AuditEvent {
  /** When it happened, ISO 8601 (`2025-01-31T12:00:00.000Z`). */
  time: string;
  /**
   * The tenant the request was attributed to. For a refused authentication, the tenant the URL or
   * host named, or `''` when it named none (such events go to the operator's sinks).
   */
  tenantId: string;
  /** The client that made the request: the tenant's configured client, or the actor an operation named. */
  clientId?: string;
  /**
   * The credential the request authenticated with: its configured label, or where it was
   * configured (`token`, `tokens[1]`, `tokenHashes[0]`). Never the secret.
   */
  credentialId?: string;
  /** The request id, to correlate with logs. */
  requestId: string;
  /** Who chose the request id: `client` (a well-formed `X-Request-Id` it sent, kept as it was) or `server`. */
  requestIdSource?: 'client' | 'server';
  /** What was attempted. */
  action: AuditAction;
  /** Resource type name, for example `User`. */
  resourceType?: string;
  /** The resource id. */
  resourceId?: string;
  /** The resource version after a change (or the one a failed precondition expected). */
  version?: string;
  /** How it ended. */
  outcome: AuditOutcome;
  /** The HTTP status answered. */
  status: number;
  /** For a refusal or failure: the permission or quota name (`canDelete`, `maxUsers`), or the scimType. */
  reason?: string;
  /** Attribute paths the change touched, never their values. */
  changed?: string[];
  /** For a change made as the side effect of another (a Group losing a deleted member): that other change. */
  causedBy?: AuditCause;
  /**
   * For a change that set a resource's `active` attribute: its value after the change, so that an
   * activation can be told from a deactivation. The only resource value an event carries.
   */
  active?: boolean;
  /**
   * The event's position in its tenant's durable trail, when the storage kept it in the change's own
   * transaction (PostgreSQL with `auditOutbox`). Sinks that store events skip events that have one:
   * they are stored already.
   */
  sequence?: number;
}

/** Somewhere audit events go. A sink may be asynchronous; it may throw, the trail copes. */
export interface AuditSink {
  emit(event: AuditEvent): void | Promise<void>;
}

/** Most characters kept of any string field of an event. */
export const AUDIT_MAX_STRING = 512;

/** Most entries kept in `changed`. */
export const AUDIT_MAX_CHANGED = 256;

const REDACTED = '[redacted]';

const SECRET_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  // An Authorization header value: the scheme stays, the credential goes.
  [/\b(bearer|basic)(\s+)[A-Za-z0-9\-._~+/]+=*/gi, `$1$2${REDACTED}`],
  // A JSON Web Token anywhere.
  [/\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, REDACTED],
  // `password=...`, `token: ...` and the like: the name stays, the value goes.
  [/\b(password|passwd|secret|token|api[_-]?key)(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s,;]+)/gi, `$1$2${REDACTED}`],
];

// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/g;

function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = max - 1;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1; // do not split a surrogate pair
  return `${text.slice(0, cut)}…`;
}

/** Text without spaces, control characters or `=`: no secret pattern can match it unless it holds a hint below. */
const PLAIN_TEXT = /^[A-Za-z0-9._~@+/"':-]*$/;
/** What each secret pattern needs to find in plain text: a JSON Web Token's start or a secret's name. */
const SECRET_HINT = /eyJ|passw(?:or)?d|secret|token|api[_-]?key/i;

/** Scrubs secrets and control characters from free text and bounds its length. */
function cleanText(value: string): string {
  // Ids, times and versions: nothing to scrub, so no pattern needs to run.
  if (value.length <= AUDIT_MAX_STRING && PLAIN_TEXT.test(value) && !SECRET_HINT.test(value)) return value;
  let text = value.replace(CONTROL_CHARS, ' ');
  for (const [pattern, replacement] of SECRET_PATTERNS) text = text.replace(pattern, replacement);
  return truncate(text, AUDIT_MAX_STRING);
}

/** Removes `[...]` value filters from an attribute path (they hold values); undefined when unbalanced. */
function withoutFilters(path: string): string | undefined {
  let out = '';
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < path.length; i++) {
    const c = path[i];
    if (depth > 0) {
      if (quoted) {
        if (c === '\\') i++;
        else if (c === '"') quoted = false;
      } else if (c === '"') quoted = true;
      else if (c === '[') depth++;
      else if (c === ']') depth--;
      continue;
    }
    if (c === '[') depth = 1;
    else if (c === ']') return undefined;
    else out += c;
  }
  return depth === 0 && !quoted ? out : undefined;
}

const PATH_CHARS = /^[A-Za-z0-9_:.$-]+$/;

/** Reduces one `changed` entry to a bare attribute path, or `[redacted]` when it is not one. */
function cleanPath(entry: unknown): string {
  if (typeof entry !== 'string') return REDACTED;
  const bare = withoutFilters(entry.trim());
  if (bare === undefined || bare.length === 0 || !PATH_CHARS.test(bare)) return REDACTED;
  const afterUrn = bare.slice(bare.lastIndexOf(':') + 1);
  if (afterUrn.split('.').some((segment) => segment.toLowerCase() === 'password')) return 'password';
  const scrubbed = cleanText(bare);
  return scrubbed === bare ? bare : REDACTED;
}

function optionalText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return cleanText(typeof value === 'string' ? value : String(value));
}

const OUTCOMES: ReadonlySet<string> = new Set(['success', 'refused', 'failed']);

/**
 * Returns a copy of `event` that is safe to store or log. Pure and idempotent.
 *
 * - Only the fields of {@link AuditEvent} are kept; anything else on the object is dropped.
 * - Every string field has control characters replaced by spaces, bearer/basic credentials, JSON Web
 *   Tokens and `password=` / `secret:` / `token=` / `apiKey=` values replaced by `[redacted]`, and
 *   is cut to {@link AUDIT_MAX_STRING} characters (ending in `…`).
 * - Each `changed` entry is reduced to a bare attribute path: value filters (`emails[value eq "x"]`)
 *   are removed, any path naming `password` (any case, with or without a schema URN) becomes
 *   `password`, and an entry that is not an attribute path becomes `[redacted]`. Duplicates are
 *   dropped and at most {@link AUDIT_MAX_CHANGED} entries are kept.
 * - An unknown `outcome` becomes `failed`; a non-integer `status` becomes 0.
 */
export function redactAuditEvent(event: AuditEvent): AuditEvent {
  const e = (event ?? {}) as Partial<AuditEvent>;
  const out: AuditEvent = {
    time: optionalText(e.time) ?? '',
    tenantId: optionalText(e.tenantId) ?? '',
    requestId: optionalText(e.requestId) ?? '',
    action: optionalText(e.action) ?? '',
    outcome: typeof e.outcome === 'string' && OUTCOMES.has(e.outcome) ? e.outcome : 'failed',
    status: typeof e.status === 'number' && Number.isInteger(e.status) ? e.status : 0,
  };
  if (e.requestIdSource === 'client' || e.requestIdSource === 'server') out.requestIdSource = e.requestIdSource;
  const clientId = optionalText(e.clientId);
  if (clientId !== undefined) out.clientId = clientId;
  const credentialId = optionalText(e.credentialId);
  if (credentialId !== undefined) out.credentialId = credentialId;
  const resourceType = optionalText(e.resourceType);
  if (resourceType !== undefined) out.resourceType = resourceType;
  const resourceId = optionalText(e.resourceId);
  if (resourceId !== undefined) out.resourceId = resourceId;
  const version = optionalText(e.version);
  if (version !== undefined) out.version = version;
  const reason = optionalText(e.reason);
  if (reason !== undefined) out.reason = reason;
  if (Array.isArray(e.changed)) {
    const seen = new Set<string>();
    for (const entry of e.changed) {
      if (seen.size >= AUDIT_MAX_CHANGED) break;
      seen.add(cleanPath(entry));
    }
    out.changed = [...seen];
  }
  const cause = redactCause(e.causedBy);
  if (cause) out.causedBy = cause;
  if (typeof e.active === 'boolean') out.active = e.active;
  if (typeof e.sequence === 'number' && Number.isSafeInteger(e.sequence) && e.sequence > 0) out.sequence = e.sequence;
  return out;
}

function redactCause(cause: unknown): AuditCause | undefined {
  if (typeof cause !== 'object' || cause === null) return undefined;
  const c = cause as Partial<AuditCause>;
  const out: AuditCause = { action: optionalText(c.action) ?? '' };
  const resourceType = optionalText(c.resourceType);
  if (resourceType !== undefined) out.resourceType = resourceType;
  const resourceId = optionalText(c.resourceId);
  if (resourceId !== undefined) out.resourceId = resourceId;
  return out;
}

/** A sink that calls `fn` with each event. */
export function callbackAuditSink(fn: (event: AuditEvent) => void | Promise<void>): AuditSink {
  return { emit: (event) => fn(event) };
}

/**
 * A sink that writes each event as one line of JSON to `stream` (a Node writable, a Web
 * `WritableStreamDefaultWriter`, or anything with `write(string)`). The event is redacted first, so
 * the sink is safe to use on its own as well. When `write` returns a promise, the sink returns it.
 */
export function jsonLinesAuditSink(stream: { write(chunk: string): unknown }): AuditSink {
  return {
    emit(event) {
      const result = stream.write(`${JSON.stringify(redactAuditEvent(event))}\n`);
      if (result !== null && typeof result === 'object' && typeof (result as { then?: unknown }).then === 'function') {
        return Promise.resolve(result).then(() => undefined);
      }
      return undefined;
    },
  };
}

/** Called when a sink throws or rejects; receives the redacted event. */
export type AuditErrorHandler = (error: unknown, event: AuditEvent, sink: AuditSink) => void;

/** Options of {@link AuditTrail}. */
export interface AuditTrailOptions {
  /** Told about failing sinks. Defaults to ignoring them. Anything it throws is ignored. */
  onError?: AuditErrorHandler;
}

/**
 * Fans audit events out to several sinks.
 *
 * Every event is redacted ({@link redactAuditEvent}) and frozen once, then given to each sink. The
 * trail never throws into the request path: a sink that throws or rejects is reported to `onError`
 * and the other sinks still receive the event. `emit` returns a promise that settles when every sink
 * has finished, and never rejects; a server may await it or not.
 */
export class AuditTrail implements AuditSink {
  private readonly sinks: AuditSink[] = [];
  private readonly onError: AuditErrorHandler | undefined;

  /**
   * @param sinks - the sinks to start with (more can be added with {@link AuditTrail.add}).
   * @param options - `onError`, told about sinks that throw or reject.
   */
  constructor(sinks: readonly AuditSink[] = [], options: AuditTrailOptions = {}) {
    for (const sink of sinks) this.sinks.push(sink);
    this.onError = options.onError;
  }

  /** Adds a sink. Returns a function that removes it again. */
  add(sink: AuditSink): () => void {
    this.sinks.push(sink);
    return () => {
      const i = this.sinks.indexOf(sink);
      if (i >= 0) this.sinks.splice(i, 1);
    };
  }

  /** Number of sinks attached. */
  get size(): number {
    return this.sinks.length;
  }

  /** Redacts `event` and hands it to every sink. Never throws; the promise never rejects. */
  emit(event: AuditEvent): Promise<void> {
    let safe: AuditEvent;
    try {
      safe = redactAuditEvent(event);
      if (safe.changed) Object.freeze(safe.changed);
      if (safe.causedBy) Object.freeze(safe.causedBy);
      Object.freeze(safe);
    } catch {
      return Promise.resolve(); // an event that cannot even be read is dropped rather than thrown
    }
    const pending: Promise<void>[] = [];
    for (const sink of this.sinks.slice()) {
      try {
        const result = sink.emit(safe);
        if (result !== undefined && result !== null && typeof (result as Promise<void>).then === 'function') {
          pending.push(
            Promise.resolve(result).then(
              () => undefined,
              (error: unknown) => this.report(error, safe, sink),
            ),
          );
        }
      } catch (error) {
        this.report(error, safe, sink);
      }
    }
    if (pending.length === 0) return Promise.resolve();
    return Promise.all(pending).then(() => undefined);
  }

  private report(error: unknown, event: AuditEvent, sink: AuditSink): void {
    if (!this.onError) return;
    try {
      this.onError(error, event, sink);
    } catch {
      // the error handler itself failed; nothing further can be done without risking the request
    }
  }
}
