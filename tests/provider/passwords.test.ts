/**
 * Passwords are hashed before any storage sees them, never returned, never logged, never filtered
 * or sorted on, and can be verified: the default PBKDF2 hasher, `verifyPassword`, the
 * `passwordHasher` option and `ScimOperationHandler.verifyPassword`.
 */
import { describe, expect, it } from 'vitest';
import {
  callbackAuditSink,
  ConfigurationError,
  DEFAULT_PBKDF2_ITERATIONS,
  type AuditEvent,
  type PasswordHasher,
  pbkdf2PasswordHasher,
  ScimServer,
  StaticTenantResolver,
  type TenantContext,
  verifyPassword,
  WORKERS_PBKDF2_ITERATIONS,
} from '../../src/index.js';
import { type Body, errorOf, testServer, USER_SCHEMA } from '../helpers/scim-client.js';

/** A fast PBKDF2: these tests are about where passwords go, not how slowly they are hashed. */
const fast = () => pbkdf2PasswordHasher({ iterations: 1_000 });

const FORMAT = /^\$pbkdf2-sha256\$i=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

function tenantOf(id: string): TenantContext {
  return { tenantId: id, isolationLevel: 'standard', permissions: {}, baseUrl: `https://scim.example.com/${id}` };
}

describe('pbkdf2PasswordHasher', () => {
  it("uses OWASP's 600,000 iterations by default and a self-describing value with a 16-byte salt", async () => {
    expect(DEFAULT_PBKDF2_ITERATIONS).toBe(600_000);
    const stored = await pbkdf2PasswordHasher().hash('correct horse');
    const m = FORMAT.exec(stored);
    expect(m, stored).not.toBeNull();
    expect(m?.[1]).toBe('600000');
    expect(Buffer.from(m?.[2] ?? '', 'base64')).toHaveLength(16);
    expect(Buffer.from(m?.[3] ?? '', 'base64')).toHaveLength(32);
    expect(await verifyPassword('correct horse', stored)).toBe(true);
    expect(await verifyPassword('correct horsf', stored)).toBe(false);
  });

  it('hashes off the event loop: a callback queued before a hash runs before the hash is done', async () => {
    let ticked = false;
    setImmediate(() => {
      ticked = true;
    });
    // Computed in the calling thread, the hash would be settled before any queued callback ran.
    await pbkdf2PasswordHasher({ iterations: 200_000 }).hash('off the loop');
    expect(ticked).toBe(true);
  });

  it('defaults to 100,000 iterations on Cloudflare Workers, which refuses more in production', async () => {
    expect(WORKERS_PBKDF2_ITERATIONS).toBe(100_000);
    const had = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
    Object.defineProperty(globalThis, 'navigator', { value: { userAgent: 'Cloudflare-Workers' }, configurable: true });
    try {
      expect(FORMAT.exec(await pbkdf2PasswordHasher().hash('on workers'))?.[1]).toBe('100000');
    } finally {
      if (had) Object.defineProperty(globalThis, 'navigator', had);
      else Reflect.deleteProperty(globalThis, 'navigator');
    }
    expect(FORMAT.exec(await pbkdf2PasswordHasher().hash('on node'))?.[1]).toBe('600000');
  });

  it('salts every password: the same password hashes to different values that both verify', async () => {
    const h = fast();
    const [a, b] = await Promise.all([h.hash('same'), h.hash('same')]);
    expect(a).not.toBe(b);
    expect(FORMAT.exec(a)?.[2]).not.toBe(FORMAT.exec(b)?.[2]);
    expect(await h.verify('same', a)).toBe(true);
    expect(await h.verify('same', b)).toBe(true);
  });

  it('verifies a value by its own iteration count, so raising the count keeps older passwords valid', async () => {
    const old = await pbkdf2PasswordHasher({ iterations: 1_000 }).hash('kept');
    const raised = pbkdf2PasswordHasher({ iterations: 2_000 });
    expect(await raised.verify('kept', old)).toBe(true);
    expect(FORMAT.exec(await raised.hash('kept'))?.[1]).toBe('2000');
  });

  it('matches the PBKDF2-HMAC-SHA-256 of node:crypto for the stored salt and count', async () => {
    const { pbkdf2Sync } = await import('node:crypto');
    const stored = await fast().hash('pässwörd ✓');
    const [, count, salt, hash] = FORMAT.exec(stored) ?? [];
    const expected = pbkdf2Sync('pässwörd ✓', Buffer.from(salt ?? '', 'base64'), Number(count), 32, 'sha256');
    expect(Buffer.from(hash ?? '', 'base64').equals(expected)).toBe(true);
  });

  it('refuses anything it did not make, and a tampered value, without throwing', async () => {
    const h = fast();
    const stored = await h.hash('secret');
    const [, count, salt, hash] = FORMAT.exec(stored) ?? [];
    const flipped = `${hash?.[0] === 'A' ? 'B' : 'A'}${hash?.slice(1)}`;
    const otherSalt = `${salt?.[0] === 'A' ? 'B' : 'A'}${salt?.slice(1)}`;
    for (const bad of [
      'secret',
      '',
      `$pbkdf2-sha256$i=${count}$${salt}$${flipped}`,
      `$pbkdf2-sha256$i=${count}$${otherSalt}$${hash}`,
      `$pbkdf2-sha256$i=${Number(count) + 1}$${salt}$${hash}`,
      `$pbkdf2-sha512$i=${count}$${salt}$${hash}`,
      `$pbkdf2-sha256$i=0$${salt}$${hash}`,
      `$pbkdf2-sha256$i=99999999$${salt}$${hash}`,
      `$pbkdf2-sha256$i=${count}$${salt}$${hash}$`,
      `$pbkdf2-sha256$i=${count}$$${hash}`,
      `$pbkdf2-sha256$i=${count}$${salt}$${hash?.slice(0, 8)}`,
      `$pbkdf2-sha256$i=${count}$${salt}$${hash}==`,
    ]) {
      expect(await h.verify('secret', bad), bad).toBe(false);
    }
    expect(await h.verify('secret', undefined as unknown as string)).toBe(false);
    expect(await h.verify('secret', stored)).toBe(true);
  });

  it('refuses options it cannot use, naming the key', () => {
    for (const [options, key] of [
      [{ iterations: 0 }, 'iterations'],
      [{ iterations: 1.5 }, 'iterations'],
      [{ iterations: 20_000_000 }, 'iterations'],
      [{ saltBytes: 4 }, 'saltBytes'],
      [{ saltBytes: Number.NaN }, 'saltBytes'],
    ] as const) {
      expect(() => pbkdf2PasswordHasher(options), key).toThrow(ConfigurationError);
      expect(() => pbkdf2PasswordHasher(options)).toThrow(new RegExp(`^${key} must be`));
    }
  });
});

