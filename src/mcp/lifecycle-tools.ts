import * as z from 'zod/v4';
import { IF_MATCH, idArgument, type ResourceTypeTools } from './resource-type-tools.js';
import { writes, type ToolDefinition } from './tool-definition.js';
import { patchOne } from './write-tools.js';

/** Whether the type can be switched on and off: its core schema has a writable, single boolean `active`. */
export function hasActiveFlag(t: ResourceTypeTools): boolean {
  return t.schema.core.attributes.some((a) => a.name === 'active' && a.type === 'boolean' && !a.multiValued && a.mutability === 'readWrite');
}

/**
 * `deactivate_<singular>` and `reactivate_<singular>`: set `active` to false or true, as an identity
 * provider does when someone leaves or returns. Deactivation takes access away without deleting
 * anything, so it is marked destructive but repeatable; reactivation removes nothing.
 */
export function lifecycleTools(t: ResourceTypeTools): ToolDefinition[] {
  const tool = (verb: 'deactivate' | 'reactivate', active: boolean, what: string): ToolDefinition => {
    const name = `${verb}_${t.naming.singular}`;
    return {
      name,
      title: `${verb === 'deactivate' ? 'Deactivate' : 'Reactivate'} a ${t.type.name}`,
      description: `Sets active to ${active} on a ${t.type.name}: ${what} Nothing else changes. Answers the resource as it is afterwards.`,
      input: t.schemaOf('id-if-match', () => z.strictObject({ id: idArgument(t), ifMatch: IF_MATCH })),
      output: t.resource,
      annotations: writes(!active, true),
      run: async (args, extra) => {
        const { id, ifMatch } = args as { id: string; ifMatch?: string };
        return patchOne(t, name, extra, id, [{ op: 'replace', path: 'active', value: active }], ifMatch);
      },
    };
  };
  return [
    tool('deactivate', false, 'the account stays, with its attributes and memberships, but is disabled (offboarding).'),
    tool('reactivate', true, 'a disabled account is enabled again.'),
  ];
}
