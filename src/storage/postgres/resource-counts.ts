import type { SqlQueryable } from './sql-client.js';
import type { TableSet } from './table-set.js';

/**
 * Takes one slot of the tenant's count of a resource type, unless the count has reached `max`.
 * The count row is locked until the transaction ends, so concurrent creates, from any process,
 * take slots one at a time: two can never both take the last one.
 *
 * @returns false when the tenant already holds `max` resources of the type.
 */
export async function takeSlot(tx: SqlQueryable, t: TableSet, tenantId: string, type: string, max: number | undefined): Promise<boolean> {
  if (max !== undefined && !(max > 0)) return false;
  const { rows } = await tx.query(
    `INSERT INTO ${t.counts} AS c (tenant_id, resource_type, resources) VALUES ($1, $2, 1)
ON CONFLICT (tenant_id, resource_type) DO UPDATE SET resources = c.resources + 1 WHERE $3::bigint IS NULL OR c.resources < $3::bigint
RETURNING resources`,
    [tenantId, type, max === undefined ? null : Math.floor(Math.min(max, Number.MAX_SAFE_INTEGER))],
  );
  return rows.length > 0;
}

/** Gives a slot back (a resource of the type was deleted). */
export async function releaseSlot(tx: SqlQueryable, t: TableSet, tenantId: string, type: string): Promise<void> {
  await tx.query(`UPDATE ${t.counts} SET resources = resources - 1 WHERE tenant_id = $1 AND resource_type = $2`, [tenantId, type]);
}

/** How many resources of the type the tenant holds, in constant time. */
export async function countOf(q: SqlQueryable, t: TableSet, tenantId: string, type: string): Promise<number> {
  const { rows } = await q.query(`SELECT resources::text AS resources FROM ${t.counts} WHERE tenant_id = $1 AND resource_type = $2`, [tenantId, type]);
  return Number((rows[0] as { resources?: unknown } | undefined)?.resources ?? 0);
}
