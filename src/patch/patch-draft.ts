import { ScimError } from '../error/scim-error.js';
import type { ResourceSchema } from '../schema/resource-schema.js';
import type { ScimObject } from '../schema/types.js';
import { isObject } from '../schema/json-object.js';
import { MemberDeltaBuilder } from './member-delta.js';
import type { PatchResult } from './patch-result.js';
import type { PatchTolerances } from './patch-tolerances.js';

/**
 * One PATCH request in progress: a copy-on-write view of the resource. Objects and arrays created
 * during the request are recorded as owned and edited in place; anything else is shared with the
 * input and copied (one level) before its first edit, so the input is never mutated.
 *
 * The draft holds the state and the copy-on-write plumbing; the operations themselves are functions
 * over it, one file per kind of change.
 */
export class PatchDraft {
  /** The resource as edited so far; read it freely, write only through {@link PatchDraft.writableRoot}. */
  root: ScimObject;
  /** The net member change, when members are applied as a delta. */
  readonly delta: MemberDeltaBuilder | undefined;
  private readonly owned = new Set<object>();
  private readonly changedSet = new Set<string>();
  private readonly changed: string[] = [];
  private modified = false;
  private work = 0;

  constructor(
    private readonly input: ScimObject,
    /** The resource type's schemas. */
    readonly schema: ResourceSchema,
    /** The tolerances in force. */
    readonly tol: PatchTolerances,
    membersAsDelta: boolean,
    private readonly maxWork: number,
  ) {
    this.root = input;
    this.delta = membersAsDelta ? new MemberDeltaBuilder() : undefined;
  }

  /** The outcome: the edited resource (the input itself when nothing changed) and what changed. */
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

  /** Records that the attribute `label` changed. */
  touch(label: string): void {
    this.modified = true;
    if (!this.changedSet.has(label)) {
      this.changedSet.add(label);
      this.changed.push(label);
    }
  }

  /** Counts element comparisons and refuses a request that would make too many. */
  spend(elements: number): void {
    this.work += elements;
    if (this.work > this.maxWork) {
      throw ScimError.badRequest('tooMany', `The value filters of this request would examine more than ${this.maxWork} elements; send fewer operations`);
    }
  }

  /** Marks an object or array created during the request as owned, so it is edited in place. */
  own<T extends object>(value: T): T {
    this.owned.add(value);
    return value;
  }

  /** True when `value` was created during the request. */
  owns(value: object): boolean {
    return this.owned.has(value);
  }

  /** A new owned array. */
  ownArray(values: unknown[]): unknown[] {
    this.owned.add(values);
    return values;
  }

  /** The root object, owned (copied once before its first edit). */
  writableRoot(): ScimObject {
    if (!this.owned.has(this.root)) {
      this.root = { ...this.root };
      this.owned.add(this.root);
    }
    return this.root;
  }

  /** The object holding the attributes of `uri` (the root for core attributes), for reading. */
  readHolder(uri: string | undefined): ScimObject | undefined {
    if (uri === undefined) return this.root;
    const ext = this.root[uri];
    return isObject(ext) ? ext : undefined;
  }

  /** The holder of `uri`, writable, created (and listed in `schemas`) when absent. */
  writeHolder(uri: string | undefined): ScimObject {
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
  tidyHolder(uri: string | undefined): void {
    if (uri === undefined) return;
    const root = this.writableRoot();
    const ext = root[uri];
    if (isObject(ext) && Object.keys(ext).length > 0) return;
    delete root[uri];
    this.unlistSchema(uri);
  }

  /** Adds `uri` to `schemas` (creating `schemas` with the core schema when absent). */
  listSchema(uri: string): void {
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

  /** Removes `uri` from `schemas`. */
  unlistSchema(uri: string): void {
    const root = this.writableRoot();
    const schemas = root.schemas;
    if (!Array.isArray(schemas)) return;
    const lower = uri.toLowerCase();
    if (!schemas.some((s) => typeof s === 'string' && s.toLowerCase() === lower)) return;
    root.schemas = schemas.filter((s) => !(typeof s === 'string' && s.toLowerCase() === lower));
  }

  /** `holder[key]` as an object this request owns (a copy of the current one, or a new one). */
  writableChild(holder: ScimObject, key: string): ScimObject {
    const current = holder[key];
    if (isObject(current) && this.owned.has(current)) return current;
    const copy: ScimObject = isObject(current) ? { ...current } : {};
    this.owned.add(copy);
    holder[key] = copy;
    return copy;
  }

  /** `arr[i]` as an object this request owns; `arr` must be owned. */
  writableElement(arr: unknown[], i: number): ScimObject {
    const current = arr[i];
    if (isObject(current) && this.owned.has(current)) return current;
    const copy: ScimObject = isObject(current) ? { ...current } : {};
    this.owned.add(copy);
    arr[i] = copy;
    return copy;
  }
}
