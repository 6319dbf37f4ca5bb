import type { FilterNode } from '../query/ast.js';
import type { ResourceSchema } from '../schema/resource-schema.js';
import type { AttrPath } from '../schema/types.js';

/**
 * True when a filter names an attribute that is never returned (such as `password`). Such a
 * filter in a URL would put a secret into logs and proxies: RFC 7644 §3.12 `sensitive`.
 */
export function filterNamesSecret(filter: FilterNode, schema: ResourceSchema): boolean {
  const stack: { node: FilterNode; parent?: AttrPath }[] = [{ node: filter }];
  while (stack.length > 0) {
    const { node, parent } = stack.pop() as { node: FilterNode; parent?: AttrPath };
    switch (node.kind) {
      case 'and':
      case 'or':
        stack.push({ node: node.left, ...(parent ? { parent } : {}) }, { node: node.right, ...(parent ? { parent } : {}) });
        break;
      case 'not':
        stack.push({ node: node.filter, ...(parent ? { parent } : {}) });
        break;
      case 'valuePath':
        if (isSecret(node.path, schema)) return true;
        stack.push({ node: node.filter, parent: node.path });
        break;
      default: {
        const path: AttrPath = parent ? { ...(parent.uri ? { uri: parent.uri } : {}), attr: parent.attr, sub: node.path.attr } : node.path;
        if (isSecret(path, schema)) return true;
      }
    }
  }
  return false;
}

function isSecret(path: AttrPath, schema: ResourceSchema): boolean {
  const resolved = schema.resolve(path);
  if (!resolved) return false;
  return resolved.attribute.returned === 'never' || resolved.target.returned === 'never';
}
