/**
 * Configuration fails when it is given, with an error naming the tenant, the key and what was
 * expected: tenant definitions and permissions, server options, and the tenants a server's
 * resolver knows checked against the server.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ConfigurationError,
  ScimOperationHandler,
  ScimServer,
  StaticTenantResolver,
  TokenBucketRateLimiter,
  hostTenantLocator,
  pathTenantLocator,
  type TenantContext,
  type TenantDefinition,
} from '../../src/index.js';
import { nearestName } from '../../src/tenant/nearest-name.js';
import { sha256Hex } from '../../src/tenant/sha256.js';
import { hashToken } from '../../src/tenant/token-hash.js';

/** The error a configuration step throws, checked to be a ConfigurationError (and so a TypeError). */
function refusal(step: () => unknown): ConfigurationError {
  try {
    step();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toBeInstanceOf(TypeError);
    return error as ConfigurationError;
  }
  throw new Error('expected a ConfigurationError, but the configuration was accepted');
}

const tenant = (extra: Partial<TenantDefinition> = {}): TenantDefinition => ({ id: 'acme', token: 'secret-a', ...extra });
const resolverOf = (extra: Partial<TenantDefinition>) => () => new StaticTenantResolver([tenant(extra)]);

describe('tenant permissions', () => {
  it.each([
    [{ canDelet: false }, 'permissions.canDelet', 'is not a permission; did you mean canDelete?'],
    [{ CanDelete: false }, 'permissions.CanDelete', 'did you mean canDelete?'],
    [{ maxUser: 5 }, 'permissions.maxUser', 'did you mean maxUsers?'],
    [{ canDelete: 'false' }, 'permissions.canDelete', 'must be true or false, not "false" (a string)'],
    [{ maxUsers: -1 }, 'permissions.maxUsers', 'must be a whole number of at least 0, not -1'],
    [{ maxUsers: 2.5 }, 'permissions.maxUsers', 'must be a whole number of at least 0, not 2.5'],
    [{ maxUsers: '5' }, 'permissions.maxUsers', 'not "5" (a string)'],
    [{ quotas: { Device: -3 } }, 'permissions.quotas.Device', 'must be a whole number of at least 0, not -3'],
    [{ maxPageSize: 0 }, 'permissions.maxPageSize', 'must be a whole number of at least 1, not 0'],
    [{ rateLimit: { requestsPerSecond: 0 } }, 'permissions.rateLimit.requestsPerSecond', 'must be a finite number above 0, not 0'],
    [{ rateLimit: { requestsPerSecond: 5, burst: 0.5 } }, 'permissions.rateLimit.burst', 'must be a finite number of at least 1, not 0.5'],
    [{ rateLimit: { requestPerSecond: 5 } }, 'permissions.rateLimit.requestPerSecond', 'did you mean requestsPerSecond?'],
    [{ expiresAt: 'next tuesday' }, 'permissions.expiresAt', 'must be a Date or an ISO 8601 date-time string'],
    [{ expiresAt: new Date(Number.NaN) }, 'permissions.expiresAt', 'must be a Date or an ISO 8601 date-time string'],
  ])('%j is refused, naming %s', (permissions, key, problem) => {
    const error = refusal(resolverOf({ permissions: permissions as never }));
    expect(error.key).toBe(key);
    expect(error.tenantId).toBe('acme');
    expect(error.message.startsWith(`tenant "acme": ${key} `)).toBe(true);
    expect(error.message).toContain(problem);
  });

  it('accepts every permission of the right type', () => {
    const permissions = {
      canCreate: true,
      canRead: true,
      canUpdate: false,
      canReplace: true,
      canPatch: true,
      canDelete: false,
      canList: true,
      canBulk: true,
      readOnly: false,
      maxUsers: 0,
      maxGroups: 10,
      quotas: { User: 5 },
      maxMembersPerGroup: 100,
      maxPageSize: 50,
      maxBulkOperations: 0,
      maxPayloadBytes: 1024,
      expiresAt: '2030-01-01T00:00:00Z',
      rateLimit: { requestsPerSecond: 0.5, burst: 1 },
    };
    expect(() => new StaticTenantResolver([tenant({ permissions })])).not.toThrow();
    expect(() => new StaticTenantResolver([tenant({ permissions: { expiresAt: new Date() } })])).not.toThrow();
  });

  it('are checked when they are replaced', () => {
    const resolver = new StaticTenantResolver([tenant()]);
    expect(refusal(() => resolver.setPermissions('acme', { readOnly: 'yes' as never })).key).toBe('permissions.readOnly');
  });
});

