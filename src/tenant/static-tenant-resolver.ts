import { isIsolationLevel, type IsolationLevel } from './isolation-level.js';
import type { TenantContext } from './tenant-context.js';
import type { TenantPermissions } from './tenant-permissions.js';
import type { TenantSettings } from './tenant-settings.js';
import type { TenantResolutionInput, TenantResolver } from './tenant-resolver.js';
import { constantTimeEqual, syncTokenHasher, webCryptoHash, type SyncTokenHasher } from './token-hash.js';

/** A tenant as configured for {@link StaticTenantResolver}. */
export interface TenantDefinition {
  /** Tenant id. */
  id: string;
  /** One bearer token. Kept only as its SHA-256 digest. Audit events name it `token`. */
  token?: string;
  /**
   * Several valid bearer tokens (for rotation), each plain or with a label that audit events name it
   * by (`{ token, label: 'okta-2025' }`). Kept only as digests. An unlabelled one is named by its
   * place: `tokens[1]`.
   */
  tokens?: (string | LabelledToken)[];
  /**
   * Hex SHA-256 digests of valid tokens, for configurations that never hold the plain token, each
   * plain or with a label (`{ hash, label }`). An unlabelled one is named `tokenHashes[0]`.
   */
  tokenHashes?: (string | LabelledTokenHash)[];
  /** Client id reported in audit events; defaults to the tenant id. */
  clientId?: string;
  /** Defaults to `standard`. */
  isolationLevel?: IsolationLevel;
  /** Defaults to everything allowed, no quotas. */
  permissions?: TenantPermissions;
  /** Per-tenant server settings. */
  settings?: TenantSettings;
}

/** A bearer token with the label audit events name it by (a key id: never the secret). */
export interface LabelledToken {
  token: string;
  label: string;
}

/** A token's hex SHA-256 digest with the label audit events name it by. */
export interface LabelledTokenHash {
  hash: string;
  label: string;
}

/** A token's digest and the label of the credential (`credentialId`). */
interface Credential {
  readonly hash: string;
  readonly label: string;
}

interface Entry {
  id: string;
  hashes: string[];
  /** Digest → the label of the credential (`credentialId`). */
  labels: Map<string, string>;
  /** Tokens added with addToken so far, for the labels of unlabelled ones. */
  added: number;
  clientId: string;
  isolationLevel: IsolationLevel;
  permissions: TenantPermissions;
  settings: TenantSettings | undefined;
}

/** A definition's plain tokens with their labels: `token`, then `tokens[i]` unless labelled. */
function plainTokens(definition: TenantDefinition): { token: string; label: string }[] {
  const out = definition.token ? [{ token: definition.token, label: 'token' }] : [];
  for (const [i, t] of (definition.tokens ?? []).entries()) {
    if (typeof t === 'string') out.push({ token: t, label: `tokens[${i}]` });
    else out.push({ token: t.token, label: t.label || `tokens[${i}]` });
  }
  return out;
}

/** A definition's token digests, lower-cased, with their labels (`tokenHashes[i]` unless labelled). */
function givenHashes(definition: TenantDefinition): Credential[] {
  return (definition.tokenHashes ?? []).map((h, i) =>
    typeof h === 'string' ? { hash: h.toLowerCase(), label: `tokenHashes[${i}]` } : { hash: h.hash.toLowerCase(), label: h.label || `tokenHashes[${i}]` },
  );
}

function checkDefinition(definition: TenantDefinition): void {
  if (!definition?.id || typeof definition.id !== 'string') throw new TypeError('Tenant id is required');
  if (definition.isolationLevel !== undefined && !isIsolationLevel(definition.isolationLevel)) {
    throw new TypeError(`Unknown isolation level for tenant ${definition.id}`);
  }
}

/** A copy of a definition that later changes to the caller's object, lists or permissions do not reach. */
function copyDefinition(definition: TenantDefinition): TenantDefinition {
  return {
    ...definition,
    ...(definition.tokens ? { tokens: definition.tokens.map((t) => (typeof t === 'string' ? t : { ...t })) } : {}),
    ...(definition.tokenHashes ? { tokenHashes: definition.tokenHashes.map((h) => (typeof h === 'string' ? h : { ...h })) } : {}),
    ...(definition.permissions ? { permissions: { ...definition.permissions } } : {}),
  };
}

