import { isScimError, ScimError } from '../error/scim-error.js';
import type { ResourceSchema } from '../schema/resource-schema.js';
import type { AttributeDefinition, ScimObject } from '../schema/types.js';
import type { PatchMemberDelta as MemberDelta, PatchMemberRef as MemberRef } from './member-changes.js';
import { equalityTerms } from './element-filter.js';
import { ElementIndex, elementKey, sameElementAs } from './element-index.js';
import { isDeltaCapable, isMembersTarget, MemberDeltaBuilder, memberIdsOfFilter } from './member-delta.js';
import type { PatchOperation } from './patch-request.js';
import { resolvePatchTarget, type AttributeTarget, type PatchTarget } from './patch-target.js';
import { resolvePatchTolerances, type PatchTolerances } from './patch-tolerances.js';
import { findSubAttribute, normalizeComplex, normalizeScalar } from './patch-value.js';
import { isObject, isTrue, jsonEqual } from './value-equality.js';

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

/** The outcome of {@link applyPatch}. */
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
  memberDelta?: MemberDelta;
  /** True when the resource or the member set changes. */
  modified: boolean;
}

type Op = PatchOperation['op'];

function mutability(detail: string): ScimError {
  return ScimError.badRequest('mutability', detail);
}

function invalidValue(detail: string): ScimError {
  return ScimError.badRequest('invalidValue', detail);
}

function isPathKey(key: string): boolean {
  return key.includes('.') || key.includes('[') || key.includes(':');
}

function isAssigned(value: unknown): boolean {
  return value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0);
}

/**
 * One PATCH request in progress: a copy-on-write view of the resource. Objects and arrays created
 * during the request are recorded in `owned` and edited in place; anything else is shared with the
 * input and copied (one level) before its first edit, so the input is never mutated.
 */
class PatchDraft {
  private root: ScimObject;
  private readonly owned = new Set<object>();
  private readonly changedSet = new Set<string>();
  private readonly changed: string[] = [];
  private modified = false;
  private readonly delta: MemberDeltaBuilder | undefined;
  private work = 0;

  constructor(
    private readonly input: ScimObject,
    private readonly schema: ResourceSchema,
    private readonly tol: PatchTolerances,
    membersAsDelta: boolean,
    private readonly maxWork: number = DEFAULT_MAX_FILTER_WORK,
  ) {
    this.root = input;
    this.delta = membersAsDelta ? new MemberDeltaBuilder() : undefined;
  }

  result(): PatchResult {
    const memberDelta = this.delta?.build();
    const out: PatchResult = {
      resource: this.modified ? this.root : this.input,
      changed: this.changed,
      modified: this.modified || memberDelta !== undefined,
    };
    if (memberDelta) out.memberDelta = memberDelta;
    return out;
  }

  // ---- copy-on-write plumbing -----------------------------------------------------------------

  private touch(label: string): void {
    this.modified = true;
    if (!this.changedSet.has(label)) {
      this.changedSet.add(label);
      this.changed.push(label);
    }
  }

  private writableRoot(): ScimObject {
    if (!this.owned.has(this.root)) {
      this.root = { ...this.root };
      this.owned.add(this.root);
    }
    return this.root;
  }

  /** The object holding the attributes of `uri` (the root for core attributes), for reading. */
  private readHolder(uri: string | undefined): ScimObject | undefined {
    if (uri === undefined) return this.root;
    const ext = this.root[uri];
    return isObject(ext) ? ext : undefined;
  }

  /** The holder of `uri`, writable, created (and listed in `schemas`) when absent. */
  private writeHolder(uri: string | undefined): ScimObject {
    const root = this.writableRoot();
    if (uri === undefined) return root;
    const current = root[uri];
    let ext: ScimObject;
    if (isObject(current) && this.owned.has(current)) {
      ext = current;
    } else {
      ext = isObject(current) ? { ...current } : {};
      this.owned.add(ext);
      root[uri] = ext;
    }
    this.listSchema(uri);
    return ext;
  }

  /** Drops an extension object left empty, and its URI from `schemas`. */
  private tidyHolder(uri: string | undefined): void {
    if (uri === undefined) return;
    const root = this.writableRoot();
    const ext = root[uri];
    if (isObject(ext) && Object.keys(ext).length > 0) return;
    delete root[uri];
    this.unlistSchema(uri);
  }

