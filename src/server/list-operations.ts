import { ScimError } from '../error/scim-error.js';
import { queryKey } from '../query/cursor.js';
import type { ResourceTypeDefinition } from '../schema/types.js';
import { LIST_PARAMETER_NAMES, readListParameters, type ListParameters, type RawListParameters } from './list-parameters.js';
import { cursorPaging } from './cursor-paging.js';
import { jsonArray, jsonWithRawValues } from './json-text.js';
import { listPage, type ListPage } from './list-page.js';
import { askForLess } from './response-budget.js';
import { planList, type ListSource } from './list-plan.js';
import { listResponse, type ListPaging } from './list-response.js';
import { SEARCH_REQUEST_SCHEMA } from './media-type.js';
import type { Invocation } from './operation-context.js';
import { requireObject } from './operation-data.js';
import type { ScimQuery } from './operation-request.js';
import type { ScimListResult, ScimOperationResponse } from './operation-response.js';
import type { Projection } from './resource-renderer.js';

/** The parameters of a typed query, as given. */
function fromQuery(query: ScimQuery | undefined): RawListParameters {
  const raw: Record<string, unknown> = {};
  for (const key of LIST_PARAMETER_NAMES) if (query?.[key] !== undefined) raw[key] = query[key];
  return raw as RawListParameters;
}

/** The parameters of a SearchRequest body (RFC 7644 §3.4.3): keys in any case; no body is an empty search. */
function fromSearchRequest(data: unknown): RawListParameters {
  const body = requireObject(data === undefined ? {} : data);
  const schemas = body.schemas;
  const wanted = SEARCH_REQUEST_SCHEMA.toLowerCase();
  if (schemas !== undefined && (!Array.isArray(schemas) || !schemas.some((s) => typeof s === 'string' && s.toLowerCase() === wanted))) {
    throw ScimError.badRequest('invalidSyntax', `A search request must list ${SEARCH_REQUEST_SCHEMA} in schemas`);
  }
  const raw: Record<string, unknown> = {};
  const lowerKeys = new Map(Object.keys(body).map((k) => [k.toLowerCase(), k]));
  for (const key of LIST_PARAMETER_NAMES) {
    const actual = lowerKeys.get(key.toLowerCase());
    if (actual !== undefined && body[actual] !== undefined && body[actual] !== null) raw[key] = body[actual];
  }
  return raw as RawListParameters;
}

function projectionOfList(params: ListParameters): Projection {
  return {
    ...(params.attributes ? { attributes: params.attributes } : {}),
    ...(params.excludedAttributes ? { excludedAttributes: params.excludedAttributes } : {}),
  };
}

/** The key a cursor is bound to: the types, filter and sort of the query (not the page). */
function keyOf(types: readonly ResourceTypeDefinition[], params: ListParameters): string {
  return queryKey({
    resourceType: types.map((t) => t.name).join(','),
    ...(params.filterText !== undefined ? { filter: params.filterText } : {}),
    ...(params.sortBy !== undefined ? { sortBy: params.sortBy } : {}),
    ...(params.sortOrder !== undefined ? { sortOrder: params.sortOrder } : {}),
  });
}

/** A page as a ListResponse, with its JSON text made of the resources' own. */
function listResult(page: ListPage, paging: ListPaging): ScimListResult {
  const list = listResponse(
    page.resources.map((r) => r.value),
    page.total,
    paging,
  );
  const json = jsonWithRawValues(list, new Map([['Resources', jsonArray(page.resources.map((r) => r.json))]]));
  return { kind: 'list', status: 200, list, json };
}

/** Index paging or RFC 9865 cursor paging: the page, then its `startIndex` or its cursors. */
async function runList(call: Invocation, types: readonly ResourceTypeDefinition[], raw: RawListParameters, source: ListSource): Promise<ScimOperationResponse> {
  const params = readListParameters(raw, call.services.limits.page(call.tenant));
  const projection = projectionOfList(params);
  const plan = planList(call, types, params, projection, source);
  const members = plan.plans.flatMap((p) => (p.withMembers && p.rt.membership ? [p.rt.membership.attribute] : []));
  const work = call.work(askForLess(members, params.count));
  if (params.cursor === undefined) {
    const page = await listPage(call, plan, params.startIndex - 1, params.count, projection, work);
    return listResult(page, { startIndex: params.startIndex });
  }
  if (raw.startIndex !== undefined) throw ScimError.badRequest('invalidValue', 'cursor and startIndex cannot be combined');
  const binding = { tenantId: call.tenant.tenantId, queryKey: keyOf(types, params) };
  const { page, links } = await cursorPaging(call, plan, params.cursor, params.count, binding, projection, work);
  return listResult(page, links);
}

/** `list` (RFC 7644 §3.4.2): one resource type, with the parameters a URL carries. */
export async function listResources(call: Invocation): Promise<ScimOperationResponse> {
  call.permit('list');
  return runList(call, [call.resourceType], fromQuery(call.request.query), 'url');
}

/**
 * `search` (RFC 7644 §3.4.3): one resource type, or every type when the request names none (a root
 * search), with the parameters of a SearchRequest in `data`, or of `query` when there is no data.
 */
export async function searchResources(call: Invocation): Promise<ScimOperationResponse> {
  call.permit('list');
  const data = call.data();
  const raw = data === undefined && call.request.query !== undefined ? fromQuery(call.request.query) : fromSearchRequest(data);
  const types = call.type ? [call.type] : call.services.schemas.resourceTypes(call.tenant.tenantId);
  return runList(call, types, raw, 'body');
}
