export type {
  ContainerChange,
  CreateOptions,
  DeleteOutcome,
  MemberChangeResult,
  MemberDelta,
  MemberRef,
  MembershipRef,
  QueryResult,
  ReadOptions,
  StorageProvider,
  StorageQuery,
  UniqueConstraint,
  WriteOptions,
} from './storage-provider.js';
export { InMemoryStorage } from './memory/in-memory-storage.js';
export type { InMemoryStorageStats } from './memory/in-memory-storage.js';
export { TenantRoutedStorage } from './tenant-routed-storage.js';
export type { StorageFactory } from './tenant-routed-storage.js';
