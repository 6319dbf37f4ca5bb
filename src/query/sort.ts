import { ScimError } from '../error/scim-error.js';
import { parseAttributePath } from '../schema/attribute-path.js';
import type { ResourceSchema } from '../schema/resource-schema.js';
import type { AttrPath, ScimObject } from '../schema/types.js';
import type { SortSpec } from './ast.js';
import { ambiguityOf, describePath, resourceScope, valueSubTarget } from './attribute-target.js';
import type { AttributeTarget } from './attribute-target.js';
import { dateTimeKey } from '../schema/date-time.js';
import { compareCodePoints } from './string-match.js';

/** Orders two resources: negative when `a` comes first. */
export type ResourceComparator = (a: ScimObject, b: ScimObject) => number;

type SortKey = string | number | boolean;

function invalidSort(detail: string): ScimError {
  return ScimError.badRequest('invalidValue', `Invalid sortBy: ${detail}`);
}

/**
 * The sort target of a path. Why `invalidValue`: RFC 7644 §3.4.2.3 names no error for a `sortBy`
 * the service provider cannot use, and `invalidFilter` is defined for the `filter` parameter only;
 * §3.12 defines `invalidValue` as a value "not compatible with the operation or attribute type",
 * which is what an unknown or complex-without-sub-attribute `sortBy` is.
 */
function sortTarget(path: AttrPath, schema: ResourceSchema): AttributeTarget {
  const scope = resourceScope(schema);
  let target = scope.lookup(path);
  if (!target) throw invalidSort(ambiguityOf(scope, path) ?? `"${describePath(path)}" is not a ${scope.label} attribute`);
  if (target.attribute.returned === 'never') throw invalidSort(`"${target.name}" is never returned, so resources cannot be sorted by it`);
  if (target.attribute.type === 'complex') {
    const value = valueSubTarget(target);
    if (!value) throw invalidSort(`"${target.name}" is a complex attribute; sort by one of its sub-attributes`);
    target = value;
  }
  return target;
}

/** Of a multi-valued attribute's elements: the one marked primary, else the first (RFC 7644 §3.4.2.3). */
function primaryOrFirst(values: unknown[]): unknown {
  for (const v of values) {
    if (typeof v === 'object' && v !== null && (v as Record<string, unknown>).primary === true) return v;
  }
  return values[0];
}

function keyReader(target: AttributeTarget): (resource: ScimObject) => SortKey | undefined {
  const { keys, attribute } = target;
  const type = attribute.type;
  const fold = (type === 'string' || type === 'reference') && !attribute.caseExact;
  return (resource) => {
    let v: unknown = resource;
    for (const key of keys) {
      if (typeof v !== 'object' || v === null || Array.isArray(v) || !Object.hasOwn(v, key)) return undefined;
      v = (v as Record<string, unknown>)[key];
      if (Array.isArray(v)) v = primaryOrFirst(v);
    }
    if (v === undefined || v === null || v === '') return undefined;
    switch (type) {
      case 'string':
      case 'reference':
      case 'binary':
        return typeof v === 'string' ? (fold ? v.toLowerCase() : v) : undefined;
      case 'dateTime':
        return typeof v === 'string' ? dateTimeKey(v) : undefined;
      case 'integer':
      case 'decimal':
        return typeof v === 'number' && !Number.isNaN(v) ? v : undefined;
      case 'boolean':
        return typeof v === 'boolean' ? v : undefined;
      default:
        return undefined;
    }
  };
}

function compareKeys(a: SortKey, b: SortKey): number {
  if (typeof a === 'string' && typeof b === 'string') return compareCodePoints(a, b);
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  return 0;
}

/**
 * The stable default order: by `id`, in code-point order. Every comparator of
 * {@link compileSort} falls back to it, so a page boundary never splits equal keys differently.
 */
export function compareById(a: ScimObject, b: ScimObject): number {
  const x = typeof a.id === 'string' ? a.id : '';
  const y = typeof b.id === 'string' ? b.id : '';
  return x === y ? 0 : compareCodePoints(x, y);
}

/**
 * Compiles a sort (RFC 7644 §3.4.2.3) into a comparator over resources in canonical form.
 *
 * Values compare by the attribute's type: case-insensitive strings after lower-casing, case-exact
 * strings as they are, both in Unicode code-point order; dateTime as instants; numbers numerically;
 * `false` before `true`. A multi-valued attribute sorts by its primary value, else its first. A
 * resource without a value sorts last in ascending order and first in descending order. Ties are
 * broken by `id`, so the order is total and paging through it with any page size is consistent.
 * Keys are memoised per resource object for the comparator's lifetime.
 *
 * @throws ScimError 400 `invalidValue` when the path is unknown or names a complex attribute without
 *   a `value` sub-attribute.
 */
