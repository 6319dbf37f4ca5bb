import type { FilterNode, ValuePathNode } from '../query/ast.js';
import { compileFilter } from '../query/filter-compiler.js';
import { createResourceSchema } from '../schema/resource-schema.js';
import type { AttributeDefinition, ScimObject } from '../schema/types.js';
import type { PatchTolerances } from './patch-tolerances.js';
import { findSubAttribute, normalizeScalar } from './patch-value.js';

/** A test of one element of a multi-valued attribute. */
export type ElementMatcher = (element: unknown) => boolean;

const VIEW_URI = 'urn:scim-server:patch:element-view';

/**
 * Compiles the value filter of `attribute[filter]` into a test of one element, with the query
 * engine's comparison semantics (`caseExact`, types, dateTime instants). Paths inside `filter` are
 * relative to the element (`type`, `value`).
 *
 * @throws ScimError 400 `invalidFilter` when the filter names a sub-attribute `attribute` lacks, or
 *   compares one in a way its type does not allow.
 */
export function compileElementFilter(filter: FilterNode, attribute: AttributeDefinition): ElementMatcher {
  const view = createResourceSchema(
    { id: 'PatchElement', name: attribute.name, endpoint: '/PatchElement', schema: VIEW_URI },
    { id: VIEW_URI, name: attribute.name, attributes: [attribute] },
  );
  const node: ValuePathNode = { kind: 'valuePath', path: { attr: attribute.name }, filter };
  const predicate = compileFilter(node, view);
  const key = attribute.name;
  return (element: unknown): boolean => {
    const holder: ScimObject = { [key]: element };
    return predicate(holder);
  };
}

/**
 * The element a filter of only `sub eq value` terms joined by `and` describes
 * (`type eq "work" and primary eq true` gives `{ type: "work", primary: true }`), with canonical
 * sub-attribute names; undefined when the filter has any other shape, names an unknown
 * sub-attribute, or gives one sub-attribute two values.
 */
export function equalityTerms(filter: FilterNode, attribute: AttributeDefinition, tolerances: PatchTolerances): ScimObject | undefined {
  if (attribute.type !== 'complex') return undefined;
  const out: ScimObject = {};
  const stack: FilterNode[] = [filter];
  while (stack.length > 0) {
    const node = stack.pop() as FilterNode;
    if (node.kind === 'and') {
      stack.push(node.right, node.left);
      continue;
    }
    if (node.kind !== 'compare' || node.op !== 'eq' || node.value === null || node.path.uri !== undefined || node.path.sub !== undefined) {
      return undefined;
    }
    const sub = findSubAttribute(attribute, node.path.attr);
    if (!sub || sub.mutability === 'readOnly') return undefined;
    const value = normalizeScalar(sub, node.value, tolerances, `${attribute.name}.${sub.name}`);
    if (Object.hasOwn(out, sub.name) && out[sub.name] !== value) return undefined;
    out[sub.name] = value;
  }
  return out;
}