  private listSchema(uri: string): void {
    const root = this.writableRoot();
    const schemas = root.schemas;
    const lower = uri.toLowerCase();
    if (Array.isArray(schemas)) {
      if (schemas.some((s) => typeof s === 'string' && s.toLowerCase() === lower)) return;
      root.schemas = [...schemas, uri];
    } else {
      root.schemas = [this.schema.core.id, uri];
    }
  }

  private unlistSchema(uri: string): void {
    const root = this.writableRoot();
    const schemas = root.schemas;
    if (!Array.isArray(schemas)) return;
    const lower = uri.toLowerCase();
    if (!schemas.some((s) => typeof s === 'string' && s.toLowerCase() === lower)) return;
    root.schemas = schemas.filter((s) => !(typeof s === 'string' && s.toLowerCase() === lower));
  }

  /** `holder[key]` as an object this request owns (a copy of the current one, or a new one). */
  private writableChild(holder: ScimObject, key: string): ScimObject {
    const current = holder[key];
    if (isObject(current) && this.owned.has(current)) return current;
    const copy: ScimObject = isObject(current) ? { ...current } : {};
    this.owned.add(copy);
    holder[key] = copy;
    return copy;
  }

  /** A new owned array. */
  private ownArray(values: unknown[]): unknown[] {
    this.owned.add(values);
    return values;
  }

  /** `arr[i]` as an object this request owns; `arr` must be owned. */
  private writableElement(arr: unknown[], i: number): ScimObject {
    const current = arr[i];
    if (isObject(current) && this.owned.has(current)) return current;
    const copy: ScimObject = isObject(current) ? { ...current } : {};
    this.owned.add(copy);
    arr[i] = copy;
    return copy;
  }

  // ---- dispatch -------------------------------------------------------------------------------

