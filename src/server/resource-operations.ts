import type { ResourceSchema } from '../schema/resource-schema.js';
import type { ScimResource } from '../schema/types.js';
import { tenantSettings } from '../provider/tenant-settings.js';
import type { JournaledChange } from '../storage/storage-provider.js';
import { AuditJournal } from './audit-journal.js';
import { type AuditFields, changedAttributes } from './operation-audit.js';
import type { Invocation } from './operation-context.js';
import { requireObject } from './operation-data.js';
import type { ScimOperationResponse, ScimResourceResult } from './operation-response.js';
import { notModified, writeVersion } from './preconditions.js';
import { asksForAttributes, checkedProjection, wantsMembers } from './projection-query.js';
import { renderPaced } from './paced-render.js';
import type { Projection } from './resource-renderer.js';
import { askForLess } from './response-budget.js';

/**
 * A stored resource rendered for the tenant, with its version, location and JSON text. The answer
 * to a read is held to the tenant's `maxResponseBytes`; the answer to a write is not (it happened).
 */
async function resourceResult(
  call: Invocation,
  status: 200 | 201,
  resource: ScimResource,
  schema: ResourceSchema,
  projection: Projection,
  read = false,
): Promise<ScimResourceResult> {
  const members = schema.resourceType.membership?.attribute;
  const hint = read ? askForLess(members !== undefined && wantsMembers(projection, schema.resourceType) ? [members] : []) : undefined;
  const { value, json } = await renderPaced(resource, schema, call.links(schema), projection, call.work(hint));
  const location = (value.meta as { location?: string } | undefined)?.location ?? `${call.tenant.baseUrl}${schema.resourceType.endpoint}/${resource.id}`;
  return { kind: 'resource', status, resource: value, version: resource.meta.version, location, json };
}

/** `create` (RFC 7644 §3.3): validates and stores a new resource; 201 with it. */
export async function createResource(call: Invocation): Promise<ScimOperationResponse> {
  call.permit('create');
  const rt = call.resourceType;
  const schema = call.schemaFor(rt);
  const projection = checkedProjection(call.request.query, schema);
  const body = requireObject(call.data());
  const changed = changedAttributes(body, schema);
  const journal = new AuditJournal(call.services.audit, call.origin, ({ resource }) => [
    {
      action: 'create',
      resourceType: rt.name,
      ...(resource ? { resourceId: resource.id, version: resource.meta.version } : {}),
      outcome: 'success',
      status: 201,
      changed,
      ...activeAfter(resource, changed),
    },
  ]);
  const created = await call.services.provider(rt.name).create(call.tenant, body, { journal });
  journal.emit({ resource: created });
  return resourceResult(call, 201, created, schema, projection);
}

/** `get` (RFC 7644 §3.4.1): one resource, or "not modified" when `ifNoneMatch` matches its version. */
export async function getResource(call: Invocation): Promise<ScimOperationResponse> {
  const id = call.resourceId;
  call.permit('read');
  const rt = call.resourceType;
  const schema = call.schemaFor(rt);
  const projection = checkedProjection(call.request.query, schema);
  const resource = await call.services.provider(rt.name).get(call.tenant, id, { excludeMembers: !wantsMembers(projection, rt) });
  if (notModified(call.request.ifNoneMatch, resource.meta.version)) return { kind: 'none', status: 304, version: resource.meta.version };
  return resourceResult(call, 200, resource, schema, projection, true);
}

