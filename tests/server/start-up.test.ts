/**
 * Start-up does nothing random and nothing asynchronous, so that a server can be made at module
 * scope where the runtime forbids both there (Cloudflare Workers, the Next.js edge runtime): the
 * random cursor secret is drawn at the first request that needs it, and token digests are computed
 * synchronously (`node:crypto` where the runtime has it, plain JavaScript elsewhere, never Web
 * Crypto), so the configuration is checked in full when it is given.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ScimServer, StaticTenantResolver, TokenBucketRateLimiter } from '../../src/index.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('start-up', () => {
  it('draws no random value and starts no Web Crypto work, without node:crypto (as on Workers), and knows its tenants at once', async () => {
    vi.spyOn(process, 'getBuiltinModule').mockImplementation((() => undefined) as never);
    const random = vi.spyOn(globalThis.crypto, 'getRandomValues');
    const uuid = vi.spyOn(globalThis.crypto, 'randomUUID');
    const digest = vi.spyOn(globalThis.crypto.subtle, 'digest');
    const importKey = vi.spyOn(globalThis.crypto.subtle, 'importKey');
    const scim = new ScimServer({
      tenantResolver: new StaticTenantResolver([{ id: 'acme', token: 'secret', permissions: { rateLimit: { requestsPerSecond: 5, burst: 5 } } }]),
      rateLimiter: new TokenBucketRateLimiter(),
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect([random, uuid, digest, importKey].map((spy) => spy.mock.calls.length)).toEqual([0, 0, 0, 0]);
    expect(scim.operations).toBeDefined();

    // The first requests do what the constructors left for later; tokens need no Web Crypto at all.
    const r = await scim.handle({ method: 'GET', path: '/scim/v2/Users', query: { count: '1', cursor: '' }, headers: { authorization: 'Bearer secret' } });
    expect(r.status).toBe(200);
    expect(digest).not.toHaveBeenCalled();
    expect(uuid).toHaveBeenCalled();
  });

  it('with node:crypto, hashes the tokens in the constructor and draws nothing random', async () => {
    const random = vi.spyOn(globalThis.crypto, 'getRandomValues');
    const uuid = vi.spyOn(globalThis.crypto, 'randomUUID');
    const digest = vi.spyOn(globalThis.crypto.subtle, 'digest');
    const resolver = new StaticTenantResolver([{ id: 'acme', token: 'secret' }]);
    const scim = new ScimServer({ tenantResolver: resolver });
    expect(resolver.tenantIds()).toEqual(['acme']);
    expect([random, uuid, digest].map((spy) => spy.mock.calls.length)).toEqual([0, 0, 0]);
    const r = await scim.handle({ method: 'GET', path: '/scim/v2/Users', headers: { authorization: 'Bearer secret' } });
    expect(r.status).toBe(200);
    expect(digest).not.toHaveBeenCalled();
  });

  it('draws the cursor secret once, at the first cursor', async () => {
    const random = vi.spyOn(globalThis.crypto, 'getRandomValues');
    const scim = new ScimServer({ tenantResolver: new StaticTenantResolver([{ id: 'acme', token: 'secret' }]) });
    const call = (query: Record<string, string>) => scim.handle({ method: 'GET', path: '/scim/v2/Users', query, headers: { authorization: 'Bearer secret' } });
    for (const userName of ['a', 'b', 'c']) {
      await scim.handle({
        method: 'POST',
        path: '/scim/v2/Users',
        headers: { authorization: 'Bearer secret', 'content-type': 'application/scim+json' },
        body: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName },
      });
    }
    const secretDraws = () => random.mock.calls.filter(([bytes]) => (bytes as Uint8Array).byteLength === 32).length;
    expect(secretDraws()).toBe(0);
    const first = (await call({ cursor: '', count: '1' })).body as { nextCursor: string };
    const second = (await call({ cursor: first.nextCursor, count: '1' })).body as { nextCursor: string; Resources: unknown[] };
    expect(second.Resources).toHaveLength(1);
    expect(secretDraws()).toBe(1);
  });

  it('still refuses a bad configuration when it is given, in full', () => {
    expect(() => new StaticTenantResolver([{ id: '' }])).toThrow(TypeError);
    expect(() => new StaticTenantResolver([{ id: 'acme', token: 't', isolationLevel: 'silo' as never }])).toThrow(
      'tenant "acme": isolationLevel must be one of "strict", "standard", "shared", not "silo" (a string)',
    );
    expect(() => new ScimServer({ tenantResolver: new StaticTenantResolver(), cursorSecret: 'short' })).toThrow(/cursorSecret must be .* at least 16 bytes/);
    // Two tenants with one token: found when the list is given, not at the first request.
    expect(
      () =>
        new StaticTenantResolver([
          { id: 'acme', token: 'same' },
          { id: 'beta', token: 'same' },
        ]),
    ).toThrow('tenant "beta": token is already a token of tenant "acme"');
  });
});