describe('tenant definitions and settings', () => {
  it.each([
    [{ isolation: 'strict' }, 'isolation', 'is not a tenant definition key; did you mean isolationLevel?'],
    [{ isolationLevel: 'silo' }, 'isolationLevel', 'must be one of "strict", "standard", "shared"'],
    [{ token: '' }, 'token', 'must be a non-empty string'],
    [{ tokens: ['a', 7] }, 'tokens[1]', 'must be a non-empty string or { token, label }, not 7'],
    [{ tokens: [{ token: 'a', lable: 'x' }] }, 'tokens[0].lable', 'is not a key of a labelled token; did you mean label?'],
    [{ clientId: 42 }, 'clientId', 'must be a non-empty string, not 42'],
    [{ settings: { groupPatchResponse: 'none' } }, 'settings.groupPatchResponse', 'must be one of "noContent", "resource"'],
    [{ settings: { uniqueGroupDisplayNames: true } }, 'settings.uniqueGroupDisplayNames', 'did you mean uniqueGroupDisplayName?'],
    [{ settings: { patchTolerances: { opNameAnyCase: 'no' } } }, 'settings.patchTolerances.opNameAnyCase', 'must be true or false'],
  ])('%j is refused, naming %s', (extra, key, problem) => {
    const error = refusal(resolverOf(extra as never));
    expect(error.key).toBe(key);
    expect(error.message.startsWith(`tenant "acme": ${key} `)).toBe(true);
    expect(error.message).toContain(problem);
  });

  it('names the position of a definition that has no id yet', () => {
    const error = refusal(() => new StaticTenantResolver([tenant(), { token: 'x' } as never]));
    expect(error.message).toBe('tenants[1].id must be a non-empty string, not undefined');
  });
});