/**
 * Resolves bearer tokens to tenants from a fixed (but changeable at runtime) list.
 *
 * Tokens are stored hashed and compared in constant time. When the URL also names a tenant, the
 * token's tenant must be that one, or the request is not resolved.
 *
 * Where the runtime hashes synchronously (`node:crypto` on Node 20.16 and newer, Bun, Deno), the
 * constructor hashes the tokens given to it and keeps only the digests, and each request's token is
 * hashed in about a microsecond. Elsewhere (Cloudflare Workers without `nodejs_compat`, browsers)
 * hashing is Web Crypto's and asynchronous, which start-up code there may not run: the constructor
 * then only checks and copies the definitions, and the tokens are hashed (and the plain tokens
 * dropped) at the first call that needs them ({@link whenReady}, {@link resolve}, ...).
 */
export class StaticTenantResolver implements TenantResolver {
  private readonly entries = new Map<string, Entry>();
  private readonly byHash = new Map<string, string>();
  /** The latest addTenant call per id still hashing; a later add or a remove supersedes it. */
  private readonly pending = new Map<string, object>();
  /** The constructor's tenants, until the first call that needs them registers them. */
  private unstarted: TenantDefinition[] | undefined;
  private ready: Promise<void> | undefined;
  /** True once the constructor's tenants are all registered (then nothing is left to wait for). */
  private registered = false;
  /** The runtime's synchronous SHA-256, when it has one; Web Crypto's otherwise. */
  private readonly hashSync: SyncTokenHasher | undefined;

  /** @throws TypeError when a definition has no id or an unknown isolation level. */
  constructor(tenants: readonly TenantDefinition[] = []) {
    for (const t of tenants) checkDefinition(t);
    this.unstarted = tenants.map(copyDefinition);
    this.hashSync = syncTokenHasher();
    // With a synchronous hash, registering runs to its end here: only digests are kept.
    if (this.hashSync) void this.started();
  }

  /** The digest of a token: synchronous where the runtime allows. */
  private digest(token: string): string | Promise<string> {
    return this.hashSync ? this.hashSync(token) : webCryptoHash(token);
  }

  /** Registers the constructor's tenants, once; a bad list surfaces through whenReady() and resolve(). */
  private started(): Promise<void> {
    if (!this.ready) {
      const tenants = this.unstarted ?? [];
      this.unstarted = undefined;
      this.ready = Promise.all(tenants.map((t) => this.register(t))).then(() => {
        this.registered = true;
      });
      // Not an unhandled rejection: whoever waits for it sees the error.
      this.ready.catch(() => undefined);
    }
    return this.ready;
  }

  /** Adds (or replaces) a tenant. */
  async addTenant(definition: TenantDefinition): Promise<void> {
    // The constructor's tenants first, so that this definition replaces one of them and not the
    // reverse, and a token of theirs is known to be taken. A bad constructor list is reported by
    // whenReady() and resolve(), not here.
    const constructed = this.started().catch(() => undefined);
    return this.register(definition, constructed);
  }

