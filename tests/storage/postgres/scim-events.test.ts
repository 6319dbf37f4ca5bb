/**
 * SCIM events out of the audit outbox, end to end: a receiver on loopback written here from RFC 8935
 * (push), RFC 8417 (Security Event Tokens), RFC 7515 (JWS) and RFC 9967 (SCIM events) alone
 * verifies each token's signature, issuer and audience, and refuses its first attempts with 503;
 * the publisher runs in a process of its own and is killed with SIGKILL in the middle, then started
 * again. Each receiver sees every change of its tenant, in order per resource, and nothing else.
 */
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ScimServer, StaticTenantResolver } from '../../../src/index.js';
import { connectPostgres, PostgresStorage, type SqlClient } from '../../../src/storage/postgres/index.js';
import { describePostgresServer, freshDatabase } from '../../helpers/postgres-server.js';
import { type Started, start } from '../../helpers/processes.js';

const root = join(import.meta.dirname, '..', '..', '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ISSUER = 'https://scim.example.test';
const PROV = 'urn:ietf:params:scim:event:prov:';

/** One token the receiver accepted. */
interface Received {
  jti: string;
  uri: string;
  events: Record<string, { version?: string; attributes?: string[] }>;
  aud: unknown;
  txn: unknown;
}

function fromBase64url(text: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(Buffer.from(text, 'base64url'));
}

/**
 * An RFC 8935 push receiver: a POST of `application/secevent+jwt` whose body is a JWS in compact
 * form (RFC 7515 §7.1). It checks the header (`alg` ES256, `typ` secevent+jwt), verifies the
 * signature over `header.payload` with the publisher's public key, checks `iss`, `aud`, `jti` and
 * `events` (RFC 8417 §2.2), and answers 202 Accepted, or 400 with an `err` code (RFC 8935 §2.4).
 * The first `failFirst` pushes get 503 instead, whatever they hold.
 */
async function startReceiver(
  publicKey: CryptoKey,
  audience: string,
  failFirst: number,
): Promise<{ server: Server; url: string; received: Received[]; attempts: () => number }> {
  const received: Received[] = [];
  let attempts = 0;
  const refuse = (res: import('node:http').ServerResponse, err: string, description: string) => {
    res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ err, description }));
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      attempts++;
      if (attempts <= failFirst) return void res.writeHead(503).end();
      if (req.method !== 'POST' || req.headers['content-type'] !== 'application/secevent+jwt') return refuse(res, 'invalid_request', 'not a SET push');
      const parts = Buffer.concat(chunks).toString('ascii').split('.');
      if (parts.length !== 3) return refuse(res, 'invalid_request', 'not a compact JWS');
      const [h, p, s] = parts as [string, string, string];
      const header = JSON.parse(Buffer.from(fromBase64url(h)).toString('utf8')) as { alg?: string; typ?: string };
      if (header.alg !== 'ES256' || header.typ !== 'secevent+jwt') return refuse(res, 'invalid_request', 'unexpected header');
      const valid = await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, publicKey, fromBase64url(s), new TextEncoder().encode(`${h}.${p}`));
      if (!valid) return refuse(res, 'invalid_key', 'signature does not verify');
      const claims = JSON.parse(Buffer.from(fromBase64url(p)).toString('utf8')) as Record<string, unknown>;
      if (claims.iss !== ISSUER) return refuse(res, 'invalid_issuer', String(claims.iss));
      const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
      if (!aud.includes(audience)) return refuse(res, 'invalid_audience', JSON.stringify(claims.aud));
      const sub = claims.sub_id as { format?: string; uri?: string } | undefined;
      if (typeof claims.jti !== 'string' || typeof claims.iat !== 'number' || typeof claims.events !== 'object' || sub?.format !== 'scim' || !sub.uri) {
        return refuse(res, 'invalid_request', 'missing claims');
      }
      received.push({ jti: claims.jti, uri: sub.uri, events: claims.events as Received['events'], aud: claims.aud, txn: claims.txn });
      // A receiver that takes its time, so that the publisher is killed with deliveries left to do.
      setTimeout(() => res.writeHead(202).end(), 15);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return { server, url: `http://127.0.0.1:${address.port}/events`, received, attempts: () => attempts };
}

