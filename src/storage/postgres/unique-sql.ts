import { ScimError } from '../../error/scim-error.js';
import type { UniqueConstraint } from '../storage-provider.js';
import type { SqlQueryable } from './sql-client.js';
import type { TableSet } from './table-set.js';

/** The row of a constraint: its key (the attribute and whether case counts) and its value, folded unless case-exact. */
function entry(c: UniqueConstraint): { key: string; value: string } {
  return { key: JSON.stringify([c.caseExact, ...c.keys]), value: c.caseExact ? c.value : c.value.toLowerCase() };
}

/**
 * Claims the unique values of a resource, atomically against every concurrent claim: one row per
 * value under a primary key, holding the SHA-256 of the (folded) value, so values of any length fit.
 * A claim that meets another resource's row waits for that transaction, then fails if it committed.
 *
 * @throws ScimError 409 `uniqueness` naming the first value already in use.
 */
export async function claimUniqueValues(
  tx: SqlQueryable,
  t: TableSet,
  owner: { tenantId: string; type: string; id: string },
  constraints: readonly UniqueConstraint[] | undefined,
): Promise<void> {
  if (!constraints || constraints.length === 0) return;
  const wanted = new Map<string, { key: string; value: string; constraint: UniqueConstraint }>();
  for (const c of constraints) {
    const e = entry(c);
    wanted.set(JSON.stringify([e.key, e.value]), { ...e, constraint: c });
  }
  const rows = [...wanted.values()];
  const result = await tx.query(
    `INSERT INTO ${t.uniqueValues} (tenant_id, resource_type, key, value_hash, id)
SELECT $1, $2, x.key, encode(sha256(convert_to(x.value, 'UTF8')), 'hex'), $3 FROM unnest($4::text[], $5::text[]) AS x(key, value)
ON CONFLICT DO NOTHING RETURNING key, value_hash`,
    [owner.tenantId, owner.type, owner.id, rows.map((r) => r.key), rows.map((r) => r.value)],
  );
  if (result.rows.length === rows.length) return;
  const claimedKeys = (result.rows as { key: string }[]).map((r) => r.key);
  const lost = rows.find((r) => {
    const i = claimedKeys.indexOf(r.key);
    if (i < 0) return true;
    claimedKeys.splice(i, 1);
    return false;
  });
  const c = lost?.constraint ?? constraints[0];
  throw ScimError.uniqueness(`${c?.keys.join('.')} "${c?.value}" is already in use`);
}

/** Releases every unique value a resource holds (on delete, and before a replace claims its new ones). */
export async function releaseUniqueValues(tx: SqlQueryable, t: TableSet, owner: { tenantId: string; type: string; id: string }): Promise<void> {
  await tx.query(`DELETE FROM ${t.uniqueValues} WHERE tenant_id = $1 AND resource_type = $2 AND id = $3`, [owner.tenantId, owner.type, owner.id]);
}
