/**
 * Finding the SCIM base and the tenant in a request's path and Host header.
 *
 * A {@link TenantLocator} is a pure function of the path and Host: it never performs I/O and never
 * decides whether the tenant exists (that is the resolver's job). It only splits the path so that the
 * server can route the rest and build the tenant's own base URL for `meta.location` and `$ref`.
 *
 * Rules shared by every built-in locator:
 * - The path must start with `/`. A query string or fragment, if an adapter left one on, is ignored.
 * - A path containing an empty segment (`//`) or a `.` / `..` segment is refused (`undefined`).
 * - One trailing slash is tolerated: `/scim/v2/Users/` locates as `/Users`.
 * - The fixed segments of a base path or pattern are compared case-sensitively and as written
 *   (`/SCIM/v2` does not match `/scim/v2`, nor does `/scim/%76%32`).
 * - The base must end on a segment boundary: `/scim/v2Users` is not under `/scim/v2`.
 * - `resourcePath` is returned still percent-encoded, so that a router can split it into segments
 *   before decoding each one (an encoded `/` inside a resource id stays inside that id).
 */

/** Where a request path points: the tenant (when the URL names one), the SCIM base and the rest. */
export interface LocatedPath {
  /** The tenant named by the URL or Host, already decoded and validated; absent when neither names one. */
  tenantId?: string;
  /**
   * The concrete SCIM base path of this request, with no trailing slash (`''` for a base at the
   * root), including the tenant segment when the URL names a tenant. The tenant's base URL is the
   * origin followed by this path.
   */
  basePath: string;
  /**
   * The path below the base, starting with `/` and without a trailing slash (`/` for the base
   * itself), still percent-encoded: `/Users/2819c223`.
   */
  resourcePath: string;
  /**
   * The origin (`https://acme.scim.example.com`, host lower-cased, port kept) the tenant's base URL
   * should use, when the locator derived the tenant from the Host. Absent for path-based locators.
   */
  origin?: string;
}

/** What a locator sees of a request. */
export interface TenantLocatorInput {
  /** The request path, without the origin. */
  path: string;
  /** The `Host` header (or `:authority`), when known. */
  host?: string;
}

/**
 * Splits a request path (and Host) into tenant, base path and resource path, or returns `undefined`
 * when the request is not under this server's SCIM base (the server answers 404).
 */
export interface TenantLocator {
  /** Splits the path (and host); `undefined` when the request is not under the SCIM base. Pure. */
  locate(input: TenantLocatorInput): LocatedPath | undefined;
  /**
   * Whether a request can ever reach the tenant with this id through this locator (the URL or Host
   * can name it, or names no tenant at all). Optional: a server checks its known tenants with it
   * when it is created, so that a tenant no URL can name is a configuration error, not a tenant
   * that silently never gets a request.
   */
  canReach?(tenantId: string): boolean;
}

/** Options for locators that read a tenant id from the request. */
export interface TenantIdOptions {
  /**
   * Accepted tenant ids, tested against the decoded id. Defaults to {@link DEFAULT_TENANT_ID_PATTERN}
   * for paths and {@link DNS_LABEL_PATTERN} for hosts.
   */
  tenantIdPattern?: RegExp;
}

/**
 * Default accepted tenant id in a path: 1 to 128 characters of `A-Z a-z 0-9 - _ . ~`, starting with
 * a letter or digit. These are all URL-unreserved characters, so the id appears verbatim in URLs.
 */
export const DEFAULT_TENANT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._~-]{0,127}$/;

/** A DNS label: 1 to 63 lower-case letters, digits and hyphens, not starting or ending with a hyphen. */
export const DNS_LABEL_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

const TENANT_PLACEHOLDER = '{tenantId}';

/**
 * Splits a path into raw segments after the common checks, or returns undefined.
 * `/a/b/` gives `['a', 'b']`; `/` gives `[]`.
 */
function pathSegments(path: unknown): string[] | undefined {
  if (typeof path !== 'string' || !path.startsWith('/')) return undefined;
  let end = path.length;
  const q = path.indexOf('?');
  if (q >= 0) end = q;
  const h = path.indexOf('#');
  if (h >= 0 && h < end) end = h;
  let p = path.slice(0, end);
  if (p === '/') return [];
  if (p.endsWith('/')) p = p.slice(0, -1);
  const segments = p.slice(1).split('/');
  for (const s of segments) {
    if (s === '' || s === '.' || s === '..') return undefined;
  }
  return segments;
}

