import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isScimError } from '../../src/error/scim-error.js';
import { applyPatch, STRICT_PATCH_TOLERANCES, type PatchOperation } from '../../src/patch/index.js';
import type { ScimObject } from '../../src/schema/types.js';
import { bjensen, ENTERPRISE_URI, userSchema } from './fixtures.js';

const paths = [
  'displayName',
  'nickName',
  'title',
  'active',
  'userName',
  'name',
  'name.givenName',
  'name.familyName',
  'emails',
  'emails[type eq "work"]',
  'emails[type eq "work"].value',
  'emails[type eq "home"].primary',
  'emails[value ew "example.com"]',
  'addresses[type eq "work"].locality',
  'phoneNumbers',
  'ims[type eq "aim"].value',
  `${ENTERPRISE_URI}:manager`,
  `${ENTERPRISE_URI}:department`,
  ENTERPRISE_URI,
  'id',
  'meta.version',
  'groups',
  'schemas',
  'bogus',
  'emails[bogus eq 1]',
  'NAME.GIVENNAME',
];

const scalar = fc.oneof(fc.string({ maxLength: 8 }), fc.boolean(), fc.constant(null), fc.constant(''), fc.constantFrom('True', 'False'), fc.integer());
const element = fc.record(
  { value: scalar, type: fc.constantFrom('work', 'home', 'other'), primary: fc.oneof(fc.boolean(), fc.constant('True')) },
  { requiredKeys: [] },
);
const value = fc.oneof(scalar, element, fc.array(element, { maxLength: 3 }), fc.dictionary(fc.constantFrom(...paths), scalar, { maxKeys: 3 }));
const operation: fc.Arbitrary<PatchOperation> = fc.oneof(
  fc.record({ op: fc.constantFrom<'add' | 'replace'>('add', 'replace'), path: fc.constantFrom(...paths), value }),
  fc.record({ op: fc.constant<'remove'>('remove'), path: fc.constantFrom(...paths) }),
  fc.record({ op: fc.constantFrom<'add' | 'replace'>('add', 'replace'), value: fc.dictionary(fc.constantFrom(...paths), value, { minKeys: 1, maxKeys: 3 }) }),
);

function primaries(resource: ScimObject, attr: string): number {
  const list = resource[attr];
  return Array.isArray(list) ? list.filter((e) => (e as ScimObject).primary === true).length : 0;
}

describe('applyPatch on arbitrary operations', () => {
  for (const [label, tolerances] of [
    ['default tolerances', undefined],
    ['strict tolerances', STRICT_PATCH_TOLERANCES],
  ] as const) {
    it(`either succeeds or throws a 400 ScimError, never touching the input (${label})`, () => {
      fc.assert(
        fc.property(fc.array(operation, { minLength: 1, maxLength: 5 }), (ops) => {
          const input = bjensen();
          const snapshot = JSON.stringify(input);
          let result: ReturnType<typeof applyPatch>;
          try {
            result = applyPatch(input, ops, userSchema, tolerances ? { tolerances } : {});
          } catch (err) {
            expect(isScimError(err)).toBe(true);
            expect((err as { status: number }).status).toBe(400);
            expect(JSON.stringify(input)).toBe(snapshot);
            return;
          }
          expect(JSON.stringify(input)).toBe(snapshot);
          expect(result.resource.id).toBe(input.id);
          expect(result.resource.meta).toBe(input.meta);
          expect(primaries(result.resource, 'emails')).toBeLessThanOrEqual(1);
          if (!result.modified) expect(result.resource).toBe(input);
          // Deterministic: the same request gives the same result.
          expect(applyPatch(input, ops, userSchema, tolerances ? { tolerances } : {}).resource).toEqual(result.resource);
        }),
        { numRuns: 400 },
      );
    });
  }
});
