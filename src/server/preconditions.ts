import { ScimError } from '../error/scim-error.js';
import type { ResourceProvider } from '../provider/resource-provider.js';
import type { TenantContext } from '../tenant/tenant-context.js';
import { expectedVersionFrom, matchesEntityTag, parseEntityTags } from './etag.js';

/**
 * The version a write must find, from an `ifMatch` precondition: undefined without one; the tag
 * itself (as `W/"n"`) for one tag, checked by storage as one compare-and-set; for `*` or a list,
 * the current version when it matches (412 otherwise), so the write still happens against exactly
 * that version.
 *
 * @throws ScimError 400 `invalidSyntax` for a malformed precondition, 404 for an unknown resource
 *   (with `*` or a list), 412 when no tag matches.
 */
export async function expectedVersion(ifMatch: string | undefined, provider: ResourceProvider, tenant: TenantContext, id: string): Promise<string | undefined> {
  const tags = parseEntityTags(ifMatch);
  if (!tags) return undefined;
  if (tags.length === 1 && tags[0] !== '*') return expectedVersionFrom(tags);
  const current = await provider.get(tenant, id, { excludeMembers: true });
  if (!matchesEntityTag(current.meta.version, tags)) throw ScimError.preconditionFailed();
  return current.meta.version;
}

/** True when an `ifNoneMatch` precondition matches `version` (a read then answers "not modified"). */
export function notModified(ifNoneMatch: string | undefined, version: string): boolean {
  const tags = parseEntityTags(ifNoneMatch);
  return tags !== undefined && matchesEntityTag(version, tags);
}
