import { ScimError } from '../error/scim-error.js';
import { processBulk, type BulkResponseBody } from './bulk.js';
import { httpResponse } from './http-response.js';
import type { Invocation } from './operation-context.js';
import type { ScimOperation, ScimOperationRequest } from './operation-request.js';
import type { ScimOperationResponse } from './operation-response.js';
import { matchRoute, tenantEndpoints } from './routes.js';
import type { ScimResponse } from './scim-request.js';

const WRITES: Readonly<Record<string, ScimOperation>> = { PUT: 'replace', PATCH: 'patch', DELETE: 'delete' };

/** The operation a Bulk entry stands for: POST to a collection creates, PUT, PATCH and DELETE address one resource. */
function nestedRequest(call: Invocation, op: { method: string; path: string; body?: unknown; ifMatch?: string }): ScimOperationRequest | undefined {
  const method = op.method.toUpperCase();
  const route = matchRoute(op.path, tenantEndpoints(call.services.schemas, call.tenant.tenantId));
  const base = {
    tenant: call.tenant,
    requestId: call.origin.requestId,
    requestIdSource: call.origin.requestIdSource,
    ...(call.request.actor !== undefined ? { actor: call.request.actor } : {}),
    ...(op.body !== undefined ? { data: op.body } : {}),
    ...(op.ifMatch !== undefined ? { ifMatch: op.ifMatch } : {}),
  };
  if (route?.kind === 'collection' && method === 'POST') return { ...base, operation: 'create', resourceType: route.resourceType.name };
  const operation = WRITES[method];
  if (route?.kind === 'resource' && operation) return { ...base, operation, resourceType: route.resourceType.name, id: route.id };
  return undefined;
}

/**
 * `bulk` (RFC 7644 §3.7): each operation runs as its own operation of the same tenant, through the
 * same permission checks, limits and audit as a single request; `bulkId` references are resolved
 * between them. The tenant's rate limit is charged one token per operation, all before the first
 * one runs, so a refused bulk changes nothing.
 */
export async function runBulk(call: Invocation): Promise<ScimOperationResponse> {
  call.permit('bulk');
  const body = call.data();
  const execute = async (op: { method: string; path: string; body?: unknown; ifMatch?: string }): Promise<ScimResponse> => {
    const nested = nestedRequest(call, op);
    if (!nested) {
      const error = ScimError.badRequest('invalidPath', `Bulk operations address /{ResourceType} or /{ResourceType}/{id}, not ${op.path}`);
      return httpResponse({ kind: 'error', status: 400, error });
    }
    return httpResponse(await call.services.runNested(nested));
  };
  // The request itself was charged one token; each further operation costs one more.
  const admit = (count: number) => (count > 1 ? call.services.rateLimit(call.tenant, count - 1) : undefined);
  const response = await processBulk(body, call.services.limits.bulk(call.tenant), execute, { baseUrl: call.tenant.baseUrl, admit });
  return { kind: 'bulk', status: 200, bulk: response.body as BulkResponseBody };
}
