import { ScimError } from '../error/scim-error.js';
import type { FilterNode, SortSpec } from '../query/ast.js';
import type { FilterLimits } from '../query/filter-limits.js';
import { parseFilter } from '../query/filter-parser.js';
import { parseSortParameters } from '../query/filter-compiler.js';
import { normalizePaging, type PagingLimits } from '../query/paging.js';
import type { ResourceSchema } from '../schema/resource-schema.js';
import { parseAttributeList } from '../schema/projection.js';

/** The list and search parameters, as RFC 7644 §3.4.2 and RFC 9865 name them. */
export const LIST_PARAMETER_NAMES = ['filter', 'sortBy', 'sortOrder', 'startIndex', 'count', 'cursor', 'attributes', 'excludedAttributes'] as const;

/** Raw list/search parameters from a query string or a SearchRequest body. */
export interface RawListParameters {
  filter?: string;
  sortBy?: string;
  sortOrder?: string;
  startIndex?: string | number;
  count?: string | number;
  cursor?: string;
  attributes?: string | readonly string[];
  excludedAttributes?: string | readonly string[];
}

/** Parsed list parameters (filter still text: it is compiled per resource type). */
export interface ListParameters {
  filterText?: string;
  filter?: FilterNode;
  sortBy?: string;
  sortOrder?: string;
  startIndex: number;
  count: number;
  /** Present (possibly empty) when the client asked for cursor paging. */
  cursor?: string;
  attributes?: string[];
  excludedAttributes?: string[];
}

/**
 * Most distinct attribute paths one `attributes` or `excludedAttributes` parameter may name. The
 * standard schemas have far fewer paths; the bound keeps projection cost proportional to the page,
 * not to whatever a 1 MiB search body can list.
 */
export const MAX_ATTRIBUTE_PATHS = 256;

/** Longest attribute path accepted in `attributes` / `excludedAttributes`, schema URI included. */
export const MAX_ATTRIBUTE_PATH_LENGTH = 512;

function list(name: string, value: string | readonly string[] | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  let names: string[];
  if (typeof value === 'string') names = parseAttributeList(value);
  else if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw ScimError.badRequest('invalidValue', 'attributes and excludedAttributes must be strings');
  } else names = value.flatMap((v) => parseAttributeList(v));
  // Repeats are dropped (attribute names match case-insensitively), then the distinct ones counted.
  const seen = new Set<string>();
  const out: string[] = [];
  for (const n of names) {
    if (n.length > MAX_ATTRIBUTE_PATH_LENGTH) {
      throw ScimError.badRequest('invalidValue', `${name} holds a path longer than ${MAX_ATTRIBUTE_PATH_LENGTH} characters`);
    }
    const key = n.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(n);
    if (out.length > MAX_ATTRIBUTE_PATHS) {
      throw ScimError.badRequest('invalidValue', `${name} may name at most ${MAX_ATTRIBUTE_PATHS} attribute paths`);
    }
  }
  return out;
}

function str(name: string, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw ScimError.badRequest('invalidValue', `${name} must be a string`);
  return value;
}

/**
 * A paging value as given: a string from a query, or a number from a SearchRequest body. Anything
 * else in a body (`{}`, `[1]`, `true`, a number JSON cannot hold) is refused here.
 */
function pagingValue(name: string, value: unknown): string | number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  throw ScimError.badRequest('invalidValue', `${name} must be an integer`);
}

/** Reads the list parameters; the filter is parsed (syntax only) here. */
export function readListParameters(raw: RawListParameters, limits: PagingLimits & { filter?: FilterLimits }): ListParameters {
  const filterText = str('filter', raw.filter);
  const startIndex = pagingValue('startIndex', raw.startIndex);
  const count = pagingValue('count', raw.count);
  const page = normalizePaging(
    {
      ...(startIndex !== undefined ? { startIndex } : {}),
      ...(count !== undefined ? { count } : {}),
    },
    { defaultPageSize: limits.defaultPageSize, maxPageSize: limits.maxPageSize },
    { cursor: raw.cursor !== undefined && raw.cursor !== null },
  );
  const attributes = list('attributes', raw.attributes);
  const excludedAttributes = list('excludedAttributes', raw.excludedAttributes);
  const out: ListParameters = { startIndex: page.startIndex, count: page.count };
  if (filterText !== undefined && filterText.trim() !== '') {
    out.filterText = filterText;
    out.filter = parseFilter(filterText, limits.filter);
  }
  const sortBy = str('sortBy', raw.sortBy);
  if (sortBy !== undefined && sortBy.length > MAX_ATTRIBUTE_PATH_LENGTH) {
    throw ScimError.badRequest('invalidValue', `sortBy is longer than ${MAX_ATTRIBUTE_PATH_LENGTH} characters`);
  }
  const sortOrder = str('sortOrder', raw.sortOrder);
  if (sortBy !== undefined) out.sortBy = sortBy;
  if (sortOrder !== undefined) out.sortOrder = sortOrder;
  const cursor = str('cursor', raw.cursor);
  if (cursor !== undefined) out.cursor = cursor;
  if (attributes) out.attributes = attributes;
  if (excludedAttributes) out.excludedAttributes = excludedAttributes;
  return out;
}

/** The sort of a list for one resource type. */
export function sortFor(params: ListParameters, schema: ResourceSchema): SortSpec | undefined {
  return parseSortParameters(params.sortBy, params.sortOrder, schema);
}