describe('server options', () => {
  const resolver = () => new StaticTenantResolver([tenant()]);

  it.each([
    [{ maxPagesize: 10 }, 'maxPagesize', 'is not an option; did you mean maxPageSize?'],
    [{ rateLimitter: new TokenBucketRateLimiter() }, 'rateLimitter', 'did you mean rateLimiter?'],
    [{ maxPageSize: 0 }, 'maxPageSize', 'must be a whole number of at least 1, not 0'],
    [{ maxPayloadBytes: '1mb' }, 'maxPayloadBytes', 'not "1mb" (a string)'],
    [{ defaultPageSize: 500 }, 'defaultPageSize', 'is more than maxPageSize'],
    [{ maxPageSize: 20, defaultPageSize: 50 }, 'defaultPageSize', '(50) is more than maxPageSize (20)'],
    [{ groupPatchResponse: 'empty' }, 'groupPatchResponse', 'must be one of "noContent", "resource"'],
    [{ patchTolerances: { opNameAnycase: false } }, 'patchTolerances.opNameAnycase', 'is not a PATCH tolerance; did you mean opNameAnyCase?'],
    [{ patchTolerances: { unknownValueKeys: 'off' } }, 'patchTolerances.unknownValueKeys', 'must be true or false'],
    [{ filterLimits: { maxDepht: 4 } }, 'filterLimits.maxDepht', 'did you mean maxDepth?'],
    [{ rateLimiter: {} }, 'rateLimiter', 'must be a RateLimiter (an object with consume())'],
    [{ audit: [{ emit: () => undefined }, {}] }, 'audit[1]', 'must be an audit sink (an object with emit())'],
    [{ audit: 'stderr' }, 'audit', 'must be an audit sink or an array of them'],
    [{ onError: 'console' }, 'onError', 'must be a function'],
    [{ cursorTimeoutSeconds: -5 }, 'cursorTimeoutSeconds', 'must be a whole number of at least 1'],
    [{ maxResults: 10 }, 'maxResults', 'is now called maxPageSize'],
    [{ tenantResolvr: resolver() }, 'tenantResolvr', 'did you mean tenantResolver?'],
    [{ basePath: '/scim/v2', locator: pathTenantLocator() }, 'basePath', 'is given with locator'],
  ])('%j is refused, naming %s', (extra, key, problem) => {
    const error = refusal(() => new ScimServer({ tenantResolver: resolver(), ...(extra as object) }));
    expect(error.key).toBe(key);
    expect(error.message.startsWith(`${key} `)).toBe(true);
    expect(error.message).toContain(problem);
  });

  it('needs a tenant resolver', () => {
    expect(refusal(() => new ScimServer({} as never)).message).toContain('tenantResolver is missing');
    expect(refusal(() => new ScimServer({ tenantResolver: 'tokens.json' } as never)).key).toBe('tenantResolver');
  });

  it('are checked by the operation handler too', () => {
    expect(refusal(() => new ScimOperationHandler({ maxPageSise: 5 } as never)).message).toBe('maxPageSise is not an option; did you mean maxPageSize?');
    expect(refusal(() => new ScimOperationHandler({ tenantResolver: resolver() } as never)).key).toBe('tenantResolver');
  });
});

describe("the resolver's tenants, checked against the server when it is created", () => {
  it('refuses a rateLimit that no rate limiter would enforce', () => {
    const error = refusal(() => new ScimServer({ tenantResolver: resolverOf({ permissions: { rateLimit: { requestsPerSecond: 5 } } })() }));
    expect(error.message).toContain('tenant "acme": permissions.rateLimit is set, but the server has no rateLimiter to enforce it');
    expect(
      () =>
        new ScimServer({ tenantResolver: resolverOf({ permissions: { rateLimit: { requestsPerSecond: 5 } } })(), rateLimiter: new TokenBucketRateLimiter() }),
    ).not.toThrow();
  });

  it('refuses a PATCH tolerance that does not exist', () => {
    const error = refusal(() => new ScimServer({ tenantResolver: resolverOf({ settings: { patchTolerances: { booleanString: false } } })() }));
    expect(error.message).toBe('tenant "acme": settings.patchTolerances.booleanString is not a PATCH tolerance; did you mean booleanStrings?');
  });

  it('refuses a tenant whose id the locator can never name', () => {
    const resolver = new StaticTenantResolver([tenant({ id: 'Acme Corp' })]);
    const error = refusal(() => new ScimServer({ tenantResolver: resolver, locator: pathTenantLocator() }));
    expect(error.message).toContain('tenant "Acme Corp": id can never be reached');
    const upper = new StaticTenantResolver([tenant({ id: 'Acme' })]);
    expect(refusal(() => new ScimServer({ tenantResolver: upper, locator: hostTenantLocator({ domain: 'scim.example.com' }) })).tenantId).toBe('Acme');
    expect(() => new ScimServer({ tenantResolver: upper, locator: pathTenantLocator() })).not.toThrow();
    expect(() => new ScimServer({ tenantResolver: new StaticTenantResolver([tenant({ id: 'Acme Corp' })]) })).not.toThrow();
  });
});

