import { isScimError } from '../error/scim-error.js';
import type { ResourceSchema } from '../schema/resource-schema.js';
import type { ScimObject } from '../schema/types.js';
import type { ContainerChange } from '../storage/storage-provider.js';
import type { TenantContext } from '../tenant/tenant-context.js';
import type { AuditEvent, AuditTrail } from './audit.js';
import type { ScimOperationRequest } from './operation-request.js';

/** What an audit event says about the attempt, before its outcome is known. */
export interface AuditSubject {
  readonly action: string;
  readonly resourceType?: string;
  readonly resourceId?: string;
}

/** Who acted, in which request: the fields every event of one operation shares. */
export interface AuditOrigin {
  readonly tenant: TenantContext;
  readonly requestId: string;
  /** Who chose the request id. */
  readonly requestIdSource: 'client' | 'server';
  /** The actor the request names, else the tenant's client. */
  readonly actor?: string | undefined;
}

/** What an operation says in an event; the rest (time, tenant, client, request) comes from its origin. */
export type AuditFields = Omit<AuditEvent, 'time' | 'tenantId' | 'requestId' | 'requestIdSource' | 'clientId' | 'credentialId'>;

/** Statuses that mean a policy refused the request. */
const REFUSAL_STATUSES: ReadonlySet<number> = new Set([403, 412, 413, 429]);
/** Actions that change data. */
const WRITE_ACTIONS: ReadonlySet<string> = new Set(['create', 'replace', 'patch', 'delete', 'members', 'bulk']);

const ACTIONS: Readonly<Record<ScimOperationRequest['operation'], string>> = {
  create: 'create',
  get: 'read',
  replace: 'replace',
  patch: 'patch',
  delete: 'delete',
  list: 'list',
  search: 'list',
  bulk: 'bulk',
  getSchemas: 'read',
  getResourceTypes: 'read',
  getServiceProviderConfig: 'read',
};

/** Operations whose audit events name no resource type. */
const TYPELESS: ReadonlySet<string> = new Set(['bulk', 'getSchemas', 'getResourceTypes', 'getServiceProviderConfig']);
/** Operations on one resource, whose audit events name its id. */
const SINGLE: ReadonlySet<string> = new Set(['get', 'replace', 'patch', 'delete']);

/** The audit subject of an operation: its action, and the resource type and id it addresses. */
export function auditSubject(request: ScimOperationRequest, resourceType: string | undefined): AuditSubject {
  const action = ACTIONS[request.operation];
  if (TYPELESS.has(request.operation)) return { action };
  return {
    action,
    ...(resourceType !== undefined ? { resourceType } : {}),
    ...(SINGLE.has(request.operation) && request.id !== undefined ? { resourceId: request.id } : {}),
  };
}

/**
 * The canonical names of the attributes a create or replace body sets, for audit events. Keys the
 * schema does not know are left out, so nothing a client invents reaches the audit trail.
 */
export function changedAttributes(body: ScimObject, schema: ResourceSchema): string[] {
  const out: string[] = [];
  for (const key of Object.keys(body)) {
    const resolved = schema.resolveText(key);
    if (!resolved) continue;
    if ('extensionUri' in resolved) out.push(resolved.extensionUri);
    else if (resolved.attribute.mutability !== 'readOnly') {
      out.push(resolved.extension ? `${resolved.schemaUri}:${resolved.keys.slice(1).join('.')}` : resolved.keys.join('.'));
    }
  }
  return out;
}

/** Why a request's credential did not resolve to a tenant. */
export type AuthenticationRefusalReason = 'noCredential' | 'invalidCredential' | 'tenantMismatch';

/** A request refused for its credential, as a transport reports it to the audit trail. */
export interface AuthenticationRefusal {
  /** The tenant the URL or host named, when one did: the event is that tenant's. Without one, it goes to the operator's sinks. */
  readonly tenantId?: string;
  /** The request's id. */
  readonly requestId: string;
  /** Who chose the request id. Default `server`. */
  readonly requestIdSource?: 'client' | 'server';
  /**
   * `noCredential` (no bearer token), `invalidCredential` (a token no tenant has, or not the URL's
   * tenant's), `tenantMismatch` (a resolver answered another tenant than the URL names).
   */
  readonly reason: AuthenticationRefusalReason;
}

