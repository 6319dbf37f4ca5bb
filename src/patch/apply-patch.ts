import { isScimError, ScimError } from '../error/scim-error.js';
import type { ResourceSchema } from '../schema/resource-schema.js';
import type { ScimObject } from '../schema/types.js';
import { applyOperation } from './apply-operation.js';
import type { PatchMemberDelta as MemberDelta } from './member-changes.js';
import { PatchDraft } from './patch-draft.js';
import type { PatchOperation } from './patch-request.js';
import type { PatchResult } from './patch-result.js';
import { resolvePatchTolerances, type PatchTolerances } from './patch-tolerances.js';

export type { PatchResult } from './patch-result.js';

/** Options of {@link applyPatch}. */
export interface ApplyPatchOptions {
  /** Tolerance switches; unspecified ones take their default (on). */
  tolerances?: Partial<PatchTolerances>;
  /**
   * Apply operations on a group's `members` as a {@link MemberDelta} instead of editing a `members`
   * array: the resource is expected to arrive without its members, and the cost is proportional to
   * the change. Check {@link canApplyMembersAsDelta} first; an operation that needs the members
   * (for example a filter on `members.display`) throws a plain `Error` in this mode.
   */
  membersAsDelta?: boolean;
  /**
   * Most element comparisons the value filters of one request may make in all (default
   * {@link DEFAULT_MAX_FILTER_WORK}). A request past it is refused with 400 `tooMany` before it
   * costs more: a thousand filtered operations on a long multi-valued attribute (a large group's
   * loaded members, say) would otherwise take seconds.
   */
  maxFilterWork?: number;
}

/** Default of {@link ApplyPatchOptions.maxFilterWork}. */
export const DEFAULT_MAX_FILTER_WORK = 2_000_000;

/**
 * Applies PATCH operations (RFC 7644 §3.5.2) to a resource in canonical form.
 *
 * Pure and copy-on-write: `resource` is never mutated; the result shares every untouched object with
 * it, and is `resource` itself when nothing changed. All or nothing: the first failing operation
 * throws and no partial result exists.
 *
 * Paths, value keys and URN keys are matched case-insensitively and written under canonical names;
 * extension attributes go under their URN key and the URN is added to (or, when the extension is
 * left empty, removed from) `schemas`. Mutability is enforced: `id`, `meta` and other read-only
 * attributes are 400 `mutability`, and so is changing or removing an immutable attribute that has a
 * value, or unassigning a required one. Scalar types are otherwise left to schema validation.
 *
 * @param resource - The current resource (canonical form).
 * @param operations - Operations from {@link parsePatchRequest} (or built by the caller).
 * @param schema - The resource type's schemas.
 * @param options - Tolerances and the members-as-delta mode.
 * @throws ScimError 400 with `invalidPath`, `noTarget`, `invalidValue`, `mutability` or
 *   `invalidSyntax`; the detail names the failing operation.
 */
export function applyPatch(resource: ScimObject, operations: readonly PatchOperation[], schema: ResourceSchema, options: ApplyPatchOptions = {}): PatchResult {
  const draft = new PatchDraft(
    resource,
    schema,
    resolvePatchTolerances(options.tolerances),
    options.membersAsDelta === true,
    options.maxFilterWork ?? DEFAULT_MAX_FILTER_WORK,
  );
  for (const [i, operation] of operations.entries()) {
    try {
      applyOperation(draft, operation);
    } catch (err) {
      if (isScimError(err) && operations.length > 1) {
        throw new ScimError(err.status, `Operation ${i + 1}: ${err.detail}`, err.scimType, err.headers);
      }
      throw err;
    }
  }
  return draft.result();
}
