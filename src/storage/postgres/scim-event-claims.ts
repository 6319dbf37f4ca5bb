import type { AuditLogEntry } from './postgres-audit-log.js';

/** The event URIs of RFC 9967 §2.4 this library publishes (notice form: attribute names, never values). */
export const SCIM_EVENT = {
  create: 'urn:ietf:params:scim:event:prov:create:notice',
  patch: 'urn:ietf:params:scim:event:prov:patch:notice',
  put: 'urn:ietf:params:scim:event:prov:put:notice',
  delete: 'urn:ietf:params:scim:event:prov:delete',
  activate: 'urn:ietf:params:scim:event:prov:activate',
  deactivate: 'urn:ietf:params:scim:event:prov:deactivate',
} as const;

/** The claims of one SCIM Security Event Token (RFC 8417 §2.2, RFC 9967 §2). */
export interface ScimEventClaims {
  readonly iss: string;
  readonly iat: number;
  readonly jti: string;
  readonly aud: string | readonly string[];
  /** The request that made the change: every event of one request shares it. */
  readonly txn: string;
  /** When the change happened (seconds since the epoch). */
  readonly toe: number;
  /** The resource, as RFC 9967 §2.1 identifies it: `{ format: "scim", uri: "/Users/<id>" }`. */
  readonly sub_id: { readonly format: 'scim'; readonly uri: string };
  readonly events: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/** The endpoint path of a resource type: `/Users` and `/Groups` for the core types, `/<name>` for others. */
export function defaultResourcePath(resourceType: string): string {
  if (resourceType === 'User') return '/Users';
  if (resourceType === 'Group') return '/Groups';
  return `/${resourceType}`;
}

/** The RFC 9967 events of one stored audit event; empty for what is not a change of a resource. */
export function scimEvents(entry: AuditLogEntry): Record<string, Record<string, unknown>> {
  const e = entry.event;
  if (e.outcome !== 'success' || e.resourceId === undefined || e.resourceType === undefined) return {};
  const notice = { ...(e.version !== undefined ? { version: e.version } : {}), attributes: [...(e.changed ?? [])] };
  const events: Record<string, Record<string, unknown>> = {};
  if (e.action === 'create') events[SCIM_EVENT.create] = notice;
  else if (e.action === 'replace') events[SCIM_EVENT.put] = notice;
  else if (e.action === 'patch' || e.action === 'members') events[SCIM_EVENT.patch] = notice;
  else if (e.action === 'delete') events[SCIM_EVENT.delete] = {};
  else return {};
  if (e.action !== 'create' && e.active === true) events[SCIM_EVENT.activate] = {};
  if (e.action !== 'create' && e.active === false) events[SCIM_EVENT.deactivate] = {};
  return events;
}

/**
 * The claims of the Security Event Token for one stored audit event, or `undefined` when it is not
 * a change of a resource. `jti` is the stored event's id, so a token sent again is recognisably the
 * same (RFC 8935 §2.1: receivers drop duplicates by `jti`).
 */
export function scimEventClaims(
  entry: AuditLogEntry,
  context: { readonly issuer: string; readonly audience: string | readonly string[]; readonly resourcePath: (type: string) => string; readonly now: Date },
): ScimEventClaims | undefined {
  const events = scimEvents(entry);
  if (Object.keys(events).length === 0) return undefined;
  const e = entry.event;
  const time = Date.parse(e.time);
  return {
    iss: context.issuer,
    iat: Math.floor(context.now.getTime() / 1000),
    jti: entry.id,
    aud: context.audience,
    txn: e.requestId,
    toe: Math.floor((Number.isFinite(time) ? time : context.now.getTime()) / 1000),
    sub_id: { format: 'scim', uri: `${context.resourcePath(e.resourceType as string)}/${e.resourceId}` },
    events,
  };
}
