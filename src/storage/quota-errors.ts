import { ScimError } from '../error/scim-error.js';

/** The 403 of a create refused because the tenant already holds `max` resources of the type. */
export function quotaExceeded(quotaName: string | undefined, max: number): ScimError {
  const name = quotaName ?? 'maxCount';
  return ScimError.forbidden(`Quota exceeded: ${name} (${max})`, name);
}

/** The 403 of a member change that would grow a group past `max` members. */
export function memberLimitExceeded(max: number): ScimError {
  return ScimError.forbidden(`Quota exceeded: maxMembersPerGroup (${max})`, 'maxMembersPerGroup');
}
