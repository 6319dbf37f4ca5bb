import { ScimError } from '../error/scim-error.js';
import { parseAttributePath } from '../schema/attribute-path.js';
import { isObject } from '../schema/json-object.js';
import { applyFiltered } from './filtered-changes.js';
import { isMembersTarget } from './member-delta.js';
import { applyMembersDelta } from './members-delta-changes.js';
import { addValues, replaceValues, setSubOnEvery } from './multi-valued-changes.js';
import type { PatchDraft } from './patch-draft.js';
import { invalidValue, mutability } from './patch-errors.js';
import type { PatchOperation } from './patch-request.js';
import { resolvePatchTarget, type PatchTarget } from './patch-target.js';
import { remove } from './remove-changes.js';
import { applySchemas, mergeSchemas, removeExtension } from './schemas-changes.js';
import { mergeComplex, setSimple, setSub } from './single-valued-changes.js';

type Op = PatchOperation['op'];

function isPathKey(key: string): boolean {
  return key.includes('.') || key.includes('[') || key.includes(':');
}

/** Applies one operation to the draft: resolves its path (or its value's keys) and dispatches. */
export function applyOperation(draft: PatchDraft, operation: PatchOperation): void {
  const op = operation.op;
  if (op !== 'add' && op !== 'remove' && op !== 'replace') {
    throw ScimError.badRequest('invalidSyntax', '"op" must be "add", "remove" or "replace"');
  }
  const hasValue = operation.value !== undefined;
  if (operation.path === undefined) {
    if (op === 'remove') throw ScimError.badRequest('noTarget', '"remove" needs a "path"');
    if (!isObject(operation.value)) {
      throw invalidValue(`"${op}" without a "path" needs an object of attributes as its "value"`);
    }
    applyPathless(draft, op, operation.value);
    return;
  }
  if (op !== 'remove' && !hasValue) throw invalidValue(`"${op}" needs a "value"`);
  applyTarget(draft, op, resolvePatchTarget(operation.path, draft.schema), operation.value, hasValue);
}

/** Path-less `add` / `replace`: every key of the value is an attribute (or, tolerated, a path). */
function applyPathless(draft: PatchDraft, op: Op, value: Record<string, unknown>): void {
  const keys = Object.keys(value);
  if (keys.length === 0) throw invalidValue(`"${op}" without a "path" needs at least one attribute in its "value"`);
  for (const key of keys) {
    const v = value[key];
    if (v === undefined) continue;
    const ext = draft.schema.extensionUri(key);
    if (ext !== undefined) {
      applyExtensionObject(draft, op, ext, v);
      continue;
    }
    if (isPathKey(key) && !draft.tol.pathKeysInValue) {
      throw ScimError.badRequest('invalidPath', `"${key.slice(0, 200)}" is an attribute path, not an attribute name; send it as the operation's "path"`);
    }
    if (draft.tol.unknownValueKeys && isUnknownKey(draft, key)) continue;
    const target = resolvePatchTarget(key, draft.schema);
    if (isRepeatedId(draft, target, v)) continue; // Okta repeats the resource's own id in the value.
    if (target.kind === 'schemas') {
      mergeSchemas(draft, v);
      continue;
    }
    applyTarget(draft, op, target, v, true);
  }
}

/** True when a path-less value repeats the resource's own `id` and the tolerance lets that pass. */
function isRepeatedId(draft: PatchDraft, target: PatchTarget, v: unknown): boolean {
  return (
    target.kind === 'attribute' && target.uri === undefined && target.attribute.name === 'id' && !target.sub && draft.tol.repeatedId && v === draft.root.id
  );
}

/**
 * True when a key of a path-less value names nothing in the schema: no attribute, no
 * sub-attribute, no extension (value filters are left to path resolution, which reports them).
 */
function isUnknownKey(draft: PatchDraft, key: string): boolean {
  if (key.includes('[') || key.toLowerCase() === 'schemas') return false;
  if (draft.schema.resolveText(key) !== undefined) return false;
  const path = parseAttributePath(key);
  return !(path && draft.schema.ambiguousUris(path)); // an ambiguous name is refused, naming its extensions
}

/** The attributes of one extension, given as an object under its URI. */
function applyExtensionObject(draft: PatchDraft, op: Op, uri: string, value: unknown): void {
  if (value === null || value === '') {
    if (value === null && !draft.tol.emptyValueClears) throw invalidValue(`"${uri}" must not be null; use "remove" to clear it`);
    removeExtension(draft, uri);
    return;
  }
  if (!isObject(value)) throw invalidValue(`"${uri}" must be an object of that extension's attributes`);
  for (const key of Object.keys(value)) {
    const v = value[key];
    if (v === undefined) continue;
    if (isPathKey(key) && !draft.tol.pathKeysInValue) {
      throw ScimError.badRequest('invalidPath', `"${key.slice(0, 200)}" is an attribute path, not an attribute name`);
    }
    if (draft.tol.unknownValueKeys && isUnknownKey(draft, `${uri}:${key}`)) continue;
    const target = resolvePatchTarget(`${uri}:${key}`, draft.schema);
    applyTarget(draft, op, target, v, true);
  }
}

function applyTarget(draft: PatchDraft, op: Op, target: PatchTarget, value: unknown, hasValue: boolean): void {
  if (target.kind === 'schemas') {
    applySchemas(draft, op, value, hasValue);
    return;
  }
  if (target.kind === 'extension') {
    if (op === 'remove') removeExtension(draft, target.uri);
    else applyExtensionObject(draft, op, target.uri, value);
    return;
  }
  const a = target.attribute;
  const s = target.sub;
  if (a.mutability === 'readOnly' || s?.mutability === 'readOnly') {
    throw mutability(`"${target.label}${s && a.multiValued ? `.${s.name}` : ''}" is read-only`);
  }
  if (draft.delta && isMembersTarget(target)) {
    applyMembersDelta(draft, op, target, value, hasValue);
    return;
  }
  if (target.filter) {
    applyFiltered(draft, op, target, value);
    return;
  }
  if (op === 'remove') {
    remove(draft, target, value, hasValue);
    return;
  }
  if (value === null || value === '') {
    if (value === null && !draft.tol.emptyValueClears) {
      throw invalidValue(`"${target.label}" must not be null; use "remove" to clear it`);
    }
    if (draft.tol.emptyValueClears) {
      remove(draft, target, undefined, false);
      return;
    }
  }
  if (s) {
    if (a.multiValued) setSubOnEvery(draft, target, s, value);
    else setSub(draft, target, s, value);
    return;
  }
  if (a.multiValued) {
    if (op === 'add') addValues(draft, target, value);
    else replaceValues(draft, target, value);
    return;
  }
  if (a.type === 'complex') mergeComplex(draft, target, value);
  else setSimple(draft, target, value);
}
