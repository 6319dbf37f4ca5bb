/**
 * A plain model of what each tenant of a `ScimServer` holds, for the tenant-isolation property test.
 *
 * It keeps every tenant's live users and groups, everything a tenant ever stored (so a deleted
 * resource's id or name stays recognisable as that tenant's), filters the model can evaluate
 * itself, the exact order a sort must produce, and a scan of a response for text that belongs to
 * another tenant only. Nothing here talks to the server: the test drives the server and compares.
 */
import type { IsolationLevel } from '../../src/index.js';

/** The two resource types the model knows. */
export type ResourceKind = 'User' | 'Group';

/** Email types the test uses. */
export type EmailType = 'work' | 'home';

/** One email address of a user. */
export interface EmailModel {
  readonly type: EmailType;
  readonly value: string;
}

/** A live user as the model expects the server to return it. */
export interface UserModel {
  readonly id: string;
  /** A per-tenant marker (`xt-<tenant>-<n>`); it exists in exactly one tenant. */
  readonly externalId: string;
  /** `meta.created` as the server reported it on creation. */
  readonly created: string;
  userName: string;
  displayName?: string;
  active?: boolean;
  emails: EmailModel[];
}

/** A live group as the model expects the server to return it. */
export interface GroupModel {
  readonly id: string;
  readonly externalId: string;
  readonly created: string;
  displayName: string;
  /** Member id → the member's resource type. */
  members: Map<string, ResourceKind>;
}

/** One tenant of the server under test, and what it holds. */
export class TenantModel {
  /** Live users in creation order (the server's default list order). */
  readonly users = new Map<string, UserModel>();
  /** Live groups in creation order. */
  readonly groups = new Map<string, GroupModel>();
  /** Every id this tenant ever created, deleted ones included. */
  readonly everIds = new Set<string>();
  /** Every string value this tenant ever stored (lower-cased): names, emails, external ids. */
  readonly everTexts = new Set<string>();
  private markers = 0;

  constructor(
    /** Tenant id. */
    readonly id: string,
    /** Isolation level the tenant is configured with. */
    readonly isolationLevel: IsolationLevel,
    /** Bearer token of the tenant. */
    readonly token: string,
    /** The origin its requests come from; `meta.location` and `$ref` must start with it. */
    readonly origin: string,
  ) {}

  /** The tenant's SCIM base URL. */
  get baseUrl(): string {
    return `${this.origin}/scim/v2`;
  }

  /** A fresh external id that only this tenant ever uses. */
  nextExternalId(): string {
    this.markers += 1;
    return `xt-${this.id}-${this.markers}`;
  }

  /** The type of a live resource of this tenant, or undefined. */
  kindOf(id: string): ResourceKind | undefined {
    if (this.users.has(id)) return 'User';
    if (this.groups.has(id)) return 'Group';
    return undefined;
  }

  /** True when a live user other than `exceptId` has this userName (compared case-insensitively). */
  userNameInUse(userName: string, exceptId?: string): boolean {
    const wanted = userName.toLowerCase();
    for (const u of this.users.values()) if (u.id !== exceptId && u.userName.toLowerCase() === wanted) return true;
    return false;
  }

  /** The groups that list `memberId` directly, in creation order. */
  groupsOf(memberId: string): GroupModel[] {
    return [...this.groups.values()].filter((g) => g.members.has(memberId));
  }

  /** Ids this tenant once created and has deleted since. */
  goneIds(): string[] {
    return [...this.everIds].filter((id) => this.kindOf(id) === undefined);
  }

  /** Records a new or replaced user. */
  putUser(user: UserModel): void {
    this.users.set(user.id, user);
    this.everIds.add(user.id);
    this.remember(user.userName, user.displayName, user.externalId, ...user.emails.map((e) => e.value));
  }

  /** Records a new or replaced group (members are kept as given). */
  putGroup(group: GroupModel): void {
    this.groups.set(group.id, group);
    this.everIds.add(group.id);
    this.remember(group.displayName, group.externalId);
  }

  /** Deletes a resource: it also leaves every group that listed it. */
  remove(id: string): void {
    this.users.delete(id);
    this.groups.delete(id);
    for (const g of this.groups.values()) g.members.delete(id);
  }

  /** Notes strings this tenant stored. */
  remember(...texts: (string | undefined)[]): void {
    for (const t of texts) if (t !== undefined) this.everTexts.add(t.toLowerCase());
  }
}

// ---------------------------------------------------------------------------------------------
// Leak scan
// ---------------------------------------------------------------------------------------------

/**
 * The strings that must not appear in a response to `acting`: every id another tenant ever created,
 * every other tenant's origin, and every string value another tenant ever stored that `acting`
 * never stored itself. Tokens that occur in the request are left out (a 404 may echo the id that
 * was asked for). All tokens are lower-case.
 */
