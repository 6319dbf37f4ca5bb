import * as z from 'zod/v4';
import { LIST_RESPONSE_SCHEMA, type ScimOperationResponse } from '../server/index.js';
import type { ToolContext } from './tool-context.js';
import { READ_ONLY, type ToolDefinition } from './tool-definition.js';
import { toolResult } from './tool-result.js';

/** A list of discovery documents. */
const DOCUMENTS = z.looseObject({ totalResults: z.int(), Resources: z.array(z.looseObject({})) });
const NOTHING = z.strictObject({});
const DOCUMENT = z.looseObject({});

/** One document answered as a list of one, so that a tool has one output shape. */
function asList(response: ScimOperationResponse): ScimOperationResponse {
  if (response.kind !== 'resource') return response;
  return {
    kind: 'list',
    status: 200,
    list: { schemas: [LIST_RESPONSE_SCHEMA], totalResults: 1, itemsPerPage: 1, Resources: [response.resource] },
  };
}

/** An optional choice among the tenant's own values, listed in the input schema (a JSON Schema `enum`). */
function choice(values: readonly string[], description: string): z.ZodOptional<z.ZodType<string>> {
  const [first, ...rest] = values;
  return (first === undefined ? z.string().min(1) : z.enum([first, ...rest])).optional().describe(description);
}

/** The inputs of the discovery tools, from the tenant's own schemas and resource types. */
interface DiscoveryInputs {
  readonly schemaId: z.ZodObject;
  readonly typeName: z.ZodObject;
}

/**
 * The discovery tools' inputs for the tenant: the schema ids and resource type names it may ask
 * for, as this tenant sees them (its own extensions included, no other tenant's). Two small
 * schemas, built with each session.
 */
function discoveryInputs(context: ToolContext): DiscoveryInputs {
  const registry = context.operations.schemas;
  const tenantId = context.tenant.tenantId;
  const schemaIds = registry.schemas(tenantId).map((s) => s.id);
  const typeNames = registry.resourceTypes(tenantId).map((t) => t.name);
  return {
    schemaId: z.strictObject({
      id: choice(schemaIds, 'The URN of one schema of this directory, such as urn:ietf:params:scim:schemas:core:2.0:User; none for all.'),
    }),
    typeName: z.strictObject({ name: choice(typeNames, 'The name of one resource type of this directory, such as User; none for all.') }),
  };
}

/**
 * `describe_schemas`, `describe_resource_types` and `describe_service_provider_config`: what this
 * tenant's directory holds and supports. Their inputs list the tenant's own schema ids and resource
 * type names.
 */
export function discoveryTools(context: ToolContext): ToolDefinition[] {
  const { schemaId, typeName } = discoveryInputs(context);
  return [
    {
      name: 'describe_schemas',
      title: 'Describe the schemas',
      description:
        "The SCIM schemas of this directory (RFC 7643 §7): every attribute of each resource type, with its type, whether it is required, multi-valued or read-only, and this tenant's own extensions. Give an id for one schema.",
      input: schemaId,
      output: DOCUMENTS,
      annotations: READ_ONLY,
      run: async ({ id }, extra) => {
        const response = await context.run('describe_schemas', extra, { operation: 'getSchemas', ...(typeof id === 'string' ? { id } : {}) });
        return toolResult(asList(response), () => ({}));
      },
    },
    {
      name: 'describe_resource_types',
      title: 'Describe the resource types',
      description: 'The resource types of this directory (RFC 7643 §6): name, endpoint, core schema and schema extensions. Give a name for one type.',
      input: typeName,
      output: DOCUMENTS,
      annotations: READ_ONLY,
      run: async ({ name }, extra) => {
        const response = await context.run('describe_resource_types', extra, {
          operation: 'getResourceTypes',
          ...(typeof name === 'string' ? { id: name } : {}),
        });
        return toolResult(asList(response), () => ({}));
      },
    },
    {
      name: 'describe_service_provider_config',
      title: 'Describe the service',
      description:
        "What this directory supports (RFC 7643 §5): PATCH, bulk, filtering and its page size, sorting, ETags, cursor paging, and this tenant's own limits.",
      input: NOTHING,
      output: DOCUMENT,
      annotations: READ_ONLY,
      run: async (_args, extra) =>
        toolResult(await context.run('describe_service_provider_config', extra, { operation: 'getServiceProviderConfig' }), () => ({})),
    },
  ];
}