function startPublisher(env: Record<string, string>): Promise<Started> {
  const p = start(tsx, [join(import.meta.dirname, 'fixtures', 'event-publisher-worker.ts')], { cwd: root, env: { ...process.env, ...env } });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the publisher did not start: ${p.output()}`)), 60_000);
    p.child.stdout?.on('data', () => {
      if (p.stdout().includes('READY')) {
        clearTimeout(timer);
        resolve(p);
      }
    });
    void p.exited.then((code) => reject(new Error(`the publisher exited (${code}): ${p.output()}`)));
  });
}

async function until(what: string, done: () => boolean | Promise<boolean>, ms = 45_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describePostgresServer('SCIM events pushed to per-tenant receivers', () => {
  let db: { url: string; drop: () => Promise<void> } | undefined;
  let client: SqlClient | undefined;
  let scim: ScimServer;
  const servers: Server[] = [];
  const publishers: Started[] = [];
  let receivers: Record<'events-a' | 'events-b', Awaited<ReturnType<typeof startReceiver>>>;
  let env: Record<string, string>;

  beforeAll(async () => {
    db = await freshDatabase('events');
    client = await connectPostgres(db.url, { max: 4 });
    const storage = new PostgresStorage(client, { auditOutbox: true });
    await storage.migrate();
    const resolver = new StaticTenantResolver([
      { id: 'events-a', token: 'a-token', isolationLevel: 'standard' },
      { id: 'events-b', token: 'b-token', isolationLevel: 'strict' },
      { id: 'events-c', token: 'c-token', isolationLevel: 'shared' },
    ]);
    await resolver.whenReady();
    scim = new ScimServer({ tenantResolver: resolver, storage });
    const keys = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
    receivers = {
      'events-a': await startReceiver(keys.publicKey, 'https://receiver.example.test/events-a', 3),
      'events-b': await startReceiver(keys.publicKey, 'https://receiver.example.test/events-b', 1),
    };
    servers.push(receivers['events-a'].server, receivers['events-b'].server);
    env = {
      DATABASE_URL: db.url,
      EVENT_SIGNING_JWK: JSON.stringify(await crypto.subtle.exportKey('jwk', keys.privateKey)),
      EVENT_ENDPOINTS: JSON.stringify({ 'events-a': receivers['events-a'].url, 'events-b': receivers['events-b'].url }),
    };
  }, 90_000);

  afterAll(async () => {
    for (const p of publishers) p.stop();
    for (const s of servers) s.close();
    await client?.close?.();
    await db?.drop();
  });

  async function call(tenant: string, method: string, path: string, body?: unknown) {
    const r = await scim.handle({
      method,
      path: `/scim/v2${path}`,
      headers: { authorization: `Bearer ${tenant.slice(-1)}-token`, 'content-type': 'application/scim+json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    expect(r.status, `${method} ${path}`).toBeLessThan(300);
    return (r.body ?? {}) as Record<string, unknown>;
  }

  /** Creates, deactivates, replaces, groups and deletes users of `tenant`. */
  async function changes(tenant: string, round: number): Promise<void> {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(String((await call(tenant, 'POST', '/Users', { schemas: [USER], userName: `r${round}u${i}` })).id));
    for (const id of ids) await call(tenant, 'PATCH', `/Users/${id}`, { schemas: [PATCH], Operations: [{ op: 'replace', path: 'active', value: false }] });
    for (const [i, id] of ids.entries()) await call(tenant, 'PUT', `/Users/${id}`, { schemas: [USER], userName: `r${round}u${i}`, active: true });
    await call(tenant, 'POST', '/Groups', { schemas: [GROUP], displayName: `r${round}`, members: ids.map((value) => ({ value })) });
    await call(tenant, 'DELETE', `/Users/${ids[0]}`);
  }

  /** The ids of a tenant's stored change events, in sequence order. */
  async function expected(tenant: string): Promise<string[]> {
    const { rows } = await (client as SqlClient).query(
      `SELECT e.event_id::text AS id FROM scim.scim_audit_events e WHERE e.tenant_id = $1 AND e.event->>'outcome' = 'success'
AND e.event->>'action' IN ('create', 'replace', 'patch', 'members', 'delete') ORDER BY e.sequence`,
      [tenant],
    );
    return rows.map((r) => String(r.id));
  }

  it('every change of a tenant reaches its receiver, verified, in order per resource, through a killed publisher and failing first attempts', async () => {
    for (const tenant of ['events-a', 'events-b', 'events-c']) await changes(tenant, 1);
    const firstRound = (await expected('events-a')).length;
    const first = await startPublisher(env);
    publishers.push(first);
    await until('the first deliveries', () => receivers['events-a'].received.length >= 8 && receivers['events-b'].received.length >= 4);
    first.signal('SIGKILL');
    await first.exited;
    const atKill = receivers['events-a'].received.length;
    for (const tenant of ['events-a', 'events-b', 'events-c']) await changes(tenant, 2);
    const second = await startPublisher(env);
    publishers.push(second);
    for (const tenant of ['events-a', 'events-b'] as const) {
      const want = await expected(tenant);
      await until(`${tenant}'s events`, () => want.every((id) => receivers[tenant].received.some((r) => r.jti === id)));
      const got = receivers[tenant].received;
      // Nothing of another tenant: only this tenant's event ids, for this tenant's audience.
      expect(new Set(got.map((r) => r.jti))).toEqual(new Set(want));
      expect(got.every((r) => r.aud === `https://receiver.example.test/${tenant}`)).toBe(true);
      // In order: first arrivals follow the tenant's sequence, so each resource's versions ascend.
      const firsts = got.filter((r, i) => got.findIndex((o) => o.jti === r.jti) === i);
      expect(firsts.map((r) => r.jti)).toEqual(want);
      const versions = new Map<string, number[]>();
      for (const r of firsts) {
        const notice = Object.entries(r.events).find(([uri]) => uri.endsWith(':notice'))?.[1];
        if (notice?.version) versions.set(r.uri, [...(versions.get(r.uri) ?? []), Number(/\d+/.exec(notice.version)?.[0])]);
      }
      for (const [uri, list] of versions) expect(list, uri).toEqual([...list].sort((a, b) => a - b));
      // At least once: a repeat only for what was in flight when the publisher died.
      expect(got.length - firsts.length).toBeLessThanOrEqual(1);
      // The RFC 9967 events of each change.
      const kinds = firsts.map((r) => Object.keys(r.events).sort().join(' '));
      expect(kinds).toContain(`${PROV}create:notice`);
      expect(kinds).toContain(`${PROV}deactivate ${PROV}patch:notice`);
      expect(kinds).toContain(`${PROV}activate ${PROV}put:notice`);
      expect(kinds).toContain(`${PROV}delete`);
      // The group a deleted user left changed in the same request: the same txn as the delete.
      for (const deleted of firsts.filter((r) => `${PROV}delete` in r.events)) {
        const left = firsts.filter((r) => r.txn === deleted.txn && r.uri.startsWith('/Groups/'));
        expect(left.map((r) => Object.keys(r.events))).toEqual([[`${PROV}patch:notice`]]);
      }
    }
    expect(receivers['events-a'].attempts()).toBeGreaterThan(receivers['events-a'].received.length); // the 503s were retried
    expect(atKill, 'the publisher was killed with deliveries left to do').toBeLessThan(firstRound);
    // Delivery latency: a change made now, until its receiver holds it (poll interval 25 ms).
    const latencies: number[] = [];
    for (let i = 0; i < 10; i++) {
      const before = receivers['events-b'].received.length;
      const t0 = performance.now();
      await call('events-b', 'POST', '/Users', { schemas: [USER], userName: `latency${i}` });
      await until('a fresh event', () => receivers['events-b'].received.length > before, 10_000);
      latencies.push(performance.now() - t0);
    }
    latencies.sort((a, b) => a - b);
    console.log(`SCIM event delivery latency over 10 changes: median ${latencies[5]?.toFixed(0)} ms, max ${latencies[9]?.toFixed(0)} ms`);
  }, 150_000);
});