export function foreignTokens(tenants: readonly TenantModel[], acting: TenantModel, requestText: string): string[] {
  const request = requestText.toLowerCase();
  const out: string[] = [];
  for (const t of tenants) {
    if (t === acting) continue;
    out.push(t.origin.toLowerCase());
    for (const id of t.everIds) if (!request.includes(id)) out.push(id);
    for (const text of t.everTexts) if (!acting.everTexts.has(text) && !request.includes(text)) out.push(text);
  }
  return out;
}

/** The tokens that occur in `text` (compared case-insensitively). */
export function findLeaks(text: string, tokens: readonly string[]): string[] {
  const lower = text.toLowerCase();
  return tokens.filter((t) => lower.includes(t));
}

// ---------------------------------------------------------------------------------------------
// Filters the model can evaluate
// ---------------------------------------------------------------------------------------------

/**
 * A SCIM filter together with its meaning on the model. A predicate is absent for a resource type
 * whose schema lacks an attribute the filter names: the server then answers 400 for that type's
 * endpoint and leaves the type out of a root `/.search`.
 */
export interface ModelFilter {
  readonly text: string;
  readonly user?: (u: UserModel, t: TenantModel) => boolean;
  readonly group?: (g: GroupModel, t: TenantModel) => boolean;
}

const q = (value: string): string => JSON.stringify(value);
const same = (a: string | undefined, b: string): boolean => a !== undefined && a.toLowerCase() === b.toLowerCase();

/** Builders of {@link ModelFilter}s, one per filter shape the test sends. */
export const modelFilters = {
  /** `id eq "…"` (both types; `id` is case-exact). */
  id(id: string): ModelFilter {
    return { text: `id eq ${q(id)}`, user: (u) => u.id === id, group: (g) => g.id === id };
  },
  /** `externalId eq "…"` (both types; case-exact). */
  externalId(value: string): ModelFilter {
    return { text: `externalId eq ${q(value)}`, user: (u) => u.externalId === value, group: (g) => g.externalId === value };
  },
  /** `userName eq "…"` (Users only; case-insensitive). */
  userName(value: string): ModelFilter {
    return { text: `userName eq ${q(value)}`, user: (u) => same(u.userName, value) };
  },
  /** `displayName eq "…"` (both types; case-insensitive). */
  displayName(value: string): ModelFilter {
    return { text: `displayName eq ${q(value)}`, user: (u) => same(u.displayName, value), group: (g) => same(g.displayName, value) };
  },
  /** `emails[type eq "…"]`. */
  emailOfType(type: EmailType): ModelFilter {
    return { text: `emails[type eq ${q(type)}]`, user: (u) => u.emails.some((e) => e.type === type) };
  },
  /** `emails[type eq "…" and value co "…"]`. */
  emailOfTypeContaining(type: EmailType, fragment: string): ModelFilter {
    const f = fragment.toLowerCase();
    return {
      text: `emails[type eq ${q(type)} and value co ${q(fragment)}]`,
      user: (u) => u.emails.some((e) => e.type === type && e.value.toLowerCase().includes(f)),
    };
  },
  /** `emails.value eq "…"`. */
  emailValue(value: string): ModelFilter {
    return { text: `emails.value eq ${q(value)}`, user: (u) => u.emails.some((e) => same(e.value, value)) };
  },
  /** `active eq true|false`. */
  active(value: boolean): ModelFilter {
    return { text: `active eq ${value}`, user: (u) => u.active === value };
  },
  /** `groups[value eq "…"]` or `groups.value eq "…"`: users directly in that group. */
  inGroup(groupId: string, valuePath: boolean): ModelFilter {
    return {
      text: valuePath ? `groups[value eq ${q(groupId)}]` : `groups.value eq ${q(groupId)}`,
      user: (u, t) => t.groups.get(groupId)?.members.has(u.id) === true,
    };
  },
  /** `members[value eq "…"]` or `members.value eq "…"`: groups listing that member. */
  hasMember(memberId: string, valuePath: boolean): ModelFilter {
    return {
      text: valuePath ? `members[value eq ${q(memberId)}]` : `members.value eq ${q(memberId)}`,
      group: (g) => g.members.has(memberId),
    };
  },
  /** `members[type eq "User"|"Group"]`. */
  hasMemberOfType(kind: ResourceKind): ModelFilter {
    return { text: `members[type eq ${q(kind)}]`, group: (g) => [...g.members.values()].includes(kind) };
  },
  /** `(a) or (b)`. */
  or(a: ModelFilter, b: ModelFilter): ModelFilter {
    return combine(`(${a.text}) or (${b.text})`, a, b, (x, y) => x || y);
  },
  /** `(a) and (b)`. */
  and(a: ModelFilter, b: ModelFilter): ModelFilter {
    return combine(`(${a.text}) and (${b.text})`, a, b, (x, y) => x && y);
  },
  /** `not (a)`. */
  not(a: ModelFilter): ModelFilter {
    const { user, group } = a;
    return {
      text: `not (${a.text})`,
      ...(user ? { user: (u: UserModel, t: TenantModel) => !user(u, t) } : {}),
      ...(group ? { group: (g: GroupModel, t: TenantModel) => !group(g, t) } : {}),
    };
  },
};

