export type { PatchTolerances } from './patch-tolerances.js';
export { DEFAULT_PATCH_TOLERANCES, STRICT_PATCH_TOLERANCES, resolvePatchTolerances } from './patch-tolerances.js';
export type { PatchOperation, PatchRequestOptions } from './patch-request.js';
export { DEFAULT_MAX_PATCH_OPERATIONS, PATCH_OP_SCHEMA, parsePatchRequest } from './patch-request.js';
export type { ApplyPatchOptions, PatchResult } from './apply-patch.js';
export { applyPatch, DEFAULT_MAX_FILTER_WORK } from './apply-patch.js';
export { canApplyMembersAsDelta } from './member-delta.js';
export type { PatchMemberDelta, PatchMemberRef } from './member-changes.js';
