import { isScimError, ScimError } from '../error/scim-error.js';
import { applyPatch } from '../patch/apply-patch.js';
import { canApplyMembersAsDelta } from '../patch/member-delta.js';
import { parsePatchRequest } from '../patch/patch-request.js';
import { normalizeFilterText } from '../query/filter-text.js';
import { DEFAULT_PATCH_TOLERANCES, type PatchTolerances } from '../patch/patch-tolerances.js';
import type { ResourceTypeModel } from '../schema/membership.js';
import type { ResourceSchema } from '../schema/resource-schema.js';
import type { SchemaRegistry } from '../schema/schema-registry.js';
import type { ScimObject, ScimResource } from '../schema/types.js';
import { validateResource } from '../schema/validate-resource.js';
import type { DeleteOutcome, MemberDelta, MemberRef, QueryResult, StorageProvider, UniqueConstraint } from '../storage/storage-provider.js';
import type { TenantContext } from '../tenant/tenant-context.js';
import { quotaFor, quotaName } from '../tenant/tenant-permissions.js';
import { resolveMembers, type MemberLookup } from './member-references.js';
import { journalOf } from './journal-options.js';
import { tenantSettings } from './tenant-settings.js';
import { defaultPasswordHasher, type PasswordHasher } from './password-hasher.js';
import { hashSecrets, type SecretAttribute, secretAttributes, secretValue } from './secret-attributes.js';
import type { ListQuery, PatchOutcome, ProviderCreateOptions, ProviderPatchOptions, ProviderWriteOptions, ResourceProvider } from './resource-provider.js';

/**
 * A client can never read write-only attributes (such as `password`), so a PUT that leaves one out
 * (the usual GET-modify-PUT) keeps the stored value instead of clearing it.
 */
function keepWriteOnly(schema: ResourceSchema, existing: ScimResource, body: ScimObject): void {
  for (const attr of schema.core.attributes) {
    if (attr.mutability === 'writeOnly' && body[attr.name] === undefined && existing[attr.name] !== undefined) {
      body[attr.name] = existing[attr.name];
    }
  }
}

/** The tenant's members-per-resource limit (`maxMembersPerGroup`), as a storage write option. */
function memberLimit(tenant: TenantContext): { maxMembers?: number } {
  const max = tenant.permissions.maxMembersPerGroup;
  return max !== undefined ? { maxMembers: max } : {};
}

/** A client's `If-Match` version that the resource no longer has is a 412, before any work. */
function checkPrecondition(existing: ScimResource, expectedVersion: string | undefined): void {
  if (expectedVersion !== undefined && existing.meta.version !== expectedVersion) throw ScimError.preconditionFailed();
}

/** Options of {@link StandardResourceProvider}. */
export interface StandardResourceProviderOptions {
  /** Resource type name, for example `User` or `Group`. */
  resourceType: string;
  storage: StorageProvider;
  schemas: SchemaRegistry;
  /** PATCH tolerances used when a request does not bring its own. Defaults to all on. */
  patchTolerances?: Partial<PatchTolerances>;
  /** Attempts of an optimistic write when the client sent no `If-Match` (default 64; every round lets one writer through, so this bounds the concurrency that is never refused). */
  maxWriteAttempts?: number;
  /** Hashes secret attributes (`password`) before storage sees them. Defaults to PBKDF2-HMAC-SHA-256. */
  passwordHasher?: PasswordHasher;
}

/**
 * The business rules of a resource type over a {@link StorageProvider}: schema validation,
 * uniqueness, quotas, member references, versions and PATCH.
 *
 * Writes never read-then-write blindly: PUT and PATCH read the resource, compute the new state and
 * write it with the version they read as a compare-and-set. A client's `If-Match` becomes that
 * version; without one, a lost race is retried on fresh data, so concurrent PATCHes never lose
 * each other's changes.
 */
export class StandardResourceProvider implements ResourceProvider {
  readonly resourceType: string;
  private readonly storage: StorageProvider;
  private readonly schemas: SchemaRegistry;
  private readonly tolerances: PatchTolerances;
  private readonly maxAttempts: number;
  private readonly hasher: PasswordHasher;

  constructor(options: StandardResourceProviderOptions) {
    this.resourceType = options.resourceType;
    this.storage = options.storage;
    this.schemas = options.schemas;
    this.tolerances = { ...DEFAULT_PATCH_TOLERANCES, ...(options.patchTolerances ?? {}) };
    this.maxAttempts = options.maxWriteAttempts ?? 64;
    this.hasher = options.passwordHasher ?? defaultPasswordHasher();
  }

  private schemaFor(tenant: TenantContext): ResourceSchema {
    const schema = this.schemas.resourceSchema(tenant.tenantId, this.resourceType);
    if (!schema) throw ScimError.notFound(`Resource type ${this.resourceType} is not available`);
    return schema;
  }

