import { EventDeliveries } from './event-deliveries.js';
import { type AuditLogEntry, PostgresAuditLog } from './postgres-audit-log.js';
import { defaultResourcePath, type ScimEventClaims, scimEventClaims } from './scim-event-claims.js';
import { pushSet } from './set-push.js';
import { SetSigner, type SetSigningKey } from './set-signer.js';
import type { SqlClient } from './sql-client.js';
import { type StorageNameOptions, storageNames } from './storage-names.js';

/** Where one tenant's events go: an RFC 8935 push endpoint, or a function of yours. */
export interface EventDestination {
  /** The `aud` claim: who the tokens are for (the receiver checks it). */
  readonly audience: string | readonly string[];
  /** The receiver's RFC 8935 push endpoint (`https:`, or `http:` for loopback and tests). */
  readonly endpoint?: string;
  /** Extra headers of each push, for example the receiver's `Authorization`. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Instead of a push: called with each signed token; delivered when it resolves, retried when it throws. */
  readonly deliver?: (token: string, event: PublishedEvent) => Promise<void>;
}

/** An event as handed to a {@link EventDestination.deliver} function. */
export interface PublishedEvent {
  readonly tenantId: string;
  readonly sequence: number;
  readonly claims: ScimEventClaims;
}

/** Options of {@link ScimEventPublisher}. */
export interface ScimEventPublisherOptions extends StorageNameOptions {
  /** The `iss` claim: this service's URL. */
  issuer: string;
  /** The key tokens are signed with (ES256 or RS256). */
  signingKey: SetSigningKey;
  /** The destination of a tenant's events, or `undefined` when it has none (its events are passed over). */
  destinations: (tenantId: string) => EventDestination | undefined | Promise<EventDestination | undefined>;
  /** Milliseconds between looks at the outbox (default 1000). */
  pollInterval?: number;
  /** Milliseconds before the first retry of a failed delivery, doubled each time (default 1000). */
  retryDelay?: number;
  /** Longest wait between retries, in milliseconds (default 300000). */
  maxRetryDelay?: number;
  /** Milliseconds a publisher holds a tenant's events; another takes over after a crash (default 30000). */
  leaseDuration?: number;
  /** Milliseconds a push may take (default 10000). */
  timeout?: number;
  /** Most events delivered per tenant per look (default 100). */
  batchSize?: number;
  /** The `sub_id` path of a resource type (default `/Users`, `/Groups`, `/<name>`). */
  resourcePath?: (resourceType: string) => string;
  /** Told about every failed or refused delivery. */
  onError?: (error: Error, info: { readonly tenantId: string; readonly sequence: number }) => void;
  /** The fetch used for pushes (default the global one). */
  fetch?: typeof fetch;
}

const KNOWN = new Set([
  'schema',
  'rlsRole',
  'issuer',
  'signingKey',
  'destinations',
  'pollInterval',
  'retryDelay',
  'maxRetryDelay',
  'leaseDuration',
  'timeout',
  'batchSize',
  'resourcePath',
  'onError',
  'fetch',
]);

function positive(options: ScimEventPublisherOptions, key: keyof ScimEventPublisherOptions, fallback: number): number {
  const value = options[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new TypeError(`ScimEventPublisher option "${key}" must be a positive number, got ${JSON.stringify(value)}`);
  }
  return value;
}

function checkOptions(options: ScimEventPublisherOptions): void {
  if (typeof options !== 'object' || options === null) throw new TypeError('ScimEventPublisher options are required');
  for (const key of Object.keys(options)) if (!KNOWN.has(key)) throw new TypeError(`ScimEventPublisher option "${key}" is not known`);
  if (typeof options.issuer !== 'string' || options.issuer === '') throw new TypeError('ScimEventPublisher option "issuer" must be a non-empty string');
  if (typeof options.destinations !== 'function') throw new TypeError('ScimEventPublisher option "destinations" must be a function of the tenant id');
  for (const key of ['resourcePath', 'onError', 'fetch'] as const) {
    if (options[key] !== undefined && typeof options[key] !== 'function') throw new TypeError(`ScimEventPublisher option "${key}" must be a function`);
  }
}

/** Checks a tenant's destination when it is given, naming the tenant and the key. */
function checkDestination(tenantId: string, d: EventDestination): void {
  const where = `the event destination of tenant "${tenantId}"`;
  const audience = Array.isArray(d.audience) ? d.audience : [d.audience];
  if (audience.length === 0 || audience.some((a) => typeof a !== 'string' || a === '')) throw new TypeError(`${where}: "audience" must be a string or strings`);
  if ((d.endpoint === undefined) === (d.deliver === undefined)) throw new TypeError(`${where}: give exactly one of "endpoint" and "deliver"`);
  if (d.endpoint !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(d.endpoint);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) throw new TypeError(`${where}: "endpoint" must be an http(s) URL`);
  }
}

