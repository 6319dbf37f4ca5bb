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

/**
 * The version a write must find when it carries an `ifNoneMatch` precondition (RFC 9110 §13.1.2):
 * the write is refused (412) when the resource's current version matches, which for `*` means
 * whenever the resource exists. Otherwise the current version is returned, so that the write
 * happens against exactly the version that was checked; undefined without the precondition.
 *
 * @throws ScimError 400 `invalidSyntax` for a malformed precondition, 404 for an unknown resource,
 *   412 when a tag matches.
 */
export async function versionNotMatching(
  ifNoneMatch: string | undefined,
  provider: ResourceProvider,
  tenant: TenantContext,
  id: string,
): Promise<string | undefined> {
  const tags = parseEntityTags(ifNoneMatch);
  if (!tags) return undefined;
  const current = await provider.get(tenant, id, { excludeMembers: true });
  if (matchesEntityTag(current.meta.version, tags)) {
    const detail = tags.includes('*') ? 'The resource exists (If-None-Match: *)' : `The resource is at version ${current.meta.version} (If-None-Match)`;
    throw new ScimError(412, detail, undefined, undefined, 'If-None-Match');
  }
  return current.meta.version;
}

/**
 * The version a write must find: from `ifMatch` ({@link expectedVersion}), else from
 * `ifNoneMatch` ({@link versionNotMatching}); undefined when the write carries neither.
 */
export async function writeVersion(
  preconditions: { readonly ifMatch?: string | undefined; readonly ifNoneMatch?: string | undefined },
  provider: ResourceProvider,
  tenant: TenantContext,
  id: string,
): Promise<string | undefined> {
  const fromNoneMatch = await versionNotMatching(preconditions.ifNoneMatch, provider, tenant, id);
  return (await expectedVersion(preconditions.ifMatch, provider, tenant, id)) ?? fromNoneMatch;
}

/** True when an `ifNoneMatch` precondition matches `version` (a read then answers "not modified"). */
export function notModified(ifNoneMatch: string | undefined, version: string): boolean {
  const tags = parseEntityTags(ifNoneMatch);
  return tags !== undefined && matchesEntityTag(version, tags);
}
