import type { ResourceTypeDefinition } from '../server/index.js';

/** How the tools of one resource type are named: `search_users`, `get_user`, `add_group_members`. */
export interface ToolNaming {
  /** One resource, in snake case: `user`, `group`, `enterprise_device`. */
  readonly singular: string;
  /** The collection, in snake case, from the type's endpoint: `users`, `groups`. */
  readonly plural: string;
}

/** Lower snake case of a name written in any case: `EnterpriseDevice` → `enterprise_device`. */
function snake(text: string): string {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
}

/**
 * The names of a resource type's tools. MCP tool names are ASCII letters, digits, `_`, `-` and `.`,
 * 128 characters at most; a type whose name leaves nothing of those is named by its id.
 */
export function toolNaming(rt: ResourceTypeDefinition): ToolNaming {
  const singular = snake(rt.name) || snake(rt.id) || 'resource';
  const plural = snake(rt.endpoint.replace(/^\//, '')) || `${singular}s`;
  return { singular: singular.slice(0, 80), plural: plural.slice(0, 80) };
}
