import type { ResourceSchema } from '../schema/resource-schema.js';
import { identifyingAttributes } from '../schema/text-rules.js';
import type { FilterNode } from './ast.js';

/**
 * The filter with its literals for identifying attributes (`userName`, attributes whose uniqueness
 * is checked, a Group's `displayName`) in Unicode NFC, the form those attributes are stored in, so
 * that `userName eq "ádmin"` finds the user whichever way the client wrote the accent. Every
 * storage then compares as it always does. Other literals are left as they are; the filter is
 * returned as it is when nothing changes.
 */
export function normalizeFilterText(node: FilterNode, schema: ResourceSchema): FilterNode {
  switch (node.kind) {
    case 'and':
    case 'or': {
      const left = normalizeFilterText(node.left, schema);
      const right = normalizeFilterText(node.right, schema);
      return left === node.left && right === node.right ? node : { kind: node.kind, left, right };
    }
    case 'not': {
      const filter = normalizeFilterText(node.filter, schema);
      return filter === node.filter ? node : { kind: 'not', filter };
    }
    case 'compare': {
      if (typeof node.value !== 'string') return node;
      const resolved = schema.resolve(node.path);
      if (!resolved || resolved.subAttribute || !identifyingAttributes(schema).has(resolved.attribute)) return node;
      const value = node.value.normalize('NFC');
      return value === node.value ? node : { ...node, value };
    }
    default:
      return node;
  }
}
