import { ScimError } from '../error/scim-error.js';
import type { ResourceTypeModel } from '../schema/membership.js';
import type { ScimObject, ScimResource } from '../schema/types.js';
import type { MemberRef, StorageProvider } from '../storage/storage-provider.js';
import type { TenantContext } from '../tenant/tenant-context.js';

function displayOf(resource: ScimResource): string | undefined {
  const d = resource.displayName ?? resource.userName;
  return typeof d === 'string' ? d : undefined;
}

/** Where member references are checked: the storage, the container's type and the models of its member types. */
export interface MemberLookup {
  readonly storage: StorageProvider;
  /** The type that holds the members. */
  readonly container: ResourceTypeModel;
  /** The model of a member type by name; undefined for a type that is not registered. */
  modelOf(name: string): ResourceTypeModel | undefined;
}

/**
 * Why a member reference resolves to nothing: the id is of another member type than the one the
 * reference names (said, since both are the tenant's own), or of none.
 */
async function unresolved(
  lookup: MemberLookup,
  tenant: TenantContext,
  where: string,
  value: string,
  wanted: ResourceTypeModel | undefined,
  kinds: readonly ResourceTypeModel[],
): Promise<ScimError> {
  if (wanted) {
    for (const other of kinds) {
      if (other === wanted) continue;
      if (await lookup.storage.get(tenant, other, value, { excludeMembers: true })) {
        return ScimError.badRequest(
          'invalidValue',
          `${where}: "${value}" is a ${other.name}, not a ${wanted.name}; give its type as "${other.name}" or leave type out`,
        );
      }
    }
    return ScimError.badRequest('invalidValue', `${where}: no ${wanted.name} with id "${value}"`);
  }
  return ScimError.badRequest('invalidValue', `${where}: no ${kinds.map((k) => k.name).join(' or ')} with id "${value}"`);
}

/**
 * Checks that every member reference names a resource of one of the container type's member types
 * in the same tenant, and fills in its `type` and `display`. A reference to anything else (another
 * tenant's id included) is a 400 invalidValue that does not reveal whether the id exists elsewhere.
 * A reference without `type` is looked up in each member type, in the declared order.
 */
export async function resolveMembers(
  lookup: MemberLookup,
  tenant: TenantContext,
  containerId: string | undefined,
  members: readonly unknown[],
): Promise<MemberRef[]> {
  const declared = lookup.container.members;
  if (!declared) throw new TypeError(`Resources of type ${lookup.container.name} hold no members`);
  const where = declared.attribute;
  const kinds = declared.memberTypes.map((t) => lookup.modelOf(t)).filter((m): m is ResourceTypeModel => m !== undefined);
  const out: MemberRef[] = [];
  const seen = new Set<string>();
  for (const raw of members) {
    if (typeof raw !== 'object' || raw === null) throw ScimError.badRequest('invalidValue', `${where}: each member must be an object with a value`);
    const m = raw as ScimObject;
    const value = m.value;
    if (typeof value !== 'string' || value.length === 0) throw ScimError.badRequest('invalidValue', `${where}: value is required`);
    if (seen.has(value)) continue;
    seen.add(value);
    if (containerId !== undefined && value === containerId) throw ScimError.badRequest('invalidValue', `${where}: a resource cannot be a member of itself`);
    const wanted = typeof m.type === 'string' ? kinds.find((t) => t.name.toLowerCase() === (m.type as string).toLowerCase()) : undefined;
    if (typeof m.type === 'string' && !wanted) throw ScimError.badRequest('invalidValue', `${where}: unknown member type "${m.type}"`);
    let found: ScimResource | null = null;
    let type: string | undefined;
    for (const t of wanted ? [wanted] : kinds) {
      found = await lookup.storage.get(tenant, t, value, { excludeMembers: true });
      if (found) {
        type = t.name;
        break;
      }
    }
    if (!found || !type) throw await unresolved(lookup, tenant, where, value, wanted, kinds);
    const ref: MemberRef = { value, type };
    const display = typeof m.display === 'string' ? m.display : displayOf(found);
    if (display !== undefined) ref.display = display;
    out.push(ref);
  }
  return out;
}
