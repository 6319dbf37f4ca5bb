import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { StaticTenantResolver } from '../../src/tenant/static-tenant-resolver.js';
import { constantTimeEqual, hashToken, syncTokenHasher, webCryptoHash } from '../../src/tenant/token-hash.js';
import type { TenantResolutionInput } from '../../src/tenant/tenant-resolver.js';

function input(token: string | undefined, extra: Partial<TenantResolutionInput> = {}): TenantResolutionInput {
  return {
    ...(token !== undefined ? { token } : {}),
    headers: {},
    path: '/scim/v2/Users',
    baseUrl: 'https://scim.example.com/scim/v2',
    requestId: 'req-1',
    ...extra,
  };
}

/** Every string reachable from `root` through own properties, Map keys/values, Sets and arrays. */
function reachableStrings(root: unknown): string[] {
  const out: string[] = [];
  const seen = new Set<unknown>();
  const visit = (value: unknown): void => {
    if (typeof value === 'string') {
      out.push(value);
      return;
    }
    if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return;
    if (seen.has(value)) return;
    seen.add(value);
    if (value instanceof Map) {
      for (const [k, v] of value) {
        visit(k);
        visit(v);
      }
    } else if (value instanceof Set) {
      for (const v of value) visit(v);
    }
    for (const key of Reflect.ownKeys(value as object)) {
      if (typeof key === 'string') out.push(key);
      const descriptor = Object.getOwnPropertyDescriptor(value, key);
      if (descriptor && 'value' in descriptor) visit(descriptor.value);
    }
  };
  visit(root);
  return out;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Hides `process.getBuiltinModule`, as on a runtime without `node:crypto` (Workers, browsers): the resolver hashes in plain JavaScript. */
function withoutSyncHash(): void {
  vi.spyOn(process, 'getBuiltinModule').mockImplementation((() => undefined) as never);
}

describe('token-hash', () => {
  afterEach(() => vi.restoreAllMocks());

  it('hashes to lower-case hex SHA-256', async () => {
    expect(await hashToken('secret-token')).toBe(sha256('secret-token'));
    expect(await hashToken('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('gives the same digest synchronously (node:crypto) and through Web Crypto, as UTF-8', async () => {
    const hashSync = syncTokenHasher();
    expect(hashSync).toBeTypeOf('function');
    for (const token of ['secret-token', '', 'jeton-\u00e9t\u00e9-\u{1F511}', 'lone-\ud800-surrogate', 'x'.repeat(10_000)]) {
      const expected = sha256(token);
      expect(hashSync?.(token)).toBe(expected);
      expect(await webCryptoHash(token)).toBe(expected);
    }
  });

  it('falls back to Web Crypto where the runtime has no synchronous hash', async () => {
    withoutSyncHash();
    expect(syncTokenHasher()).toBeUndefined();
    expect(await hashToken('secret-token')).toBe(sha256('secret-token'));
  });

  it('compares strings exactly', () => {
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abd')).toBe(false);
    expect(constantTimeEqual('abc', 'ab')).toBe(false);
    expect(constantTimeEqual('', '')).toBe(true);
    expect(constantTimeEqual('', 'a')).toBe(false);
    expect(constantTimeEqual('ab\u0000', 'ab')).toBe(false);
  });
});

describe.each(['node:crypto', 'plain JavaScript'])('StaticTenantResolver, hashing with %s', (hashing) => {
  beforeEach(() => {
    if (hashing === 'plain JavaScript') withoutSyncHash();
  });
  afterEach(() => vi.restoreAllMocks());

  it('resolves a token to its tenant with the configured context', async () => {
    const resolver = new StaticTenantResolver([
      {
        id: 'acme',
        token: 'tok-acme',
        clientId: 'entra',
        isolationLevel: 'strict',
        permissions: { maxUsers: 5 },
        settings: { groupPatchResponse: 'resource' },
      },
      { id: 'beta', token: 'tok-beta' },
    ]);
    const ctx = await resolver.resolve(input('tok-acme'));
    expect(ctx).toEqual({
      tenantId: 'acme',
      clientId: 'entra',
      credentialId: 'token',
      isolationLevel: 'strict',
      permissions: { maxUsers: 5 },
      baseUrl: 'https://scim.example.com/scim/v2',
      settings: { groupPatchResponse: 'resource' },
    });
    const beta = await resolver.resolve(input('tok-beta'));
    expect(beta).toMatchObject({ tenantId: 'beta', clientId: 'beta', isolationLevel: 'standard', permissions: {} });
    expect(beta).not.toHaveProperty('settings');
  });

  it('refuses a missing, empty or unknown token', async () => {
    const resolver = new StaticTenantResolver([{ id: 'acme', token: 'tok-acme' }]);
    expect(await resolver.resolve(input(undefined))).toBeNull();
    expect(await resolver.resolve(input(''))).toBeNull();
    expect(await resolver.resolve(input('tok-acm'))).toBeNull();
    expect(await resolver.resolve(input('TOK-ACME'))).toBeNull();
    expect(await resolver.resolve(input('tok-acme '))).toBeNull();
  });

  it('accepts two tokens during rotation and stops accepting a revoked one', async () => {
    const resolver = new StaticTenantResolver([{ id: 'acme', tokens: ['old', 'new'] }]);
    expect((await resolver.resolve(input('old')))?.tenantId).toBe('acme');
    expect((await resolver.resolve(input('new')))?.tenantId).toBe('acme');
    expect(await resolver.revokeToken('acme', 'old')).toBe(true);
    expect(await resolver.resolve(input('old'))).toBeNull();
    expect((await resolver.resolve(input('new')))?.tenantId).toBe('acme');
    expect(await resolver.revokeToken('acme', 'old')).toBe(false);
    expect(await resolver.revokeToken('nobody', 'new')).toBe(false);
  });

  it('rotates with addToken: both work until the old one is revoked', async () => {
    const resolver = new StaticTenantResolver([{ id: 'acme', token: 'v1' }]);
    await resolver.addToken('acme', 'v2');
    expect((await resolver.resolve(input('v1')))?.tenantId).toBe('acme');
    expect((await resolver.resolve(input('v2')))?.tenantId).toBe('acme');
    await resolver.revokeToken('acme', 'v1');
    expect(await resolver.resolve(input('v1'))).toBeNull();
    expect((await resolver.resolve(input('v2')))?.tenantId).toBe('acme');
    await expect(resolver.addToken('nobody', 'x')).rejects.toThrow(TypeError);
  });

  it('revokes a token given both as token and in tokens', async () => {
    const resolver = new StaticTenantResolver([{ id: 'acme', token: 'dup', tokens: ['dup', 'other'] }]);
    expect(await resolver.revokeToken('acme', 'dup')).toBe(true);
    expect(await resolver.resolve(input('dup'))).toBeNull();
    expect((await resolver.resolve(input('other')))?.tenantId).toBe('acme');
  });

  it('keeps no plain token anywhere in the object', async () => {
    const tokens = ['plain-token-one-4f9a', 'plain-token-two-77c1', 'rotated-token-three-9e2d'] as const;
    const resolver = new StaticTenantResolver([
      { id: 'acme', token: tokens[0], tokens: [tokens[1]] },
      { id: 'beta', tokenHashes: [sha256('hashed-only-token')] },
    ]);
    await resolver.whenReady();
    await resolver.addToken('acme', tokens[2]);
    await resolver.resolve(input(tokens[0]));

    const json = JSON.stringify(resolver);
    const strings = reachableStrings(resolver);
    // the walk really reaches the stored digests, so it would also reach a stored token
    expect(strings).toContain(sha256(tokens[0]));
    expect(strings).toContain(sha256(tokens[2]));
    for (const token of [...tokens, 'hashed-only-token']) {
      expect(json.includes(token)).toBe(false);
      expect(strings.some((s) => s.includes(token))).toBe(false);
    }
  });

  it('accepts pre-hashed tokens (tokenHashes), in any hex case', async () => {
    const resolver = new StaticTenantResolver([
      { id: 'acme', tokenHashes: [sha256('from-vault')] },
      { id: 'beta', tokenHashes: [sha256('upper').toUpperCase()] },
    ]);
    expect((await resolver.resolve(input('from-vault')))?.tenantId).toBe('acme');
    expect((await resolver.resolve(input('upper')))?.tenantId).toBe('beta');
    expect(await resolver.resolve(input(sha256('from-vault')))).toBeNull(); // the digest is not a token
  });

  it('returns null when the URL names another tenant than the token', async () => {
    const resolver = new StaticTenantResolver([
      { id: 'acme', token: 'tok-acme' },
      { id: 'beta', token: 'tok-beta' },
    ]);
    expect(await resolver.resolve(input('tok-acme', { urlTenantId: 'beta' }))).toBeNull();
    expect(await resolver.resolve(input('tok-acme', { urlTenantId: 'ACME' }))).toBeNull();
    expect(await resolver.resolve(input('tok-acme', { urlTenantId: 'nobody' }))).toBeNull();
    expect((await resolver.resolve(input('tok-acme', { urlTenantId: 'acme' })))?.tenantId).toBe('acme');
    expect(await resolver.resolve(input(undefined, { urlTenantId: 'acme' }))).toBeNull();
  });

  it('removeTenant drops the tenant and all its tokens', async () => {
    const resolver = new StaticTenantResolver([
      { id: 'acme', tokens: ['a1', 'a2'] },
      { id: 'beta', token: 'b1' },
    ]);
    await resolver.whenReady();
    expect(resolver.removeTenant('acme')).toBe(true);
    expect(resolver.removeTenant('acme')).toBe(false);
    expect(await resolver.resolve(input('a1'))).toBeNull();
    expect(await resolver.resolve(input('a2'))).toBeNull();
    expect((await resolver.resolve(input('b1')))?.tenantId).toBe('beta');
    expect(resolver.tenantIds()).toEqual(['beta']);
    // the tokens are free again
    await resolver.addTenant({ id: 'gamma', token: 'a1' });
    expect((await resolver.resolve(input('a1')))?.tenantId).toBe('gamma');
  });

  it('replacing a tenant replaces its tokens', async () => {
    const resolver = new StaticTenantResolver([{ id: 'acme', token: 'first' }]);
    await resolver.addTenant({ id: 'acme', token: 'second', clientId: 'okta' });
    expect(await resolver.resolve(input('first'))).toBeNull();
    expect(await resolver.resolve(input('second'))).toMatchObject({ tenantId: 'acme', clientId: 'okta' });
  });

  it('refuses a token that already belongs to another tenant and keeps the existing tenant', async () => {
    const resolver = new StaticTenantResolver([
      { id: 'acme', token: 'a' },
      { id: 'beta', token: 'b' },
    ]);
    await expect(resolver.addTenant({ id: 'gamma', token: 'a' })).rejects.toThrow(TypeError);
    await expect(resolver.addTenant({ id: 'beta', token: 'a' })).rejects.toThrow(TypeError);
    expect((await resolver.resolve(input('b')))?.tenantId).toBe('beta');
    expect((await resolver.resolve(input('a')))?.tenantId).toBe('acme');
    await expect(resolver.addToken('beta', 'a')).rejects.toThrow(TypeError);
    expect((await resolver.resolve(input('a')))?.tenantId).toBe('acme');
  });

  it('validates definitions', async () => {
    const resolver = new StaticTenantResolver();
    await expect(resolver.addTenant({ id: '' })).rejects.toThrow(TypeError);
    await expect(resolver.addTenant({ id: 'x', token: 't', isolationLevel: 'silo' as never })).rejects.toThrow(TypeError);
    await expect(resolver.addTenant({ id: 'x', token: 't', permissions: { canDelet: false } as never })).rejects.toThrow('did you mean canDelete?');
    expect(() => resolver.setPermissions('nobody', {})).toThrow('tenant "nobody": id names no tenant');
  });

  it('refuses a bad constructor list when it is given: a token of two tenants, an id twice, a tenant without a token', () => {
    const twoOwners = [
      { id: 'acme', token: 'same' },
      { id: 'beta', tokens: ['other', 'same'] },
    ];
    expect(() => new StaticTenantResolver(twoOwners)).toThrow('tenant "beta": token is already a token of tenant "acme"');
    const twice = [
      { id: 'acme', token: 'a' },
      { id: 'acme', token: 'b' },
    ];
    expect(() => new StaticTenantResolver(twice)).toThrow('tenant "acme": id is given to two tenants');
    expect(() => new StaticTenantResolver([{ id: 'acme' }])).toThrow('tenant "acme": token is missing');
    expect(() => new StaticTenantResolver([{ id: 'acme', tokens: [] }])).toThrow('tenant "acme": token is missing');
    expect(() => new StaticTenantResolver([{ id: 'acme', tokenHashes: ['abc'] }])).toThrow('tenant "acme": tokenHashes[0] must be a SHA-256 digest in hex');
  });

  it('needs no waiting: tenants given to the constructor resolve, and can be changed, at once', async () => {
    const resolver = new StaticTenantResolver([{ id: 'acme', token: 't' }]);
    resolver.setPermissions('acme', { readOnly: true });
    expect(await resolver.resolve(input('t'))).toMatchObject({ tenantId: 'acme', permissions: { readOnly: true } });
    await expect(resolver.whenReady()).resolves.toBeUndefined();
  });

  it('setPermissions changes what later resolutions carry', async () => {
    const resolver = new StaticTenantResolver([{ id: 'acme', token: 't', permissions: { canDelete: true } }]);
    await resolver.whenReady();
    resolver.setPermissions('acme', { readOnly: true });
    expect((await resolver.resolve(input('t')))?.permissions).toEqual({ readOnly: true });
    expect(() => resolver.setPermissions('nobody', {})).toThrow(TypeError);
  });

  it('a removal while the tenant is still being added wins', async () => {
    const resolver = new StaticTenantResolver([{ id: 'acme', token: 'a' }]);
    expect(resolver.removeTenant('acme')).toBe(true);
    await resolver.whenReady();
    expect(resolver.tenantIds()).toEqual([]);
    expect(await resolver.resolve(input('a'))).toBeNull();

    const adding = resolver.addTenant({ id: 'beta', token: 'b' });
    resolver.removeTenant('beta');
    await adding;
    expect(await resolver.resolve(input('b'))).toBeNull();
  });

  it('the later of two concurrent adds of one tenant wins', async () => {
    const resolver = new StaticTenantResolver();
    await Promise.all([resolver.addTenant({ id: 'acme', token: 'first' }), resolver.addTenant({ id: 'acme', token: 'second' })]);
    expect(await resolver.resolve(input('first'))).toBeNull();
    expect((await resolver.resolve(input('second')))?.tenantId).toBe('acme');
  });

  it('copies permissions so later changes to the definition do not leak in', async () => {
    const permissions = { maxUsers: 1 };
    const resolver = new StaticTenantResolver([{ id: 'acme', token: 't', permissions }]);
    permissions.maxUsers = 1000;
    expect((await resolver.resolve(input('t')))?.permissions.maxUsers).toBe(1);
  });
});

describe('StaticTenantResolver start-up', () => {
  afterEach(() => vi.restoreAllMocks());

  it('with a synchronous hash, keeps only digests from the constructor on', () => {
    const resolver = new StaticTenantResolver([{ id: 'acme', token: 'plain-token-at-start-5b1e', tokens: ['plain-token-rotated-0c3d'] }]);
    const strings = reachableStrings(resolver);
    expect(strings).toContain(sha256('plain-token-at-start-5b1e'));
    expect(strings.some((s) => s.includes('plain-token-'))).toBe(false);
    expect(resolver.tenantIds()).toEqual(['acme']);
  });

  it('without node:crypto, hashes in plain JavaScript in the constructor, never with Web Crypto', async () => {
    withoutSyncHash();
    const digest = vi.spyOn(globalThis.crypto.subtle, 'digest');
    const resolver = new StaticTenantResolver([{ id: 'acme', token: 'tok-acme' }]);
    expect(resolver.tenantIds()).toEqual(['acme']);
    expect(reachableStrings(resolver)).toContain(sha256('tok-acme'));
    expect(reachableStrings(resolver).some((s) => s.includes('tok-acme'))).toBe(false);
    expect((await resolver.resolve(input('tok-acme')))?.tenantId).toBe('acme');
    expect(digest).not.toHaveBeenCalled();
  });
});
