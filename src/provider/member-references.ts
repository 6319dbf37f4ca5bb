import { ScimError } from '../error/scim-error.js';
import type { ScimObject, ScimResource } from '../schema/types.js';
import type { MemberRef, StorageProvider } from '../storage/storage-provider.js';
import type { TenantContext } from '../tenant/tenant-context.js';

const MEMBER_TYPES = ['User', 'Group'] as const;

function displayOf(resource: ScimResource): string | undefined {
  const d = resource.displayName ?? resource.userName;
  return typeof d === 'string' ? d : undefined;
}

/**
 * Checks that every member reference names a User or Group of the same tenant, and fills in its
 * `type` and `display`. A reference to anything else (another tenant's id included) is a 400
 * invalidValue that does not reveal whether the id exists elsewhere.
 */
export async function resolveMembers(
  storage: StorageProvider,
  tenant: TenantContext,
  groupId: string | undefined,
  members: readonly unknown[],
): Promise<MemberRef[]> {
  const out: MemberRef[] = [];
  const seen = new Set<string>();
  for (const raw of members) {
    if (typeof raw !== 'object' || raw === null) throw ScimError.badRequest('invalidValue', 'members: each member must be an object with a value');
    const m = raw as ScimObject;
    const value = m.value;
    if (typeof value !== 'string' || value.length === 0) throw ScimError.badRequest('invalidValue', 'members: value is required');
    if (seen.has(value)) continue;
    seen.add(value);
    if (groupId !== undefined && value === groupId) throw ScimError.badRequest('invalidValue', 'members: a group cannot be a member of itself');
    const wanted = typeof m.type === 'string' ? MEMBER_TYPES.find((t) => t.toLowerCase() === (m.type as string).toLowerCase()) : undefined;
    if (typeof m.type === 'string' && !wanted) throw ScimError.badRequest('invalidValue', `members: unknown member type "${m.type}"`);
    let found: ScimResource | null = null;
    let type: string | undefined;
    for (const t of wanted ? [wanted] : MEMBER_TYPES) {
      found = await storage.get(tenant, t, value, { excludeMembers: true });
      if (found) {
        type = t;
        break;
      }
    }
    if (!found || !type) throw ScimError.badRequest('invalidValue', `members: no User or Group with id "${value}"`);
    const ref: MemberRef = { value, type };
    const display = typeof m.display === 'string' ? m.display : displayOf(found);
    if (display !== undefined) ref.display = display;
    out.push(ref);
  }
  return out;
}
