import { ScimError } from '../../error/scim-error.js';
import type { MemberRef } from '../storage-provider.js';
import { isObject } from '../../schema/json-object.js';

/**
 * Checks a list of member references and copies each into a frozen {@link MemberRef}
 * (`value`, and `type` and `display` when they are strings). `null` or `undefined` is an empty
 * list. Anything else that is not a list of objects with a non-empty string `value` is a 400
 * `invalidValue`.
 */
export function toMemberRefs(raw: unknown, where: string): MemberRef[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw ScimError.badRequest('invalidValue', `${where} must be an array of members`);
  const out: MemberRef[] = [];
  for (const item of raw) {
    if (!isObject(item) || typeof item.value !== 'string' || item.value.length === 0) {
      throw ScimError.badRequest('invalidValue', `${where}: every member needs a string value`);
    }
    const ref: MemberRef = { value: item.value };
    if (typeof item.type === 'string') ref.type = item.type;
    if (typeof item.display === 'string') ref.display = item.display;
    out.push(Object.freeze(ref));
  }
  return out;
}

/** Checks a list of member ids to remove; `undefined` is an empty list. */
export function toMemberIds(raw: unknown, where: string): string[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw) || !raw.every((id) => typeof id === 'string')) {
    throw ScimError.badRequest('invalidValue', `${where} must be an array of member ids`);
  }
  return raw as string[];
}
