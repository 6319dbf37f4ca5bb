import { TenantStore } from './tenant-store.js';

/**
 * The store that `standard` and `shared` tenants have in common. Every table and index in it sits
 * under its tenant's id, and every access names the tenant, so scoping is done by the application
 * (in memory there is no second line of defence to add for `standard`).
 */
export class SharedStore {
  private readonly partitions = new Map<string, TenantStore>();

  /** The tenant's partition, created when `create` is true. */
  partition(tenantId: string, create: true): TenantStore;
  partition(tenantId: string, create?: boolean): TenantStore | undefined;
  partition(tenantId: string, create = false): TenantStore | undefined {
    let store = this.partitions.get(tenantId);
    if (!store && create) {
      store = new TenantStore();
      this.partitions.set(tenantId, store);
    }
    return store;
  }

  /** True when the tenant has a partition here. */
  has(tenantId: string): boolean {
    return this.partitions.has(tenantId);
  }

  /** Deletes the tenant's partition with everything in it. */
  drop(tenantId: string): void {
    this.partitions.delete(tenantId);
  }

  /** Ids of the tenants with a partition. */
  tenantIds(): string[] {
    return [...this.partitions.keys()];
  }
}
