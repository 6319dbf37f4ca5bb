import { describe, expect, it } from 'vitest';
import { applyPatch, type PatchOperation } from '../../src/patch/index.js';
import { defineAttribute } from '../../src/schema/define-attribute.js';
import { createResourceSchema } from '../../src/schema/resource-schema.js';
import type { ScimObject, ScimResource, SchemaDefinition } from '../../src/schema/types.js';
import { validateResource } from '../../src/schema/validate-resource.js';
import { errorOf } from '../helpers/scim-errors.js';
import { bjensen, deepFreeze, userSchema } from './fixtures.js';

// PATCH and PUT answer "is this the same value?" with one rule, SCIM attribute equality
// (attributeValueEquals): case folded unless caseExact, binary exact, dateTime as instants,
// multi-valued attributes as multisets. These cases are where PATCH used to answer differently.

const BADGE_URI = 'urn:example:schemas:Badge';
const BADGE_SCHEMA: SchemaDefinition = {
  id: BADGE_URI,
  name: 'Badge',
  attributes: [
    defineAttribute('holder', 'string', { required: true }),
    defineAttribute('issued', 'dateTime', { mutability: 'immutable' }),
    defineAttribute('code', 'string', { mutability: 'immutable' }),
    defineAttribute('regions', 'string', { multiValued: true, mutability: 'immutable' }),
    defineAttribute('scans', 'dateTime', { multiValued: true }),
    defineAttribute('keys', 'binary', { multiValued: true }),
    defineAttribute('issuer', 'complex', {
      subAttributes: [defineAttribute('name', 'string'), defineAttribute('signed', 'dateTime', { mutability: 'immutable' })],
    }),
  ],
};
const badgeSchema = createResourceSchema({ id: 'Badge', name: 'Badge', endpoint: '/Badges', schema: BADGE_URI }, BADGE_SCHEMA);

function badge(): ScimResource {
  return deepFreeze({
    schemas: [BADGE_URI],
    id: 'b1',
    meta: { resourceType: 'Badge', created: '2024-01-01T00:00:00Z', lastModified: '2024-01-01T00:00:00Z', version: 'W/"1"' },
    holder: 'ann',
    issued: '2024-03-01T09:00:00Z',
    code: 'AB-1',
    regions: ['emea', 'apac'],
    scans: ['2024-03-02T08:00:00Z'],
    keys: ['QUJD'],
    issuer: { name: 'Front desk', signed: '2024-03-01T09:00:00Z' },
  }) as ScimResource;
}

function patch(resource: ScimObject, ...operations: PatchOperation[]) {
  return applyPatch(resource, operations, badgeSchema);
}

/** PUT of `changes` over the stored badge: the replace-mode validation, immutability included. */
function put(changes: ScimObject): ScimObject {
  const { id, meta, ...body } = badge();
  return validateResource({ ...body, ...changes }, badgeSchema, { mode: 'replace', existing: badge() });
}

describe('immutable attributes: PATCH agrees with PUT', () => {
  const cases: [string, ScimObject][] = [
    ['a dateTime re-sent as another spelling of the same instant', { issued: '2024-03-01T10:00:00+01:00' }],
    ['a string re-sent in another case (not caseExact)', { code: 'ab-1' }],
    ['a multi-valued attribute re-sent in another order', { regions: ['APAC', 'emea'] }],
    ['a sub-attribute dateTime re-sent as another spelling', { issuer: { name: 'Front desk', signed: '2024-03-01T09:00:00.000Z' } }],
  ];
  for (const [label, changes] of cases) {
    it(`accepts ${label}, and writes it as sent`, () => {
      const [key, value] = Object.entries(changes)[0] as [string, unknown];
      expect(put(changes)[key]).toEqual(value);
      const result = patch(badge(), { op: 'replace', path: key, value });
      expect(result.resource[key]).toEqual(value);
      expect(result.changed).toEqual([key]);
    });
  }

  const refused: [string, ScimObject][] = [
    ['another instant', { issued: '2024-03-01T09:00:01Z' }],
    ['another string', { code: 'AB-2' }],
    ['another set of values', { regions: ['emea', 'amer'] }],
    ['another signing instant', { issuer: { name: 'Front desk', signed: '2024-03-01T09:00:01Z' } }],
  ];
  for (const [label, changes] of refused) {
    it(`refuses ${label} with 400 mutability`, () => {
      const [key, value] = Object.entries(changes)[0] as [string, unknown];
      expect(errorOf(() => put(changes)).scimType).toBe('mutability');
      const e = errorOf(() => patch(badge(), { op: 'replace', path: key, value }));
      expect(e.status).toBe(400);
      expect(e.scimType).toBe('mutability');
    });
  }

  it('accepts the same instant through a sub-attribute path', () => {
    expect(patch(badge(), { op: 'replace', path: 'issuer.signed', value: '2024-03-01T11:00:00+02:00' }).resource.issuer).toEqual({
      name: 'Front desk',
      signed: '2024-03-01T11:00:00+02:00',
    });
  });
});

