import type { Pacer } from '../query/pacer.js';
import { compileProjection, type Projector } from '../schema/projection.js';
import type { ResourceSchema } from '../schema/resource-schema.js';
import type { ScimObject, ScimResource } from '../schema/types.js';
import { jsonArray, jsonWithRawValues } from './json-text.js';
import { refsOf, renderResource, type Projection, type ResourceLinks } from './resource-renderer.js';
import type { ResponseBudget } from './response-budget.js';
import { utf8Length } from './utf8-length.js';

/** A resource rendered for a response: its value, and that value's JSON text (`JSON.stringify(value)`). */
export interface RenderedResource {
  readonly value: ScimObject;
  readonly json: string;
}

/** What rendering may cost, and how it lets other requests run. */
export interface RenderWork {
  readonly pacer: Pacer;
  readonly budget: ResponseBudget;
}

/** Lists longer than this (a large group's members) are rendered in slices. */
const LARGE_LIST = 256;
/** Elements rendered in one slice. */
const SLICE = 256;

/** Sets `out[key]` as an own data property, so that a key such as `__proto__` stays plain data. */
function setOwn(out: ScimObject, key: string, value: unknown): void {
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Elements measured between two calls of `pace` by {@link sizeAtLeast}. */
const MEASURE_STEP = 4_096;

/**
 * A lower bound of the bytes a long list will render to, read from its elements' strings without
 * rendering anything: each string sub-attribute the projection keeps is at least `"key":"value"`
 * long, and a `$ref` at least its URL. A list whose bound passes the budget is refused before any
 * of it is rendered.
 */
async function sizeAtLeast(list: readonly unknown[], key: string, links: ResourceLinks, project: Projector, pacer: Pacer): Promise<number> {
  const first = list.find((e) => typeof e === 'object' && e !== null) as Record<string, unknown> | undefined;
  if (!first) return 0;
  const probe = Object.fromEntries([...Object.keys(first), '$ref'].map((k) => [k, 'x']));
  const shown = (project({ [key]: [probe] })[key] as Record<string, unknown>[] | undefined)?.[0];
  if (!shown) return 0;
  const kept = Object.keys(shown).filter((k) => k !== '$ref');
  const relation = links.model.memberOf.find((r) => r.attribute === key);
  const refEndpoint = (e: Record<string, unknown>): string | undefined => {
    if (!Object.hasOwn(shown, '$ref') || typeof e.value !== 'string') return undefined;
    if (relation) return links.endpointOf(relation.containerType);
    return key === links.model.members?.attribute && typeof e.type === 'string' ? links.endpointOf(e.type) : undefined;
  };
  let bytes = 0;
  for (let i = 0; i < list.length; i++) {
    if (i % MEASURE_STEP === MEASURE_STEP - 1) await pacer.pace();
    const e = list[i];
    if (typeof e !== 'object' || e === null) continue;
    const element = e as Record<string, unknown>;
    let size = 0;
    for (const k of kept) {
      const v = element[k];
      if (typeof v === 'string') size += k.length + v.length + 6; // "k":"v" and a comma
    }
    const endpoint = refEndpoint(element);
    if (endpoint !== undefined) size += links.baseUrl.length + endpoint.length + (element.value as string).length + 11;
    bytes += size;
  }
  return bytes;
}

/** One long list of a resource, rendered slice by slice: its elements and the JSON text of each slice. */
async function renderList(
  list: readonly unknown[],
  key: string,
  links: ResourceLinks,
  project: Projector,
  work: RenderWork,
): Promise<{ values: unknown[]; parts: string[] }> {
  const refs = refsOf(key, links);
  const values: unknown[] = [];
  const parts: string[] = [];
  for (let i = 0; i < list.length; i += SLICE) {
    const slice = list.slice(i, i + SLICE);
    const projected = project({ [key]: refs ? refs(slice) : slice })[key];
    if (Array.isArray(projected) && projected.length > 0) {
      const text = JSON.stringify(projected);
      // The slice without its brackets, and the comma or bracket after it; the first also pays for `,"key":[`.
      work.budget.charge(utf8Length(text) - 1 + (parts.length === 0 ? utf8Length(JSON.stringify(key)) + 3 : 0));
      for (const v of projected) values.push(v);
      parts.push(text.slice(1, -1));
    }
    await work.pacer.pace();
  }
  return { values, parts };
}

/**
 * Renders a resource as {@link renderResource} does, and its JSON text, charging its exact size in
 * UTF-8 bytes to the budget as it goes. A resource with long lists (a group's members) is rendered a slice of each list
 * at a time, with `pace()` between slices, so that other requests run meanwhile and a response past
 * the budget is refused early; the result is the same, byte for byte.
 *
 * @throws ScimError 400 `tooMany` when the response would pass the budget.
 */
export async function renderPaced(
  resource: ScimResource,
  schema: ResourceSchema,
  links: ResourceLinks,
  projection: Projection,
  work: RenderWork,
): Promise<RenderedResource> {
  const long = Object.keys(resource).filter((key) => {
    const v = resource[key];
    return Array.isArray(v) && v.length > LARGE_LIST;
  });
  if (long.length === 0) {
    const value = renderResource(resource, schema, links, projection);
    const json = JSON.stringify(value);
    work.budget.charge(utf8Length(json));
    return { value, json };
  }
  const rest: ScimObject = { ...resource };
  for (const key of long) delete rest[key];
  const head = renderResource(rest as ScimResource, schema, links, projection);
  work.budget.charge(utf8Length(JSON.stringify(head)));
  const project = compileProjection(schema, projection);
  const lists = new Map<string, { values: unknown[]; parts: string[] }>();
  for (const key of long) {
    const list = resource[key] as unknown[];
    work.budget.require(await sizeAtLeast(list, key, links, project, work.pacer));
    lists.set(key, await renderList(list, key, links, project, work));
  }
  // The keys in the order renderResource gives them: the resource's, then `meta` when it had none.
  const value: ScimObject = {};
  const raw = new Map<string, string>();
  for (const key of [...Object.keys(resource), ...Object.keys(head)]) {
    if (Object.hasOwn(value, key)) continue;
    const list = lists.get(key);
    if (list === undefined) {
      if (Object.hasOwn(head, key)) setOwn(value, key, head[key]);
    } else if (list.values.length > 0) {
      setOwn(value, key, list.values);
      raw.set(key, jsonArray(list.parts));
    }
  }
  return { value, json: jsonWithRawValues(value, raw) };
}
