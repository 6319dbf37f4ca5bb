import type { AttributeDefinition, ScimObject } from '../schema/types.js';
import { attributeValueEquals, isUnassigned } from '../schema/attribute-value-equals.js';
import { isObject } from '../schema/json-object.js';
import type { PatchDraft } from './patch-draft.js';
import { mutability } from './patch-errors.js';
import type { AttributeTarget } from './patch-target.js';
import { findSubAttribute, type NormalizedComplex, normalizeComplex, normalizeScalar } from './patch-value.js';
import { jsonEqual } from './json-equal.js';

/** `add` / `replace` of a single-valued simple attribute. */
export function setSimple(draft: PatchDraft, target: AttributeTarget, value: unknown): void {
  const a = target.attribute;
  const v = normalizeScalar(a, value, draft.tol, target.label);
  const old = draft.readHolder(target.uri)?.[a.name];
  if (old !== undefined && old === v) return;
  if (a.mutability === 'immutable' && !isUnassigned(old) && !attributeValueEquals(a, old, v)) {
    throw mutability(`"${target.label}" is immutable and already has a value`);
  }
  draft.writeHolder(target.uri)[a.name] = v;
  draft.touch(target.label);
}

/** `old` with the sub-attributes of `incoming` written over it and its cleared ones removed. */
function merged(old: ScimObject | undefined, incoming: NormalizedComplex): ScimObject {
  const next: ScimObject = { ...old, ...incoming.value };
  for (const key of incoming.cleared) delete next[key];
  return next;
}

/** `add` and `replace` of a single-valued complex attribute merge sub-attributes (RFC 7644 §3.5.2.3). */
export function mergeComplex(draft: PatchDraft, target: AttributeTarget, value: unknown): void {
  const a = target.attribute;
  const incoming = normalizeComplex(a, value, draft.tol, target.label);
  const old = draft.readHolder(target.uri)?.[a.name];
  const oldObj = isObject(old) ? old : undefined;
  let changes = false;
  for (const key of Object.keys(incoming.value)) {
    const before = oldObj?.[key];
    if (before !== undefined && jsonEqual(before, incoming.value[key])) continue;
    const sub = findSubAttribute(a, key);
    if (sub?.mutability === 'immutable' && !isUnassigned(before) && !attributeValueEquals(sub, before, incoming.value[key])) {
      throw mutability(`"${target.label}.${key}" is immutable and already has a value`);
    }
    changes = true;
  }
  for (const key of incoming.cleared) {
    if (oldObj?.[key] === undefined) continue;
    const sub = findSubAttribute(a, key);
    if (sub?.required || sub?.mutability === 'immutable') throw mutability(`"${target.label}.${key}" cannot be unassigned`);
    changes = true;
  }
  if (!changes) return;
  if (a.mutability === 'immutable' && !isUnassigned(oldObj) && !attributeValueEquals(a, oldObj, merged(oldObj, incoming))) {
    throw mutability(`"${target.label}" is immutable and already has a value`);
  }
  const holder = draft.writeHolder(target.uri);
  const obj = draft.writableChild(holder, a.name);
  Object.assign(obj, incoming.value);
  for (const key of incoming.cleared) delete obj[key];
  if (Object.keys(obj).length === 0) {
    if (a.required) throw mutability(`"${target.label}" is required and cannot be unassigned`);
    delete holder[a.name];
    draft.tidyHolder(target.uri);
  }
  draft.touch(target.label);
}

/** `name.givenName`: one sub-attribute of a single-valued complex attribute. */
export function setSub(draft: PatchDraft, target: AttributeTarget, sub: AttributeDefinition, value: unknown): void {
  const a = target.attribute;
  const v = normalizeScalar(sub, value, draft.tol, target.label);
  const old = draft.readHolder(target.uri)?.[a.name];
  const before = isObject(old) ? old[sub.name] : undefined;
  if (before !== undefined && before === v) return;
  if (sub.mutability === 'immutable' && !isUnassigned(before) && !attributeValueEquals(sub, before, v)) {
    throw mutability(`"${target.label}" is immutable and already has a value`);
  }
  if (a.mutability === 'immutable' && !isUnassigned(old) && !attributeValueEquals(a, old, { ...(isObject(old) ? old : {}), [sub.name]: v })) {
    throw mutability(`"${a.name}" is immutable and already has a value`);
  }
  const holder = draft.writeHolder(target.uri);
  draft.writableChild(holder, a.name)[sub.name] = v;
  draft.touch(target.label);
}