describe('"already present" when adding values (RFC 7644 §3.5.2.1)', () => {
  it('a dateTime already there under another spelling is not added again', () => {
    const input = badge();
    const result = patch(input, { op: 'add', path: 'scans', value: ['2024-03-02T09:00:00+01:00'] });
    expect(result.modified).toBe(false);
    expect(result.resource).toBe(input);
  });

  it('binary values that differ only in case are different values', () => {
    const result = patch(badge(), { op: 'add', path: 'keys', value: ['qujd'] });
    expect(result.resource.keys).toEqual(['QUJD', 'qujd']);
  });

  it('a value whose other sub-attributes differ only in case is already present', () => {
    const input = bjensen();
    const result = applyPatch(input, [{ op: 'add', path: 'emails', value: [{ value: 'BJensen@Example.com', type: 'WORK' }] }], userSchema);
    expect(result.modified).toBe(false);
    expect(result.resource).toBe(input);
  });

  it('a value with a sub-attribute that really differs is merged into the stored one', () => {
    const result = applyPatch(bjensen(), [{ op: 'add', path: 'emails', value: [{ value: 'BJensen@Example.com', type: 'other' }] }], userSchema);
    expect(result.resource.emails).toEqual([
      { value: 'bjensen@example.com', type: 'other', primary: true },
      { value: 'babs@jensen.org', type: 'home' },
    ]);
  });

  it('a complex value without a "value" sub-attribute is compared whole, case folded', () => {
    const input = bjensen();
    const home = (input.addresses as ScimObject[])[1] as ScimObject;
    const shouted = Object.fromEntries(Object.entries(home).map(([k, v]) => [k, typeof v === 'string' ? v.toUpperCase() : v]));
    const result = applyPatch(input, [{ op: 'add', path: 'addresses', value: [shouted] }], userSchema);
    expect(result.modified).toBe(false);
    expect(result.resource).toBe(input);
  });

  it('position never matters: values already present anywhere in the list change nothing', () => {
    const input = bjensen();
    const result = applyPatch(input, [{ op: 'add', path: 'emails', value: [{ value: 'babs@jensen.org' }, { value: 'bjensen@example.com' }] }], userSchema);
    expect(result.modified).toBe(false);
  });
});

describe('remove with a value list matches values the same way', () => {
  it('removes a dateTime named by another spelling of its instant', () => {
    const result = patch(badge(), { op: 'remove', path: 'scans', value: ['2024-03-02T10:00:00+02:00'] });
    expect(result.resource.scans).toBeUndefined();
    expect(result.changed).toEqual(['scans']);
  });

  it('does not remove a binary value named in another case', () => {
    const input = badge();
    const result = patch(input, { op: 'remove', path: 'keys', value: ['qujd'] });
    expect(result.modified).toBe(false);
  });
});

describe('replace of a whole multi-valued attribute is not an "already present" check', () => {
  it('writes the values as sent, in the order sent', () => {
    const result = applyPatch(
      bjensen(),
      [
        {
          op: 'replace',
          path: 'emails',
          value: [
            { value: 'babs@jensen.org', type: 'home' },
            { value: 'bjensen@example.com', type: 'work', primary: true },
          ],
        },
      ],
      userSchema,
    );
    expect(result.modified).toBe(true);
    expect((result.resource.emails as ScimObject[]).map((e) => e.value)).toEqual(['babs@jensen.org', 'bjensen@example.com']);
  });

  it('changes nothing when the values are identical, order included', () => {
    const input = bjensen();
    const result = applyPatch(input, [{ op: 'replace', path: 'emails', value: input.emails }], userSchema);
    expect(result.modified).toBe(false);
    expect(result.resource).toBe(input);
  });
});