  apply(operation: PatchOperation): void {
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
      this.applyPathless(op, operation.value);
      return;
    }
    if (op !== 'remove' && !hasValue) throw invalidValue(`"${op}" needs a "value"`);
    this.applyTarget(op, resolvePatchTarget(operation.path, this.schema), operation.value, hasValue);
  }

  /** Path-less `add` / `replace`: every key of the value is an attribute (or, tolerated, a path). */
  private applyPathless(op: Op, value: Record<string, unknown>): void {
    const keys = Object.keys(value);
    if (keys.length === 0) throw invalidValue(`"${op}" without a "path" needs at least one attribute in its "value"`);
    for (const key of keys) {
      const v = value[key];
      if (v === undefined) continue;
      const ext = this.schema.extensionUri(key);
      if (ext !== undefined) {
        this.applyExtensionObject(op, ext, v);
        continue;
      }
      if (isPathKey(key) && !this.tol.pathKeysInValue) {
        throw ScimError.badRequest('invalidPath', `"${key.slice(0, 200)}" is an attribute path, not an attribute name; send it as the operation's "path"`);
      }
      if (this.tol.unknownValueKeys && this.isUnknownKey(key)) continue;
      const target = resolvePatchTarget(key, this.schema);
      if (
        target.kind === 'attribute' &&
        target.uri === undefined &&
        target.attribute.name === 'id' &&
        !target.sub &&
        this.tol.repeatedId &&
        v === this.root.id
      ) {
        continue; // Okta repeats the resource's own id in the value.
      }
      if (target.kind === 'schemas') {
        this.mergeSchemas(v);
        continue;
      }
      this.applyTarget(op, target, v, true);
    }
  }

  /**
   * True when a key of a path-less value names nothing in the schema: no attribute, no
   * sub-attribute, no extension (value filters are left to path resolution, which reports them).
   */
  private isUnknownKey(key: string): boolean {
    if (key.includes('[') || key.toLowerCase() === 'schemas') return false;
    return this.schema.resolveText(key) === undefined;
  }

  /** The attributes of one extension, given as an object under its URI. */
  private applyExtensionObject(op: Op, uri: string, value: unknown): void {
    if (value === null || value === '') {
      if (value === null && !this.tol.emptyValueClears) throw invalidValue(`"${uri}" must not be null; use "remove" to clear it`);
      this.removeExtension(uri);
      return;
    }
    if (!isObject(value)) throw invalidValue(`"${uri}" must be an object of that extension's attributes`);
    for (const key of Object.keys(value)) {
      const v = value[key];
      if (v === undefined) continue;
      if (isPathKey(key) && !this.tol.pathKeysInValue) {
        throw ScimError.badRequest('invalidPath', `"${key.slice(0, 200)}" is an attribute path, not an attribute name`);
      }
      if (this.tol.unknownValueKeys && this.isUnknownKey(`${uri}:${key}`)) continue;
      const target = resolvePatchTarget(`${uri}:${key}`, this.schema);
      this.applyTarget(op, target, v, true);
    }
  }

  private applyTarget(op: Op, target: PatchTarget, value: unknown, hasValue: boolean): void {
    if (target.kind === 'schemas') {
      this.applySchemas(op, value, hasValue);
      return;
    }
    if (target.kind === 'extension') {
      if (op === 'remove') this.removeExtension(target.uri);
      else this.applyExtensionObject(op, target.uri, value);
      return;
    }
    const a = target.attribute;
    const s = target.sub;
    if (a.mutability === 'readOnly' || s?.mutability === 'readOnly') {
      throw mutability(`"${target.label}${s && a.multiValued ? `.${s.name}` : ''}" is read-only`);
    }
    if (this.delta && isMembersTarget(target)) {
      this.applyMembersDelta(op, target, value, hasValue);
      return;
    }
    if (target.filter) {
      this.applyFiltered(op, target, value);
      return;
    }
    if (op === 'remove') {
      this.remove(target, value, hasValue);
      return;
    }
    if (value === null || value === '') {
      if (value === null && !this.tol.emptyValueClears) {
        throw invalidValue(`"${target.label}" must not be null; use "remove" to clear it`);
      }
      if (this.tol.emptyValueClears) {
        this.remove(target, undefined, false);
        return;
      }
    }
    if (s) {
      if (a.multiValued) this.setSubOnEvery(target, s, value);
      else this.setSub(target, s, value);
      return;
    }
    if (a.multiValued) {
      if (op === 'add') this.addValues(target, value);
      else this.replaceValues(target, value);
      return;
    }
    if (a.type === 'complex') this.mergeComplex(target, value);
    else this.setSimple(target, value);
  }

  // ---- schemas and whole extensions -----------------------------------------------------------

  private knownSchemaUri(value: unknown): string {
    if (typeof value !== 'string') throw invalidValue('"schemas" holds schema URIs (strings)');
    const lower = value.toLowerCase();
    const found = this.schema.schemaUris.find((u) => u.toLowerCase() === lower);
    if (!found) throw invalidValue(`"${value.slice(0, 200)}" is not a schema of a ${this.schema.resourceType.name}`);
    return found;
  }

  /** Adds the listed URIs to `schemas` (what a path-less value's `schemas` can do). */
  private mergeSchemas(value: unknown): void {
    const list = Array.isArray(value) ? value : [value];
    const uris = list.map((v) => this.knownSchemaUri(v));
    const before = this.root.schemas;
    for (const uri of uris) this.listSchemaIfNeeded(uri);
    if (this.root.schemas !== before) this.touch('schemas');
  }

  private listSchemaIfNeeded(uri: string): void {
    const schemas = this.root.schemas;
    const lower = uri.toLowerCase();
    if (Array.isArray(schemas) && schemas.some((s) => typeof s === 'string' && s.toLowerCase() === lower)) return;
    this.listSchema(uri);
  }

  private applySchemas(op: Op, value: unknown, hasValue: boolean): void {
    if (op === 'remove') {
      if (!hasValue) throw mutability('"schemas" cannot be removed');
      if (!this.tol.removeValueList) throw invalidValue('"remove" takes no "value"');
      const list = Array.isArray(value) ? value : [value];
      for (const v of list) {
        const uri = this.knownSchemaUri(v);
        if (uri === this.schema.core.id) throw mutability(`"${uri}" is the core schema and cannot be removed`);
        this.removeExtension(uri);
      }
      return;
    }
    if (op === 'add') {
      this.mergeSchemas(value);
      return;
    }
    const list = Array.isArray(value) ? value : [value];
    const uris = list.map((v) => this.knownSchemaUri(v));
    if (!uris.includes(this.schema.core.id)) throw invalidValue(`"schemas" must list the core schema "${this.schema.core.id}"`);
    for (const ext of this.schema.extensions) {
      if (!uris.includes(ext.schema.id)) this.removeExtension(ext.schema.id);
    }
    this.mergeSchemas(uris);
  }

  private removeExtension(uri: string): void {
    const required = this.schema.extensions.find((e) => e.schema.id === uri)?.required === true;
    const present = isObject(this.root[uri]);
    const schemas = this.root.schemas;
    const listed = Array.isArray(schemas) && schemas.some((s) => typeof s === 'string' && s.toLowerCase() === uri.toLowerCase());
    if (!present && !listed) return;
    if (required) throw mutability(`The extension "${uri}" is required and cannot be removed`);
    const root = this.writableRoot();
    delete root[uri];
    this.unlistSchema(uri);
    this.touch(uri);
  }

  // ---- single-valued attributes ---------------------------------------------------------------

  private setSimple(target: AttributeTarget, value: unknown): void {
    const a = target.attribute;
    const v = normalizeScalar(a, value, this.tol, target.label);
    const old = this.readHolder(target.uri)?.[a.name];
    if (old !== undefined && old === v) return;
    if (a.mutability === 'immutable' && isAssigned(old)) throw mutability(`"${target.label}" is immutable and already has a value`);
    this.writeHolder(target.uri)[a.name] = v;
    this.touch(target.label);
  }

  /** `add` and `replace` of a single-valued complex attribute merge sub-attributes (RFC 7644 §3.5.2.3). */
  private mergeComplex(target: AttributeTarget, value: unknown): void {
    const a = target.attribute;
    const incoming = normalizeComplex(a, value, this.tol, target.label);
    const old = this.readHolder(target.uri)?.[a.name];
    const oldObj = isObject(old) ? old : undefined;
    let changes = false;
    for (const key of Object.keys(incoming.value)) {
      const before = oldObj?.[key];
      if (before !== undefined && jsonEqual(before, incoming.value[key])) continue;
      const sub = findSubAttribute(a, key);
      if (sub?.mutability === 'immutable' && isAssigned(before)) throw mutability(`"${target.label}.${key}" is immutable and already has a value`);
      changes = true;
    }
    for (const key of incoming.cleared) {
      if (oldObj?.[key] === undefined) continue;
      const sub = findSubAttribute(a, key);
      if (sub?.required || sub?.mutability === 'immutable') throw mutability(`"${target.label}.${key}" cannot be unassigned`);
      changes = true;
    }
    if (!changes) return;
    if (a.mutability === 'immutable' && isAssigned(oldObj)) throw mutability(`"${target.label}" is immutable and already has a value`);
    const holder = this.writeHolder(target.uri);
    const obj = this.writableChild(holder, a.name);
    Object.assign(obj, incoming.value);
    for (const key of incoming.cleared) delete obj[key];
    if (Object.keys(obj).length === 0) {
      if (a.required) throw mutability(`"${target.label}" is required and cannot be unassigned`);
      delete holder[a.name];
      this.tidyHolder(target.uri);
    }
    this.touch(target.label);
  }

  /** `name.givenName`: one sub-attribute of a single-valued complex attribute. */
  private setSub(target: AttributeTarget, sub: AttributeDefinition, value: unknown): void {
    const a = target.attribute;
    const v = normalizeScalar(sub, value, this.tol, target.label);
    const old = this.readHolder(target.uri)?.[a.name];
    const before = isObject(old) ? old[sub.name] : undefined;
    if (before !== undefined && before === v) return;
    if (sub.mutability === 'immutable' && isAssigned(before)) throw mutability(`"${target.label}" is immutable and already has a value`);
    if (a.mutability === 'immutable' && isAssigned(old)) throw mutability(`"${a.name}" is immutable and already has a value`);
    const holder = this.writeHolder(target.uri);
    this.writableChild(holder, a.name)[sub.name] = v;
    this.touch(target.label);
  }

  // ---- remove without a filter ----------------------------------------------------------------

  private remove(target: AttributeTarget, value: unknown, hasValue: boolean): void {
    const a = target.attribute;
    const s = target.sub;
    const listed = hasValue && value !== null;
    if (listed) {
      if (!this.tol.removeValueList) throw invalidValue(`"remove" takes no "value" (path "${target.label}")`);
      if (a.multiValued && !s) {
        this.removeListed(target, value);
        return;
      }
      // A single-valued target: the value only repeats what is being removed.
    }
    const holder = this.readHolder(target.uri);
    const old = holder?.[a.name];
    if (!isAssigned(old)) return;
    if (s) {
      if (a.multiValued) {
        this.removeSubFromEvery(target, s);
        return;
      }
      if (!isObject(old) || old[s.name] === undefined) return;
      if (s.required) throw mutability(`"${target.label}" is required and cannot be removed`);
      if (s.mutability === 'immutable') throw mutability(`"${target.label}" is immutable and cannot be removed`);
      if (a.mutability === 'immutable') throw mutability(`"${a.name}" is immutable and cannot be changed`);
      const h = this.writeHolder(target.uri);
      const obj = this.writableChild(h, a.name);
      delete obj[s.name];
      if (Object.keys(obj).length === 0) {
        if (a.required) throw mutability(`"${a.name}" is required and cannot be unassigned`);
        delete h[a.name];
        this.tidyHolder(target.uri);
      }
      this.touch(target.label);
      return;
    }
    if (a.required) throw mutability(`"${target.label}" is required and cannot be removed`);
    if (a.mutability === 'immutable') throw mutability(`"${target.label}" is immutable and cannot be removed`);
    const h = this.writeHolder(target.uri);
    delete h[a.name];
    this.tidyHolder(target.uri);
    this.touch(target.label);
  }

  /** `remove` with a value list (tolerated): only the listed values go. */
  private removeListed(target: AttributeTarget, value: unknown): void {
    const a = target.attribute;
    const list = Array.isArray(value) ? value : [value];
    const keys = new Set<string>();
    const tests: ((other: unknown) => boolean)[] = [];
    for (const item of list) {
      const el = this.normalizeElement(a, item, target.label);
      const key = elementKey(a, el);
      if (key !== undefined) keys.add(key);
      else tests.push(sameElementAs(a, el));
    }
    const old = this.readHolder(target.uri)?.[a.name];
    if (!Array.isArray(old) || old.length === 0) return;
    const kept = old.filter((el) => {
      const key = keys.size > 0 ? elementKey(a, el) : undefined;
      if (key !== undefined && keys.has(key)) return false;
      return !tests.some((same) => same(el));
    });
    if (kept.length === old.length) return;
    this.writeArray(target, kept);
  }

  /** Writes `arr` (unowned or owned) as the attribute's values; an empty array unassigns it. */
  private writeArray(target: AttributeTarget, arr: unknown[]): void {
    const a = target.attribute;
    const old = this.readHolder(target.uri)?.[a.name];
    if (arr.length === 0) {
      if (a.required) throw mutability(`"${target.label}" is required and cannot be unassigned`);
      if (a.mutability === 'immutable' && isAssigned(old)) throw mutability(`"${target.label}" is immutable and cannot be removed`);
      const h = this.writeHolder(target.uri);
      delete h[a.name];
      this.tidyHolder(target.uri);
    } else {
      if (a.mutability === 'immutable' && isAssigned(old)) throw mutability(`"${target.label}" is immutable and already has a value`);
      if (!this.owned.has(arr)) this.owned.add(arr);
      this.writeHolder(target.uri)[a.name] = arr;
    }
    this.touch(target.label);
  }

  private removeSubFromEvery(target: AttributeTarget, sub: AttributeDefinition): void {
    const a = target.attribute;
    const old = this.readHolder(target.uri)?.[a.name];
    if (!Array.isArray(old)) return;
    const indices: number[] = [];
    for (let i = 0; i < old.length; i++) {
      const el = old[i];
      if (isObject(el) && el[sub.name] !== undefined) indices.push(i);
    }
    if (indices.length === 0) return;
    this.removeSubAt(target, sub, old, indices);
  }

  /** Removes `sub` from the elements at `indices`, dropping elements left empty. */
  private removeSubAt(target: AttributeTarget, sub: AttributeDefinition, old: unknown[], indices: readonly number[]): void {
    if (sub.required) throw mutability(`"${target.attribute.name}.${sub.name}" is required and cannot be removed`);
    if (sub.mutability === 'immutable') throw mutability(`"${target.attribute.name}.${sub.name}" is immutable and cannot be removed`);
    const arr = this.ownArray(old.slice());
    let emptied = false;
    for (const i of indices) {
      const el = this.writableElement(arr, i);
      delete el[sub.name];
      if (Object.keys(el).length === 0) {
        arr[i] = undefined;
        emptied = true;
      }
    }
    this.writeArray(target, emptied ? this.ownArray(arr.filter((el) => el !== undefined)) : arr);
  }

  // ---- multi-valued attributes ----------------------------------------------------------------

  /** One element of multi-valued `a`, normalised; undefined when it carries nothing to write. */
  private normalizeElement(a: AttributeDefinition, item: unknown, label: string): unknown {
    if (a.type === 'complex') {
      const n = normalizeComplex(a, item, this.tol, label);
      return n.value;
    }
    if (item === null) throw invalidValue(`"${label}" values must not be null`);
    return normalizeScalar(a, item, this.tol, label);
  }

  private normalizeElements(a: AttributeDefinition, value: unknown, label: string): unknown[] {
    const list = Array.isArray(value) ? value : [value];
    const out: unknown[] = [];
    const index = new ElementIndex(a, out, list.length);
    for (const item of list) {
      if (item === null && this.tol.emptyValueClears) continue;
      const el = this.normalizeElement(a, item, label);
      if (isObject(el) && Object.keys(el).length === 0) continue;
      const dup = index.indexOf(el);
      if (dup < 0) index.push(el);
      else if (isObject(el) && isObject(out[dup])) out[dup] = { ...(out[dup] as ScimObject), ...el };
    }
    return out;
  }

  /** `add` to a multi-valued attribute: append values not already present (RFC 7644 §3.5.2.1). */
  private addValues(target: AttributeTarget, value: unknown): void {
    const a = target.attribute;
    const incoming = this.normalizeElements(a, value, target.label);
    if (incoming.length === 0) return;
    const old = this.readHolder(target.uri)?.[a.name];
    const arr = Array.isArray(old) ? old.slice() : [];
    const index = new ElementIndex(a, arr, incoming.length);
    const written: number[] = [];
    for (const el of incoming) {
      const i = index.indexOf(el);
      if (i < 0) {
        if (isObject(el)) this.owned.add(el);
        written.push(index.push(el));
        continue;
      }
      const existing = arr[i];
      if (!isObject(el) || !isObject(existing)) continue;
      // The value that identified the element stays as stored (it may differ only in case).
      const diff = Object.keys(el).filter((k) => k !== 'value' && !jsonEqual(existing[k], el[k]));
      if (diff.length === 0) continue;
      for (const k of diff) {
        const sub = findSubAttribute(a, k);
        if (sub?.mutability === 'immutable' && isAssigned(existing[k])) {
          throw mutability(`"${a.name}.${k}" is immutable and already has a value`);
        }
      }
      this.owned.add(arr);
      const merged = this.writableElement(arr, i);
      for (const k of diff) merged[k] = el[k];
      written.push(i);
    }
    if (written.length === 0) return;
    this.owned.add(arr);
    this.enforcePrimary(target, arr, written);
    this.writeArray(target, arr);
  }

  /** `replace` of a whole multi-valued attribute. */
  private replaceValues(target: AttributeTarget, value: unknown): void {
    const a = target.attribute;
    const incoming = this.normalizeElements(a, value, target.label);
    const old = this.readHolder(target.uri)?.[a.name];
    if (incoming.length === 0) {
      if (!isAssigned(old)) return;
      this.writeArray(target, incoming);
      return;
    }
    const arr = this.ownArray(incoming);
    for (const el of arr) if (isObject(el)) this.owned.add(el);
    this.enforcePrimary(
      target,
      arr,
      arr.map((_, i) => i),
    );
    if (jsonEqual(old, arr)) return;
    this.writeArray(target, arr);
  }

  /** `emails.display` without a filter: the sub-attribute of every element. */
  private setSubOnEvery(target: AttributeTarget, sub: AttributeDefinition, value: unknown): void {
    const a = target.attribute;
    const old = this.readHolder(target.uri)?.[a.name];
    if (!Array.isArray(old) || old.length === 0) {
      throw ScimError.badRequest('noTarget', `"${a.name}" has no values whose "${sub.name}" could be set`);
    }
    this.setSubAt(
      target,
      sub,
      value,
      old,
      old.map((_, i) => i),
    );
  }

  /** Sets `sub` to `value` on the elements at `indices`. */
  private setSubAt(target: AttributeTarget, sub: AttributeDefinition, value: unknown, old: readonly unknown[], indices: readonly number[]): void {
    const a = target.attribute;
    const v = normalizeScalar(sub, value, this.tol, `${a.name}.${sub.name}`);
    let arr: unknown[] | undefined;
    for (const i of indices) {
      const el = (arr ?? old)[i];
      const before = isObject(el) ? el[sub.name] : undefined;
      if (before !== undefined && before === v) continue;
      if (sub.mutability === 'immutable' && isAssigned(before)) throw mutability(`"${a.name}.${sub.name}" is immutable and already has a value`);
      arr ??= this.ownArray(old.slice());
      this.writableElement(arr, i)[sub.name] = v;
    }
    if (!arr) return;
    if (sub.name === 'primary' && isTrue(v, this.tol.booleanStrings)) this.enforcePrimary(target, arr, indices);
    this.writeArray(target, arr);
  }

  /**
   * RFC 7644 §3.5.2: setting `primary` true on one value sets it false on the others. More than one
   * written value marked primary is 400 `invalidValue`.
   */
  private enforcePrimary(target: AttributeTarget, arr: unknown[], written: readonly number[]): void {
    const a = target.attribute;
    if (a.type !== 'complex' || !findSubAttribute(a, 'primary')) return;
    const bool = this.tol.booleanStrings;
    let winner = -1;
    for (const i of written) {
      const el = arr[i];
      if (isObject(el) && isTrue(el.primary, bool)) {
        if (winner >= 0 && winner !== i) throw invalidValue(`Only one value of "${target.label}" may be primary`);
        winner = i;
      }
    }
    if (winner < 0) return;
    for (let i = 0; i < arr.length; i++) {
      if (i === winner) continue;
      const el = arr[i];
      if (isObject(el) && isTrue(el.primary, bool)) this.writableElement(arr, i).primary = false;
    }
  }

  // ---- value filters --------------------------------------------------------------------------

  /** Counts element comparisons and refuses a request that would make too many. */
  private spend(elements: number): void {
    this.work += elements;
    if (this.work > this.maxWork) {
      throw ScimError.badRequest('tooMany', `The value filters of this request would examine more than ${this.maxWork} elements; send fewer operations`);
    }
  }

  private applyFiltered(op: Op, target: AttributeTarget, value: unknown): void {
    const a = target.attribute;
    const s = target.sub;
    const matches = target.matches as (element: unknown) => boolean;
    const old = this.readHolder(target.uri)?.[a.name];
    const current: readonly unknown[] = Array.isArray(old) ? old : [];
    this.spend(current.length);
    const indices: number[] = [];
    for (let i = 0; i < current.length; i++) if (matches(current[i])) indices.push(i);

    const clears = op !== 'remove' && (value === null || value === '');
    if (clears && value === null && !this.tol.emptyValueClears) throw invalidValue(`"${target.label}" must not be null; use "remove" to clear it`);
    if (op === 'remove' || (clears && this.tol.emptyValueClears)) {
      if (indices.length === 0) {
        // Clearing what is not there, or removing a member that is not one, leaves nothing to do.
        if (clears || isMembersTarget(target)) return;
        throw ScimError.badRequest('noTarget', `No value of "${target.label}" matches the filter`);
      }
      if (s) {
        const holding = indices.filter((i) => isObject(current[i]) && (current[i] as ScimObject)[s.name] !== undefined);
        if (holding.length > 0) this.removeSubAt(target, s, current as unknown[], holding);
        return;
      }
      const drop = new Set(indices);
      this.writeArray(target, this.ownArray(current.filter((_, i) => !drop.has(i))));
      return;
    }

    if (indices.length === 0) {
      this.createFromFilter(target, value);
      return;
    }
    if (s) {
      this.setSubAt(target, s, value, current, indices);
      return;
    }
    const arr = this.ownArray(current.slice());
    let changed = false;
    if (a.type !== 'complex') {
      const v = normalizeScalar(a, value, this.tol, target.label);
      for (const i of indices) {
        if (arr[i] === v) continue;
        arr[i] = v;
        changed = true;
      }
    } else {
      const incoming = normalizeComplex(a, value, this.tol, target.label);
      for (const i of indices) {
        const before = isObject(arr[i]) ? (arr[i] as ScimObject) : {};
        let next: ScimObject;
        if (op === 'replace') {
          next = { ...incoming.value };
        } else {
          next = { ...before, ...incoming.value };
          for (const k of incoming.cleared) delete next[k];
        }
        if (jsonEqual(before, next)) continue;
        for (const sub of a.subAttributes ?? []) {
          if (sub.mutability === 'immutable' && isAssigned(before[sub.name]) && !jsonEqual(before[sub.name], next[sub.name])) {
            throw mutability(`"${a.name}.${sub.name}" is immutable and already has a value`);
          }
        }
        this.owned.add(next);
        arr[i] = next;
        changed = true;
      }
      if (changed) this.enforcePrimary(target, arr, indices);
    }
    if (changed) this.writeArray(target, arr);
  }

  /**
   * A filtered `add` / `replace` that matched nothing: with `createMissingFilteredElement`, the
   * element is built from the filter's equality terms plus the value (RFC 7644 says `noTarget`).
   */
  private createFromFilter(target: AttributeTarget, value: unknown): void {
    const a = target.attribute;
    const s = target.sub;
    const terms = this.tol.createMissingFilteredElement && target.filter ? equalityTerms(target.filter, a, this.tol) : undefined;
    if (!terms) throw ScimError.badRequest('noTarget', `No value of "${target.label}" matches the filter`);
    let el: unknown;
    if (a.type !== 'complex') {
      el = normalizeScalar(a, value, this.tol, target.label);
    } else if (s) {
      const obj: ScimObject = { ...terms };
      obj[s.name] = normalizeScalar(s, value, this.tol, `${a.name}.${s.name}`);
      el = obj;
    } else {
      el = { ...terms, ...normalizeComplex(a, value, this.tol, target.label).value };
    }
    const old = this.readHolder(target.uri)?.[a.name];
    const arr = this.ownArray(Array.isArray(old) ? old.slice() : []);
    if (isObject(el)) this.owned.add(el);
    arr.push(el);
    this.enforcePrimary(target, arr, [arr.length - 1]);
    this.writeArray(target, arr);
  }

  // ---- group members as a delta ---------------------------------------------------------------

  private memberRef(a: AttributeDefinition, item: unknown): MemberRef {
    const n = normalizeComplex(a, item, this.tol, a.name).value;
    const id = n.value;
    if (typeof id !== 'string' || id === '') throw invalidValue(`Every "${a.name}" value needs a non-empty "value" (the member's id)`);
    const ref: MemberRef = { value: id };
    if (typeof n.type === 'string') ref.type = n.type;
    if (typeof n.display === 'string') ref.display = n.display;
    return ref;
  }

  private applyMembersDelta(op: Op, target: AttributeTarget, value: unknown, hasValue: boolean): void {
    const delta = this.delta as MemberDeltaBuilder;
    const a = target.attribute;
    if (!isDeltaCapable(op, target)) {
      throw new Error(`The operation on "${target.label}" needs the group's members loaded; check canApplyMembersAsDelta first`);
    }
    if (target.filter) {
      for (const id of memberIdsOfFilter(target.filter) ?? []) delta.remove(id);
      this.touch(target.label);
      return;
    }
    if (op === 'remove') {
      if (hasValue && value !== null) {
        if (!this.tol.removeValueList) throw invalidValue(`"remove" takes no "value" (path "${target.label}")`);
        const list = Array.isArray(value) ? value : [value];
        const ids = list.map((item) => this.memberRef(a, item).value);
        for (const id of ids) delta.remove(id);
      } else {
        delta.clear();
      }
      this.touch(target.label);
      return;
    }
    if (value === null || value === '') {
      if (value === null && !this.tol.emptyValueClears) throw invalidValue(`"${target.label}" must not be null; use "remove" to clear it`);
      if (this.tol.emptyValueClears) {
        delta.clear();
        this.touch(target.label);
        return;
      }
    }
    const list = Array.isArray(value) ? value : [value];
    const refs: MemberRef[] = [];
    for (const item of list) {
      if (item === null && this.tol.emptyValueClears) continue;
      refs.push(this.memberRef(a, item));
    }
    if (op === 'replace') delta.clear();
    for (const ref of refs) delta.add(ref);
    if (op === 'replace' || refs.length > 0) this.touch(target.label);
  }
}

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
      draft.apply(operation);
    } catch (err) {
      if (isScimError(err) && operations.length > 1) {
        throw new ScimError(err.status, `Operation ${i + 1}: ${err.detail}`, err.scimType, err.headers);
      }
      throw err;
    }
  }
  return draft.result();
}
