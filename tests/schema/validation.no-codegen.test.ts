/**
 * Runs only in the `no-codegen` project (vitest.config.ts), where Node forbids code generation from
 * strings as Cloudflare Workers and the Next.js edge runtime do; validate-resource.test.ts runs there
 * too, so the whole validation table passes both with and without code generation.
 */
import { describe, expect, it } from 'vitest';
import { defineAttribute } from '../../src/schema/define-attribute.js';
import { SchemaRegistry } from '../../src/schema/schema-registry.js';
import { validateResource } from '../../src/schema/validate-resource.js';
import { ScimServer, StaticTenantResolver } from '../../src/index.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const EXT = 'urn:example:params:scim:schemas:extension:acme:2.0:User';

describe('without code generation', () => {
  it('runs in a process that really forbids it', () => {
    expect(() => new Function('return 1')).toThrow(EvalError);
  });

  it('validates built-in types and per-tenant extensions alike', () => {
    const registry = new SchemaRegistry();
    registry.addTenantExtension('acme', 'User', { id: EXT, name: 'Acme', attributes: [defineAttribute('level', 'integer', { required: true })] }, true);
    const plain = registry.resourceSchema('other', 'User')!;
    const extended = registry.resourceSchema('acme', 'User')!;
    expect(validateResource({ schemas: [USER], userName: 'a', active: true }, plain, { mode: 'create' })).toEqual({
      schemas: [USER],
      userName: 'a',
      active: true,
    });
    expect(() => validateResource({ userName: 'a', active: 'yes' }, plain, { mode: 'create' })).toThrow('active: expected boolean');
    expect(validateResource({ userName: 'a', [EXT]: { level: 3 } }, extended, { mode: 'create' })).toEqual({
      schemas: [USER, EXT],
      userName: 'a',
      [EXT]: { level: 3 },
    });
    expect(() => validateResource({ userName: 'a', [EXT]: { level: 1.5 } }, extended, { mode: 'create' })).toThrow(`${EXT}:level: expected integer`);
    expect(() => validateResource({ userName: 'a' }, extended, { mode: 'create' })).toThrow(`${EXT}: required extension is missing`);
  });

  it('serves a create with a per-tenant extension attribute', async () => {
    const scim = new ScimServer({ tenantResolver: new StaticTenantResolver([{ id: 'acme', token: 't' }]) });
    scim.schemas.addTenantExtension('acme', 'User', { id: EXT, name: 'Acme', attributes: [defineAttribute('level', 'integer')] });
    const r = await scim.handle({
      method: 'POST',
      path: '/scim/v2/Users',
      headers: { authorization: 'Bearer t', 'content-type': 'application/scim+json' },
      body: { schemas: [USER, EXT], userName: 'w', [EXT]: { level: 2 } },
    });
    expect(r.status).toBe(201);
    expect((r.body as Record<string, unknown>)[EXT]).toEqual({ level: 2 });
  });
});