/**
 * The path as {@link pathSegments} reads it, as one string: without its query string, fragment and
 * one trailing slash (`/` stays `/`), or undefined when {@link pathSegments} refuses it. Splits
 * nothing: it is what every request to {@link basePathLocator} goes through.
 */
function cleanPath(path: unknown): string | undefined {
  if (typeof path !== 'string' || path.charCodeAt(0) !== 47) return undefined;
  let end = path.length;
  const q = path.indexOf('?');
  if (q >= 0) end = q;
  const h = path.indexOf('#');
  if (h >= 0 && h < end) end = h;
  if (end === 1) return '/';
  if (path.charCodeAt(end - 1) === 47) end--;
  for (let start = 1; ; ) {
    let slash = path.indexOf('/', start);
    if (slash < 0 || slash > end) slash = end;
    const length = slash - start;
    if (length === 0) return undefined; // an empty segment
    if (path.charCodeAt(start) === 46 && (length === 1 || (length === 2 && path.charCodeAt(start + 1) === 46))) return undefined; // . or ..
    if (slash >= end) break;
    start = slash + 1;
  }
  return end === path.length ? path : path.slice(0, end);
}

/** Normalises a configured base path into its fixed segments; throws on a malformed one. */
function configuredSegments(basePath: string, what: string): string[] {
  if (typeof basePath !== 'string') throw new TypeError(`${what} must be a string`);
  if (basePath === '' || basePath === '/') return [];
  if (!basePath.startsWith('/')) throw new TypeError(`${what} must start with "/": ${basePath}`);
  const trimmed = basePath.endsWith('/') ? basePath.slice(0, -1) : basePath;
  const segments = trimmed.slice(1).split('/');
  for (const s of segments) {
    if (s === '' || s === '.' || s === '..' || /[?#]/.test(s)) {
      throw new TypeError(`${what} has an empty, dot or query segment: ${basePath}`);
    }
  }
  return segments;
}

function joinSegments(segments: readonly string[]): string {
  return segments.length === 0 ? '' : `/${segments.join('/')}`;
}

function restOf(segments: readonly string[], from: number): string {
  return from >= segments.length ? '/' : `/${segments.slice(from).join('/')}`;
}

/**
 * A locator for a server whose URLs name no tenant (the tenant comes from the credential alone).
 *
 * `basePathLocator('/scim/v2').locate({ path: '/scim/v2/Users/1' })` gives
 * `{ basePath: '/scim/v2', resourcePath: '/Users/1' }`. A base path of `''` or `'/'` serves SCIM at
 * the root.
 *
 * @throws TypeError when `basePath` is malformed.
 */
export function basePathLocator(basePath = '/scim/v2'): TenantLocator {
  const fixed = configuredSegments(basePath, 'basePath');
  const base = joinSegments(fixed);
  return {
    locate(input) {
      const path = cleanPath(input?.path);
      if (path === undefined) return undefined;
      // The base's segments, whole: `/scim/v2` and `/scim/v2/...`, never `/scim/v2Users`.
      if (base === '') return { basePath: base, resourcePath: path };
      if (path === base) return { basePath: base, resourcePath: '/' };
      if (!path.startsWith(base) || path.charCodeAt(base.length) !== 47) return undefined;
      return { basePath: base, resourcePath: path.slice(base.length) };
    },
    canReach: () => true, // the tenant comes from the credential
  };
}

function decodeTenantId(raw: string, pattern: RegExp): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return undefined;
  }
  pattern.lastIndex = 0;
  return pattern.test(decoded) ? decoded : undefined;
}

/**
 * A locator for URLs that carry the tenant id in one path segment, such as
 * `/tenants/{tenantId}/scim/v2/Users/1`.
 *
 * The `{tenantId}` placeholder must occupy one whole segment of `pattern`, exactly once. The id is
 * percent-decoded and must match `tenantIdPattern` (by default {@link DEFAULT_TENANT_ID_PATTERN}),
 * else the path is not located. `basePath` is the concrete prefix with the tenant id in it
 * (`/tenants/acme/scim/v2`), so `meta.location` uses the tenant's own URL.
 *
 * @throws TypeError when `pattern` is malformed.
 */
