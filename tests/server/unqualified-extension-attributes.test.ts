/**
 * An attribute of an extension named without its schema URI (`manager`, `employeeNumber`), as real
 * clients and hand-written filters do: the one extension that defines it, or a 400 naming every
 * extension that does when there are several.
 */
import { describe, expect, it } from 'vitest';
import { defineAttribute, SchemaRegistry, type SchemaDefinition } from '../../src/index.js';
import { errorOf, testServer, USER_SCHEMA } from '../helpers/scim-client.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const HR = 'urn:example:params:scim:schemas:extension:hr:2.0:User';

/** A tenant extension that also defines `employeeNumber` (and `title`, which the core schema has). */
const HR_USER: SchemaDefinition = {
  id: HR,
  name: 'HrUser',
  attributes: [defineAttribute('employeeNumber', 'string'), defineAttribute('title', 'string'), defineAttribute('badge', 'string')],
};

function setup(options: { registry?: SchemaRegistry } = {}) {
  const { server, as } = testServer(
    [
      { id: 'a', token: 'token-a' },
      { id: 'b', token: 'token-b' },
    ],
    options.registry ? { schemas: options.registry } : {},
  );
  server.schemas.addTenantExtension('b', 'User', HR_USER);
  return { server, a: as('a'), b: as('b') };
}

describe('an extension attribute named without its schema URI', () => {
  it('is the one extension that defines it, in PATCH paths, filters, sortBy and attributes', async () => {
    const { b } = setup();
    const user = await b.createUser('bjensen');
    const patched = await b.patch(`/Users/${user.id}`, [
      { op: 'add', path: 'badge', value: 'B-7' },
      { op: 'add', path: 'manager', value: { value: user.id } },
    ]);
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ [HR]: { badge: 'B-7' }, [ENTERPRISE]: { manager: { value: user.id } } });
    const found = await b.get('/Users', { filter: 'badge eq "B-7" and manager.value pr', sortBy: 'badge', attributes: 'badge' });
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ totalResults: 1, Resources: [{ id: user.id, [HR]: { badge: 'B-7' } }] });
    expect((found.body as { Resources: Record<string, unknown>[] }).Resources[0]?.[ENTERPRISE]).toBeUndefined();
  });

  it('is a core attribute when the core schema has one of that name', async () => {
    const { b } = setup();
    const user = await b.createUser('bjensen');
    const patched = await b.patch(`/Users/${user.id}`, [{ op: 'replace', path: 'title', value: 'Boss' }]);
    expect(patched.body).toMatchObject({ title: 'Boss' });
    expect((patched.body as Record<string, unknown>)[HR]).toBeUndefined();
  });

  it('defined by two extensions, is a 400 naming both URIs wherever it is named, and nothing is written', async () => {
    const { b } = setup();
    const user = await b.createUser('bjensen');
    const refusals = [
      [await b.get('/Users', { filter: 'employeeNumber eq "1"' }), 'invalidFilter'],
      [await b.get('/Users', { sortBy: 'employeeNumber' }), 'invalidValue'],
      [await b.get('/Users', { attributes: 'employeeNumber' }), 'invalidValue'],
      [await b.get(`/Users/${user.id}`, { excludedAttributes: 'employeeNumber' }), 'invalidValue'],
      [await b.patch(`/Users/${user.id}`, [{ op: 'replace', path: 'employeeNumber', value: '1' }]), 'invalidPath'],
      [await b.patch(`/Users/${user.id}`, [{ op: 'replace', value: { employeeNumber: '1' } }]), 'invalidPath'],
      [await b.patch(`/Users/${user.id}`, [{ op: 'replace', path: 'title', value: 'x' }], undefined, { attributes: 'employeeNumber' }), 'invalidValue'],
      [await b.post('/Users', { schemas: [USER_SCHEMA], userName: 'never-created' }, { attributes: 'employeeNumber' }), 'invalidValue'],
    ] as const;
    for (const [response, scimType] of refusals) {
      expect(response.status).toBe(400);
      const error = errorOf(response);
      expect(error.scimType).toBe(scimType);
      expect(error.detail).toContain(ENTERPRISE);
      expect(error.detail).toContain(HR);
    }
    const after = await b.get(`/Users/${user.id}`);
    expect((after.body as { meta: { version: string } }).meta.version).toBe('W/"1"');
    expect((await b.get('/Users', { filter: 'userName eq "never-created"' })).body).toMatchObject({ totalResults: 0 });
    // Named with its URI, either one is fine.
    expect((await b.get('/Users', { filter: `${HR}:employeeNumber eq "1"` })).status).toBe(200);
  });

  it('is resolved per tenant: a tenant without the second extension gets the enterprise one', async () => {
    const { a } = setup();
    const user = await a.createUser('bjensen', { [ENTERPRISE]: { employeeNumber: '42' } });
    const found = await a.get('/Users', { filter: 'employeeNumber eq "42"' });
    expect(found.body).toMatchObject({ totalResults: 1, Resources: [{ id: user.id }] });
  });

  it('is refused as RFC 7644 §3.10 has it when the registry turns the tolerance off', async () => {
    const { a } = setup({ registry: new SchemaRegistry({ unqualifiedExtensionAttributes: false }) });
    const user = await a.createUser('bjensen', { [ENTERPRISE]: { employeeNumber: '42' } });
    expect(errorOf(await a.get('/Users', { filter: 'employeeNumber eq "42"' })).scimType).toBe('invalidFilter');
    expect(errorOf(await a.patch(`/Users/${user.id}`, [{ op: 'add', path: 'manager', value: { value: user.id } }])).scimType).toBe('invalidPath');
    expect((await a.get('/Users', { filter: `${ENTERPRISE}:employeeNumber eq "42"` })).body).toMatchObject({ totalResults: 1 });
  });
});
