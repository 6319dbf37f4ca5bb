import { formatAttributePath } from '../schema/attribute-path.js';
import type { FilterNode, FilterValue } from './ast.js';

function formatValue(value: FilterValue): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function formatOperand(node: FilterNode, parent: 'and' | 'or'): string {
  // `and` binds tighter than `or`: an `or` under an `and` needs parentheses; the same kind does not.
  if ((node.kind === 'and' || node.kind === 'or') && node.kind !== parent && parent === 'and') {
    return `(${formatFilter(node)})`;
  }
  return formatFilter(node);
}

/**
 * Writes a filter back as text in one canonical spelling: lower-case keywords and operators,
 * single spaces, JSON string literals, parentheses only where precedence needs them. Parsing the
 * result gives a filter that matches exactly the same resources, and formatting that parse gives
 * the same text again, so the output serves as a stable key for a query (see {@link queryKey}).
 * Attribute names keep the spelling of the tree they come from.
 */
export function formatFilter(node: FilterNode): string {
  switch (node.kind) {
    case 'compare':
      return `${formatAttributePath(node.path)} ${node.op} ${formatValue(node.value)}`;
    case 'present':
      return `${formatAttributePath(node.path)} pr`;
    case 'and':
    case 'or':
      return `${formatOperand(node.left, node.kind)} ${node.kind} ${formatOperand(node.right, node.kind)}`;
    case 'not':
      return `not (${formatFilter(node.filter)})`;
    case 'valuePath':
      return `${formatAttributePath(node.path)}[${formatFilter(node.filter)}]`;
  }
}