  /** The type's model: its name as storage keys it, and its part in memberships. */
  private get model(): ResourceTypeModel {
    const model = this.schemas.model(this.resourceType);
    if (!model) throw ScimError.notFound(`Resource type ${this.resourceType} is not available`);
    return model;
  }

  private lookup(model: ResourceTypeModel): MemberLookup {
    return { storage: this.storage, container: model, modelOf: (name) => this.schemas.model(name) };
  }

  /** Server tolerances, then the tenant's settings, then the request's own. */
  private tolerancesFor(tenant: TenantContext, request?: Readonly<Record<string, boolean>>): PatchTolerances {
    return { ...this.tolerances, ...(tenantSettings(tenant).patchTolerances ?? {}), ...((request ?? {}) as Partial<PatchTolerances>) };
  }

  /**
   * Uniqueness constraints of a body: top-level string attributes marked unique, except `id`; and,
   * when the tenant's `uniqueGroupDisplayName` is set, the display attribute of a type that holds
   * members (a Group's `displayName`), case-insensitively.
   */
  private uniqueConstraints(tenant: TenantContext, schema: ResourceSchema, body: ScimObject): UniqueConstraint[] {
    const out: UniqueConstraint[] = [];
    for (const attr of schema.coreAttributes) {
      if (attr.name === 'id' || attr.uniqueness === 'none' || attr.multiValued || attr.type !== 'string') continue;
      const value = body[attr.name];
      if (typeof value === 'string') out.push({ keys: [attr.name], value, caseExact: attr.caseExact });
    }
    const display = this.model.members?.displayAttribute;
    if (display !== undefined && typeof body[display] === 'string' && tenantSettings(tenant).uniqueGroupDisplayName) {
      out.push({ keys: [display], value: body[display], caseExact: false });
    }
    return out;
  }

  async create(tenant: TenantContext, body: unknown, options: ProviderCreateOptions = {}): Promise<ScimResource> {
    const schema = this.schemaFor(tenant);
    const model = this.model;
    const canonical = validateResource(body, schema, { mode: 'create', coerceStrings: this.tolerancesFor(tenant).booleanStrings });
    await hashSecrets(canonical, secretAttributes(schema), this.hasher, new Map());
    const attribute = model.members?.attribute;
    if (attribute !== undefined && Array.isArray(canonical[attribute])) {
      canonical[attribute] = await resolveMembers(this.lookup(model), tenant, undefined, canonical[attribute]);
    }
    const max = quotaFor(tenant.permissions, this.resourceType);
    return this.storage.create(tenant, model, canonical, {
      ...(max !== undefined ? { maxCount: max, quotaName: quotaName(tenant.permissions, this.resourceType) } : {}),
      unique: this.uniqueConstraints(tenant, schema, canonical),
      ...memberLimit(tenant),
      ...journalOf(options.journal),
    });
  }

  async get(tenant: TenantContext, id: string, options?: { excludeMembers?: boolean }): Promise<ScimResource> {
    this.schemaFor(tenant);
    const found = await this.storage.get(tenant, this.model, id, options);
    if (!found) throw ScimError.notFound(`${this.resourceType} ${id} not found`);
    return found;
  }

  async replace(tenant: TenantContext, id: string, body: unknown, options: ProviderWriteOptions = {}): Promise<ScimResource> {
    const schema = this.schemaFor(tenant);
    const model = this.model;
    const hashed = new Map<string, Promise<string>>();
    return this.optimistic(options.expectedVersion, async (expectedVersion) => {
      const existing = await this.get(tenant, id, { excludeMembers: true });
      checkPrecondition(existing, options.expectedVersion);
      const canonical = validateResource(body, schema, { mode: 'replace', existing, coerceStrings: this.tolerancesFor(tenant).booleanStrings });
      // What the client sent is hashed; what it left out keeps the stored hash.
      await hashSecrets(canonical, secretAttributes(schema), this.hasher, hashed);
      keepWriteOnly(schema, existing, canonical);
      if (model.members) {
        canonical[model.members.attribute] = await this.memberList(tenant, model, id, canonical[model.members.attribute]);
      }
      return this.storage.replace(tenant, model, id, canonical, {
        expectedVersion: expectedVersion ?? existing.meta.version,
        unique: this.uniqueConstraints(tenant, schema, canonical),
        ...memberLimit(tenant),
        ...journalOf(options.journal),
      });
    });
  }

