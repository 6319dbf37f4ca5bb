import type { ScimResource } from '../../schema/types.js';
import type { UniqueConstraint } from '../storage-provider.js';
import { ValueIndex } from './value-index.js';

/** What a secondary index covers: the canonical keys of an attribute and how its values compare. */
export interface IndexSpec {
  /** Canonical keys from the resource root, for example `['userName']` or `['emails', 'value']`. */
  readonly keys: readonly string[];
  /** False: values are indexed lower-cased and match case-insensitively. */
  readonly caseExact: boolean;
}

interface Index {
  readonly spec: IndexSpec;
  readonly values: ValueIndex;
}

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * The string values a resource holds at `keys`, walking into multi-valued attributes (so
 * `['emails', 'value']` yields every email address). Only own properties are followed.
 */
export function valuesAt(resource: object, keys: readonly string[]): string[] {
  let level: unknown[] = [resource];
  for (const key of keys) {
    const next: unknown[] = [];
    for (const node of level) {
      if (typeof node !== 'object' || node === null || Array.isArray(node) || !hasOwn.call(node, key)) continue;
      const v = (node as Record<string, unknown>)[key];
      if (Array.isArray(v)) for (const item of v) next.push(item);
      else if (v !== undefined && v !== null) next.push(v);
    }
    if (next.length === 0) return [];
    level = next;
  }
  const out: string[] = [];
  for (const v of level) if (typeof v === 'string') out.push(v);
  return out;
}

function indexName(keys: readonly string[], caseExact: boolean): string {
  return `${caseExact ? 'cs' : 'ci'}\u0000${keys.join('\u0000')}`;
}

function normalise(value: string, caseExact: boolean): string {
  return caseExact ? value : value.toLowerCase();
}

/**
 * One tenant's resources of one resource type: id → record in creation order, plus secondary
 * indexes kept in step with every write.
 *
 * Built-in indexes are given to the constructor; a uniqueness check on keys no index covers builds
 * a case-insensitive index for them once (one scan) and keeps it from then on, so every later check
 * is a map lookup.
 */
export class ResourceTable {
  /** Id → stored (deep-frozen) record. Iteration order is creation order. */
  readonly records = new Map<string, ScimResource>();
  private readonly indexes = new Map<string, Index>();

  constructor(builtIn: readonly IndexSpec[] = []) {
    for (const spec of builtIn) this.addIndex(spec);
  }

  /** The specs of the indexes this table keeps. */
  indexSpecs(): IndexSpec[] {
    return [...this.indexes.values()].map((i) => i.spec);
  }

  /** Adds a new record. */
  insert(record: ScimResource): void {
    this.records.set(record.id, record);
    for (const index of this.indexes.values()) {
      for (const v of valuesAt(record, index.spec.keys)) index.values.add(normalise(v, index.spec.caseExact), record.id);
    }
  }

  /** Replaces `previous` by `next` (same id), moving index entries whose values changed. */
  update(previous: ScimResource, next: ScimResource): void {
    this.records.set(next.id, next);
    for (const index of this.indexes.values()) {
      const { keys, caseExact } = index.spec;
      const before = valuesAt(previous, keys).map((v) => normalise(v, caseExact));
      const after = valuesAt(next, keys).map((v) => normalise(v, caseExact));
      if (before.length === after.length && before.every((v, i) => v === after[i])) continue;
      for (const v of before) if (!after.includes(v)) index.values.remove(v, next.id);
      for (const v of after) index.values.add(v, next.id);
    }
  }

  /** Removes a record and its index entries. */
  delete(record: ScimResource): void {
    this.records.delete(record.id);
    for (const index of this.indexes.values()) {
      for (const v of valuesAt(record, index.spec.keys)) index.values.remove(normalise(v, index.spec.caseExact), record.id);
    }
  }

  /**
   * Ids of records that may hold `value` at `keys`, from an existing index, or `undefined` when no
   * index can answer. With `caseExact` false only a case-insensitive index answers; with `caseExact`
   * true either does (a case-insensitive one returns a superset). Callers still apply the full
   * predicate to the candidates.
   */
  candidates(keys: readonly string[], value: string, caseExact: boolean): readonly string[] | undefined {
    if (caseExact) {
      const exact = this.indexes.get(indexName(keys, true));
      if (exact) return exact.values.get(value);
    }
    const folded = this.indexes.get(indexName(keys, false));
    return folded ? folded.values.get(value.toLowerCase()) : undefined;
  }

  /**
   * The id of a record other than `selfId` that holds the constrained value, or `undefined` when
   * the value is free.
   */
  conflict(constraint: UniqueConstraint, selfId?: string): string | undefined {
    const { keys, value, caseExact } = constraint;
    let ids = this.candidates(keys, value, caseExact);
    if (ids === undefined) {
      this.addIndex({ keys: [...keys], caseExact: false });
      ids = this.candidates(keys, value, caseExact) ?? [];
    }
    const wanted = normalise(value, caseExact);
    for (const id of ids) {
      if (id === selfId) continue;
      const record = this.records.get(id);
      if (record && valuesAt(record, keys).some((v) => normalise(v, caseExact) === wanted)) return id;
    }
    return undefined;
  }

  private addIndex(spec: IndexSpec): void {
    const name = indexName(spec.keys, spec.caseExact);
    if (this.indexes.has(name)) return;
    const index: Index = { spec: { keys: Object.freeze([...spec.keys]), caseExact: spec.caseExact }, values: new ValueIndex() };
    for (const record of this.records.values()) {
      for (const v of valuesAt(record, spec.keys)) index.values.add(normalise(v, spec.caseExact), record.id);
    }
    this.indexes.set(name, index);
  }
}