export function compileSort(sort: SortSpec, schema: ResourceSchema): ResourceComparator {
  return comparatorFor(keyReader(sortTarget(sort.path, schema)), sort.order);
}

/**
 * A comparator over resources of several types, for a root `/.search` (RFC 7644 §3.4.3): each
 * resource's key is read with its own type's schema (by `meta.resourceType`), with the rules of
 * {@link compileSort}. A type that does not define the attribute contributes resources without a
 * value, which sort last in ascending order.
 *
 * @throws ScimError 400 `invalidValue` when no type defines the attribute.
 */
export function compileSortAcrossTypes(sort: SortSpec, schemas: readonly ResourceSchema[]): ResourceComparator {
  const readers = new Map<string, (resource: ScimObject) => SortKey | undefined>();
  let firstError: unknown;
  for (const schema of schemas) {
    try {
      readers.set(schema.resourceType.name, keyReader(sortTarget(sort.path, schema)));
    } catch (error) {
      firstError ??= error;
    }
  }
  if (readers.size === 0) throw firstError ?? invalidSort(`"${describePath(sort.path)}" is not an attribute of any resource type`);
  return comparatorFor((resource) => {
    const type = (resource.meta as { resourceType?: unknown } | undefined)?.resourceType;
    const read = typeof type === 'string' ? readers.get(type) : undefined;
    return read ? read(resource) : undefined;
  }, sort.order);
}

function comparatorFor(read: (resource: ScimObject) => SortKey | undefined, order: SortSpec['order']): ResourceComparator {
  const memo = new WeakMap<object, SortKey | null>();
  const keyOf = (r: ScimObject): SortKey | undefined => {
    let k = memo.get(r);
    if (k === undefined) {
      k = read(r) ?? null;
      memo.set(r, k);
    }
    return k ?? undefined;
  };
  const sign = order === 'descending' ? -1 : 1;
  return (a, b) => {
    const ka = keyOf(a);
    const kb = keyOf(b);
    let c: number;
    if (ka === undefined) c = kb === undefined ? 0 : 1;
    else if (kb === undefined) c = -1;
    else c = compareKeys(ka, kb);
    if (c !== 0) return sign * c;
    return compareById(a, b);
  };
}

/**
 * Reads the `sortBy` and `sortOrder` parameters (RFC 7644 §3.4.2.3) against a resource type.
 *
 * `sortOrder` defaults to ascending and is matched case-insensitively; without `sortBy` there is no
 * sort (a lone `sortOrder` is still checked, then ignored). The returned path uses canonical names.
 *
 * @returns The sort, or undefined when `sortBy` is absent or empty.
 * @throws ScimError 400 `invalidValue` for a `sortBy` that is not an attribute of the resource type
 *   (RFC 7644 names no error for it; `invalidValue` is the §3.12 type for a value incompatible with
 *   the operation) and for a `sortOrder` other than `ascending` or `descending`.
 */
export function parseSortParameters(sortBy: string | undefined, sortOrder: string | undefined, schema: ResourceSchema): SortSpec | undefined {
  let order: SortSpec['order'] = 'ascending';
  if (sortOrder !== undefined && sortOrder.trim() !== '') {
    const o = sortOrder.trim().toLowerCase();
    if (o !== 'ascending' && o !== 'descending') {
      throw ScimError.badRequest('invalidValue', `Invalid sortOrder ${JSON.stringify(sortOrder)}: expected "ascending" or "descending"`);
    }
    order = o;
  }
  if (sortBy === undefined || sortBy.trim() === '') return undefined;
  const path = parseAttributePath(sortBy);
  if (!path) throw invalidSort(`${JSON.stringify(sortBy)} is not an attribute path`);
  const target = sortTarget(path, schema);
  return { path: canonicalPath(path, target, schema), order };
}

/** The canonical spelling of a path that resolved to `target`. */
function canonicalPath(path: AttrPath, target: AttributeTarget, schema: ResourceSchema): AttrPath {
  const [first, second, third] = target.keys;
  if (first === undefined) return path;
  const extension = schema.extensionUri(first);
  if (extension !== undefined && second !== undefined) {
    return { uri: extension, attr: second, ...(path.sub !== undefined && third !== undefined ? { sub: third } : {}) };
  }
  return path.sub !== undefined && second !== undefined ? { attr: first, sub: second } : { attr: first };
}
