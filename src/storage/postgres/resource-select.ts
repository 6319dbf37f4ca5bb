import { type Membership, memberAttributeOf, reverseAttributeOf } from './membership.js';
import type { TableSet } from './table-set.js';

/** An ISO 8601 instant with milliseconds in UTC, as `meta` shows it, whatever the session's time zone. */
export function isoText(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/** The current time at the millisecond, as stored in `created` and `last_modified`. */
export const NOW = "date_trunc('milliseconds', now())";

/**
 * The select list that reads resources of `resourceType` from `r`: the row, and for a container
 * type its members (one JSON array, in member id order) unless `withMembers` is false, and for a
 * type that shows its containers, those containers with their current display names.
 */
export function resourceColumns(t: TableSet, membership: Membership, resourceType: string, withMembers: boolean): string {
  const columns = ['r.id', 'r.version::text AS version', `${isoText('r.created')} AS created`, `${isoText('r.last_modified')} AS last_modified`, 'r.data'];
  if (withMembers && memberAttributeOf(membership, resourceType) !== undefined) {
    columns.push(
      `(SELECT json_agg(json_strip_nulls(json_build_object('value', m.member_id, 'type', m.member_type, 'display', m.display)) ORDER BY m.member_id)
  FROM ${t.members} m WHERE m.tenant_id = r.tenant_id AND m.container_type = r.resource_type AND m.container_id = r.id) AS members`,
    );
  }
  if (reverseAttributeOf(membership, resourceType) !== undefined) {
    columns.push(
      `(SELECT json_agg(json_strip_nulls(json_build_object('value', g.id, 'display', g.display_name)) ORDER BY g.id)
  FROM ${t.members} m JOIN ${t.resources} g ON g.tenant_id = m.tenant_id AND g.resource_type = m.container_type AND g.id = m.container_id
  WHERE m.tenant_id = r.tenant_id AND m.member_id = r.id) AS containers`,
    );
  }
  return columns.join(',\n  ');
}
