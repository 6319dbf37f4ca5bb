import { ScimError } from '../error/scim-error.js';
import type { PatchTolerances } from './patch-tolerances.js';
import { isObject } from '../schema/json-object.js';

/** The PatchOp message schema URI (RFC 7644 §3.5.2). */
export const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** Most operations one PATCH request may carry unless configured otherwise. */
export const DEFAULT_MAX_PATCH_OPERATIONS = 1000;

/** One operation of a PatchOp request, with its `op` normalised to lower case. */
export interface PatchOperation {
  op: 'add' | 'remove' | 'replace';
  /** The target path as sent; absent for a path-less `add` or `replace`. */
  path?: string;
  /** The operation's value; absent when the request carried none. */
  value?: unknown;
}

/** Limits applied while reading a PatchOp body. */
export interface PatchRequestOptions {
  /** Most operations accepted (default {@link DEFAULT_MAX_PATCH_OPERATIONS}); more is 400 `tooMany`. */
  maxOperations?: number;
}

const OPS: Readonly<Record<string, PatchOperation['op']>> = { add: 'add', remove: 'remove', replace: 'replace' };

/** The own member of `obj` whose name equals `name` case-insensitively (exact match first). */
function member(obj: Record<string, unknown>, name: string): { found: boolean; value: unknown } {
  if (Object.hasOwn(obj, name)) return { found: true, value: obj[name] };
  const lower = name.toLowerCase();
  for (const key of Object.keys(obj)) {
    if (key.toLowerCase() === lower) return { found: true, value: obj[key] };
  }
  return { found: false, value: undefined };
}

/**
 * Reads and checks a PatchOp request body (RFC 7644 §3.5.2) without looking at any resource.
 *
 * - `schemas` must list {@link PATCH_OP_SCHEMA}, and `Operations` (member names in any case) must be
 *   a non-empty array: otherwise 400 `invalidSyntax`.
 * - More than `maxOperations` operations is 400 `tooMany`: the request asks for more work than the
 *   server is willing to do, which is what `tooMany` says (RFC 7644 §3.12); the RFC's only other
 *   limit status, 413, is defined for `/Bulk` payloads.
 * - `op` must be `add`, `remove` or `replace`; other case only with `tolerances.opNameAnyCase`;
 *   otherwise 400 `invalidSyntax`.
 * - `path`, when present and not `null`, must be a non-empty string (400 `invalidPath`).
 * - `add` and `replace` need a `value` (400 `invalidValue`); without a path it must be an object
 *   of attributes (400 `invalidValue`).
 * - `remove` without a path is 400 `noTarget` (RFC 7644 §3.5.2.2).
 */
export function parsePatchRequest(body: unknown, tolerances: PatchTolerances, options: PatchRequestOptions = {}): PatchOperation[] {
  if (!isObject(body)) throw ScimError.badRequest('invalidSyntax', 'A PATCH body must be a PatchOp JSON object');
  const schemas = member(body, 'schemas');
  if (!Array.isArray(schemas.value) || !schemas.value.some((s) => typeof s === 'string' && s.toLowerCase() === PATCH_OP_SCHEMA.toLowerCase())) {
    throw ScimError.badRequest('invalidSyntax', `A PATCH body must list "${PATCH_OP_SCHEMA}" in "schemas"`);
  }
  const ops = member(body, 'Operations');
  if (!Array.isArray(ops.value)) throw ScimError.badRequest('invalidSyntax', 'A PATCH body must carry an "Operations" array');
  const list = ops.value as unknown[];
  if (list.length === 0) throw ScimError.badRequest('invalidSyntax', '"Operations" must hold at least one operation');
  const max = options.maxOperations ?? DEFAULT_MAX_PATCH_OPERATIONS;
  if (list.length > max) {
    throw ScimError.badRequest('tooMany', `A PATCH request may carry at most ${max} operations; this one has ${list.length}`);
  }

  const out: PatchOperation[] = new Array<PatchOperation>(list.length);
  for (let i = 0; i < list.length; i++) {
    const raw = list[i];
    const n = i + 1;
    if (!isObject(raw)) throw ScimError.badRequest('invalidSyntax', `Operation ${n} must be a JSON object`);
    const opMember = member(raw, 'op');
    if (typeof opMember.value !== 'string') throw ScimError.badRequest('invalidSyntax', `Operation ${n} has no "op"`);
    const opText = opMember.value;
    let op = OPS[opText];
    if (op === undefined && tolerances.opNameAnyCase) op = OPS[opText.toLowerCase()];
    if (op === undefined) {
      throw ScimError.badRequest('invalidSyntax', `Operation ${n}: "op" must be "add", "remove" or "replace", not ${JSON.stringify(opText.slice(0, 40))}`);
    }

    const pathMember = member(raw, 'path');
    let path: string | undefined;
    if (pathMember.found && pathMember.value !== null && pathMember.value !== undefined) {
      if (typeof pathMember.value !== 'string' || pathMember.value.trim() === '') {
        throw ScimError.badRequest('invalidPath', `Operation ${n}: "path" must be a non-empty string`);
      }
      path = pathMember.value;
    }
    const valueMember = member(raw, 'value');
    const hasValue = valueMember.found && valueMember.value !== undefined;

    if (op === 'remove') {
      if (path === undefined) throw ScimError.badRequest('noTarget', `Operation ${n}: "remove" needs a "path"`);
    } else {
      if (!hasValue) throw ScimError.badRequest('invalidValue', `Operation ${n}: "${op}" needs a "value"`);
      if (path === undefined && !isObject(valueMember.value)) {
        throw ScimError.badRequest('invalidValue', `Operation ${n}: "${op}" without a "path" needs an object of attributes as its "value"`);
      }
    }
    const operation: PatchOperation = { op };
    if (path !== undefined) operation.path = path;
    if (hasValue) operation.value = valueMember.value;
    out[i] = operation;
  }
  return out;
}