/**
 * Writes the audit events of operations to the trail: one per change (side effects included) and
 * one per refusal; and events that belong to no tenant (an authentication refused where the URL
 * named none) to the operator's trail.
 */
export class OperationAudit {
  /**
   * @param trail - the sinks of tenants' events.
   * @param now - the clock events are stamped with.
   * @param operatorTrail - the sinks of events that belong to no tenant; the tenants' trail when absent.
   */
  constructor(
    readonly trail: AuditTrail,
    private readonly now: () => Date,
    private readonly operatorTrail: AuditTrail = trail,
  ) {}

  /** Records a refused authentication, without the credential: the named tenant's event, or the operator's. */
  authenticationRefused(refusal: AuthenticationRefusal): void {
    const named = typeof refusal.tenantId === 'string' && refusal.tenantId !== '';
    (named ? this.trail : this.operatorTrail).emit({
      time: this.now().toISOString(),
      tenantId: named ? (refusal.tenantId as string) : '',
      requestId: refusal.requestId,
      requestIdSource: refusal.requestIdSource === 'client' ? 'client' : 'server',
      action: 'authenticate',
      outcome: 'refused',
      status: 401,
      reason: refusal.reason,
    });
  }

  /** Records the removal of a tenant's data, by `actor` when the caller named one. */
  tenantDropped(tenantId: string, info: { readonly actor?: string | undefined; readonly requestId: string }, failure?: unknown): void {
    this.trail.emit({
      time: this.now().toISOString(),
      tenantId,
      ...(info.actor !== undefined ? { clientId: info.actor } : {}),
      requestId: info.requestId,
      requestIdSource: 'server',
      action: 'dropTenant',
      outcome: failure === undefined ? 'success' : 'failed',
      status: failure === undefined ? 204 : 500,
    });
  }

  /** The event `fields` describe, for `origin`, stamped now. */
  event(origin: AuditOrigin, fields: AuditFields): AuditEvent {
    const clientId = origin.actor ?? origin.tenant.clientId;
    const credentialId = origin.tenant.credentialId;
    return {
      time: this.now().toISOString(),
      tenantId: origin.tenant.tenantId,
      ...(clientId !== undefined ? { clientId } : {}),
      ...(credentialId !== undefined ? { credentialId } : {}),
      requestId: origin.requestId,
      requestIdSource: origin.requestIdSource,
      ...fields,
    };
  }

  /** Records one event for `origin`. */
  emit(origin: AuditOrigin, fields: AuditFields): void {
    if (this.trail.size === 0) return; // no sink would see it
    this.trail.emit(this.event(origin, fields));
  }

  /**
   * The events of the containers a delete changed (Groups that lost a deleted member), one
   * `members` event each, caused by the delete of `subject`.
   */
  containerEvents(subject: AuditSubject, containers: readonly ContainerChange[], memberAttribute: (type: string) => string | undefined): AuditFields[] {
    return containers.map((c) => {
      const attribute = memberAttribute(c.resourceType);
      return {
        action: 'members',
        resourceType: c.resourceType,
        resourceId: c.id,
        version: c.version,
        outcome: 'success',
        status: 204,
        ...(attribute !== undefined ? { changed: [attribute] } : {}),
        causedBy: { ...subject },
      };
    });
  }

  /**
   * Records an attempt that did not succeed: a refusal by policy (permission, quota, rate limit,
   * precondition, size) whatever the action, and any failed change. A read of something that does
   * not exist is not an audit event.
   */
  failure(origin: AuditOrigin, subject: AuditSubject, error: unknown, status: number): void {
    const refused = REFUSAL_STATUSES.has(status);
    if (!refused && !WRITE_ACTIONS.has(subject.action)) return;
    const scimError = isScimError(error) ? error : undefined;
    const reason = scimError ? (scimError.reason ?? scimError.scimType) : undefined;
    this.emit(origin, { ...subject, outcome: refused ? 'refused' : 'failed', status, ...(reason ? { reason } : {}) });
  }
}
