/**
 * Where a tenant's data lives.
 *
 * - `shared`: one store for many tenants; every query is scoped by tenant id in the application.
 * - `standard`: as `shared`, and a storage backed by a database that can enforce tenant scoping
 *   is expected to make it do so as well (row-level security). In memory it behaves as `shared`.
 * - `strict`: physically separate: a store object of its own in memory (a schema or database of
 *   its own in a database-backed storage).
 */
export const IsolationLevel = {
  Strict: 'strict',
  Standard: 'standard',
  Shared: 'shared',
} as const;

/** One of `'strict' | 'standard' | 'shared'`. See {@link IsolationLevel}. */
export type IsolationLevel = (typeof IsolationLevel)[keyof typeof IsolationLevel];

/** True when `value` names an isolation level. */
export function isIsolationLevel(value: unknown): value is IsolationLevel {
  return value === 'strict' || value === 'standard' || value === 'shared';
}
