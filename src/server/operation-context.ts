import { ScimError } from '../error/scim-error.js';
import type { ResourceProvider } from '../provider/resource-provider.js';
import type { CursorCodec } from '../query/cursor.js';
import type { ResourceTypeModel } from '../schema/membership.js';
import type { ResourceSchema } from '../schema/resource-schema.js';
import type { SchemaRegistry } from '../schema/schema-registry.js';
import type { ResourceTypeDefinition } from '../schema/types.js';
import type { TenantContext } from '../tenant/tenant-context.js';
import { checkOperation, type TenantOperation } from '../tenant/tenant-permissions.js';
import type { GroupPatchResponse } from './handler-options.js';
import type { AuditOrigin, OperationAudit } from './operation-audit.js';
import { operationData } from './operation-data.js';
import type { ScimOperationRequest } from './operation-request.js';
import type { ScimOperationResponse } from './operation-response.js';
import type { ResourceLinks } from './resource-renderer.js';
import type { TenantLimits } from './tenant-limits.js';
import type { FairScheduler, Pacer } from '../query/pacer.js';
import type { RenderWork } from './paced-render.js';
import { ResponseBudget, unlimitedBudget } from './response-budget.js';

/** What the operation families share: the handler's registry, providers, limits, cursors, audit and clock. */
export interface OperationServices {
  readonly schemas: SchemaRegistry;
  /** The provider serving a resource type. */
  provider(resourceType: string): ResourceProvider;
  readonly limits: TenantLimits;
  /** Hands out time slices to the long work of requests. */
  readonly scheduler: FairScheduler;
  /** The server's PATCH response style for resources that hold members. */
  readonly groupPatchResponse: GroupPatchResponse;
  /** The cursor codec (made at first use). */
  cursors(): CursorCodec;
  readonly audit: OperationAudit;
  now(): Date;
  /** Takes `cost` tokens from the tenant's rate limit, or throws the 429 (nothing when the tenant has no limit). */
  rateLimit(tenant: TenantContext, cost: number): Promise<void>;
  /** Runs one operation of a Bulk request as its own operation: permissions, limits and audit, but no rate limit of its own. */
  runNested(request: ScimOperationRequest): Promise<ScimOperationResponse>;
}

/** Any instant: what the expiry check is given for a tenant without `expiresAt`, which never reads it. */
const NO_EXPIRY = new Date(0);

/** Where a tenant's rendered resources point, for one resource type. */
class TenantResourceLinks implements ResourceLinks {
  constructor(
    private readonly schemas: SchemaRegistry,
    private readonly tenantId: string,
    readonly baseUrl: string,
    readonly model: ResourceTypeModel,
  ) {}

  endpointOf(typeName: string): string | undefined {
    return this.schemas.resourceType(this.tenantId, typeName)?.endpoint;
  }
}

/** One operation being handled: the request, the audit origin, and the resource type it addresses. */
export class Invocation {
  private ownPacer: Pacer | undefined;

  /**
   * @param services - the handler's services.
   * @param request - the operation request.
   * @param origin - tenant, request id and actor, for audit events.
   * @param type - the resource type, as the tenant sees it, when the operation names one.
   */
  constructor(
    readonly services: OperationServices,
    readonly request: ScimOperationRequest,
    readonly origin: AuditOrigin,
    readonly type: ResourceTypeDefinition | undefined,
  ) {}

  /** The tenant the operation runs for. */
  get tenant(): TenantContext {
    return this.request.tenant;
  }

  /** This operation's pacer: its long work (scans, sorts, rendering) runs in slices that let other requests run. */
  get pacer(): Pacer {
    this.ownPacer ??= this.services.scheduler.pacer();
    return this.ownPacer;
  }

  /**
   * What rendering this operation's answer may cost: the tenant's `maxResponseBytes` for a read
   * (`askForLess` says how to ask for less when it is passed), nothing for the answer to a write.
   */
  work(askForLess?: string): RenderWork {
    const budget = askForLess === undefined ? unlimitedBudget() : new ResponseBudget(this.services.limits.responseBytes(this.tenant), askForLess);
    return { pacer: this.pacer, budget };
  }

  /** The resource type, or a 404 when the operation names none (callers check the operation needs one first). */
  get resourceType(): ResourceTypeDefinition {
    if (!this.type) throw ScimError.notFound('No resource type given');
    return this.type;
  }

  /** The id of the resource the operation addresses, or a 400 when the request gives none. */
  get resourceId(): string {
    const id = this.request.id;
    if (typeof id !== 'string' || id === '') throw ScimError.badRequest('invalidValue', `${this.request.operation} needs the id of a resource`);
    return id;
  }

  /** Refuses the operation (403 naming the permission) when the tenant may not do it, is read-only or has expired. */
  permit(operation: TenantOperation): void {
    const { permissions } = this.tenant;
    // The clock matters only to a tenant with an expiry: do not read it for every request.
    const refusal = checkOperation(permissions, operation, permissions.expiresAt !== undefined ? this.services.now() : NO_EXPIRY);
    if (refusal) throw ScimError.forbidden(refusal.detail, refusal.permission);
  }

  /** The operation's data, parsed and checked against the tenant's body limits. */
  data(): unknown {
    return operationData(this.request.data, this.services.limits.body(this.tenant));
  }

  /** The tenant's schema of a resource type (404 when the tenant has no such type). */
  schemaFor(rt: ResourceTypeDefinition): ResourceSchema {
    const schema = this.services.schemas.resourceSchema(this.tenant.tenantId, rt.name);
    if (!schema) throw ScimError.notFound(`Resource type ${rt.name} is not available`);
    return schema;
  }

  /** Where a rendered resource of `schema`'s type points: the tenant's base URL and the type's model. */
  links(schema: ResourceSchema): ResourceLinks {
    const { schemas } = this.services;
    const model: ResourceTypeModel | undefined = schemas.model(schema.resourceType.name);
    if (!model) throw ScimError.notFound(`Resource type ${schema.resourceType.name} is not available`);
    return new TenantResourceLinks(schemas, this.tenant.tenantId, this.tenant.baseUrl, model);
  }
}
