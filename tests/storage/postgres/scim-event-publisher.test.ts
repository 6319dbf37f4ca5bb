/**
 * ScimEventPublisher in one process on PGlite: delivery to a function, RS256 tokens a receiver
 * verifies with the public key alone, a receiver's final refusal (400) reported and passed over,
 * retries with backoff while a destination fails, and configuration mistakes named when given.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScimServer, StaticTenantResolver } from '../../../src/index.js';
import { openPGlite, PostgresStorage, type PublishedEvent, ScimEventPublisher, type SqlClient } from '../../../src/storage/postgres/index.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';

function decode(part: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
}

describe('ScimEventPublisher (PGlite)', () => {
  let client: SqlClient;
  let scim: ScimServer;
  let keys: CryptoKeyPair;
  let server: Server | undefined;

  beforeAll(async () => {
    client = await openPGlite();
    const storage = new PostgresStorage(client, { auditOutbox: true });
    await storage.migrate();
    const resolver = new StaticTenantResolver([
      { id: 'fn', token: 'fn-token' },
      { id: 'refusing', token: 'refusing-token' },
      { id: 'pair', token: 'pair-token' },
      { id: 'slow', token: 'slow-token' },
    ]);
    await resolver.whenReady();
    scim = new ScimServer({ tenantResolver: resolver, storage });
    keys = (await crypto.subtle.generateKey(
      { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
      true,
      ['sign', 'verify'],
    )) as CryptoKeyPair;
  }, 60_000);

  afterAll(async () => {
    server?.close();
    await client?.close?.();
  });

  const create = async (tenant: string, userName: string) => {
    const r = await scim.handle({
      method: 'POST',
      path: '/scim/v2/Users',
      headers: { authorization: `Bearer ${tenant}-token`, 'content-type': 'application/scim+json' },
      body: JSON.stringify({ schemas: [USER], userName }),
    });
    expect(r.status).toBe(201);
    return String((r.body as { id: string }).id);
  };

  it('delivers RS256 tokens to a function, retrying with backoff while it fails, and a 400 refusal is final', async () => {
    const ids = [await create('fn', 'a'), await create('fn', 'b'), await create('refusing', 'c')];
    const delivered: PublishedEvent[] = [];
    let failures = 0;
    const errors: string[] = [];
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ err: 'invalid_audience', description: 'not ours' })));
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const publisher = new ScimEventPublisher(client, {
      issuer: 'https://issuer.test',
      signingKey: { alg: 'RS256', privateKey: keys.privateKey },
      destinations: (tenantId) =>
        tenantId === 'fn'
          ? {
              audience: 'fn-receiver',
              deliver: async (token, event) => {
                if (failures++ < 2) throw new Error('receiver down');
                const [h, p, s] = token.split('.') as [string, string, string];
                const ok = await crypto.subtle.verify('RSASSA-PKCS1-v1_5', keys.publicKey, Buffer.from(s, 'base64url'), new TextEncoder().encode(`${h}.${p}`));
                expect(ok).toBe(true);
                expect(decode(h)).toEqual({ alg: 'RS256', typ: 'secevent+jwt' });
                expect(decode(p)).toMatchObject({ iss: 'https://issuer.test', aud: 'fn-receiver', jti: event.claims.jti });
                delivered.push(event);
              },
            }
          : { audience: 'refusing', endpoint: `http://127.0.0.1:${port}/events` },
      retryDelay: 10,
      onError: (error, info) => errors.push(`${info.tenantId}: ${error.message}`),
    });
    const rounds: number[] = [];
    const deadline = Date.now() + 20_000;
    while (delivered.length < 2 && Date.now() < deadline) {
      rounds.push(await publisher.publish());
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
    expect(delivered.map((e) => e.claims.sub_id.uri)).toEqual([`/Users/${ids[0]}`, `/Users/${ids[1]}`]);
    expect(delivered.map((e) => e.sequence)).toEqual([1, 2]);
    expect(errors.filter((e) => e.startsWith('fn: receiver down'))).toHaveLength(2);
    expect(errors.some((e) => e.startsWith('refusing:') && e.includes('invalid_audience: not ours'))).toBe(true);
    const { rows } = await client.query('SELECT tenant_id, delivered::int AS delivered FROM scim.scim_event_deliveries ORDER BY tenant_id');
    expect(rows).toEqual([
      { tenant_id: 'fn', delivered: 2 },
      { tenant_id: 'refusing', delivered: 1 },
    ]);
    expect(await publisher.publish()).toBe(0);
  }, 60_000);

  it('two publishers at once deliver each event once, in order: a tenant is leased to one at a time', async () => {
    const ids = [await create('pair', 'p0'), await create('pair', 'p1'), await create('pair', 'p2'), await create('pair', 'p3')];
    const seen: string[] = [];
    const options = {
      issuer: 'https://issuer.test',
      signingKey: { alg: 'RS256' as const, privateKey: keys.privateKey },
      destinations: (tenantId: string) =>
        tenantId === 'pair'
          ? {
              audience: 'pair',
              deliver: async (_token: string, event: PublishedEvent) => {
                await new Promise((resolve) => setTimeout(resolve, 5));
                seen.push(event.claims.sub_id.uri);
              },
            }
          : undefined,
    };
    const one = new ScimEventPublisher(client, options);
    const two = new ScimEventPublisher(client, options);
    for (let i = 0; i < 20 && seen.length < ids.length; i++) await Promise.all([one.publish(), two.publish()]);
    expect(seen).toEqual(ids.map((id) => `/Users/${id}`));
  });

  it('waits retryDelay after a failure, doubled at each failure in a row, up to maxRetryDelay', async () => {
    await create('slow', 's0');
    const publisher = new ScimEventPublisher(client, {
      issuer: 'https://issuer.test',
      signingKey: { alg: 'RS256', privateKey: keys.privateKey },
      destinations: (tenantId) =>
        tenantId === 'slow'
          ? {
              audience: 'slow',
              deliver: async () => {
                throw new Error('down');
              },
            }
          : undefined,
      retryDelay: 1000,
      maxRetryDelay: 3000,
    });
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      await publisher.publish();
      const { rows } = await client.query(
        "SELECT (extract(epoch FROM next_attempt - clock_timestamp()) * 1000)::int AS wait, attempts FROM scim.scim_event_deliveries WHERE tenant_id = 'slow'",
      );
      expect(rows[0]?.attempts).toBe(i + 1);
      waits.push(Number(rows[0]?.wait));
      expect(await publisher.publish(), 'not due again before its time').toBe(0);
      await client.query("UPDATE scim.scim_event_deliveries SET next_attempt = clock_timestamp() WHERE tenant_id = 'slow'");
    }
    const expected = [1000, 2000, 3000, 3000];
    waits.forEach((wait, i) => {
      expect(wait).toBeLessThanOrEqual(expected[i] as number);
      expect(wait).toBeGreaterThan((expected[i] as number) - 500);
    });
  });

  it('names the option or the tenant and key of a configuration mistake', async () => {
    const base = { issuer: 'https://i.test', signingKey: { alg: 'ES256' as const, privateKey: keys.privateKey }, destinations: () => undefined };
    expect(() => new ScimEventPublisher(client, { ...base, issuer: '' })).toThrow(/"issuer"/);
    expect(() => new ScimEventPublisher(client, { ...base, pollInterval: -1 })).toThrow(/"pollInterval"/);
    expect(() => new ScimEventPublisher(client, { ...base, retries: 3 } as never)).toThrow(/"retries" is not known/);
    expect(() => new ScimEventPublisher(client, { ...base, signingKey: { alg: 'HS256', privateKey: keys.privateKey } as never })).toThrow(/"signingKey.alg"/);
    expect(() => new ScimEventPublisher(client, { ...base, signingKey: { alg: 'RS256', privateKey: keys.publicKey } })).toThrow(/"signingKey.privateKey"/);
    await create('fn', 'late');
    const errors: string[] = [];
    const publisher = new ScimEventPublisher(client, {
      ...base,
      signingKey: { alg: 'RS256', privateKey: keys.privateKey },
      destinations: (tenantId) => (tenantId === 'fn' ? { audience: 'x', endpoint: 'ftp://nowhere' } : undefined),
      retryDelay: 60_000,
      onError: (error, info) => errors.push(`${info.tenantId}: ${error.message}`),
    });
    expect(await publisher.publish()).toBe(0);
    expect(errors).toEqual(['fn: the event destination of tenant "fn": "endpoint" must be an http(s) URL']);
  });
});
