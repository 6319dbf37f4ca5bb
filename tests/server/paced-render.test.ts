import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UNPACED } from '../../src/query/pacer.js';
import { SchemaRegistry } from '../../src/schema/schema-registry.js';
import type { ResourceTypeModel } from '../../src/schema/membership.js';
import type { ResourceSchema } from '../../src/schema/resource-schema.js';
import type { ScimResource } from '../../src/schema/types.js';
import { renderPaced } from '../../src/server/paced-render.js';
import { renderResource, type Projection, type ResourceLinks } from '../../src/server/resource-renderer.js';
import { ResponseBudget, unlimitedBudget } from '../../src/server/response-budget.js';
import { isScimError } from '../../src/error/scim-error.js';

const registry = new SchemaRegistry();
const GROUP = registry.resourceSchema('t', 'Group') as ResourceSchema;
const USER = registry.resourceSchema('t', 'User') as ResourceSchema;
const links = (name: string): ResourceLinks => ({
  baseUrl: 'https://scim.example.com/t/scim/v2',
  model: registry.model(name) as ResourceTypeModel,
  endpointOf: (type) => registry.resourceType('t', type)?.endpoint,
});

function group(members: number, extra: Record<string, unknown> = {}): ScimResource {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
    id: 'g-1',
    displayName: 'Everyone "quoted" ü',
    ...extra,
    members: Array.from({ length: members }, (_, i) => ({ value: `u-${i}`, display: `User ${i} ✓`, type: i % 7 === 0 ? 'Group' : 'User' })),
    meta: { resourceType: 'Group', created: '2025-01-01T00:00:00Z', lastModified: '2025-01-02T00:00:00Z', version: 'W/"3"' },
  } as ScimResource;
}

const PROJECTIONS: Projection[] = [
  {},
  { excludedAttributes: ['members'] },
  { attributes: ['members'] },
  { attributes: ['members.value'] },
  { attributes: ['displayName', 'members.display'] },
  { excludedAttributes: ['members.display', 'meta'] },
  { attributes: ['members.$ref'] },
];

describe('renderPaced', () => {
  it('renders large groups exactly as renderResource does, with their JSON text, under every projection', async () => {
    for (const size of [0, 1, 256, 257, 1_000, 5_000]) {
      for (const projection of PROJECTIONS) {
        const resource = group(size);
        const expected = renderResource(resource, GROUP, links('Group'), projection);
        const rendered = await renderPaced(resource, GROUP, links('Group'), projection, { pacer: UNPACED, budget: unlimitedBudget() });
        expect(rendered.value).toEqual(expected);
        expect(rendered.json).toBe(JSON.stringify(expected));
        expect(Object.keys(rendered.value)).toEqual(Object.keys(expected));
      }
    }
  });

  it('the same for any attribute order, and for a user with many groups', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 250, max: 1_200 }), fc.boolean(), fc.constantFrom(...PROJECTIONS), async (size, early, projection) => {
        const base = group(size);
        // The members first, or last: the rendered order is the resource's.
        const { members, ...rest } = base;
        const resource = (early ? { members, ...rest } : base) as ScimResource;
        const expected = renderResource(resource, GROUP, links('Group'), projection);
        const rendered = await renderPaced(resource, GROUP, links('Group'), projection, { pacer: UNPACED, budget: unlimitedBudget() });
        expect(rendered.json).toBe(JSON.stringify(expected));
      }),
      { numRuns: 30, seed: 7 },
    );
    const user = {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      id: 'u-1',
      userName: 'many',
      groups: Array.from({ length: 700 }, (_, i) => ({ value: `g-${i}`, display: `G${i}`, type: 'direct' })),
      meta: { resourceType: 'User', created: 'c', lastModified: 'l', version: 'W/"1"' },
    } as ScimResource;
    const expected = renderResource(user, USER, links('User'), {});
    const rendered = await renderPaced(user, USER, links('User'), {}, { pacer: UNPACED, budget: unlimitedBudget() });
    expect(rendered.json).toBe(JSON.stringify(expected));
    expect((rendered.value.groups as { $ref: string }[])[699]?.$ref).toBe('https://scim.example.com/t/scim/v2/Groups/g-699');
  });

  it('refuses a list whose strings alone pass the budget before rendering any of it', async () => {
    const budget = new ResponseBudget(200_000, 'Ask for less: excludedAttributes=members leaves the members out.');
    const error = await renderPaced(group(100_000), GROUP, links('Group'), {}, { pacer: UNPACED, budget }).catch((e: unknown) => e);
    expect(isScimError(error) && error.status === 400 && error.scimType === 'tooMany').toBe(true);
    expect((error as Error & { detail: string }).detail).toBe(
      'The response would be larger than 200000 bytes (maxResponseBytes). Ask for less: excludedAttributes=members leaves the members out.',
    );
    // Only the group's other attributes were rendered.
    expect(budget.usedBytes).toBeLessThan(1_000);
  });

  it('holds to the byte: a budget one byte short of the rendered size is refused, the exact size is not', async () => {
    for (const [projection, size] of PROJECTIONS.flatMap(
      (p) =>
        [
          [p, 300],
          [p, 2_999],
          [p, 4_100],
        ] as const,
    )) {
      const resource = group(size);
      const exact = new TextEncoder().encode(JSON.stringify(renderResource(resource, GROUP, links('Group'), projection))).byteLength;
      const short = await renderPaced(resource, GROUP, links('Group'), projection, { pacer: UNPACED, budget: new ResponseBudget(exact - 1, '') }).catch(
        (e: unknown) => e,
      );
      expect(isScimError(short) && short.scimType === 'tooMany').toBe(true);
      const budget = new ResponseBudget(exact, '');
      const fits = await renderPaced(resource, GROUP, links('Group'), projection, { pacer: UNPACED, budget });
      expect(new TextEncoder().encode(fits.json).byteLength).toBe(exact);
      expect(budget.usedBytes).toBe(exact);
    }
  });
});
