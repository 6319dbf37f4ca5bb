/**
 * `scim-server/postgres`: {@link PostgresStorage}, a storage for many processes on one PostgreSQL
 * database (through `pg`) or for one process on PGlite (in memory or in a directory), with
 * {@link migrate} and the two ready clients. `pg` and `@electric-sql/pglite` are optional peer
 * dependencies: install the one you use.
 *
 * For a deployment of many processes: the audit trail as durable data ({@link PostgresAuditLog},
 * with the storage option `auditOutbox`) and SCIM events out of it ({@link ScimEventPublisher}).
 *
 * ```ts
 * import { PostgresStorage, connectPostgres } from 'scim-server/postgres';
 * const storage = new PostgresStorage(await connectPostgres(process.env.DATABASE_URL!));
 * await storage.migrate();
 * const scim = new ScimServer({ tenantResolver, storage, cursorSecret: process.env.SCIM_CURSOR_SECRET });
 * ```
 *
 * @packageDocumentation
 * @module scim-server/postgres
 */
export { PostgresStorage } from './postgres-storage.js';
export type { PostgresStorageOptions } from './postgres-storage.js';
export { migrate, schemaVersion } from './migrate.js';
export type { MigrationReport } from './migrate.js';
export { LATEST_VERSION } from './migrations.js';
export type { SqlClient, SqlQueryable, SqlResult } from './sql-client.js';
export { connectPostgres, pgPoolClient } from './pg-pool-client.js';
export type { PgPoolClientLike, PgPoolLike } from './pg-pool-client.js';
export { openPGlite, pgliteClient } from './pglite-client.js';
export type { PGliteLike, PGliteTransactionLike } from './pglite-client.js';
export type { StorageNameOptions } from './storage-names.js';
export { PostgresAuditLog } from './postgres-audit-log.js';
export type {
  AuditLogEntry,
  AuditLogPage,
  AuditRetention,
  AuditSinkEventLike,
  PostgresAuditLogOptions,
  StoredAuditEvent,
} from './postgres-audit-log.js';
export { ScimEventPublisher } from './scim-event-publisher.js';
export type { EventDestination, PublishedEvent, ScimEventPublisherOptions } from './scim-event-publisher.js';
export { SCIM_EVENT, scimEventClaims } from './scim-event-claims.js';
export type { ScimEventClaims } from './scim-event-claims.js';
export type { SetAlgorithm, SetSigningKey } from './set-signer.js';
export { PostgresRateLimiter } from './postgres-rate-limiter.js';
export { PostgresTenantRegistry, DEFAULT_OVERLAP_SECONDS } from './postgres-tenant-registry.js';
export type { IssuedToken, RotatedToken, IssueTokenOptions, RotateTokenOptions } from './postgres-tenant-registry.js';
export type { RegistryTenantDefinition, RegistryTenantChanges } from './registry-definition.js';
export type { RegistryTenant, RegistryToken } from './registry-snapshot.js';
export { PostgresTenantResolver } from './postgres-tenant-resolver.js';
export type { PostgresTenantResolverOptions } from './postgres-tenant-resolver.js';
export type { SqlSubscription } from './sql-client.js';
export type { PgPoolClientOptions, PgListenConnection, PgNotifyingConnectionLike } from './pg-pool-client.js';
