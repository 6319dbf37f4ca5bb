/** Operations a tenant may be allowed or refused. */
export type TenantOperation = 'create' | 'read' | 'replace' | 'patch' | 'delete' | 'list' | 'bulk';

/**
 * What a tenant may do and how much of it.
 *
 * Every flag defaults to allowed and every limit to unlimited; a tenant is restricted only by what
 * is set here.
 */
export interface TenantPermissions {
  /** POST of new resources. */
  canCreate?: boolean;
  /** GET of a single resource. */
  canRead?: boolean;
  /** PUT and PATCH (both, unless `canReplace` or `canPatch` say otherwise). */
  canUpdate?: boolean;
  /** PUT. Defaults to `canUpdate`. */
  canReplace?: boolean;
  /** PATCH. Defaults to `canUpdate`. */
  canPatch?: boolean;
  /** DELETE. */
  canDelete?: boolean;
  /** GET of a collection and POST `/.search`. */
  canList?: boolean;
  /** POST `/Bulk`. */
  canBulk?: boolean;
  /** When true, only read and list are allowed. */
  readOnly?: boolean;
  /** Most Users the tenant may hold. */
  maxUsers?: number;
  /** Most Groups the tenant may hold. */
  maxGroups?: number;
  /** Most resources per resource type name (for example `{ Device: 50 }`); overrides maxUsers/maxGroups. */
  quotas?: Record<string, number>;
  /** Most members one group may hold. */
  maxMembersPerGroup?: number;
  /** Largest page a list may return (lower than the server's own maximum to take effect). */
  maxPageSize?: number;
  /** Most operations in one bulk request. */
  maxBulkOperations?: number;
  /** Largest request body in bytes (413 beyond it). */
  maxPayloadBytes?: number;
  /**
   * Most bytes of JSON one response may render (400 `tooMany` beyond it, saying how to ask for
   * less). Replaces the server's `maxResponseBytes` for this tenant, higher or lower. Responses are
   * rendered in slices, but joining and writing a response, and the garbage it leaves, grow with its
   * size: a much larger limit lets this tenant's responses hold the process longer for everyone.
   */
  maxResponseBytes?: number;
  /** After this instant every request of the tenant is refused (trial expiry). */
  expiresAt?: Date | string;
  /** Request-rate limit: a token bucket refilled at `requestsPerSecond`, holding at most `burst`. */
  rateLimit?: { requestsPerSecond: number; burst?: number };
}

/** Why a permission check refused an operation. */
export interface PermissionRefusal {
  /** The permission or quota that refused, for example `canDelete` or `expiresAt`. */
  permission: string;
  /** A sentence for the client. */
  detail: string;
}

function expiry(permissions: TenantPermissions): number | undefined {
  const at = permissions.expiresAt;
  if (at === undefined) return undefined;
  const ms = at instanceof Date ? at.getTime() : Date.parse(at);
  return Number.isNaN(ms) ? 0 : ms; // an unreadable expiry is treated as already expired
}

/** True when the tenant's trial has expired at `now`. */
export function isExpired(permissions: TenantPermissions, now: Date = new Date()): boolean {
  const at = expiry(permissions);
  return at !== undefined && now.getTime() >= at;
}

const FLAG_FOR: Record<TenantOperation, keyof TenantPermissions> = {
  create: 'canCreate',
  read: 'canRead',
  replace: 'canReplace',
  patch: 'canPatch',
  delete: 'canDelete',
  list: 'canList',
  bulk: 'canBulk',
};

const WRITES: ReadonlySet<TenantOperation> = new Set(['create', 'replace', 'patch', 'delete', 'bulk']);

/**
 * Checks whether `operation` is allowed. Returns the refusal, or `null` when allowed.
 * Pure: no I/O, `now` is passed in.
 */
export function checkOperation(permissions: TenantPermissions, operation: TenantOperation, now: Date = new Date()): PermissionRefusal | null {
  if (isExpired(permissions, now)) {
    return { permission: 'expiresAt', detail: 'Tenant access has expired (expiresAt)' };
  }
  if (permissions.readOnly && WRITES.has(operation)) {
    return { permission: 'readOnly', detail: `Tenant is read-only: ${operation} is not permitted (readOnly)` };
  }
  const flag = FLAG_FOR[operation];
  let allowed = permissions[flag] as boolean | undefined;
  if (allowed === undefined && (operation === 'replace' || operation === 'patch')) {
    allowed = permissions.canUpdate;
  }
  if (allowed === false) {
    const name = allowed === permissions[flag] ? flag : 'canUpdate';
    return { permission: name, detail: `Operation ${operation} is not permitted for this tenant (${name})` };
  }
  return null;
}

/** The most resources of `resourceType` the tenant may hold, or undefined for no limit. */
export function quotaFor(permissions: TenantPermissions, resourceType: string): number | undefined {
  const quotas = permissions.quotas;
  const q = quotas && Object.hasOwn(quotas, resourceType) ? quotas[resourceType] : undefined;
  if (q !== undefined) return q;
  if (resourceType === 'User') return permissions.maxUsers;
  if (resourceType === 'Group') return permissions.maxGroups;
  return undefined;
}

/** The name of the quota that limits `resourceType`, for error details. */
export function quotaName(permissions: TenantPermissions, resourceType: string): string {
  const quotas = permissions.quotas;
  if (quotas && Object.hasOwn(quotas, resourceType) && quotas[resourceType] !== undefined) return `quotas.${resourceType}`;
  if (resourceType === 'User') return 'maxUsers';
  if (resourceType === 'Group') return 'maxGroups';
  return `quotas.${resourceType}`;
}