describe('passwords through the server', () => {
  const clear = 'Tr0ub4dor&3-in-clear';

  async function created(options: { passwordHasher?: PasswordHasher } = {}) {
    const events: AuditEvent[] = [];
    const { server, as } = testServer([{ id: 'a', token: 'token-a' }], { audit: callbackAuditSink((e) => void events.push(e)), ...options });
    const c = as('a');
    const user = await c.createUser('pw.user', { password: clear });
    const model = server.schemas.model('User');
    if (!model) throw new Error('no User model');
    const stored = async () => (await server.storage.get(tenantOf('a'), model, user.id as string))?.password;
    return { server, c, user, stored, events };
  }

  it('stores a hash that verifies, never the password, and returns neither', async () => {
    const { server, c, user, stored } = await created({ passwordHasher: fast() });
    const kept = await stored();
    expect(typeof kept).toBe('string');
    expect(kept).not.toContain(clear);
    expect(kept).toMatch(FORMAT);
    expect(await verifyPassword(clear, kept as string, fast())).toBe(true);
    expect(await server.operations.verifyPassword(tenantOf('a'), 'User', user.id as string, clear)).toBe(true);
    for (const r of [
      await c.get(`/Users/${user.id}`),
      await c.get(`/Users/${user.id}`, { attributes: 'password' }),
      await c.get('/Users', { attributes: 'password,userName' }),
    ]) {
      expect(r.status).toBe(200);
      expect(JSON.stringify(r.body).toLowerCase()).not.toContain('password');
      expect(JSON.stringify(r.body)).not.toContain(kept as string);
    }
    expect(JSON.stringify(user)).not.toContain(clear);
  });

  it('hashes with the default PBKDF2 when no passwordHasher is given', async () => {
    const { stored } = await created();
    const kept = (await stored()) as string;
    expect(FORMAT.exec(kept)?.[1]).toBe(String(DEFAULT_PBKDF2_ITERATIONS));
    expect(await verifyPassword(clear, kept)).toBe(true);
  });

  it('verifyPassword on the handler: false for a wrong password, an unknown id, another tenant and a user without one', async () => {
    const events: AuditEvent[] = [];
    const { server, as } = testServer(
      [
        { id: 'a', token: 'token-a' },
        { id: 'b', token: 'token-b' },
      ],
      { passwordHasher: fast(), audit: callbackAuditSink((e) => void events.push(e)) },
    );
    const user = await as('a').createUser('pw.user', { password: clear });
    const none = await as('a').createUser('no.password');
    const verify = (tenant: string, id: unknown, password: string) => server.operations.verifyPassword(tenantOf(tenant), 'User', id as string, password);
    expect(await verify('a', user.id, clear)).toBe(true);
    expect(await verify('a', user.id, `${clear}x`)).toBe(false);
    expect(await verify('a', user.id, '')).toBe(false);
    expect(await verify('b', user.id, clear)).toBe(false);
    expect(await verify('a', none.id, clear)).toBe(false);
    expect(await verify('a', 'no-such-id', clear)).toBe(false);
    expect(await server.operations.verifyPassword(tenantOf('a'), 'Group', user.id as string, clear)).toBe(false);
    // Verifying is not a SCIM operation: nothing in the audit trail beyond the two creates.
    expect(events.map((e) => e.action)).toEqual(['create', 'create']);
  });

  it('PUT without a password keeps the stored hash; PUT and PATCH with one store its hash', async () => {
    const { server, c, user, stored } = await created({ passwordHasher: fast() });
    const first = await stored();
    const verify = (p: string) => server.operations.verifyPassword(tenantOf('a'), 'User', user.id as string, p);
    expect((await c.put(`/Users/${user.id}`, { schemas: [USER_SCHEMA], userName: 'pw.user', title: 'kept' })).status).toBe(200);
    expect(await stored()).toBe(first);
    expect((await c.put(`/Users/${user.id}`, { schemas: [USER_SCHEMA], userName: 'pw.user', password: 'Put-Passw0rd' })).status).toBe(200);
    expect(await verify('Put-Passw0rd')).toBe(true);
    expect(await verify(clear)).toBe(false);
    expect((await c.patch(`/Users/${user.id}`, [{ op: 'replace', path: 'password', value: 'Patch-Passw0rd' }])).status).toBe(200);
    expect(await verify('Patch-Passw0rd')).toBe(true);
    const hashed = await stored();
    // A PATCH that does not touch the password leaves the stored hash as it is (not hashed again).
    expect((await c.patch(`/Users/${user.id}`, [{ op: 'replace', path: 'title', value: 'other' }])).status).toBe(200);
    expect(await stored()).toBe(hashed);
    expect(await verify('Patch-Passw0rd')).toBe(true);
  });

  it('verifyPassword for a user that does not exist does the work of a wrong password', async () => {
    const calls: string[] = [];
    const inner = fast();
    const counting: PasswordHasher = {
      hash: async (p) => {
        calls.push('hash');
        return inner.hash(p);
      },
      verify: async (p, s) => {
        calls.push('verify');
        return inner.verify(p, s);
      },
    };
    const { server, user } = await created({ passwordHasher: counting });
    calls.length = 0;
    expect(await server.operations.verifyPassword(tenantOf('a'), 'User', user.id as string, 'wrong')).toBe(false);
    expect(calls).toEqual(['verify']);
    calls.length = 0;
    expect(await server.operations.verifyPassword(tenantOf('a'), 'User', 'no-such-id', 'wrong')).toBe(false);
    // One hash made once as a decoy, then a verify against it, as for a wrong password.
    expect(calls).toEqual(['hash', 'verify']);
    calls.length = 0;
    expect(await server.operations.verifyPassword(tenantOf('a'), 'User', 'no-such-id', 'wrong')).toBe(false);
    expect(calls).toEqual(['verify']);
  });

  it('uses the passwordHasher given: storage keeps what it returns, verification asks it', async () => {
    const seen: string[] = [];
    const reversed: PasswordHasher = {
      hash: async (p) => {
        seen.push(p);
        return `rev:${[...p].reverse().join('')}`;
      },
      verify: async (p, s) => s === `rev:${[...p].reverse().join('')}`,
    };
    const { server, user, stored } = await created({ passwordHasher: reversed });
    expect(seen).toEqual([clear]);
    expect(await stored()).toBe(`rev:${[...clear].reverse().join('')}`);
    expect(await server.operations.verifyPassword(tenantOf('a'), 'User', user.id as string, clear)).toBe(true);
    expect(await verifyPassword(clear, (await stored()) as string, reversed)).toBe(true);
  });

  it('refuses a passwordHasher that is not one, naming the key', () => {
    const resolver = new StaticTenantResolver([{ id: 'a', token: 'token-a' }]);
    const make = (passwordHasher: unknown) => () => new ScimServer({ tenantResolver: resolver, passwordHasher: passwordHasher as PasswordHasher });
    expect(make({ hash: async () => 'x' })).toThrow(ConfigurationError);
    expect(make({ hash: async () => 'x' })).toThrow(/^passwordHasher /);
    expect(make('pbkdf2')).toThrow(/^passwordHasher /);
    expect(make({ hash: async () => 'x', verify: async () => false })).not.toThrow();
  });

  it('never filters or sorts by a password, and never puts it in an audit event', async () => {
    const { c, events } = await created({ passwordHasher: fast() });
    const filtered = await c.get('/Users', { filter: `password eq "${clear}"` });
    expect(filtered.status).toBe(400);
    expect(errorOf(filtered).scimType).toBe('sensitive');
    for (const filter of ['password pr', 'userName pr and not (password sw "T")']) {
      const r = await c.post('/Users/.search', { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], filter });
      expect(r.status, filter).toBe(400);
    }
    const sorted = await c.get('/Users', { sortBy: 'password' });
    expect(sorted.status).toBe(400);
    expect(errorOf(sorted).scimType).toBe('invalidValue');
    expect(errorOf(sorted).detail).toMatch(/password.*never returned/);
    expect(events.map((e) => e.action)).toContain('create');
    expect(JSON.stringify(events)).not.toContain(clear);
    expect(events.find((e) => e.action === 'create')?.changed).toContain('password');
  });

  it("hashes a tenant extension's secret attribute however a PATCH names it", async () => {
    const PIN_EXT = 'urn:example:params:scim:schemas:extension:kiosk:2.0:User';
    const pin = {
      name: 'pin',
      type: 'string',
      multiValued: false,
      required: false,
      caseExact: true,
      mutability: 'writeOnly',
      returned: 'never',
      uniqueness: 'none',
    };
    const { server, as } = testServer([{ id: 'a', token: 'token-a' }], { passwordHasher: fast() });
    server.schemas.addTenantExtension('a', 'User', { id: PIN_EXT, name: 'Kiosk', attributes: [pin] } as never);
    const c = as('a');
    const user = await c.createUser('pin.user', { schemas: [USER_SCHEMA, PIN_EXT], [PIN_EXT]: { pin: '1111' } });
    const model = server.schemas.model('User');
    if (!model) throw new Error('no User model');
    const storedPin = async () => ((await server.storage.get(tenantOf('a'), model, user.id as string))?.[PIN_EXT] as { pin?: string } | undefined)?.pin;
    const check = async (value: string) => {
      const kept = await storedPin();
      expect(kept).not.toBe(value);
      expect(await fast().verify(value, kept as string), `${value} as ${kept}`).toBe(true);
    };
    await check('1111');
    for (const [value, operation] of [
      ['2222', { op: 'replace', path: `${PIN_EXT}:pin`, value: '2222' }],
      ['3333', { op: 'replace', path: `${PIN_EXT.toUpperCase()}:PIN`, value: '3333' }],
      ['4444', { op: 'replace', value: { [PIN_EXT]: { pin: '4444' } } }],
      ['5555', { op: 'add', value: { [`${PIN_EXT}:pin`]: '5555' } }],
      ['6666', { op: 'replace', path: PIN_EXT, value: { pin: '6666' } }],
    ] as const) {
      const r = await c.patch(`/Users/${user.id}`, [operation]);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(JSON.stringify(r.body)).not.toContain(value);
      await check(value);
    }
    expect((await c.put(`/Users/${user.id}`, { schemas: [USER_SCHEMA, PIN_EXT], userName: 'pin.user', [PIN_EXT]: { pin: '7777' } })).status).toBe(200);
    await check('7777');
  });

  it('hashes every password of a Bulk request', async () => {
    const { server, as } = testServer([{ id: 'a', token: 'token-a' }], { passwordHasher: fast() });
    const r = await as('a').post('/Bulk', {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
      Operations: [
        { method: 'POST', path: '/Users', bulkId: 'x', data: { schemas: [USER_SCHEMA], userName: 'bulk.x', password: 'Bulk-X' } },
        { method: 'POST', path: '/Users', bulkId: 'y', data: { schemas: [USER_SCHEMA], userName: 'bulk.y', password: 'Bulk-Y' } },
      ],
    });
    expect(r.status).toBe(200);
    const ids = ((r.body as Body).Operations as { location: string }[]).map((o) => o.location.split('/').pop() as string);
    expect(ids).toHaveLength(2);
    const verify = (id: string, p: string) => server.operations.verifyPassword(tenantOf('a'), 'User', id, p);
    expect([await verify(ids[0] as string, 'Bulk-X'), await verify(ids[1] as string, 'Bulk-Y'), await verify(ids[0] as string, 'Bulk-Y')]).toEqual([
      true,
      true,
      false,
    ]);
    expect(JSON.stringify(r.body)).not.toMatch(/Bulk-[XY]/);
  });
});
