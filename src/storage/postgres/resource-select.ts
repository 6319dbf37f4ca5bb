import type { ResourceTypeModel } from '../../schema/membership.js';
import type { TableSet } from './table-set.js';

/** An ISO 8601 instant with milliseconds in UTC, as `meta` shows it, whatever the session's time zone. */
export function isoText(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/** The current time at the millisecond, as stored in `created` and `last_modified`. */
export const NOW = "date_trunc('milliseconds', now())";

/** The column a read returns the `index`th reverse attribute of the type in. */
export function reverseColumn(index: number): string {
  return `reverse_${index}`;
}

/**
 * The select list that reads resources of `type` from `r`: the row; when the type holds members,
 * its member set (one JSON array, in member id order) unless `withMembers` is false; and for each
 * reverse attribute of the type's model, the containers that list the resource, with their current
 * display value. Container types and display attributes are appended to `params`.
 */
export function resourceColumns(t: TableSet, type: ResourceTypeModel, withMembers: boolean, params: unknown[]): string {
  const columns = ['r.id', 'r.version::text AS version', `${isoText('r.created')} AS created`, `${isoText('r.last_modified')} AS last_modified`, 'r.data'];
  if (withMembers && type.members) {
    columns.push(
      `(SELECT json_agg(json_strip_nulls(json_build_object('value', m.member_id, 'type', m.member_type, 'display', m.display)) ORDER BY m.member_id)
  FROM ${t.members} m WHERE m.tenant_id = r.tenant_id AND m.container_type = r.resource_type AND m.container_id = r.id) AS members`,
    );
  }
  type.memberOf.forEach((relation, i) => {
    params.push(relation.containerType, relation.displayAttribute);
    const container = `$${params.length - 1}::text`;
    const display = `$${params.length}::text`;
    columns.push(
      `(SELECT json_agg(json_strip_nulls(json_build_object('value', g.id, 'display', CASE WHEN jsonb_typeof(g.data -> ${display}) = 'string' THEN g.data ->> ${display} END)) ORDER BY g.id)
  FROM ${t.members} m JOIN ${t.resources} g ON g.tenant_id = m.tenant_id AND g.resource_type = m.container_type AND g.id = m.container_id
  WHERE m.tenant_id = r.tenant_id AND m.member_id = r.id AND m.container_type = ${container}) AS ${reverseColumn(i)}`,
    );
  });
  return columns.join(',\n  ');
}