describe('tenants no resolver knows in advance', () => {
  const context = (permissions: object, settings?: object): TenantContext => ({
    tenantId: 'dyn',
    isolationLevel: 'standard',
    permissions,
    baseUrl: 'https://scim.example.com/scim/v2',
    ...(settings ? { settings } : {}),
  });

  it('fail their requests with a 500 reported to onError, naming the tenant and the key', async () => {
    const reported: unknown[] = [];
    const handler = new ScimOperationHandler({ onError: (error) => reported.push(error) });
    const cases: [TenantContext, string][] = [
      [context({ canDelet: false }), 'permissions.canDelet'],
      [context({ rateLimit: { requestsPerSecond: 1 } }), 'permissions.rateLimit'],
      [context({ quotas: { Users: 5 } }), 'permissions.quotas.Users'],
      [context({}, { patchTolerances: { nope: true } }), 'settings.patchTolerances.nope'],
      [{ ...context({}), isolationLevel: 'silo' as never }, 'isolationLevel'],
    ];
    for (const [tenantContext, key] of cases) {
      const result = await handler.handle({ tenant: tenantContext, operation: 'list', resourceType: 'User' });
      expect(result.status).toBe(500);
      const error = reported.at(-1) as ConfigurationError;
      expect(error).toBeInstanceOf(ConfigurationError);
      expect(error.key).toBe(key);
      expect(error.tenantId).toBe('dyn');
    }
    expect((reported.at(2) as Error).message).toContain('did you mean User?');
    expect((await handler.handle({ tenant: context({ quotas: { User: 5 } }), operation: 'list', resourceType: 'User' })).status).toBe(200);
  });

  it('can be checked when they are added elsewhere', () => {
    const handler = new ScimOperationHandler();
    expect(refusal(() => handler.checkTenantConfiguration({ id: 'x', isolationLevel: 'shared', permissions: { maxGroups: -1 } })).key).toBe(
      'permissions.maxGroups',
    );
  });
});

describe('an unexpected error with no onError given', () => {
  it('goes to the console with its request id instead of being swallowed', async () => {
    const lines: unknown[][] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void lines.push(args);
    try {
      const handler = new ScimOperationHandler({
        providers: {
          User: {
            resourceType: 'User',
            create: () => Promise.reject(new Error('disk on fire')),
            get: () => Promise.reject(new Error('x')),
            replace: () => Promise.reject(new Error('x')),
            patch: () => Promise.reject(new Error('x')),
            delete: () => Promise.reject(new Error('x')),
            list: () => Promise.reject(new Error('x')),
          },
        },
      });
      const tenantContext: TenantContext = { tenantId: 't', isolationLevel: 'shared', permissions: {}, baseUrl: '' };
      const result = await handler.handle({ tenant: tenantContext, operation: 'create', resourceType: 'User', data: { userName: 'x' }, requestId: 'req-42' });
      expect(result.status).toBe(500);
    } finally {
      console.error = original;
    }
    expect(lines).toHaveLength(1);
    expect(String(lines[0]?.[0])).toContain('request req-42');
    expect((lines[0]?.[1] as Error).message).toBe('disk on fire');
  });
});

describe('building blocks', () => {
  it('suggests the nearest known name, and none when nothing is close', () => {
    expect(nearestName('canDelet', ['canDelete', 'canCreate'])).toBe('canDelete');
    expect(nearestName('CANDELETE', ['canDelete'])).toBe('canDelete');
    expect(nearestName('maxUsres', ['maxUsers', 'maxGroups'])).toBe('maxUsers');
    expect(nearestName('colour', ['canDelete', 'maxUsers'])).toBeUndefined();
  });

  it('computes SHA-256 synchronously, equal to node:crypto and to Web Crypto', async () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    for (const length of [55, 56, 63, 64, 65, 119, 120, 1000]) {
      const text = 'x'.repeat(length);
      expect(sha256Hex(text)).toBe(createHash('sha256').update(text).digest('hex'));
    }
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 300 }), async (text) => {
        expect(sha256Hex(text)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
        expect(sha256Hex(text)).toBe(await hashToken(text));
      }),
      { numRuns: 300 },
    );
  });
});