function combine(text: string, a: ModelFilter, b: ModelFilter, op: (x: boolean, y: boolean) => boolean): ModelFilter {
  const au = a.user;
  const bu = b.user;
  const ag = a.group;
  const bg = b.group;
  return {
    text,
    ...(au && bu ? { user: (u: UserModel, t: TenantModel) => op(au(u, t), bu(u, t)) } : {}),
    ...(ag && bg ? { group: (g: GroupModel, t: TenantModel) => op(ag(g, t), bg(g, t)) } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Sorting
// ---------------------------------------------------------------------------------------------

/** The `sortBy` values the test sends. */
export type SortField = 'userName' | 'meta.created' | 'emails' | 'displayName';

/** True when `sortBy` names an attribute of the resource type. */
export function sortApplies(field: SortField, kind: ResourceKind): boolean {
  return kind === 'User' || field === 'meta.created' || field === 'displayName';
}

type Key = string | number | undefined;

function userKey(u: UserModel, field: SortField): Key {
  switch (field) {
    case 'userName':
      return u.userName.toLowerCase();
    case 'meta.created':
      return Date.parse(u.created);
    case 'emails':
      // No test email is marked primary, so the first one sorts.
      return u.emails[0]?.value.toLowerCase();
    case 'displayName':
      return u.displayName === undefined || u.displayName === '' ? undefined : u.displayName.toLowerCase();
  }
}

function groupKey(g: GroupModel, field: SortField): Key {
  if (field === 'meta.created') return Date.parse(g.created);
  if (field === 'displayName') return g.displayName.toLowerCase();
  return undefined;
}

function compareKey(a: Key, b: Key): number {
  if (a === undefined) return b === undefined ? 0 : 1;
  if (b === undefined) return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Resources in the order RFC 7644 §3.4.2.3 and the library's documented tie rule give: by key
 * (strings case-folded), a missing key last when ascending and first when descending, ties by id
 * ascending. Without a field: creation order.
 */
function ordered<T extends { id: string }>(items: T[], key: ((item: T) => Key) | undefined, descending: boolean): T[] {
  if (!key) return items;
  const sign = descending ? -1 : 1;
  return [...items].sort((a, b) => {
    const c = compareKey(key(a), key(b));
    if (c !== 0) return sign * c;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
}

/** One resource in an expected list. */
export interface ExpectedEntry {
  readonly kind: ResourceKind;
  readonly id: string;
}

/** What a list or search must answer, or `invalid` when no resource type can serve it (a 400). */
export type ExpectedList = { invalid: true } | { invalid: false; total: number; entries: ExpectedEntry[] };

/**
 * The full result (before paging) of a list over `kinds` of one tenant. One type: filtered, then
 * sorted; a sort the type does not define makes the request invalid. Several types (a root search):
 * each type filtered (a type the filter does not apply to is left out), then, without a sort, the
 * types concatenated in the server's order (User, then Group); with a sort, every resource merged
 * into one order, a type without the sort attribute counting as having no value. When no type is
 * left, or no type defines the sort attribute, the request is invalid.
 */
export function expectedList(
  tenant: TenantModel,
  kinds: readonly ResourceKind[],
  filter: ModelFilter | undefined,
  sort: { field: SortField; descending: boolean } | undefined,
): ExpectedList {
  const entries: (ExpectedEntry & { key: Key })[] = [];
  let served = 0;
  if (sort && !kinds.some((k) => sortApplies(sort.field, k))) return { invalid: true };
  for (const kind of kinds) {
    if (sort && kinds.length === 1 && !sortApplies(sort.field, kind)) continue;
    const applies = sort !== undefined && sortApplies(sort.field, kind);
    if (kind === 'User') {
      const pred = filter ? filter.user : () => true;
      if (!pred) continue;
      served++;
      for (const u of [...tenant.users.values()].filter((x) => pred(x, tenant))) {
        entries.push({ kind, id: u.id, key: applies && sort ? userKey(u, sort.field) : undefined });
      }
    } else {
      const pred = filter ? filter.group : () => true;
      if (!pred) continue;
      served++;
      for (const g of [...tenant.groups.values()].filter((x) => pred(x, tenant))) {
        entries.push({ kind, id: g.id, key: applies && sort ? groupKey(g, sort.field) : undefined });
      }
    }
  }
  if (served === 0) return { invalid: true };
  const sortedEntries = sort ? ordered(entries, (e) => e.key, sort.descending) : entries;
  return { invalid: false, total: sortedEntries.length, entries: sortedEntries.map(({ kind, id }) => ({ kind, id })) };
}

// ---------------------------------------------------------------------------------------------
// Comparing a returned resource with the model
// ---------------------------------------------------------------------------------------------

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function metaProblem(body: Obj, kind: ResourceKind, id: string, created: string, t: TenantModel): string | undefined {
  const meta = body.meta;
  if (!isObj(meta)) return 'meta missing';
  if (meta.resourceType !== kind) return `meta.resourceType ${String(meta.resourceType)}`;
  if (meta.created !== created) return `meta.created ${String(meta.created)}, expected ${created}`;
  const location = `${t.baseUrl}/${kind === 'User' ? 'Users' : 'Groups'}/${id}`;
  if (meta.location !== location) return `meta.location ${String(meta.location)}, expected ${location}`;
  return undefined;
}

/** Why a returned User differs from the model, or undefined when it matches. */
export function userMismatch(body: unknown, u: UserModel, t: TenantModel): string | undefined {
  if (!isObj(body)) return 'not an object';
  if (body.id !== u.id) return `id ${String(body.id)}`;
  if (body.userName !== u.userName) return `userName ${String(body.userName)}, expected ${u.userName}`;
  if (body.externalId !== u.externalId) return `externalId ${String(body.externalId)}`;
  if (body.displayName !== u.displayName) return `displayName ${String(body.displayName)}, expected ${String(u.displayName)}`;
  if (body.active !== u.active) return `active ${String(body.active)}, expected ${String(u.active)}`;
  const emails = Array.isArray(body.emails) ? body.emails : [];
  const gotEmails = JSON.stringify(emails.map((e) => (isObj(e) ? { type: e.type, value: e.value } : e)));
  const wantEmails = JSON.stringify(u.emails.map((e) => ({ type: e.type, value: e.value })));
  if (gotEmails !== wantEmails) return `emails ${gotEmails}, expected ${wantEmails}`;
  const groups = Array.isArray(body.groups) ? body.groups : [];
  const want = t.groupsOf(u.id);
  if (groups.length !== want.length) return `groups ${JSON.stringify(groups)}, expected ${want.map((g) => g.id).join(',')}`;
  const byId = new Map(want.map((g) => [g.id, g]));
  for (const ref of groups) {
    if (!isObj(ref) || typeof ref.value !== 'string') return `groups entry ${JSON.stringify(ref)}`;
    const g = byId.get(ref.value);
    if (!g) return `groups lists ${ref.value}, which is not a group of this user in ${t.id}`;
    if (ref.display !== g.displayName) return `groups display ${String(ref.display)}, expected ${g.displayName}`;
    if (ref.$ref !== `${t.baseUrl}/Groups/${g.id}`) return `groups $ref ${String(ref.$ref)}`;
    byId.delete(ref.value);
  }
  return metaProblem(body, 'User', u.id, u.created, t);
}

/** Why a returned Group differs from the model, or undefined when it matches. */
export function groupMismatch(body: unknown, g: GroupModel, t: TenantModel): string | undefined {
  if (!isObj(body)) return 'not an object';
  if (body.id !== g.id) return `id ${String(body.id)}`;
  if (body.displayName !== g.displayName) return `displayName ${String(body.displayName)}, expected ${g.displayName}`;
  if (body.externalId !== g.externalId) return `externalId ${String(body.externalId)}`;
  const members = Array.isArray(body.members) ? body.members : [];
  if (members.length !== g.members.size) {
    return `members ${JSON.stringify(members.map((m) => (isObj(m) ? m.value : m)))}, expected ${[...g.members.keys()].join(',')}`;
  }
  for (const m of members) {
    if (!isObj(m) || typeof m.value !== 'string') return `members entry ${JSON.stringify(m)}`;
    const kind = g.members.get(m.value);
    if (!kind) return `members lists ${m.value}, which is not a member in ${t.id}`;
    if (m.type !== kind) return `member ${m.value} type ${String(m.type)}, expected ${kind}`;
    if (m.$ref !== `${t.baseUrl}/${kind === 'User' ? 'Users' : 'Groups'}/${m.value}`) return `member $ref ${String(m.$ref)}`;
  }
  return metaProblem(body, 'Group', g.id, g.created, t);
}

/** Why a returned resource of either type differs from the model (including: it is not live there). */
export function resourceMismatch(body: unknown, t: TenantModel): string | undefined {
  if (!isObj(body) || typeof body.id !== 'string') return 'resource without an id';
  const u = t.users.get(body.id);
  if (u) return userMismatch(body, u, t);
  const g = t.groups.get(body.id);
  if (g) return groupMismatch(body, g, t);
  return `${body.id} is not a live resource of ${t.id}`;
}
