import { MemberIndex } from './member-index.js';
import { ResourceTable, type IndexSpec } from './resource-table.js';

/** The resource type whose resources hold member sets. */
export const GROUP_TYPE = 'Group';
/** The resource type whose resources show the groups they belong to. */
export const USER_TYPE = 'User';

const EXTERNAL_ID: IndexSpec = { keys: ['externalId'], caseExact: true };

/** The indexes every table of a resource type keeps from its first record on. */
export function builtInIndexes(resourceType: string): IndexSpec[] {
  if (resourceType === USER_TYPE) return [{ keys: ['userName'], caseExact: false }, EXTERNAL_ID];
  if (resourceType === GROUP_TYPE) return [{ keys: ['displayName'], caseExact: false }, EXTERNAL_ID];
  return [EXTERNAL_ID];
}

/**
 * Everything one tenant holds: a {@link ResourceTable} per resource type and the tenant's
 * {@link MemberIndex}. Nothing in it refers to another tenant.
 */
export class TenantStore {
  /** Resource type name → table. */
  readonly tables = new Map<string, ResourceTable>();
  /** Group memberships between this tenant's resources. */
  readonly members = new MemberIndex();

  /** The table of a resource type, created when `create` is true. */
  table(resourceType: string, create: true): ResourceTable;
  table(resourceType: string, create?: boolean): ResourceTable | undefined;
  table(resourceType: string, create = false): ResourceTable | undefined {
    let table = this.tables.get(resourceType);
    if (!table && create) {
      table = new ResourceTable(builtInIndexes(resourceType));
      this.tables.set(resourceType, table);
    }
    return table;
  }

  /** The resource type of the resource with this id, or undefined when the tenant has none. */
  typeOf(id: string): string | undefined {
    for (const [type, table] of this.tables) if (table.records.has(id)) return type;
    return undefined;
  }
}
