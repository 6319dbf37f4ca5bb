import type { ResourceTypeModel } from '../schema/membership.js';
import type { ScimObject, ScimResource } from '../schema/types.js';
import type { TenantContext } from '../tenant/tenant-context.js';
import type {
  CreateOptions,
  DeleteOutcome,
  MemberChangeResult,
  MemberDelta,
  QueryResult,
  ReadOptions,
  StorageProvider,
  StorageQuery,
  WriteOptions,
} from './storage-provider.js';

/** Picks the storage of a tenant. Called on every operation, so cache what it builds. */
export type StorageFactory = (tenant: TenantContext) => StorageProvider;

/**
 * Silo isolation: a storage per tenant (for example a database per customer), chosen by a factory
 * from the request's tenant. Every call goes to the tenant's own storage and nowhere else.
 *
 * `dropTenant` needs a context the factory can route, so it receives one with only the tenant id;
 * factories that need more should key on `tenant.tenantId` alone.
 */
export class TenantRoutedStorage implements StorageProvider {
  constructor(private readonly factory: StorageFactory) {}

  private of(tenant: TenantContext): StorageProvider {
    return this.factory(tenant);
  }

  create(tenant: TenantContext, type: ResourceTypeModel, body: ScimObject, options?: CreateOptions): Promise<ScimResource> {
    return this.of(tenant).create(tenant, type, body, options);
  }

  get(tenant: TenantContext, type: ResourceTypeModel, id: string, options?: ReadOptions): Promise<ScimResource | null> {
    return this.of(tenant).get(tenant, type, id, options);
  }

  replace(tenant: TenantContext, type: ResourceTypeModel, id: string, body: ScimObject, options?: WriteOptions): Promise<ScimResource> {
    return this.of(tenant).replace(tenant, type, id, body, options);
  }

  // biome-ignore lint/suspicious/noConfusingVoidType: a storage written before deletes reported their outcome resolves to nothing
  delete(tenant: TenantContext, type: ResourceTypeModel, id: string, options?: WriteOptions): Promise<DeleteOutcome | void> {
    return this.of(tenant).delete(tenant, type, id, options);
  }

  query(tenant: TenantContext, type: ResourceTypeModel, query: StorageQuery): Promise<QueryResult> {
    return this.of(tenant).query(tenant, type, query);
  }

  count(tenant: TenantContext, type: ResourceTypeModel): Promise<number> {
    return this.of(tenant).count(tenant, type);
  }

  updateMembers(tenant: TenantContext, type: ResourceTypeModel, id: string, delta: MemberDelta, options?: WriteOptions): Promise<MemberChangeResult> {
    return this.of(tenant).updateMembers(tenant, type, id, delta, options);
  }

  dropTenant(tenantId: string): Promise<void> {
    const context: TenantContext = { tenantId, isolationLevel: 'strict', permissions: {}, baseUrl: '' };
    return this.of(context).dropTenant(tenantId);
  }
}
