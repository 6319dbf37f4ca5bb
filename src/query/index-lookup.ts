import type { ResourceSchema } from '../schema/resource-schema.js';
import type { FilterNode } from './ast.js';
import { resourceScope } from './attribute-target.js';

/** An equality a storage can answer from an index before applying the full filter. */
export interface IndexedEquality {
  /** Canonical top-level attribute name, one of the `indexed` names asked for. */
  key: string;
  /** The compared value, lower-cased when the attribute is not `caseExact`. */
  value: string;
  /** Whether the attribute is `caseExact` (so whether `value` was lower-cased). */
  caseExact: boolean;
}

/**
 * Finds an `eq` on an indexed attribute that every match of the filter must satisfy: the filter
 * itself, or a term of a top-level `and` chain (`userName eq "bjensen" and active eq true`).
 * A storage narrows its candidates to the index entry for `value`, then applies the compiled
 * filter to those candidates only; an `or`, `not` or value filter at the top is never narrowed.
 *
 * Only single-valued, top-level string attributes of the core schema (and the common `id` and
 * `externalId`) qualify. The value is normalised by the attribute's `caseExact`, so a storage that
 * indexes case-insensitive attributes lower-cased can look it up directly.
 *
 * @param node - The parsed filter.
 * @param schema - The resource type's schemas.
 * @param indexed - Canonical names of the indexed attributes, for example `['id', 'externalId', 'userName']`.
 * @returns The first such equality, left to right, or undefined.
 */
export function findIndexedEquality(node: FilterNode, schema: ResourceSchema, indexed: readonly string[]): IndexedEquality | undefined {
  if (indexed.length === 0) return undefined;
  const scope = resourceScope(schema);
  const wanted = new Set(indexed.map((name) => name.toLowerCase()));
  const stack: FilterNode[] = [node];
  while (stack.length > 0) {
    const n = stack.pop() as FilterNode;
    if (n.kind === 'and') {
      stack.push(n.right, n.left);
      continue;
    }
    if (n.kind !== 'compare' || n.op !== 'eq' || typeof n.value !== 'string') continue;
    const target = scope.lookup(n.path);
    if (target?.keys.length !== 1 || target.multi[0]) continue;
    const attribute = target.attribute;
    if (attribute.type !== 'string' && attribute.type !== 'reference') continue;
    const key = target.keys[0];
    if (key === undefined || !wanted.has(key.toLowerCase())) continue;
    return { key, value: attribute.caseExact ? n.value : n.value.toLowerCase(), caseExact: attribute.caseExact };
  }
  return undefined;
}
