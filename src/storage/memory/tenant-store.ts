import type { ResourceTypeModel } from '../../schema/membership.js';
import { MemberIndex } from './member-index.js';
import { ResourceTable, type IndexSpec } from './resource-table.js';

/**
 * The indexes every table keeps from its first record on: `userName` (case-insensitively) and
 * `externalId` (exactly), which clients look resources up by, and for a type that holds members its
 * display attribute (Entra ID and Okta find a group by `displayName`). A uniqueness check on other
 * keys builds its index on first use.
 */
export function builtInIndexes(type: ResourceTypeModel): IndexSpec[] {
  const specs: IndexSpec[] = [
    { keys: ['userName'], caseExact: false },
    { keys: ['externalId'], caseExact: true },
  ];
  const display = type.members?.displayAttribute;
  if (display !== undefined && display !== 'userName' && display !== 'externalId') specs.push({ keys: [display], caseExact: false });
  return specs;
}

/**
 * Everything one tenant holds: a {@link ResourceTable} per resource type and the tenant's
 * {@link MemberIndex}. Nothing in it refers to another tenant.
 */
export class TenantStore {
  /** Resource type name → table. */
  readonly tables = new Map<string, ResourceTable>();
  /** Memberships between this tenant's resources, whatever the types of container and member. */
  readonly members = new MemberIndex();

  /** The table of a resource type, when it has one. */
  table(resourceType: string): ResourceTable | undefined {
    return this.tables.get(resourceType);
  }

  /** The table of a resource type, created (with its built-in indexes) when it has none yet. */
  tableFor(type: ResourceTypeModel): ResourceTable {
    let table = this.tables.get(type.name);
    if (!table) {
      table = new ResourceTable(builtInIndexes(type));
      this.tables.set(type.name, table);
    }
    return table;
  }

  /** True when the tenant holds no resource of any type. */
  isEmpty(): boolean {
    for (const table of this.tables.values()) if (table.records.size > 0) return false;
    return true;
  }

  /** The resource type of the resource with this id, or undefined when the tenant has none. */
  typeOf(id: string): string | undefined {
    for (const [type, table] of this.tables) if (table.records.has(id)) return type;
    return undefined;
  }
}