export function pathTenantLocator(pattern = '/tenants/{tenantId}/scim/v2', options: TenantIdOptions = {}): TenantLocator {
  const fixed = configuredSegments(pattern, 'pattern');
  const slots = fixed.filter((s) => s.includes(TENANT_PLACEHOLDER));
  if (slots.length !== 1 || slots[0] !== TENANT_PLACEHOLDER) {
    throw new TypeError(`pattern must contain ${TENANT_PLACEHOLDER} once, as a whole segment: ${pattern}`);
  }
  const slot = fixed.indexOf(TENANT_PLACEHOLDER);
  const idPattern = options.tenantIdPattern ?? DEFAULT_TENANT_ID_PATTERN;
  return {
    locate(input) {
      const segments = pathSegments(input?.path);
      if (!segments || segments.length < fixed.length) return undefined;
      for (let i = 0; i < fixed.length; i++) {
        if (i !== slot && segments[i] !== fixed[i]) return undefined;
      }
      const raw = segments[slot];
      if (raw === undefined) return undefined;
      const tenantId = decodeTenantId(raw, idPattern);
      if (tenantId === undefined) return undefined;
      const concrete = fixed.slice();
      concrete[slot] = encodeURIComponent(tenantId);
      return { tenantId, basePath: joinSegments(concrete), resourcePath: restOf(segments, fixed.length) };
    },
    canReach(tenantId) {
      idPattern.lastIndex = 0;
      return idPattern.test(tenantId);
    },
  };
}

/** Options of {@link hostTenantLocator}. */
export interface HostTenantLocatorOptions extends TenantIdOptions {
  /** The parent domain; the tenant is the one label in front of it (`acme.scim.example.com`). */
  domain: string;
  /** The SCIM base path on every tenant host. Defaults to `/scim/v2`. */
  basePath?: string;
  /** Scheme of the returned `origin`. Defaults to `https`. */
  protocol?: 'https' | 'http';
}

/** Splits `host[:port]` into a lower-cased host name (trailing dot removed) and the full host. */
function parseHost(host: unknown): { name: string; full: string } | undefined {
  if (typeof host !== 'string' || host.length === 0 || host.length > 300) return undefined;
  const lower = host.trim().toLowerCase();
  if (lower.startsWith('[')) return undefined; // IPv6 literal: no subdomain
  const colon = lower.indexOf(':');
  let name = colon >= 0 ? lower.slice(0, colon) : lower;
  const port = colon >= 0 ? lower.slice(colon + 1) : undefined;
  if (port !== undefined && !/^[0-9]{1,5}$/.test(port)) return undefined;
  if (name.endsWith('.')) name = name.slice(0, -1);
  if (name.length === 0) return undefined;
  return { name, full: port !== undefined ? `${name}:${port}` : name };
}

/**
 * A locator for tenants addressed by subdomain: `https://acme.scim.example.com/scim/v2/Users`
 * is tenant `acme`.
 *
 * The Host header is compared case-insensitively, its port is ignored for matching and kept in
 * `origin`, and a trailing dot is dropped. Exactly one label must precede `domain`, and it must match
 * `tenantIdPattern` (by default {@link DNS_LABEL_PATTERN}); the tenant id is that label in lower case.
 * A request without a Host, or for another host, is not located.
 *
 * @throws TypeError when `domain` or `basePath` is malformed.
 */
export function hostTenantLocator(options: HostTenantLocatorOptions): TenantLocator {
  const domain = typeof options?.domain === 'string' ? options.domain.trim().toLowerCase().replace(/\.$/, '') : '';
  if (!domain || domain.startsWith('.') || /[^a-z0-9.-]/.test(domain)) {
    throw new TypeError(`domain must be a host name: ${String(options?.domain)}`);
  }
  const paths = basePathLocator(options.basePath ?? '/scim/v2');
  const idPattern = options.tenantIdPattern ?? DNS_LABEL_PATTERN;
  const protocol = options.protocol === 'http' ? 'http' : 'https';
  const suffix = `.${domain}`;
  return {
    locate(input) {
      const host = parseHost(input?.host);
      if (!host?.name.endsWith(suffix)) return undefined;
      const label = host.name.slice(0, -suffix.length);
      if (label.includes('.')) return undefined;
      idPattern.lastIndex = 0;
      if (!idPattern.test(label)) return undefined;
      const located = paths.locate(input);
      if (!located) return undefined;
      return { tenantId: label, basePath: located.basePath, resourcePath: located.resourcePath, origin: `${protocol}://${host.full}` };
    },
    canReach(tenantId) {
      // The Host is read in lower case, so an id with a capital letter is never named.
      idPattern.lastIndex = 0;
      return tenantId === tenantId.toLowerCase() && !tenantId.includes('.') && idPattern.test(tenantId);
    },
  };
}

/**
 * Wraps a function as a {@link TenantLocator}, for URL schemes the built-in locators do not cover.
 * The function must be pure and return `undefined` for paths outside the SCIM base.
 */
export function functionLocator(fn: (input: TenantLocatorInput) => LocatedPath | undefined): TenantLocator {
  return { locate: (input) => fn(input) };
}
