import * as z from 'zod/v4';
import type { ScimQuery } from '../server/index.js';
import { READ_ONLY, type ToolDefinition } from './tool-definition.js';
import { toolResult } from './tool-result.js';
import { idArgument, projectionArguments, type ResourceTypeTools } from './resource-type-tools.js';

/** Answers without a body do not happen for reads; this one is never shown. */
const nothing = (): Record<string, unknown> => ({});

/** The arguments of a search. */
function searchInput(t: ResourceTypeTools): z.ZodObject {
  return z.strictObject({
    filter: z
      .string()
      .optional()
      .describe(
        `A SCIM filter (RFC 7644 §3.4.2.2), such as userName eq "bjensen" or (emails.value co "@example.com" and active eq true). ` +
          `Operators: eq ne co sw ew gt ge lt le pr, and or not, parentheses, value paths like emails[type eq "work"]. ` +
          `Attributes: ${t.attributePaths}. Without a filter, every ${t.type.name} is listed.`,
      ),
    sortBy: z.string().optional().describe('An attribute path to sort by, such as userName or meta.lastModified.'),
    sortOrder: z.enum(['ascending', 'descending']).optional(),
    startIndex: z.int().min(1).optional().describe('Index paging: 1-based position of the first result (default 1).'),
    count: z.int().min(0).optional().describe('Most results to return in this page. The server caps it.'),
    cursor: z
      .string()
      .optional()
      .describe('Cursor paging (RFC 9865): "" for the first page, then the nextCursor or previousCursor of the page before. Not with startIndex.'),
    ...projectionArguments(t),
  });
}

/** A page of results. */
function listOutput(t: ResourceTypeTools): z.ZodObject {
  return z.looseObject({
    schemas: z.array(z.string()).optional(),
    totalResults: z.int().describe('How many resources match, in all pages.'),
    startIndex: z.int().optional(),
    itemsPerPage: z.int(),
    nextCursor: z.string().optional(),
    previousCursor: z.string().optional(),
    Resources: z.array(t.resource),
  });
}

/** `search_<plural>`: a SCIM list with filter, sort, paging and projection. */
export function searchTool(t: ResourceTypeTools): ToolDefinition {
  return {
    name: `search_${t.naming.plural}`,
    title: `Search ${t.naming.plural.replace(/_/g, ' ')}`,
    description: `Finds ${t.type.name} resources of this directory with a SCIM filter, sorted and paged. Answers a SCIM ListResponse: totalResults, and the page in Resources.`,
    input: t.schemaOf('search', () => searchInput(t)),
    output: t.schemaOf('list', () => listOutput(t)),
    annotations: READ_ONLY,
    run: async (args, extra) => {
      const response = await t.context.run(`search_${t.naming.plural}`, extra, { operation: 'list', resourceType: t.type.name, query: args as ScimQuery });
      return toolResult(response, nothing);
    },
  };
}

/** `get_<singular>`: one resource by id. */
export function getTool(t: ResourceTypeTools): ToolDefinition {
  const name = `get_${t.naming.singular}`;
  return {
    name,
    title: `Get a ${t.type.name}`,
    description: `Reads one ${t.type.name} by its id, with every attribute it shows by default (or those asked for).`,
    input: t.schemaOf('get', () => z.strictObject({ id: idArgument(t), ...projectionArguments(t) })),
    output: t.resource,
    annotations: READ_ONLY,
    run: async (args, extra) => {
      const { id, ...query } = args as { id: string; attributes?: string[]; excludedAttributes?: string[] };
      const response = await t.context.run(name, extra, { operation: 'get', resourceType: t.type.name, id, query });
      return toolResult(response, nothing);
    },
  };
}