/** `replace` (RFC 7644 §3.5.1): validates and replaces a resource, as one compare-and-set with `ifMatch`. */
export async function replaceResource(call: Invocation): Promise<ScimOperationResponse> {
  const id = call.resourceId;
  call.permit('replace');
  const rt = call.resourceType;
  const schema = call.schemaFor(rt);
  const provider = call.services.provider(rt.name);
  const projection = checkedProjection(call.request.query, schema);
  const body = requireObject(call.data());
  const version = await writeVersion(call.request, provider, call.tenant, id);
  const changed = changedAttributes(body, schema);
  const journal = new AuditJournal(call.services.audit, call.origin, ({ resource }) => [
    {
      action: 'replace',
      resourceType: rt.name,
      resourceId: id,
      ...(resource ? { version: resource.meta.version } : {}),
      outcome: 'success',
      status: 200,
      changed,
      ...activeAfter(resource, changed),
    },
  ]);
  const replaced = await provider.replace(call.tenant, id, body, { ...(version !== undefined ? { expectedVersion: version } : {}), journal });
  journal.emit({ resource: replaced });
  return resourceResult(call, 200, replaced, schema, projection);
}

/**
 * `patch` (RFC 7644 §3.5.2): applies a PatchOp all-or-nothing. A resource that holds members answers
 * "no content" with its new version unless the client asked for attributes or the tenant's (or the
 * server's) `groupPatchResponse` is `resource`.
 */
export async function patchResource(call: Invocation): Promise<ScimOperationResponse> {
  const id = call.resourceId;
  call.permit('patch');
  const rt = call.resourceType;
  const schema = call.schemaFor(rt);
  const provider = call.services.provider(rt.name);
  const projection = checkedProjection(call.request.query, schema);
  const body = requireObject(call.data());
  const version = await writeVersion(call.request, provider, call.tenant, id);
  const members = rt.membership?.attribute;
  const style = tenantSettings(call.tenant).groupPatchResponse ?? call.services.groupPatchResponse;
  const noContent = members !== undefined && style === 'noContent' && !asksForAttributes(projection);
  const journal = new AuditJournal(call.services.audit, call.origin, ({ resource, changed = [] }) => [
    {
      action: members !== undefined && changed.some((c) => c.toLowerCase().startsWith(members.toLowerCase())) ? 'members' : 'patch',
      resourceType: rt.name,
      resourceId: id,
      ...(resource ? { version: resource.meta.version } : {}),
      outcome: 'success',
      status: noContent ? 204 : 200,
      changed: [...changed],
      ...activeAfter(resource, changed),
    },
  ]);
  const outcome = await provider.patch(call.tenant, id, body, { ...(version !== undefined ? { expectedVersion: version } : {}), journal });
  journal.emit(outcome);
  if (noContent) return { kind: 'none', status: 204, version: outcome.resource.meta.version };
  let resource = outcome.resource;
  if (members !== undefined && wantsMembers(projection, rt) && resource[members] === undefined) resource = await provider.get(call.tenant, id);
  return resourceResult(call, 200, resource, schema, projection);
}

/**
 * `delete` (RFC 7644 §3.6): removes a resource, as one compare-and-set with `ifMatch`. Each
 * container that loses it as a member is audited as a change of its own.
 */
export async function deleteResource(call: Invocation): Promise<ScimOperationResponse> {
  const id = call.resourceId;
  call.permit('delete');
  const rt = call.resourceType;
  const provider = call.services.provider(rt.name);
  const version = await writeVersion(call.request, provider, call.tenant, id);
  const subject = { action: 'delete', resourceType: rt.name, resourceId: id };
  const { schemas, audit } = call.services;
  const journal = new AuditJournal(audit, call.origin, ({ containers = [] }) => [
    { ...subject, outcome: 'success', status: 204 },
    ...audit.containerEvents(subject, containers, (type) => schemas.model(type)?.members?.attribute),
  ]);
  const outcome = await provider.delete(call.tenant, id, { ...(version !== undefined ? { expectedVersion: version } : {}), journal });
  journal.emit(outcome ? { containers: outcome.containers } : {});
  return { kind: 'none', status: 204 };
}

/** The `active` value after a change that set it, for the audit event (activation or deactivation). */
function activeAfter(resource: JournaledChange['resource'], changed: readonly string[]): Pick<AuditFields, 'active'> {
  if (!resource || typeof resource.active !== 'boolean') return {};
  return changed.some((path) => path.toLowerCase() === 'active') ? { active: resource.active } : {};
}
