import { isScimError } from '../error/scim-error.js';
import { parseFilter } from '../query/filter-parser.js';
import type { ScimObject, ScimResource } from '../schema/types.js';
import type { ContractCase } from './contract-cases.js';
import { USER, user, userNameUnique } from './contract-kit.js';

/** Text that breaks naive SQL, LIKE patterns, JSON or C strings. */
export const HOSTILE_TEXTS: readonly string[] = [
  `O'Brien"; DROP TABLE users; --`,
  'back\\slash \\\\ and \\u0041',
  '100% _match_ [a-z]* ?',
  '__proto__',
  'constructor',
  'Ünïcödé ß İ 🙂',
  'nul\u0000byte',
  'lone \ud800 surrogate',
  '$1 $$ :name ?',
  'x'.repeat(10_000),
];

/** Bad input is stored and found exactly, or refused with a 400; it never breaks the storage. */
export const INPUT_CASES: readonly ContractCase[] = [
  [
    'hostile text is stored and found exactly, or refused with a 400',
    async (c) => {
      for (const [i, text] of HOSTILE_TEXTS.entries()) {
        const t = c.tenant('input');
        let created: ScimResource;
        try {
          const body = user(text, { externalId: text, title: text, emails: [{ value: `${i}@example.com`, display: text }] });
          created = await c.storage.create(t, USER, body, userNameUnique(text));
        } catch (err) {
          c.expect(isScimError(err) ? err.status : String(err), `refusal of ${JSON.stringify(text.slice(0, 40))}`).toBe(400);
          c.expect(await c.storage.count(t, USER)).toBe(0);
          continue;
        }
        await c.storage.create(t, USER, user(`other${i}`));
        const read = await c.storage.get(t, USER, created.id);
        c.expect(read?.userName).toBe(text);
        c.expect(read?.title).toBe(text);
        c.expect(read?.emails).toEqual([{ value: `${i}@example.com`, display: text }]);
        for (const filterText of [`userName eq ${JSON.stringify(text)}`, `externalId eq ${JSON.stringify(text)}`]) {
          const found = await c.query(t, 'User', { filter: parseFilter(filterText, { maxLength: 100_000 }) });
          c.expect(found.resources.map((x) => x.id)).toEqual([created.id]);
        }
        await c.expectScimError(c.storage.create(t, USER, user(text), userNameUnique(text)), 409, 'uniqueness');
      }
    },
  ],
  [
    'a __proto__ key in a body is stored as data and pollutes nothing',
    async ({ storage, tenant, expect }) => {
      const t = tenant();
      const body = JSON.parse('{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"p","__proto__":{"isAdmin":true}}') as ScimObject;
      const created = await storage.create(t, USER, body);
      const read = await storage.get(t, USER, created.id);
      for (const r of [created, read]) {
        expect(Object.getPrototypeOf(r)).toBe(Object.prototype);
        expect((r as { isAdmin?: unknown }).isAdmin).toBeUndefined();
      }
      expect(({} as { isAdmin?: unknown }).isAdmin).toBeUndefined();
    },
  ],
  [
    'a body nested too deeply, or holding a number JSON cannot carry, is a 400 and stores nothing',
    async ({ storage, tenant, expect, expectScimError }) => {
      const t = tenant();
      let deep: unknown = 'x';
      for (let i = 0; i < 50_000; i++) deep = { d: deep };
      await expectScimError(storage.create(t, USER, user('deep', { deep })), 400);
      await expectScimError(storage.create(t, USER, user('nan', { score: Number.NaN })), 400);
      await expectScimError(storage.create(t, USER, user('inf', { score: Number.POSITIVE_INFINITY })), 400);
      expect(await storage.count(t, USER)).toBe(0);
    },
  ],
];