  /**
   * Registers a definition: at once when its tokens hash synchronously, else once they are hashed
   * and `after` has settled, unless a later add or a removal superseded it meanwhile.
   */
  private register(definition: TenantDefinition, after?: Promise<void>): Promise<void> {
    try {
      checkDefinition(definition);
      const plain = plainTokens(definition);
      const given = givenHashes(definition);
      const snapshot = {
        id: definition.id,
        clientId: definition.clientId ?? definition.id,
        isolationLevel: definition.isolationLevel ?? 'standard',
        permissions: { ...(definition.permissions ?? {}) },
        settings: definition.settings,
      };
      const { hashSync } = this;
      if (hashSync) {
        this.pending.delete(definition.id);
        this.commit(snapshot, [...plain.map((p) => ({ hash: hashSync(p.token), label: p.label })), ...given]);
        return Promise.resolve();
      }
      const ticket = {};
      this.pending.set(definition.id, ticket);
      return Promise.all([Promise.all(plain.map((p) => webCryptoHash(p.token))), after]).then(([digests]) => {
        if (this.pending.get(definition.id) !== ticket) return; // superseded while hashing
        this.pending.delete(definition.id);
        this.commit(snapshot, [...digests.map((hash, i) => ({ hash, label: plain[i]?.label ?? 'token' })), ...given]);
      });
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Stores a tenant with its credentials, replacing one of the same id. The first label of a digest given twice counts. */
  private commit(snapshot: Omit<Entry, 'hashes' | 'labels' | 'added'>, credentials: readonly Credential[]): void {
    const labels = new Map<string, string>();
    for (const c of credentials) if (!labels.has(c.hash)) labels.set(c.hash, c.label);
    const hashes = [...labels.keys()];
    for (const h of hashes) {
      const owner = this.byHash.get(h);
      if (owner !== undefined && owner !== snapshot.id) throw new TypeError('A token is already assigned to another tenant');
    }
    if (this.entries.has(snapshot.id)) this.removeTenant(snapshot.id);
    const entry: Entry = { ...snapshot, hashes, labels, added: 0 };
    this.entries.set(entry.id, entry);
    for (const h of hashes) this.byHash.set(h, entry.id);
  }

  /** Removes a tenant and its tokens (also one still being added). Returns false when it was not known. */
  removeTenant(id: string): boolean {
    const waiting = this.unstarted?.length ?? 0;
    this.unstarted = this.unstarted?.filter((t) => t.id !== id);
    const cancelled = this.pending.delete(id) || (this.unstarted?.length ?? 0) < waiting;
    const entry = this.entries.get(id);
    if (!entry) return cancelled;
    for (const h of entry.hashes) this.byHash.delete(h);
    this.entries.delete(id);
    return true;
  }

  /** Replaces a tenant's permissions. Tenants given to the constructor are known after {@link whenReady}. */
  setPermissions(id: string, permissions: TenantPermissions): void {
    const entry = this.entries.get(id);
    if (!entry) throw new TypeError(`Unknown tenant ${id}`);
    entry.permissions = { ...permissions };
  }

  /**
   * Adds a token to a tenant (rotation: the old one keeps working until removed). Audit events name
   * it by `label`, by default `addToken[n]` for the tenant's n-th added token.
   */
  async addToken(id: string, token: string, label?: string): Promise<void> {
    await this.started();
    const h = await this.digest(token);
    const entry = this.entries.get(id);
    if (!entry) throw new TypeError(`Unknown tenant ${id}`);
    const owner = this.byHash.get(h);
    if (owner !== undefined && owner !== id) throw new TypeError('A token is already assigned to another tenant');
    if (!entry.hashes.includes(h)) entry.hashes.push(h);
    entry.labels.set(h, label || `addToken[${entry.added++}]`);
    this.byHash.set(h, id);
  }

  /** Revokes one token of a tenant. */
  async revokeToken(id: string, token: string): Promise<boolean> {
    await this.started();
    const h = await this.digest(token);
    const entry = this.entries.get(id);
    if (!entry) return false;
    const i = entry.hashes.indexOf(h);
    if (i < 0) return false;
    entry.hashes.splice(i, 1);
    entry.labels.delete(h);
    this.byHash.delete(h);
    return true;
  }

  /** Ids of the known tenants. */
  tenantIds(): string[] {
    return [...this.entries.keys()];
  }

  /** Waits until the tenants given to the constructor are registered. */
  async whenReady(): Promise<void> {
    await this.started();
  }

  async resolve(input: TenantResolutionInput): Promise<TenantContext | null> {
    if (!this.registered) await this.started();
    if (!input.token) return null;
    const digest = this.hashSync ? this.hashSync(input.token) : await webCryptoHash(input.token);
    const id = this.byHash.get(digest);
    if (id === undefined) return null;
    const entry = this.entries.get(id);
    if (!entry?.hashes.some((h) => constantTimeEqual(h, digest))) return null;
    if (input.urlTenantId !== undefined && !constantTimeEqual(input.urlTenantId, entry.id)) return null;
    const base: { -readonly [K in keyof TenantContext]: TenantContext[K] } = {
      tenantId: entry.id,
      clientId: entry.clientId,
      isolationLevel: entry.isolationLevel,
      permissions: entry.permissions,
      baseUrl: input.baseUrl,
    };
    const credentialId = entry.labels.get(digest);
    if (credentialId !== undefined) base.credentialId = credentialId;
    if (entry.settings) base.settings = entry.settings;
    return base;
  }
}
