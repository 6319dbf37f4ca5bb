import { ConfigurationError } from './configuration-error.js';
import type { IsolationLevel } from './isolation-level.js';
import { checkTenantPermissions } from './permissions-check.js';
import { sha256Hex } from './sha256.js';
import type { TenantContext } from './tenant-context.js';
import { checkTenantDefinition } from './tenant-definition-check.js';
import type { TenantPermissions } from './tenant-permissions.js';
import type { KnownTenant, TenantResolutionInput, TenantResolver } from './tenant-resolver.js';
import type { TenantSettings } from './tenant-settings.js';
import { constantTimeEqual, syncTokenHasher, type SyncTokenHasher } from './token-hash.js';

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

/** True when `digest` is one of `hashes`, each compared in constant time. */
function holdsDigest(hashes: readonly string[], digest: string): boolean {
  for (const h of hashes) if (constantTimeEqual(h, digest)) return true;
  return false;
}

/** A copy of a value made of plain objects and arrays, so that later changes to the caller's objects do not reach it. */
function copyOf<T>(value: T): T {
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (Array.isArray(value)) return value.map(copyOf) as T;
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = copyOf(v);
  return out as T;
}

/**
 * A checked definition's credentials: each token's digest with its label (`token`, `tokens[i]`,
 * `tokenHashes[i]` unless labelled). The first label of a digest given twice counts.
 */
function credentialsOf(definition: TenantDefinition, digest: SyncTokenHasher): Map<string, string> {
  const labels = new Map<string, string>();
  const add = (hash: string, label: string) => {
    if (!labels.has(hash)) labels.set(hash, label);
  };
  if (definition.token !== undefined) add(digest(definition.token), 'token');
  for (const [i, t] of (definition.tokens ?? []).entries()) {
    if (typeof t === 'string') add(digest(t), `tokens[${i}]`);
    else add(digest(t.token), t.label || `tokens[${i}]`);
  }
  for (const [i, h] of (definition.tokenHashes ?? []).entries()) {
    if (typeof h === 'string') add(h.toLowerCase(), `tokenHashes[${i}]`);
    else add(h.hash.toLowerCase(), h.label || `tokenHashes[${i}]`);
  }
  return labels;
}

/** The entry of a checked definition: its tokens' digests and labels, and copies of its settings. */
function entryOf(definition: TenantDefinition, digest: SyncTokenHasher): Entry {
  const labels = credentialsOf(definition, digest);
  return {
    id: definition.id,
    hashes: [...labels.keys()],
    labels,
    added: 0,
    clientId: definition.clientId ?? definition.id,
    isolationLevel: definition.isolationLevel ?? 'standard',
    permissions: copyOf(definition.permissions ?? {}),
    settings: definition.settings === undefined ? undefined : copyOf(definition.settings),
  };
}

/**
 * Resolves bearer tokens to tenants from a fixed (but changeable at runtime) list.
 *
 * Definitions are checked when they are given: an unknown key, a value of the wrong type, a tenant
 * without any token, two tenants with one id or one token is a {@link ConfigurationError} naming
 * the tenant and the key. Tokens are kept only as their SHA-256 digests, computed at once and
 * compared in constant time: with `node:crypto` where the runtime has it synchronously (Node 20.16
 * and newer, Bun, Deno; about a microsecond), else in plain JavaScript (Workers, browsers; a few
 * microseconds), never with asynchronous Web Crypto, so that a resolver made where start-up code
 * may run nothing asynchronous (Cloudflare Workers' global scope) is complete at once. When the URL
 * also names a tenant, the token's tenant must be that one, or the request is not resolved.
 */
export class StaticTenantResolver implements TenantResolver {
  private readonly entries = new Map<string, Entry>();
  private readonly byHash = new Map<string, string>();
  /** SHA-256 of a token, synchronous on every runtime. */
  private readonly digest: SyncTokenHasher = syncTokenHasher() ?? sha256Hex;

  /** @throws ConfigurationError for a definition that is malformed, repeats a tenant id or shares a token with another tenant. */
  constructor(tenants: readonly TenantDefinition[] = []) {
    if (!Array.isArray(tenants)) throw new ConfigurationError('tenants', 'must be an array of tenant definitions');
    const seen = new Set<string>();
    tenants.forEach((definition, i) => {
      checkTenantDefinition(definition, `tenants[${i}]`);
      if (seen.has(definition.id)) throw new ConfigurationError('id', 'is given to two tenants; tenant ids must be unique', definition.id);
      seen.add(definition.id);
    });
    for (const definition of tenants) this.register(entryOf(definition, this.digest));
  }

