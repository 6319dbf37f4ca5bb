import { ScimError } from '../error/scim-error.js';
import { checkOperation } from '../tenant/tenant-permissions.js';
import { renderResourceType, renderSchema } from './discovery.js';
import { listResponse } from './list-response.js';
import type { Invocation } from './operation-context.js';
import type { ScimOperationResponse } from './operation-response.js';
import { serviceProviderConfig } from './service-provider-config.js';

/**
 * What every discovery operation checks first: an expired tenant is refused (other permissions do
 * not apply: a client must be able to discover what it may do), and filtering is not supported
 * (RFC 7644 §4: 403).
 */
function checkDiscovery(call: Invocation): void {
  const refusal = checkOperation(call.tenant.permissions, 'read', call.services.now());
  if (refusal && refusal.permission === 'expiresAt') throw ScimError.forbidden(refusal.detail, refusal.permission);
  if (call.request.query?.filter !== undefined) throw new ScimError(403, 'Filtering is not supported on discovery endpoints');
}

function document(resource: Record<string, unknown>): ScimOperationResponse {
  const location = (resource.meta as { location?: string } | undefined)?.location;
  return { kind: 'resource', status: 200, resource, ...(location !== undefined ? { location } : {}) };
}

/** `getServiceProviderConfig` (RFC 7643 §5): the features as this tenant has them (its own page, body and bulk limits). */
export function getServiceProviderConfig(call: Invocation): ScimOperationResponse {
  checkDiscovery(call);
  return document(serviceProviderConfig(call.services.limits.advertised(call.tenant), call.tenant.baseUrl));
}

/** `getResourceTypes` (RFC 7643 §6): the tenant's resource types (its own extensions listed), or one by id or name. */
export function getResourceTypes(call: Invocation): ScimOperationResponse {
  checkDiscovery(call);
  const base = call.tenant.baseUrl;
  const all = call.services.schemas.resourceTypes(call.tenant.tenantId);
  const id = call.request.id;
  if (id === undefined)
    return {
      kind: 'list',
      status: 200,
      list: listResponse(
        all.map((rt) => renderResourceType(rt, base)),
        all.length,
        { startIndex: 1 },
      ),
    };
  const key = id.toLowerCase();
  const rt = all.find((r) => r.id.toLowerCase() === key || r.name.toLowerCase() === key);
  if (!rt) throw ScimError.notFound(`Resource type ${id} not found`);
  return document(renderResourceType(rt, base));
}

/** `getSchemas` (RFC 7643 §7): every schema the tenant sees, or one by id. */
export function getSchemas(call: Invocation): ScimOperationResponse {
  checkDiscovery(call);
  const base = call.tenant.baseUrl;
  const tenantId = call.tenant.tenantId;
  const id = call.request.id;
  if (id === undefined) {
    const all = call.services.schemas.schemas(tenantId);
    return {
      kind: 'list',
      status: 200,
      list: listResponse(
        all.map((s) => renderSchema(s, base)),
        all.length,
        { startIndex: 1 },
      ),
    };
  }
  const schema = call.services.schemas.schema(tenantId, id);
  if (!schema) throw ScimError.notFound(`Schema ${id} not found`);
  return document(renderSchema(schema, base));
}
