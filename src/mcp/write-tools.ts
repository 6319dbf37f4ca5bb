import * as z from 'zod/v4';
import { PATCH_OP_SCHEMA, type ScimQuery } from '../server/index.js';
import { IF_MATCH, idArgument, type ResourceTypeTools } from './resource-type-tools.js';
import { resourceInputShape, toScimResource } from './resource-shapes.js';
import { writes, type ToolDefinition } from './tool-definition.js';
import { toolResult } from './tool-result.js';

/** One SCIM PATCH operation (RFC 7644 §3.5.2). */
const PATCH_OPERATION = z.strictObject({
  op: z.enum(['add', 'remove', 'replace']),
  path: z.string().optional(),
  value: z.unknown().optional(),
});

/** What a delete answers. */
const DELETED = z.strictObject({ id: z.string(), deleted: z.literal(true) });

/**
 * What a write answers with. A resource that holds members is answered without them, so that
 * changing a large group does not send every member back.
 */
export function writeQuery(t: ResourceTypeTools): ScimQuery | undefined {
  return t.type.membership ? { excludedAttributes: [t.type.membership.attribute] } : undefined;
}

/** `create_<singular>`: a new resource from the tenant's schema, extensions included. */
export function createTool(t: ResourceTypeTools): ToolDefinition {
  const name = `create_${t.naming.singular}`;
  const ext = t.extensions.map((e) => `${e.key} holds the attributes of ${e.uri}`).join('; ');
  return {
    name,
    title: `Create a ${t.type.name}`,
    description:
      `Creates a ${t.type.name} in this directory and answers it with its id and meta.version. ` +
      `Arguments are the resource's attributes${ext ? ` (${ext})` : ''}; "schemas" is filled in.`,
    input: t.schemaOf('create', () => z.looseObject(resourceInputShape(t.schema, t.extensions))),
    output: t.resource,
    annotations: writes(false, false),
    run: async (args, extra) => {
      const data = toScimResource(args, t.schema, t.extensions);
      const response = await t.context.run(name, extra, { operation: 'create', resourceType: t.type.name, data });
      return toolResult(response, () => ({}));
    },
  };
}

/** Runs a PATCH of one resource and answers the resource as it is afterwards. */
export async function patchOne(
  t: ResourceTypeTools,
  tool: string,
  extra: Parameters<ToolDefinition['run']>[1],
  id: string,
  operations: readonly unknown[],
  ifMatch: string | undefined,
): Promise<ReturnType<typeof toolResult>> {
  const query = writeQuery(t);
  const response = await t.context.run(tool, extra, {
    operation: 'patch',
    resourceType: t.type.name,
    id,
    data: { schemas: [PATCH_OP_SCHEMA], Operations: operations },
    ...(query ? { query } : {}),
    ...(ifMatch !== undefined ? { ifMatch } : {}),
  });
  return toolResult(response, (version) => ({ id, ...(version !== undefined ? { meta: { version } } : {}) }));
}

/** `update_<singular>`: SCIM PATCH operations, applied all or nothing. */
export function updateTool(t: ResourceTypeTools): ToolDefinition {
  const name = `update_${t.naming.singular}`;
  return {
    name,
    title: `Update a ${t.type.name}`,
    description:
      `Changes a ${t.type.name} with SCIM PATCH operations (RFC 7644 §3.5.2), applied all or nothing, and answers the resource as it is afterwards. ` +
      `Each operation: op add, replace or remove; path an attribute path (omit it to add or replace several attributes given as an object in value); value the new value. ` +
      `Paths: ${t.attributePaths}; a value filter selects elements, such as emails[type eq "work"].value.`,
    input: t.schemaOf('update', () => z.strictObject({ id: idArgument(t), operations: z.array(PATCH_OPERATION).min(1).max(1000), ifMatch: IF_MATCH })),
    output: t.resource,
    annotations: writes(true, false),
    run: async (args, extra) => {
      const { id, operations, ifMatch } = args as { id: string; operations: unknown[]; ifMatch?: string };
      return patchOne(t, name, extra, id, operations, ifMatch);
    },
  };
}

/** `delete_<singular>`: removes a resource for good. */
export function deleteTool(t: ResourceTypeTools): ToolDefinition {
  const name = `delete_${t.naming.singular}`;
  return {
    name,
    title: `Delete a ${t.type.name}`,
    description: `Deletes a ${t.type.name} permanently. This cannot be undone.`,
    input: t.schemaOf('id-if-match', () => z.strictObject({ id: idArgument(t), ifMatch: IF_MATCH })),
    output: DELETED,
    annotations: writes(true, true),
    run: async (args, extra) => {
      const { id, ifMatch } = args as { id: string; ifMatch?: string };
      const response = await t.context.run(name, extra, { operation: 'delete', resourceType: t.type.name, id, ...(ifMatch !== undefined ? { ifMatch } : {}) });
      return toolResult(response, () => ({ id, deleted: true }));
    },
  };
}
