import * as z from 'zod/v4';
import type { ResourceTypeDefinition } from '../server/index.js';
import { idArgument, type ResourceTypeTools } from './resource-type-tools.js';
import { writes, type ToolDefinition } from './tool-definition.js';
import { patchOne } from './write-tools.js';

/** Most members one call adds or removes. */
export const MAX_MEMBERS_PER_CALL = 1000;

/** The PATCH operations that add or remove these members: one add with every id, or one remove per id (RFC 7644 §3.5.2.2 value filters). */
function memberOperations(membership: NonNullable<ResourceTypeDefinition['membership']>, add: boolean, ids: readonly string[]): unknown[] {
  const attribute = membership.attribute;
  if (add) return [{ op: 'add', path: attribute, value: ids.map((value) => ({ value })) }];
  return ids.map((id) => ({ op: 'remove', path: `${attribute}[value eq ${JSON.stringify(id)}]` }));
}

/**
 * `add_<singular>_members` and `remove_<singular>_members`, for a type that holds members (a Group).
 * Both are idempotent: adding a member twice or removing one that is not there changes nothing.
 */
export function memberTools(t: ResourceTypeTools): ToolDefinition[] {
  const membership = t.type.membership;
  if (!membership) return [];
  const kinds = membership.memberTypes.join(' or ');
  const tool = (add: boolean): ToolDefinition => {
    const name = `${add ? 'add' : 'remove'}_${t.naming.singular}_members`;
    return {
      name,
      title: `${add ? 'Add members to' : 'Remove members from'} a ${t.type.name}`,
      description:
        `${add ? 'Adds' : 'Removes'} members (${kinds} ids) ${add ? 'to' : 'from'} a ${t.type.name}, all or none. ` +
        `Only the listed members are touched, whatever the size of the ${t.type.name}. Answers the ${t.type.name} without its member list.`,
      input: t.schemaOf(name, () =>
        z.strictObject({
          id: idArgument(t),
          memberIds: z
            .array(z.string().min(1))
            .min(1)
            .max(MAX_MEMBERS_PER_CALL)
            .describe(`The ids of the ${kinds} resources to ${add ? 'add' : 'remove'}.`),
        }),
      ),
      output: t.resource,
      annotations: writes(!add, true),
      run: async (args, extra) => {
        const { id, memberIds } = args as { id: string; memberIds: string[] };
        return patchOne(t, name, extra, id, memberOperations(membership, add, memberIds), undefined);
      },
    };
  };
  return [tool(true), tool(false)];
}