  /**
   * Adds a tenant, or replaces the one with the same id (its tokens, permissions and settings).
   *
   * @throws ConfigurationError (as a rejected promise) for a malformed definition or a token of another tenant.
   */
  async addTenant(definition: TenantDefinition): Promise<void> {
    checkTenantDefinition(definition, 'tenant');
    this.register(entryOf(definition, this.digest));
  }

  private register(entry: Entry): void {
    for (const h of entry.hashes) {
      const owner = this.byHash.get(h);
      if (owner !== undefined && owner !== entry.id) {
        throw new ConfigurationError('token', `is already a token of tenant ${JSON.stringify(owner)}; every token belongs to one tenant`, entry.id);
      }
    }
    this.removeTenant(entry.id);
    this.entries.set(entry.id, entry);
    for (const h of entry.hashes) this.byHash.set(h, entry.id);
  }

  /** Removes a tenant and its tokens. Returns false when it was not known. */
  removeTenant(id: string): boolean {
    const entry = this.entries.get(id);
    if (!entry) return false;
    for (const h of entry.hashes) this.byHash.delete(h);
    this.entries.delete(id);
    return true;
  }

  /**
   * Replaces a tenant's permissions.
   *
   * @throws ConfigurationError for an unknown tenant or permissions that are not valid.
   */
  setPermissions(id: string, permissions: TenantPermissions): void {
    const entry = this.entries.get(id);
    if (!entry) throw new ConfigurationError('id', 'names no tenant of this resolver', id);
    checkTenantPermissions(permissions, id);
    entry.permissions = copyOf(permissions);
  }

  /**
   * Adds a token to a tenant (rotation: the old one keeps working until removed). Audit events name
   * it by `label`, by default `addToken[n]` for the tenant's n-th added token.
   */
  async addToken(id: string, token: string, label?: string): Promise<void> {
    const entry = this.entries.get(id);
    if (!entry) throw new ConfigurationError('id', 'names no tenant of this resolver', id);
    if (typeof token !== 'string' || token.length === 0) throw new ConfigurationError('token', 'must be a non-empty string', id);
    const h = this.digest(token);
    const owner = this.byHash.get(h);
    if (owner !== undefined && owner !== id) throw new ConfigurationError('token', `is already a token of tenant ${JSON.stringify(owner)}`, id);
    if (!entry.hashes.includes(h)) entry.hashes.push(h);
    entry.labels.set(h, label || `addToken[${entry.added++}]`);
    this.byHash.set(h, id);
  }

  /** Revokes one token of a tenant. */
  async revokeToken(id: string, token: string): Promise<boolean> {
    const entry = this.entries.get(id);
    if (!entry || typeof token !== 'string') return false;
    const h = this.digest(token);
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

  /** The tenants this resolver can resolve, for the server to check against its own configuration. */
  knownTenants(): KnownTenant[] {
    return [...this.entries.values()].map((e) => ({
      id: e.id,
      isolationLevel: e.isolationLevel,
      permissions: e.permissions,
      ...(e.settings ? { settings: e.settings } : {}),
    }));
  }

  /**
   * Resolves at once: tenants are registered when they are given. Kept so that code written for
   * earlier versions, which had to wait here, still runs.
   */
  async whenReady(): Promise<void> {}

  async resolve(input: TenantResolutionInput): Promise<TenantContext | null> {
    if (typeof input.token !== 'string' || input.token.length === 0) return null;
    const digest = this.digest(input.token);
    const id = this.byHash.get(digest);
    if (id === undefined) return null;
    const entry = this.entries.get(id);
    if (!entry || !holdsDigest(entry.hashes, digest)) return null;
    if (input.urlTenantId !== undefined && !constantTimeEqual(input.urlTenantId, entry.id)) return null;
    const credentialId = entry.labels.get(digest);
    return {
      tenantId: entry.id,
      clientId: entry.clientId,
      isolationLevel: entry.isolationLevel,
      permissions: entry.permissions,
      baseUrl: input.baseUrl,
      ...(credentialId !== undefined ? { credentialId } : {}),
      ...(entry.settings ? { settings: entry.settings } : {}),
    };
  }
}
