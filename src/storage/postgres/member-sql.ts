import { ScimError } from '../../error/scim-error.js';
import type { MemberRef } from '../storage-provider.js';
import type { SqlQueryable } from './sql-client.js';
import { storableText } from './storable-json.js';
import type { TableSet } from './table-set.js';

/** A change to one container's member set: `removeAll` or `remove`, then `add`. */
export interface MemberChange {
  readonly add: readonly MemberRef[];
  readonly remove: readonly string[];
  readonly removeAll: boolean;
}

/** The net effect of a change: ids added (not present before) and removed (present before). */
export interface MemberOutcome {
  readonly added: string[];
  readonly removed: string[];
}

/** Which container a change applies to. */
export interface ContainerKey {
  readonly tenantId: string;
  readonly type: string;
  readonly id: string;
}

function uniqueRefs(refs: readonly MemberRef[]): MemberRef[] {
  const seen = new Map<string, MemberRef>();
  for (const ref of refs) if (!seen.has(ref.value)) seen.set(ref.value, ref);
  return [...seen.values()];
}

function inOrder(ids: readonly string[], returned: Set<string>): string[] {
  const out: string[] = [];
  for (const id of ids) if (returned.delete(id)) out.push(id);
  return [...out, ...[...returned].sort()];
}

/** What a container type allows as members. */
export interface MemberRule {
  /** The attribute that lists the members, for error details. */
  readonly attribute: string;
  /** Names of the resource types whose resources may be members. */
  readonly memberTypes: readonly string[];
}

/**
 * Checks that every reference names a resource of the tenant of an allowed member type, and fills
 * in a missing `type`. The referenced rows are share-locked until the transaction ends, so a
 * concurrent delete of a member waits, and no membership can outlive its member.
 *
 * @throws ScimError 400 `invalidValue` naming the first id that is not such a resource.
 */
export async function resolveMemberRefs(tx: SqlQueryable, t: TableSet, tenantId: string, rule: MemberRule, refs: readonly MemberRef[]): Promise<MemberRef[]> {
  const unique = uniqueRefs(refs);
  if (unique.length === 0) return [];
  const missing = (value: string) => ScimError.badRequest('invalidValue', `${rule.attribute}: no ${rule.memberTypes.join(' or ')} with id "${value}"`);
  const bad = unique.find((ref) => !storableText(ref.value));
  if (bad) throw missing(bad.value);
  const { rows } = await tx.query(
    `SELECT id, resource_type FROM ${t.resources} WHERE tenant_id = $1 AND id = ANY($2::text[]) AND lower(resource_type) = ANY($3::text[]) FOR KEY SHARE`,
    [tenantId, unique.map((ref) => ref.value), rule.memberTypes.map((type) => type.toLowerCase())],
  );
  const types = new Map((rows as { id: string; resource_type: string }[]).map((row) => [row.id, row.resource_type]));
  return unique.map((ref) => {
    const type = types.get(ref.value);
    if (type === undefined) throw missing(ref.value);
    return ref.type === undefined ? { ...ref, type } : ref;
  });
}

async function removeMembers(tx: SqlQueryable, t: TableSet, key: ContainerKey, change: MemberChange, keep: string[]): Promise<string[]> {
  if (!change.removeAll && change.remove.length === 0) return [];
  const where = change.removeAll ? 'NOT (member_id = ANY($4::text[]))' : 'member_id = ANY($5::text[]) AND NOT (member_id = ANY($4::text[]))';
  const params = [key.tenantId, key.type, key.id, keep, ...(change.removeAll ? [] : [[...new Set(change.remove)]])];
  const { rows } = await tx.query(
    `DELETE FROM ${t.members} WHERE tenant_id = $1 AND container_type = $2 AND container_id = $3 AND ${where} RETURNING member_id`,
    params,
  );
  return inOrder(change.remove, new Set((rows as { member_id: string }[]).map((r) => r.member_id)));
}

async function addMembers(tx: SqlQueryable, t: TableSet, key: ContainerKey, add: readonly MemberRef[]): Promise<string[]> {
  if (add.length === 0) return [];
  const { rows } = await tx.query(
    `INSERT INTO ${t.members} (tenant_id, container_type, container_id, member_id, member_type, display)
SELECT $1, $2, $3, x.member_id, x.member_type, x.display FROM unnest($4::text[], $5::text[], $6::text[]) AS x(member_id, member_type, display)
ON CONFLICT DO NOTHING RETURNING member_id`,
    [key.tenantId, key.type, key.id, add.map((r) => r.value), add.map((r) => r.type ?? null), add.map((r) => r.display ?? null)],
  );
  return inOrder(
    add.map((r) => r.value),
    new Set((rows as { member_id: string }[]).map((r) => r.member_id)),
  );
}

/**
 * Applies a member change with the in-memory storage's set semantics: ids to add that are already
 * present stay as they are, ids to remove that are absent are ignored, an id both removed and added
 * stays, and duplicates count once. Costs one statement per part, in time proportional to the
 * change (or to the set, with `removeAll`). `change.add` must be resolved already.
 */
export async function applyMemberChange(tx: SqlQueryable, t: TableSet, key: ContainerKey, change: MemberChange): Promise<MemberOutcome> {
  const add = uniqueRefs(change.add);
  const removed = await removeMembers(
    tx,
    t,
    key,
    change,
    add.map((r) => r.value),
  );
  const added = await addMembers(tx, t, key, add);
  return { added, removed };
}
