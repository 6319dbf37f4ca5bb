import type { ScimObject } from '../schema/types.js';
import type { PatchMemberDelta } from './member-changes.js';

/** The outcome of `applyPatch`. */
export interface PatchResult {
  /**
   * The resource after every operation. Untouched parts are shared with the input; when nothing
   * changed it is the input object itself.
   */
  resource: ScimObject;
  /**
   * Canonical paths of the attributes that changed, in first-change order: `name.givenName`,
   * `emails`, `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager`.
   */
  changed: string[];
  /** With `membersAsDelta`: the net change to the member set, when the request asked for one. */
  memberDelta?: PatchMemberDelta;
  /** True when the resource or the member set changes. */
  modified: boolean;
}