  async patch(tenant: TenantContext, id: string, body: unknown, options: ProviderPatchOptions = {}): Promise<PatchOutcome> {
    const schema = this.schemaFor(tenant);
    const tolerances = this.tolerancesFor(tenant, options.tolerances);
    const operations = parsePatchRequest(body, tolerances);
    const model = this.model;
    const members = model.members?.attribute;
    const asDelta = members !== undefined && canApplyMembersAsDelta(operations, schema);
    const hashed = new Map<string, Promise<string>>();
    return this.optimistic(options.expectedVersion, async (expectedVersion) => {
      const existing = await this.get(tenant, id, { excludeMembers: asDelta });
      checkPrecondition(existing, options.expectedVersion);
      const result = applyPatch(existing, operations, schema, { tolerances, membersAsDelta: asDelta });
      if (!result.modified) return { resource: existing, changed: [] };
      if (asDelta && result.changed.every((path) => path === members)) {
        // Only the member set changes: a delta in storage, which moves the version only when the
        // set really changed (adding a present member is a no-op).
        const changed = await this.storage.updateMembers(tenant, model, id, await this.memberDelta(tenant, model, id, result.memberDelta), {
          expectedVersion: expectedVersion ?? existing.meta.version,
          ...memberLimit(tenant),
          ...journalOf(options.journal, (change) => (change.resource && change.resource.meta.version !== existing.meta.version ? [members] : [])),
        });
        return { resource: changed.resource, changed: changed.added.length + changed.removed.length > 0 ? [members] : [] };
      }
      const canonical = validateResource(result.resource, schema, {
        mode: 'replace',
        existing,
        coerceStrings: tolerances.booleanStrings,
      });
      // A secret the patch set is hashed; one it did not touch is the stored hash already. Decided
      // by value, not by the paths PATCH reports, so no spelling of a path can let one through.
      const isNew = (secret: SecretAttribute) => secretValue(canonical, secret) !== secretValue(existing, secret);
      await hashSecrets(canonical, secretAttributes(schema), this.hasher, hashed, isNew);
      let memberDelta: MemberDelta | undefined;
      if (members !== undefined) {
        if (asDelta) {
          memberDelta = await this.memberDelta(tenant, model, id, result.memberDelta);
          delete canonical[members];
        } else {
          canonical[members] = await this.memberList(tenant, model, id, canonical[members]);
        }
      }
      const resource = await this.storage.replace(tenant, model, id, canonical, {
        expectedVersion: expectedVersion ?? existing.meta.version,
        unique: this.uniqueConstraints(tenant, schema, canonical),
        ...(memberDelta ? { memberDelta, excludeMembers: true } : {}),
        ...memberLimit(tenant),
        ...journalOf(options.journal, () => result.changed),
      });
      return { resource, changed: result.changed };
    });
  }

  /** A PUT or full-mode PATCH member list, checked against the tenant's resources. */
  private async memberList(tenant: TenantContext, model: ResourceTypeModel, id: string, members: unknown): Promise<MemberRef[]> {
    return Array.isArray(members) ? resolveMembers(this.lookup(model), tenant, id, members) : [];
  }

  /** A PATCH member delta whose added members are checked against the tenant's resources. */
  private async memberDelta(tenant: TenantContext, model: ResourceTypeModel, id: string, delta: MemberDelta = {}): Promise<MemberDelta> {
    return delta.add ? { ...delta, add: await resolveMembers(this.lookup(model), tenant, id, delta.add) } : delta;
  }

  // biome-ignore lint/suspicious/noConfusingVoidType: a storage written before deletes reported their outcome resolves to nothing
  async delete(tenant: TenantContext, id: string, options: ProviderWriteOptions = {}): Promise<DeleteOutcome | void> {
    this.schemaFor(tenant);
    return this.storage.delete(tenant, this.model, id, {
      ...(options.expectedVersion !== undefined ? { expectedVersion: options.expectedVersion } : {}),
      ...journalOf(options.journal),
    });
  }

  async list(tenant: TenantContext, query: ListQuery): Promise<QueryResult> {
    const schema = this.schemaFor(tenant);
    return this.storage.query(tenant, this.model, {
      schema,
      ...(query.filter ? { filter: normalizeFilterText(query.filter, schema) } : {}),
      ...(query.sort ? { sort: query.sort } : {}),
      startIndex: query.startIndex,
      count: query.count,
      ...(query.excludeMembers ? { excludeMembers: true } : {}),
      ...(query.pacer ? { pacer: query.pacer } : {}),
      ...(query.position !== undefined ? { position: query.position } : {}),
    });
  }

  /**
   * Runs a read-compute-write step. With a client precondition the step runs once (a lost race is
   * the client's 412); without one, a lost race is retried on fresh data.
   */
  private async optimistic<T>(clientVersion: string | undefined, step: (expectedVersion: string | undefined) => Promise<T>): Promise<T> {
    if (clientVersion !== undefined) return step(clientVersion);
    for (let attempt = 1; ; attempt++) {
      try {
        return await step(undefined);
      } catch (err) {
        if (!(isScimError(err) && err.status === 412) || attempt >= this.maxAttempts) throw err;
      }
    }
  }
}
