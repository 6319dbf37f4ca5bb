import { type Check, integerAtLeast, isBoolean, isFunction, objectOf } from '../../tenant/config-check.js';
import { checkTenantPermissions } from '../../tenant/permissions-check.js';
import { checkTenantSettings } from '../../tenant/settings-check.js';
import { sha256Hex } from '../../tenant/sha256.js';
import type { TenantContext } from '../../tenant/tenant-context.js';
import type { TenantPermissions } from '../../tenant/tenant-permissions.js';
import type { KnownTenant, TenantResolutionInput, TenantResolver } from '../../tenant/tenant-resolver.js';
import { constantTimeEqual, type SyncTokenHasher, syncTokenHasher } from '../../tenant/token-hash.js';
import { type RegistrySnapshot, readRevision, readSnapshot, type SnapshotTenant } from './registry-snapshot.js';
import { type RegistryTables, registryTables } from './registry-tables.js';
import type { SqlClient, SqlSubscription } from './sql-client.js';
import { type StorageNameOptions, storageNames } from './storage-names.js';

/** Options of {@link PostgresTenantResolver}. */
export interface PostgresTenantResolverOptions extends StorageNameOptions {
  /**
   * How often (ms) the registry's revision is polled: one cheap statement, and a full reload only
   * when it changed. This is the bound on propagation when notifications are lost or off. Default
   * 5,000; at least 10.
   */
  pollIntervalMs?: number;
  /** Listen for the registry's notifications (default true; used when the client has `listen`). */
  listen?: boolean;
  /** Receives errors of background refreshes (the last good snapshot stays in force). Defaults to `console.error`. */
  onError?: (error: unknown) => void;
}

const OPTIONS: { readonly [K in keyof Required<PostgresTenantResolverOptions>]: Check } = {
  schema: () => undefined, // checked by storageNames, naming the option
  rlsRole: () => undefined,
  pollIntervalMs: integerAtLeast(10),
  listen: isBoolean,
  onError: isFunction,
};
const checkOptions = objectOf(OPTIONS, 'an option of PostgresTenantResolver');

interface CachedToken {
  readonly tenant: CachedTenant;
  readonly digest: string;
  readonly label: string;
  /** End of validity by the database's clock, in ms, or Infinity. */
  readonly validUntil: number;
}

interface CachedTenant {
  readonly id: string;
  readonly clientId: string;
  readonly known: KnownTenant;
  /** Permissions as requests see them: a suspension shows as `expiresAt`. */
  readonly permissions: TenantPermissions;
}

interface Cache {
  readonly revision: string;
  readonly byDigest: ReadonlyMap<string, CachedToken>;
  readonly tenants: readonly CachedTenant[];
  /** Database clock minus this process's clock when the snapshot was read, in ms. */
  readonly clockOffset: number;
}

const EMPTY: Cache = { revision: '', byDigest: new Map(), tenants: [], clockOffset: 0 };

/** A suspended tenant's permissions: expired since the suspension (or since its own earlier expiry). */
function effectivePermissions(tenant: SnapshotTenant): TenantPermissions {
  if (!tenant.suspendedAt) return tenant.permissions;
  const own = tenant.permissions.expiresAt;
  const ownMs = own === undefined ? Number.POSITIVE_INFINITY : new Date(own).getTime();
  return ownMs <= tenant.suspendedAt.getTime() ? tenant.permissions : { ...tenant.permissions, expiresAt: tenant.suspendedAt.toISOString() };
}

/**
 * Resolves bearer tokens to tenants of the {@link PostgresTenantRegistry}, from a copy of the
 * registry kept in this process: a request costs one SHA-256 and a map lookup, never a query, and a
 * token the registry does not know costs nothing more.
 *
 * The copy is replaced whenever the registry changes: at once when a notification arrives (`LISTEN`
 * on a connection of its own, on a server; PGlite notifies within its one process), and in any
 * case at the next poll of the registry's revision (every `pollIntervalMs`). A change committed by
 * any process is therefore in force here within `pollIntervalMs` plus the time of one reload,
 * usually within milliseconds through the notification. A lost `LISTEN` connection is opened again
 * at the next poll; until then polling alone keeps the bound.
 *
 * Tokens are matched by digest in constant time; a rotated token is refused from its `validUntil`
 * on (by the database's clock), a suspended tenant is refused as an expired one (403, `expiresAt`).
 * When the URL names a tenant, the token's tenant must be that one.
 */
export class PostgresTenantResolver implements TenantResolver {
  private cache: Cache = EMPTY;
  private readonly tables: RegistryTables;
  private readonly pollIntervalMs: number;
  private readonly wantsListen: boolean;
  private readonly onError: (error: unknown) => void;
  private readonly digest: SyncTokenHasher = syncTokenHasher() ?? sha256Hex;
  private timer: ReturnType<typeof setInterval> | undefined;
  private subscription: SqlSubscription | undefined;
  private subscribing: Promise<void> | undefined;
  private loading: Promise<void> | undefined;
  private again = false;
  /** Messages of the stored tenants left out by the last read. */
  private faults = new Set<string>();
  private closed = false;

  /**
   * Use {@link PostgresTenantResolver.open}, which also reads the registry and starts listening and polling.
   *
   * @throws ConfigurationError for an unknown option or a value of the wrong type, naming it.
   */
  constructor(
    private readonly client: SqlClient,
    options: PostgresTenantResolverOptions = {},
  ) {
    checkOptions(options, '', undefined);
    this.tables = registryTables(storageNames(options));
    this.pollIntervalMs = options.pollIntervalMs ?? 5_000;
    this.wantsListen = options.listen ?? true;
    this.onError = options.onError ?? ((error) => console.error('scim-server: tenant registry refresh failed:', error));
  }

