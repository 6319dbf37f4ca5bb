/**
 * The PATCH engine (RFC 7644 §3.5.2): `parsePatchRequest` reads a PatchOp message, `applyPatch`
 * applies its operations all-or-nothing to a resource with its schema and reports what changed, with
 * the real-client tolerances of Entra ID and Okta switchable one by one, and member changes as deltas.
 *
 * @packageDocumentation
 * @module scim-server/patch
 */
export type { PatchTolerances } from './patch-tolerances.js';
export { DEFAULT_PATCH_TOLERANCES, STRICT_PATCH_TOLERANCES, resolvePatchTolerances } from './patch-tolerances.js';
export type { PatchOperation, PatchRequestOptions } from './patch-request.js';
export { DEFAULT_MAX_PATCH_OPERATIONS, PATCH_OP_SCHEMA, parsePatchRequest } from './patch-request.js';
export type { ApplyPatchOptions, PatchResult } from './apply-patch.js';
export { applyPatch, DEFAULT_MAX_FILTER_WORK } from './apply-patch.js';
export { canApplyMembersAsDelta } from './member-delta.js';
export type { PatchMemberDelta, PatchMemberRef } from './member-changes.js';
