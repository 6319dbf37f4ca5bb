import type { FilterLimits } from '../query/filter-limits.js';
import type { PagingLimits } from '../query/paging.js';
import { burstOf } from '../tenant/rate-limiter.js';
import type { TenantContext } from '../tenant/tenant-context.js';
import type { BulkLimits } from './bulk.js';
import type { BodyLimits } from './request-body.js';
import { DEFAULT_MAX_RESPONSE_BYTES } from './response-budget.js';
import type { ServiceProviderFeatures } from './service-provider-config.js';

/**
 * A tenant's limits: the server's own, lowered (never raised) by the tenant's permissions. Every
 * operation reads its page, body and bulk limits here, whatever the transport.
 */
export class TenantLimits {
  /**
   * @param features - the server's features (page sizes, body size, bulk size).
   * @param maxBodyDepth - deepest JSON nesting in a body.
   * @param filterLimits - filter length and nesting limits.
   */
  constructor(
    readonly features: ServiceProviderFeatures,
    private readonly maxBodyDepth: number,
    private readonly filterLimits: FilterLimits | undefined,
    private readonly maxResponseBytes: number = DEFAULT_MAX_RESPONSE_BYTES,
  ) {}

  /** Most bytes of JSON one response to the tenant may render: the tenant's `maxResponseBytes`, else the server's. */
  responseBytes(tenant: TenantContext): number {
    const own = tenant.permissions.maxResponseBytes;
    return typeof own === 'number' && own > 0 ? own : this.maxResponseBytes;
  }

  /** Page sizes (`maxPageSize`) and filter limits for the tenant. */
  page(tenant: TenantContext): PagingLimits & { filter?: FilterLimits } {
    const tenantMax = tenant.permissions.maxPageSize;
    const max = this.features.maxPageSize;
    const maxPageSize = tenantMax !== undefined ? Math.max(0, Math.min(tenantMax, max)) : max;
    return {
      defaultPageSize: Math.min(this.features.defaultPageSize, maxPageSize),
      maxPageSize,
      ...(this.filterLimits ? { filter: this.filterLimits } : {}),
    };
  }

  /** Most bytes in a request body (`maxPayloadBytes`) for the tenant, and the deepest nesting. */
  body(tenant: TenantContext): BodyLimits {
    return { maxBytes: this.payloadBytes(tenant), maxDepth: this.maxBodyDepth };
  }

  /**
   * Bulk limits (`maxBulkOperations`, `maxPayloadBytes`) for the tenant. A rate-limited tenant's
   * bulk costs one token per operation, so it may hold no more operations than the bucket's
   * `burst`: a larger one could never be admitted.
   */
  bulk(tenant: TenantContext): BulkLimits {
    const p = tenant.permissions;
    let max = this.features.maxBulkOperations;
    if (p.maxBulkOperations !== undefined) max = Math.max(0, Math.min(p.maxBulkOperations, max));
    if (p.rateLimit !== undefined) max = Math.min(max, Math.max(1, Math.floor(burstOf(p.rateLimit))));
    return { maxOperations: max, maxPayloadBytes: this.payloadBytes(tenant) };
  }

  /** The features as the tenant sees them in `/ServiceProviderConfig`: its own page, body and bulk limits. */
  advertised(tenant: TenantContext): ServiceProviderFeatures {
    const page = this.page(tenant);
    const bulk = this.bulk(tenant);
    return {
      ...this.features,
      maxPageSize: page.maxPageSize,
      defaultPageSize: page.defaultPageSize,
      maxBulkOperations: bulk.maxOperations,
      maxPayloadBytes: bulk.maxPayloadBytes,
    };
  }

  private payloadBytes(tenant: TenantContext): number {
    const tenantMax = tenant.permissions.maxPayloadBytes;
    const max = this.features.maxPayloadBytes;
    return tenantMax !== undefined ? Math.min(tenantMax, max) : max;
  }
}
