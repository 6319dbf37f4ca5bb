import type { SchemaRegistry } from '../schema/schema-registry.js';
import { objectOf, unknownKeyProblem } from '../tenant/config-check.js';
import { ConfigurationError } from '../tenant/configuration-error.js';
import { isIsolationLevel } from '../tenant/isolation-level.js';
import { checkTenantPermissions } from '../tenant/permissions-check.js';
import type { RateLimiter } from '../tenant/rate-limiter.js';
import { checkTenantSettings } from '../tenant/settings-check.js';
import type { TenantContext } from '../tenant/tenant-context.js';
import type { KnownTenant } from '../tenant/tenant-resolver.js';
import { PATCH_TOLERANCE_CHECKS } from './options-check.js';

const checkTolerances = objectOf(PATCH_TOLERANCE_CHECKS, 'a PATCH tolerance');

/**
 * Checks tenants against the handler's own configuration: what the tenant layer cannot know by
 * itself. A `rateLimit` needs a rate limiter to enforce it, `settings.patchTolerances` must name
 * tolerances, and `permissions.quotas` must name resource types.
 *
 * Tenants a resolver knows in advance are checked when the server is created; every other tenant
 * (from a resolver function, or given to `ScimOperationHandler.handle` directly) when its first
 * request arrives, and again only when its permissions or settings are new objects.
 */
export class TenantConfiguration {
  private readonly checked = new WeakSet<object>();

  /**
   * @param rateLimiter - the handler's rate limiter, if any.
   * @param schemas - the handler's registry, for the resource types quotas name.
   */
  constructor(
    private readonly rateLimiter: RateLimiter | undefined,
    private readonly schemas: SchemaRegistry,
  ) {}

  /**
   * Checks a tenant's isolation level, permissions and settings, and that the handler can do what
   * they ask (a rate limiter for `rateLimit`, known PATCH tolerances). Quota names are checked
   * per request instead, since resource types may be registered after the server is created.
   *
   * @throws ConfigurationError naming the tenant and the key.
   */
  check(tenant: KnownTenant): void {
    const id = tenant.id;
    if (!isIsolationLevel(tenant.isolationLevel)) {
      throw new ConfigurationError('isolationLevel', `must be one of "strict", "standard", "shared", not ${JSON.stringify(tenant.isolationLevel)}`, id);
    }
    checkTenantPermissions(tenant.permissions, id);
    if (tenant.settings !== undefined) {
      checkTenantSettings(tenant.settings, id);
      if (tenant.settings.patchTolerances !== undefined) checkTolerances(tenant.settings.patchTolerances, 'settings.patchTolerances', id);
    }
    if (tenant.permissions.rateLimit !== undefined && this.rateLimiter === undefined) {
      throw new ConfigurationError(
        'permissions.rateLimit',
        'is set, but the server has no rateLimiter to enforce it: give the server rateLimiter: new TokenBucketRateLimiter() (or a shared RateLimiter)',
        id,
      );
    }
  }

  /**
   * Checks a resolved tenant before its request runs: {@link check} once per permissions and
   * settings object, and that its quotas name resource types it has.
   *
   * @throws ConfigurationError naming the tenant and the key.
   */
  request(tenant: TenantContext): void {
    const { permissions, settings } = tenant;
    if (!isIsolationLevel(tenant.isolationLevel) || !this.checked.has(permissions) || (settings !== undefined && !this.checked.has(settings))) {
      this.check({ id: tenant.tenantId, isolationLevel: tenant.isolationLevel, permissions, ...(settings !== undefined ? { settings } : {}) });
      this.checkQuotaNames(tenant);
      this.checked.add(permissions);
      if (settings !== undefined) this.checked.add(settings);
    }
  }

  private checkQuotaNames(tenant: TenantContext): void {
    const quotas = tenant.permissions.quotas;
    if (quotas === undefined) return;
    const names = this.schemas.resourceTypes(tenant.tenantId).map((rt) => rt.name);
    for (const name of Object.keys(quotas)) {
      if (!names.includes(name)) throw new ConfigurationError(`permissions.quotas.${name}`, unknownKeyProblem(name, names, 'a resource type'), tenant.tenantId);
    }
  }
}
