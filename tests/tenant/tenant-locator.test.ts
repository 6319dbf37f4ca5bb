import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { basePathLocator, functionLocator, hostTenantLocator, pathTenantLocator } from '../../src/tenant/tenant-locator.js';

describe('basePathLocator', () => {
  const locator = basePathLocator();

  it('splits the default base from the resource path', () => {
    expect(locator.locate({ path: '/scim/v2/Users/1' })).toEqual({ basePath: '/scim/v2', resourcePath: '/Users/1' });
    expect(locator.locate({ path: '/scim/v2/ServiceProviderConfig' })).toEqual({
      basePath: '/scim/v2',
      resourcePath: '/ServiceProviderConfig',
    });
  });

  it('locates the base itself, with or without a trailing slash', () => {
    expect(locator.locate({ path: '/scim/v2' })).toEqual({ basePath: '/scim/v2', resourcePath: '/' });
    expect(locator.locate({ path: '/scim/v2/' })).toEqual({ basePath: '/scim/v2', resourcePath: '/' });
  });

  it('drops one trailing slash from the resource path', () => {
    expect(locator.locate({ path: '/scim/v2/Users/' })?.resourcePath).toBe('/Users');
  });

  it('refuses paths outside the base or not on a segment boundary', () => {
    expect(locator.locate({ path: '/other/Users' })).toBeUndefined();
    expect(locator.locate({ path: '/scim/v2Users' })).toBeUndefined();
    expect(locator.locate({ path: '/scim' })).toBeUndefined();
    expect(locator.locate({ path: '/' })).toBeUndefined();
    expect(locator.locate({ path: 'scim/v2/Users' })).toBeUndefined();
    expect(locator.locate({ path: '' })).toBeUndefined();
  });

  it('refuses double slashes and dot segments anywhere', () => {
    for (const path of [
      '//scim/v2/Users',
      '/scim//v2/Users',
      '/scim/v2//Users',
      '/scim/v2/Users//',
      '/scim/v2/./Users',
      '/scim/v2/../v2/Users',
      '/scim/v2/Users/..',
      '//',
    ]) {
      expect(locator.locate({ path }), path).toBeUndefined();
    }
  });

  it('compares the fixed segments case-sensitively and without decoding them', () => {
    expect(locator.locate({ path: '/SCIM/v2/Users' })).toBeUndefined();
    expect(locator.locate({ path: '/scim/V2/Users' })).toBeUndefined();
    expect(locator.locate({ path: '/scim/%76%32/Users' })).toBeUndefined();
  });

  it('leaves the resource path percent-encoded', () => {
    expect(locator.locate({ path: '/scim/v2/Users/a%2Fb%20c' })?.resourcePath).toBe('/Users/a%2Fb%20c');
  });

  it('ignores a query string or fragment an adapter left on the path', () => {
    expect(locator.locate({ path: '/scim/v2/Users?filter=userName%20eq%20%22x%22' })?.resourcePath).toBe('/Users');
    expect(locator.locate({ path: '/scim/v2/Users/1#frag' })?.resourcePath).toBe('/Users/1');
    expect(locator.locate({ path: '/scim/v2/?x=1' })?.resourcePath).toBe('/');
  });

  it('accepts a custom base, a trailing slash in it, and the root', () => {
    expect(basePathLocator('/api/scim/').locate({ path: '/api/scim/Groups' })).toEqual({ basePath: '/api/scim', resourcePath: '/Groups' });
    expect(basePathLocator('').locate({ path: '/Users/7' })).toEqual({ basePath: '', resourcePath: '/Users/7' });
    expect(basePathLocator('/').locate({ path: '/' })).toEqual({ basePath: '', resourcePath: '/' });
  });

  it('never names a tenant', () => {
    expect(locator.locate({ path: '/scim/v2/Users', host: 'acme.scim.example.com' })).not.toHaveProperty('tenantId');
  });

  it('rejects malformed configured base paths', () => {
    expect(() => basePathLocator('scim/v2')).toThrow(TypeError);
    expect(() => basePathLocator('/scim//v2')).toThrow(TypeError);
    expect(() => basePathLocator('/scim/../v2')).toThrow(TypeError);
    expect(() => basePathLocator('/scim?x')).toThrow(TypeError);
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.option(fc.string({ maxLength: 60 }), { nil: undefined }), (path, host) => {
        const located = locator.locate({ path, ...(host !== undefined ? { host } : {}) });
        if (located) {
          expect(located.basePath).toBe('/scim/v2');
          expect(located.resourcePath.startsWith('/')).toBe(true);
          expect(located.resourcePath.includes('//')).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('locates exactly as splitting the path into segments does (property)', () => {
    /** The rules as segments: no empty, `.` or `..` segment; the base's segments first; the rest joined again. */
    const model = (base: string, path: string): { basePath: string; resourcePath: string } | undefined => {
      if (!path.startsWith('/')) return undefined;
      const cut = Math.min(...[path.indexOf('?'), path.indexOf('#'), path.length].filter((i) => i >= 0));
      const p = path.slice(0, cut);
      const segments = p === '/' ? [] : (p.endsWith('/') ? p.slice(1, -1) : p.slice(1)).split('/');
      if (segments.some((s) => s === '' || s === '.' || s === '..')) return undefined;
      const fixed = base.split('/').filter(Boolean);
      if (fixed.some((f, i) => segments[i] !== f)) return undefined;
      return { basePath: fixed.length ? `/${fixed.join('/')}` : '', resourcePath: `/${segments.slice(fixed.length).join('/')}` };
    };
    const piece = fc.constantFrom('/', '/', 'scim', 'v2', 'v2Users', 'Users', 'a', '.', '..', '?', '#', '%2F', 'x=1');
    const path = fc.array(piece, { maxLength: 10 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.constantFrom('/scim/v2', '/scim/v2/', '', '/', '/a'), path, (base, p) => {
        expect(basePathLocator(base).locate({ path: p })).toEqual(model(base, p));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('pathTenantLocator', () => {
  const locator = pathTenantLocator();

  it('reads the tenant id from the default pattern and keeps it in the base path', () => {
    expect(locator.locate({ path: '/tenants/acme/scim/v2/Users/1' })).toEqual({
      tenantId: 'acme',
      basePath: '/tenants/acme/scim/v2',
      resourcePath: '/Users/1',
    });
  });

  it('gives each tenant its own base path', () => {
    const a = locator.locate({ path: '/tenants/a-1/scim/v2/Groups' });
    const b = locator.locate({ path: '/tenants/b_2/scim/v2/Groups' });
    expect(a?.basePath).toBe('/tenants/a-1/scim/v2');
    expect(b?.basePath).toBe('/tenants/b_2/scim/v2');
  });

  it('locates the tenant base itself', () => {
    expect(locator.locate({ path: '/tenants/acme/scim/v2/' })).toEqual({ tenantId: 'acme', basePath: '/tenants/acme/scim/v2', resourcePath: '/' });
  });

  it('decodes a percent-encoded tenant id and writes the base path with the plain id', () => {
    expect(locator.locate({ path: '/tenants/%61cme/scim/v2/Users' })).toEqual({
      tenantId: 'acme',
      basePath: '/tenants/acme/scim/v2',
      resourcePath: '/Users',
    });
  });

  it('refuses tenant ids outside the safe charset, including encoded separators', () => {
    for (const raw of ['ac%2Fme', '..', '%2E%2E', '.hidden', 'a%20b', 'a%00b', '%E2%82%AC', 'x'.repeat(129), '-lead', '%zz']) {
      expect(locator.locate({ path: `/tenants/${raw}/scim/v2/Users` }), raw).toBeUndefined();
    }
    expect(locator.locate({ path: `/tenants/${'x'.repeat(128)}/scim/v2/Users` })?.tenantId).toBe('x'.repeat(128));
  });

  it('refuses a path that lacks the tenant segment or the rest of the pattern', () => {
    expect(locator.locate({ path: '/tenants/scim/v2/Users' })).toBeUndefined();
    expect(locator.locate({ path: '/tenants/acme' })).toBeUndefined();
    expect(locator.locate({ path: '/tenants/acme/scim' })).toBeUndefined();
    expect(locator.locate({ path: '/scim/v2/Users' })).toBeUndefined();
    expect(locator.locate({ path: '/tenants//scim/v2/Users' })).toBeUndefined();
    expect(locator.locate({ path: '/Tenants/acme/scim/v2/Users' })).toBeUndefined();
  });

  it('supports a custom pattern and tenant id pattern', () => {
    const custom = pathTenantLocator('/o/{tenantId}', { tenantIdPattern: /^[0-9]+$/ });
    expect(custom.locate({ path: '/o/42/Users' })).toEqual({ tenantId: '42', basePath: '/o/42', resourcePath: '/Users' });
    expect(custom.locate({ path: '/o/abc/Users' })).toBeUndefined();
    const leading = pathTenantLocator('/{tenantId}/scim');
    expect(leading.locate({ path: '/t1/scim/Me' })).toEqual({ tenantId: 't1', basePath: '/t1/scim', resourcePath: '/Me' });
  });

  it('works with a global tenant id pattern called repeatedly', () => {
    const custom = pathTenantLocator('/t/{tenantId}', { tenantIdPattern: /^[a-z]+$/g });
    expect(custom.locate({ path: '/t/abc/Users' })?.tenantId).toBe('abc');
    expect(custom.locate({ path: '/t/abc/Users' })?.tenantId).toBe('abc');
  });

  it('rejects patterns without exactly one whole-segment placeholder', () => {
    expect(() => pathTenantLocator('/scim/v2')).toThrow(TypeError);
    expect(() => pathTenantLocator('/t/{tenantId}/x/{tenantId}')).toThrow(TypeError);
    expect(() => pathTenantLocator('/t/id-{tenantId}')).toThrow(TypeError);
    expect(() => pathTenantLocator('t/{tenantId}')).toThrow(TypeError);
  });

  it('only ever returns tenant ids that match the charset', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (raw) => {
        const located = locator.locate({ path: `/tenants/${raw}/scim/v2/Users` });
        if (located) {
          expect(located.tenantId).toMatch(/^[A-Za-z0-9][A-Za-z0-9._~-]*$/);
          expect(located.basePath).toBe(`/tenants/${located.tenantId}/scim/v2`);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('hostTenantLocator', () => {
  const locator = hostTenantLocator({ domain: 'scim.example.com' });

  it('takes the tenant from the subdomain and builds the origin from the host', () => {
    expect(locator.locate({ path: '/scim/v2/Users/1', host: 'acme.scim.example.com' })).toEqual({
      tenantId: 'acme',
      basePath: '/scim/v2',
      resourcePath: '/Users/1',
      origin: 'https://acme.scim.example.com',
    });
  });

  it('matches the host case-insensitively, ignores the port for matching and keeps it in the origin', () => {
    const located = locator.locate({ path: '/scim/v2/Groups', host: 'ACME.Scim.Example.COM:8443' });
    expect(located?.tenantId).toBe('acme');
    expect(located?.origin).toBe('https://acme.scim.example.com:8443');
  });

  it('accepts a trailing dot in the host', () => {
    expect(locator.locate({ path: '/scim/v2/Users', host: 'acme.scim.example.com.' })?.tenantId).toBe('acme');
  });

  it('refuses hosts that are not exactly one label under the domain', () => {
    for (const host of [
      'scim.example.com',
      'a.b.scim.example.com',
      'acme.other.com',
      'acmescim.example.com',
      '.scim.example.com',
      '-x.scim.example.com',
      'a_b.scim.example.com',
      '[::1]:443',
      'acme.scim.example.com:abc',
      '',
    ]) {
      expect(locator.locate({ path: '/scim/v2/Users', host }), host).toBeUndefined();
    }
    expect(locator.locate({ path: '/scim/v2/Users' })).toBeUndefined();
  });

  it('still requires the path to be under the base', () => {
    expect(locator.locate({ path: '/other/Users', host: 'acme.scim.example.com' })).toBeUndefined();
    expect(locator.locate({ path: '/scim/v2//Users', host: 'acme.scim.example.com' })).toBeUndefined();
  });

  it('honours a custom base path and protocol', () => {
    const custom = hostTenantLocator({ domain: 'Example.test', basePath: '/api/scim', protocol: 'http' });
    expect(custom.locate({ path: '/api/scim/Users', host: 'beta.example.test:3000' })).toEqual({
      tenantId: 'beta',
      basePath: '/api/scim',
      resourcePath: '/Users',
      origin: 'http://beta.example.test:3000',
    });
  });

  it('rejects a malformed domain', () => {
    expect(() => hostTenantLocator({ domain: '' })).toThrow(TypeError);
    expect(() => hostTenantLocator({ domain: 'exa mple.com' })).toThrow(TypeError);
  });
});

describe('functionLocator', () => {
  it('delegates to the function', () => {
    const seen: unknown[] = [];
    const locator = functionLocator((input) => {
      seen.push(input);
      const m = /^\/orgs\/([a-z]+)(\/.*)?$/.exec(input.path);
      return m ? { tenantId: m[1]!, basePath: `/orgs/${m[1]}`, resourcePath: m[2] ?? '/' } : undefined;
    });
    expect(locator.locate({ path: '/orgs/zed/Users', host: 'h' })).toEqual({ tenantId: 'zed', basePath: '/orgs/zed', resourcePath: '/Users' });
    expect(locator.locate({ path: '/nope' })).toBeUndefined();
    expect(seen).toEqual([{ path: '/orgs/zed/Users', host: 'h' }, { path: '/nope' }]);
  });
});
