import * as z from 'zod/v4';
import type { ResourceSchema, ResourceTypeDefinition } from '../server/index.js';
import { extensionKeys, resourceOutputSchema, type ExtensionKey } from './resource-shapes.js';
import type { ToolContext } from './tool-context.js';
import { toolNaming, type ToolNaming } from './tool-names.js';

/** What the tools of one resource type share: the type as the tenant sees it, its names and schemas. */
export interface ResourceTypeTools {
  readonly context: ToolContext;
  /** The resource type as the tenant sees it (its own extensions listed). */
  readonly type: ResourceTypeDefinition;
  readonly schema: ResourceSchema;
  readonly naming: ToolNaming;
  readonly extensions: readonly ExtensionKey[];
  /** A resource of the type, as tools answer it. */
  readonly resource: z.ZodObject;
  /** The attribute paths of the type, for descriptions: core names, then extension attributes with their URN. */
  readonly attributePaths: string;
  /** A tool schema of this type, made once per resource schema and shared by every session and tenant that sees the same one. */
  schemaOf(key: string, make: () => z.ZodObject): z.ZodObject;
}

/** The parts of {@link ResourceTypeTools} that depend on the resource schema only. */
type Shapes = Omit<ResourceTypeTools, 'context'> & { readonly made: Map<string, z.ZodObject> };

/**
 * Shapes by resource schema. The registry hands every tenant without extensions of a type the same
 * schema object, and a tenant with extensions the same one until its schemas change, so the tool
 * schemas are built once per distinct view rather than once per session.
 */
const SHAPES = new WeakMap<ResourceSchema, Shapes>();

/** The attribute paths a filter, `sortBy` or PATCH `path` may name, as a list for a description. */
function attributePaths(schema: ResourceSchema): string {
  const core = schema.coreAttributes.map((a) => a.name);
  const ext = schema.extensions.flatMap((e) => e.schema.attributes.map((a) => `${e.schema.id}:${a.name}`));
  return [...core, ...ext].join(', ');
}

function shapesOf(schema: ResourceSchema): Shapes {
  let shapes = SHAPES.get(schema);
  if (!shapes) {
    const made = new Map<string, z.ZodObject>();
    shapes = {
      type: schema.resourceType,
      schema,
      naming: toolNaming(schema.resourceType),
      extensions: extensionKeys(schema),
      resource: resourceOutputSchema(schema),
      attributePaths: attributePaths(schema),
      made,
      schemaOf: (key, make) => {
        let built = made.get(key);
        if (!built) made.set(key, (built = make()));
        return built;
      },
    };
    SHAPES.set(schema, shapes);
  }
  return shapes;
}

/** Everything the tools of a resource type need, for the context's tenant: the type is the one `schema` describes. */
export function resourceTypeTools(context: ToolContext, schema: ResourceSchema): ResourceTypeTools {
  return { ...shapesOf(schema), context };
}

/** The `id` argument of a tool on one resource. */
export function idArgument(t: ResourceTypeTools): z.ZodString {
  return z.string().min(1).describe(`The id of the ${t.type.name} (its "id" attribute, assigned by the server).`);
}

/** The optional `ifMatch` argument of a write: a version the resource must still have. */
export const IF_MATCH = z
  .string()
  .optional()
  .describe('Optional: the version the resource must still have (its meta.version, such as W/"3"). The change is refused with status 412 if it changed since.');

/** `attributes` and `excludedAttributes`: what a returned resource shows. */
export function projectionArguments(t: ResourceTypeTools): {
  attributes: z.ZodOptional<z.ZodArray<z.ZodString>>;
  excludedAttributes: z.ZodOptional<z.ZodArray<z.ZodString>>;
} {
  const members = t.type.membership ? ` For large ${t.naming.plural}, ["${t.type.membership.attribute}"] keeps the answer small.` : '';
  return {
    attributes: z.array(z.string()).max(256).optional().describe('Return only these attributes (and id). Attribute paths as in a filter.'),
    excludedAttributes: z.array(z.string()).max(256).optional().describe(`Leave these attributes out.${members}`),
  };
}