/**
 * Turns the audit outbox into SCIM events (RFC 9967) signed as Security Event Tokens (RFC 8417) and
 * delivers them to each tenant's destination, by push (RFC 8935) or to a function: at least once,
 * in sequence order per tenant (so in order per resource), retrying with exponential backoff. Its
 * position per tenant is in the database, moved after each delivery, so a restart neither loses
 * nor repeats events beyond the one in flight; a lease lets several publishers run, one per tenant
 * at a time. A tenant's events go only to the destination `destinations` gives for that tenant.
 */
export class ScimEventPublisher {
  private readonly signer: SetSigner;
  private readonly log: PostgresAuditLog;
  private readonly deliveries: EventDeliveries;
  private readonly settings: { poll: number; retry: number; maxRetry: number; timeout: number; batch: number };
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;

  /**
   * @param client - the storage's database client.
   * @param options - issuer, signing key, destinations, timings.
   * @throws TypeError naming the option when one is not accepted.
   */
  constructor(
    client: SqlClient,
    private readonly options: ScimEventPublisherOptions,
  ) {
    checkOptions(options);
    const names = storageNames(options);
    this.signer = new SetSigner(options.signingKey);
    this.log = new PostgresAuditLog(client, { schema: names.meta });
    const lease = positive(options, 'leaseDuration', 30_000);
    this.deliveries = new EventDeliveries(client, names, `publisher-${crypto.randomUUID()}`, lease);
    this.settings = {
      poll: positive(options, 'pollInterval', 1000),
      retry: positive(options, 'retryDelay', 1000),
      maxRetry: positive(options, 'maxRetryDelay', 300_000),
      timeout: positive(options, 'timeout', 10_000),
      batch: Math.floor(positive(options, 'batchSize', 100)),
    };
  }

  /** Starts looking at the outbox every `pollInterval`. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops after the delivery in flight, and gives back this publisher's leases. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
    await this.deliveries.release();
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.publish()
        .then(
          () => undefined,
          (error: unknown) => this.report(error, '', 0),
        )
        .finally(() => this.schedule(this.settings.poll));
    }, delay);
  }

  /** One look at the outbox: delivers what is due for every tenant; resolves to the number of events delivered. */
  async publish(): Promise<number> {
    const tenants = await this.deliveries.claim(100);
    const counts = await Promise.all(tenants.map((t) => this.publishTenant(t.tenantId, t.delivered, t.attempts)));
    return counts.reduce((a, b) => a + b, 0);
  }

  private async publishTenant(tenantId: string, from: number, attempts: number): Promise<number> {
    let delivered = 0;
    try {
      const page = await this.log.read(tenantId, { after: from, limit: this.settings.batch });
      for (const entry of page.entries) {
        if (this.stopped && delivered > 0) break;
        const outcome = await this.deliver(tenantId, entry);
        if (outcome instanceof Error) {
          const delay = Math.min(this.settings.maxRetry, this.settings.retry * 2 ** Math.min(attempts, 30));
          await this.deliveries.failed(tenantId, delay, outcome.message);
          this.report(outcome, tenantId, entry.sequence);
          return delivered;
        }
        if (!(await this.deliveries.advance(tenantId, entry.sequence))) return delivered; // the lease went to another publisher
        if (outcome === 'delivered') delivered++;
      }
      await this.deliveries.release(tenantId);
    } catch (error) {
      await this.deliveries.release(tenantId).catch(() => undefined);
      throw error;
    }
    return delivered;
  }

  /** Delivers one stored event: `delivered`, `passed` over (nothing to deliver, or refused for good), or the error to retry on. */
  private async deliver(tenantId: string, entry: AuditLogEntry): Promise<'delivered' | 'passed' | Error> {
    try {
      const destination = await this.options.destinations(tenantId);
      if (!destination) return 'passed';
      checkDestination(tenantId, destination);
      const claims = scimEventClaims(entry, {
        issuer: this.options.issuer,
        audience: destination.audience,
        resourcePath: this.options.resourcePath ?? defaultResourcePath,
        now: new Date(),
      });
      if (!claims) return 'passed';
      const token = await this.signer.sign(claims);
      if (destination.deliver) {
        await destination.deliver(token, { tenantId, sequence: entry.sequence, claims });
        return 'delivered';
      }
      const target = {
        endpoint: destination.endpoint as string,
        timeout: this.settings.timeout,
        ...(destination.headers ? { headers: destination.headers } : {}),
      };
      const result = await pushSet(token, target, this.options.fetch ?? fetch);
      if (result.ok) return 'delivered';
      if (result.final) {
        this.report(new Error(result.error), tenantId, entry.sequence);
        return 'passed'; // RFC 8935 §2.3: the recipient refused this SET; sending it again cannot succeed
      }
      return new Error(result.error);
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
  }

  private report(error: unknown, tenantId: string, sequence: number): void {
    try {
      this.options.onError?.(error instanceof Error ? error : new Error(String(error)), { tenantId, sequence });
    } catch {
      // a failing error handler must not stop the publisher
    }
  }
}