  /** Opens a resolver: reads the registry, then listens and polls until {@link close}. */
  static async open(client: SqlClient, options: PostgresTenantResolverOptions = {}): Promise<PostgresTenantResolver> {
    const resolver = new PostgresTenantResolver(client, options);
    await resolver.start();
    return resolver;
  }

  /** Reads the registry, subscribes to its notifications and starts polling. Called by {@link open}. */
  async start(): Promise<void> {
    await this.refresh();
    await this.ensureListening();
    this.timer ??= setInterval(() => void this.poll(), this.pollIntervalMs);
    // Polling alone never keeps a process alive.
    (this.timer as { unref?: () => void }).unref?.();
  }

  /** Reads the registry again now; resolves once a read that started after this call has finished. */
  refresh(): Promise<void> {
    if (this.loading) {
      this.again = true;
      return this.loading;
    }
    this.loading = this.reloadUntilCurrent().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  /** The revision of the registry this process is serving, as a decimal string. */
  get revision(): string {
    return this.cache.revision;
  }

  /** True while notifications are being received (else polling alone propagates changes). */
  get listening(): boolean {
    return this.subscription !== undefined;
  }

  /** Stops polling and listening. The client is left open (it is the caller's). */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.subscribing;
    const subscription = this.subscription;
    this.subscription = undefined;
    await subscription?.close();
  }

  async resolve(input: TenantResolutionInput): Promise<TenantContext | null> {
    if (typeof input.token !== 'string' || input.token.length === 0) return null;
    const digest = this.digest(input.token);
    const cache = this.cache;
    const entry = cache.byDigest.get(digest);
    if (!entry) return null;
    if (Date.now() + cache.clockOffset >= entry.validUntil) return null;
    const tenant = entry.tenant;
    if (!constantTimeEqual(entry.digest, digest)) return null;
    if (input.urlTenantId !== undefined && !constantTimeEqual(input.urlTenantId, tenant.id)) return null;
    return {
      tenantId: tenant.id,
      clientId: tenant.clientId,
      credentialId: entry.label,
      isolationLevel: tenant.known.isolationLevel,
      permissions: tenant.permissions,
      baseUrl: input.baseUrl,
      ...(tenant.known.settings ? { settings: tenant.known.settings } : {}),
    };
  }

  /** The registry's tenants as of the last read, for the server to check against its configuration. */
  knownTenants(): KnownTenant[] {
    return this.cache.tenants.map((t) => t.known);
  }

  private async reloadUntilCurrent(): Promise<void> {
    do {
      this.again = false;
      this.install(await readSnapshot(this.client, this.tables));
    } while (this.again && !this.closed);
  }

  /**
   * Builds the lookup maps of a snapshot. A tenant whose stored permissions or settings fail their
   * checks (written by hand) is left out, and reported once for as long as it stays so.
   */
  private install(snapshot: RegistrySnapshot): void {
    const byDigest = new Map<string, CachedToken>();
    const tenants: CachedTenant[] = [];
    const faults = new Set<string>();
    for (const t of snapshot.tenants) {
      try {
        checkTenantPermissions(t.permissions, t.id);
        if (t.settings !== undefined) checkTenantSettings(t.settings, t.id);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        faults.add(message);
        if (!this.faults.has(message)) this.onError(error);
        continue;
      }
      const known: KnownTenant = { id: t.id, isolationLevel: t.isolationLevel, permissions: t.permissions, ...(t.settings ? { settings: t.settings } : {}) };
      const tenant: CachedTenant = { id: t.id, clientId: t.clientId, known, permissions: effectivePermissions(t) };
      tenants.push(tenant);
      for (const k of t.tokens)
        byDigest.set(k.digest, { tenant, digest: k.digest, label: k.label, validUntil: k.validUntil?.getTime() ?? Number.POSITIVE_INFINITY });
    }
    this.faults = faults;
    this.cache = { revision: snapshot.revision, byDigest, tenants, clockOffset: snapshot.databaseNow - Date.now() };
  }

  /** One poll: reload when the revision moved; subscribe again when the subscription was lost. */
  private async poll(): Promise<void> {
    if (this.closed) return;
    try {
      if ((await readRevision(this.client, this.tables)) !== this.cache.revision) await this.refresh();
      await this.ensureListening();
    } catch (error) {
      if (!this.closed) this.onError(error);
    }
  }

  private ensureListening(): Promise<void> {
    if (!this.wantsListen || !this.client.listen || this.subscription || this.closed) return Promise.resolve();
    this.subscribing ??= this.subscribe().finally(() => {
      this.subscribing = undefined;
    });
    return this.subscribing;
  }

  private async subscribe(): Promise<void> {
    const listen = this.client.listen?.bind(this.client);
    if (!listen) return;
    const subscription = await listen(
      this.tables.channel,
      () => void this.refresh().catch((error: unknown) => this.onError(error)),
      (error) => {
        this.subscription = undefined;
        if (!this.closed) this.onError(error);
      },
    );
    if (this.closed) {
      await subscription.close();
      return;
    }
    this.subscription = subscription;
    // Changes committed while the subscription was being made: read once more.
    await this.refresh();
  }
}
