import { compileProjection } from '../schema/projection.js';
import type { ResourceSchema } from '../schema/resource-schema.js';
import type { ResourceTypeDefinition } from '../schema/types.js';
import { readListParameters } from './list-parameters.js';
import type { ScimQuery } from './operation-request.js';
import type { Projection } from './resource-renderer.js';

/**
 * The `attributes` / `excludedAttributes` of a query, checked (at most 256 paths, none longer than
 * 512 characters): what a response that returns resources shows.
 */
export function projectionOf(query: ScimQuery | undefined): Projection {
  if (!query || (query.attributes === undefined && query.excludedAttributes === undefined)) return {};
  const p = readListParameters(
    {
      ...(query.attributes !== undefined ? { attributes: query.attributes } : {}),
      ...(query.excludedAttributes !== undefined ? { excludedAttributes: query.excludedAttributes } : {}),
    },
    { defaultPageSize: 0, maxPageSize: 0 },
  );
  return {
    ...(p.attributes ? { attributes: p.attributes } : {}),
    ...(p.excludedAttributes ? { excludedAttributes: p.excludedAttributes } : {}),
  };
}

/**
 * {@link projectionOf}, with its names checked against `schema` at once, so that a name several
 * extensions define is refused (400) before anything is written rather than after.
 */
export function checkedProjection(query: ScimQuery | undefined, schema: ResourceSchema): Projection {
  const projection = projectionOf(query);
  if (asksForAttributes(projection)) compileProjection(schema, projection);
  return projection;
}

/** True when the client asked for attributes at all (`attributes` or `excludedAttributes`). */
export function asksForAttributes(projection: Projection): boolean {
  return projection.attributes !== undefined || projection.excludedAttributes !== undefined;
}

/** Whether a response with this projection shows the members of a resource of type `rt` (false for a type that holds none). */
export function wantsMembers(projection: Projection, rt: ResourceTypeDefinition): boolean {
  const members = rt.membership?.attribute.toLowerCase();
  if (members === undefined) return false;
  if (projection.excludedAttributes?.some((a) => a.toLowerCase() === members)) return false;
  if (projection.attributes && projection.attributes.length > 0) {
    return projection.attributes.some((a) => a.toLowerCase() === members || a.toLowerCase().startsWith(`${members}.`));
  }
  return true;
}
