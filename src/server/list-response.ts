import type { ScimObject } from '../schema/types.js';
import { LIST_RESPONSE_SCHEMA } from './media-type.js';
import type { ScimListResponse } from './operation-response.js';

/** How a page was reached: by index (`startIndex`) or by RFC 9865 cursor (the cursors to go on with). */
export type ListPaging = { readonly startIndex: number } | { readonly nextCursor?: string; readonly previousCursor?: string };

/** A ListResponse message (RFC 7644 §3.4.2, RFC 9865 §2.2). */
export function listResponse(resources: readonly ScimObject[], total: number, paging: ListPaging): ScimListResponse {
  const index = 'startIndex' in paging;
  return {
    schemas: [LIST_RESPONSE_SCHEMA],
    totalResults: total,
    ...(index ? { startIndex: paging.startIndex } : {}),
    itemsPerPage: resources.length,
    ...(index ? {} : paging),
    Resources: resources,
  };
}
