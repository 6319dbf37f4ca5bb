/**
 * Replays the request sequences that Microsoft Entra ID and Okta really send (fixtures in
 * `tests/fixtures/clients/*.json`) through `ScimServer.handle`, and checks the answers those
 * clients expect.
 *
 * A fixture is `{ client, scenario, sources, defaults?, steps }`. Each step sends one request and
 * checks the response:
 *
 * - `request`: `method`, `path` (below `/scim/v2`), `query` (a raw query string, as an HTTP adapter
 *   passes it, or an object), `headers` (added to the fixture's `defaults.headers` and the bearer
 *   token), and either `body` (sent as JSON text, as it arrives over HTTP) or `bodyText`.
 * - `expect`: `status`; `headers` (names in any case); `body`, matched as a subset (see
 *   {@link mismatches}); `noBody` for 204/304.
 * - `capture`: `{ name: "body.id" | "headers.ETag" | "body.Resources.0.id" }`; `{{name}}` in any
 *   later string is replaced by the captured value.
 * - `stored`: `{ resourceType, id, expect }`, matched against the stored resource (for write-only
 *   attributes such as `password`, which no response shows). `"<hash of P>"` matches a stored value
 *   that is not `P` itself but verifies as `P` (storage keeps only password hashes).
 *
 * Every response is also checked for what any client relies on: a SCIM media type whenever there is
 * a body, SCIM Error JSON with `status` as a string for every error, and no body on 204.
 *
 * Each fixture is replayed twice: through `ScimServer.handle`, and over real HTTP (the node adapter
 * on a loopback socket, requests sent with `fetch`), as the client sends it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pbkdf2PasswordHasher, type ScimRequest, type ScimResponse, type ScimServer, verifyPassword } from '../../src/index.js';
import { toNodeHandler } from '../../src/adapters/node.js';
import { testServer } from '../helpers/scim-client.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface Step {
  name: string;
  request: {
    method: string;
    path: string;
    query?: string | Record<string, string>;
    headers?: Record<string, string>;
    body?: Json;
    bodyText?: string;
  };
  expect: {
    status: number;
    headers?: Record<string, string>;
    body?: Json;
    noBody?: boolean;
  };
  capture?: Record<string, string>;
  stored?: { resourceType: string; id: string; expect: Json };
}

interface Fixture {
  client: string;
  scenario: string;
  sources: string[];
  defaults?: { headers?: Record<string, string> };
  steps: Step[];
}

const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
const TENANT = { id: 'contoso', token: 'token-contoso', isolationLevel: 'standard' as const };
const FIXTURES = new URL('../fixtures/clients/', import.meta.url);

function loadFixtures(): { file: string; fixture: Fixture }[] {
  return readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ file, fixture: JSON.parse(readFileSync(new URL(file, FIXTURES), 'utf8')) as Fixture }));
}

/** Replaces `{{name}}` in every string of a JSON value. */
function substitute<T extends Json | undefined>(value: T, vars: Map<string, string>): T {
  if (value === undefined || value === null) return value;
  if (typeof value === 'string') {
    return value.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
      const v = vars.get(name);
      if (v === undefined) throw new Error(`{{${name}}} was not captured by an earlier step`);
      return v;
    }) as T;
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, vars)) as T;
  if (typeof value === 'object') {
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(value)) out[substitute(k, vars)] = substitute(v, vars);
    return out as T;
  }
  return value;
}

function header(r: ScimResponse, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(r.headers)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

/** Follows `body.a.0.b` / `headers.ETag` into a response. */
function pick(r: ScimResponse, path: string): unknown {
  const [root, ...rest] = path.split('.');
  if (root === 'headers') return header(r, rest.join('.'));
  if (root !== 'body') throw new Error(`capture path must start with body. or headers.: ${path}`);
  let v: unknown = r.body;
  for (const key of rest) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Differences between a value and an expectation. Objects match as a subset (keys not named are
 * free); arrays need the same length and match element by element. Markers: `"<absent>"` (key not
 * there), `"<present>"` (any value but null), `"<string>"`, `"<integer>"`, `{"<unordered>": [...]}`
 * (same length, any order), `{"<contains>": [...]}` (each expected element matches some element).
 */
function mismatches(actual: unknown, expected: Json, at: string): string[] {
  if (expected === '<absent>') return actual === undefined ? [] : [`${at}: expected absent, got ${JSON.stringify(actual)}`];
  if (expected === '<present>') return actual === undefined || actual === null ? [`${at}: expected a value, got ${String(actual)}`] : [];
  if (expected === '<string>') return typeof actual === 'string' ? [] : [`${at}: expected a string, got ${JSON.stringify(actual)}`];
  if (expected === '<integer>') return Number.isInteger(actual) ? [] : [`${at}: expected an integer, got ${JSON.stringify(actual)}`];
  if (isObject(expected) && ('<unordered>' in expected || '<contains>' in expected)) {
    const unordered = '<unordered>' in expected;
    const wanted = (unordered ? expected['<unordered>'] : expected['<contains>']) as Json[];
    if (!Array.isArray(actual)) return [`${at}: expected an array, got ${JSON.stringify(actual)}`];
    if (unordered && actual.length !== wanted.length) return [`${at}: expected ${wanted.length} elements, got ${actual.length}: ${JSON.stringify(actual)}`];
    const free = actual.map((_, i) => i);
    const out: string[] = [];
    for (const w of wanted) {
      const hit = free.findIndex((i) => mismatches(actual[i], w, at).length === 0);
      if (hit < 0) out.push(`${at}: no element matches ${JSON.stringify(w)} in ${JSON.stringify(actual)}`);
      else free.splice(hit, 1);
    }
    return out;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${at}: expected an array, got ${JSON.stringify(actual)}`];
    if (actual.length !== expected.length) return [`${at}: expected ${expected.length} elements, got ${actual.length}: ${JSON.stringify(actual)}`];
    return expected.flatMap((e, i) => mismatches(actual[i], e, `${at}[${i}]`));
  }
  if (isObject(expected)) {
    if (!isObject(actual)) return [`${at}: expected an object, got ${JSON.stringify(actual)}`];
    return Object.entries(expected).flatMap(([k, e]) => mismatches(actual[k], e, `${at}.${k}`));
  }
  return Object.is(actual, expected) ? [] : [`${at}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
}

/**
 * The expectation with each `"<hash of P>"` replaced by the actual value when that value is a hash
 * that verifies as `P` (and is not `P`), so that the matcher then accepts it; left as it is (and so
 * reported) otherwise.
 */
async function withVerifiedHashes(actual: unknown, expected: Json): Promise<Json> {
  if (typeof expected === 'string') {
    const m = /^<hash of (.*)>$/s.exec(expected);
    if (!m || typeof actual !== 'string' || actual === m[1]) return expected;
    return (await verifyPassword(m[1] as string, actual)) ? actual : expected;
  }
  if (!isObject(expected) || !isObject(actual)) return expected;
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(expected)) out[k] = await withVerifiedHashes(actual[k], v);
  return out;
}

/** What every client relies on, whatever the request. */
function invariantProblems(r: ScimResponse): string[] {
  const out: string[] = [];
  if (r.body !== undefined && !/^application\/scim\+json/i.test(header(r, 'content-type') ?? '')) {
    out.push(`a body needs Content-Type application/scim+json, got ${String(header(r, 'content-type'))}`);
  }
  if (r.status === 204 && r.body !== undefined) out.push('204 with a body');
  if (r.status >= 400) {
    const b = r.body as Record<string, unknown> | undefined;
    if (!Array.isArray(b?.schemas) || b.schemas[0] !== ERROR_SCHEMA) out.push(`error without SCIM Error JSON: ${JSON.stringify(b)}`);
    else if (b.status !== String(r.status)) out.push(`error status ${JSON.stringify(b.status)} should be the string "${r.status}"`);
  }
  return out;
}

const fixtures = loadFixtures();

describe('real-client fixtures', () => {
  it('are present and well formed', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(6);
    for (const { file, fixture } of fixtures) {
      expect(fixture.client, file).toMatch(/Entra|Okta/);
      expect(fixture.sources.length, file).toBeGreaterThan(0);
      expect(fixture.steps.length, file).toBeGreaterThan(0);
      for (const step of fixture.steps) {
        expect(typeof step.name, file).toBe('string');
        expect(Number.isInteger(step.expect?.status), `${file}: ${step.name}`).toBe(true);
      }
    }
  });

  it('catch a wrong answer (the matcher is not a rubber stamp)', async () => {
    // A password stored in clear, or a hash of another password, does not pass for its hash.
    const hash = await pbkdf2PasswordHasher({ iterations: 1000 }).hash('P');
    expect(mismatches('P', await withVerifiedHashes('P', '<hash of P>'), '$')).toHaveLength(1);
    expect(mismatches(hash, await withVerifiedHashes(hash, '<hash of Q>'), '$')).toHaveLength(1);
    expect(mismatches(hash, await withVerifiedHashes(hash, '<hash of P>'), '$')).toEqual([]);
    expect(mismatches({ a: 1, b: [1, 2] }, { a: 1, b: [1, 2] }, '$')).toEqual([]);
    expect(mismatches({ a: 1 }, { a: 2 }, '$')).toHaveLength(1);
    expect(mismatches({ a: 1 }, { a: '<absent>' }, '$')).toHaveLength(1);
    expect(mismatches({}, { a: '<present>' }, '$')).toHaveLength(1);
    expect(mismatches([1, 2, 3], [1, 2], '$')).toHaveLength(1);
    expect(mismatches([{ v: 'x' }, { v: 'y' }], { '<unordered>': [{ v: 'y' }, { v: 'x' }] }, '$')).toEqual([]);
    expect(mismatches([{ v: 'x' }, { v: 'x' }], { '<unordered>': [{ v: 'y' }, { v: 'x' }] }, '$')).toHaveLength(1);
    expect(mismatches([{ v: 'x' }], { '<contains>': [{ v: 'y' }] }, '$')).toHaveLength(1);
    expect(mismatches('1', '<integer>', '$')).toHaveLength(1);
    expect(
      invariantProblems({ status: 404, headers: { 'Content-Type': 'application/scim+json' }, body: { schemas: [ERROR_SCHEMA], status: 404 } }),
    ).toHaveLength(1);
    expect(invariantProblems({ status: 200, headers: { 'Content-Type': 'application/json' }, body: {} })).toHaveLength(1);
  });
});

type Send = (request: ScimRequest) => Promise<ScimResponse>;

/** A request sent over a real socket to `origin`, and the answer read back as a ScimResponse. */
async function overHttp(origin: string, request: ScimRequest): Promise<ScimResponse> {
  const query = typeof request.query === 'string' ? request.query : new URLSearchParams(request.query as Record<string, string>).toString();
  // One header per name, as a client sends it (a later spelling of a name replaces an earlier one).
  const sent: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers ?? {})) if (typeof value === 'string') sent[name.toLowerCase()] = value;
  const res = await fetch(`${origin}${request.path}${query ? `?${query}` : ''}`, {
    method: request.method,
    headers: sent,
    ...(request.body !== undefined ? { body: request.body as string } : {}),
  });
  const text = await res.text();
  const headers: Record<string, string> = {};
  res.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return { status: res.status, headers, ...(text !== '' ? { body: JSON.parse(text) as unknown } : {}) };
}

/** Sends to `server` in-process, or over HTTP through the node adapter on a loopback port. */
function transport(kind: 'in-process' | 'http', server: ScimServer): Send {
  if (kind === 'in-process') return (request) => server.handle(request);
  let listening: Server | undefined;
  let origin = '';
  beforeAll(async () => {
    listening = createServer(toNodeHandler(server));
    await new Promise<void>((resolve) => listening?.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    listening?.closeAllConnections();
    await new Promise((resolve) => listening?.close(resolve));
  });
  return (request) => overHttp(origin, request);
}

for (const { file, fixture } of fixtures)
  for (const kind of ['in-process', 'http'] as const) {
    describe(`${fixture.client}: ${fixture.scenario} (${file}, ${kind})`, () => {
      const { server, resolver } = testServer([TENANT]);
      const send = transport(kind, server);
      const vars = new Map<string, string>();

      for (const step of fixture.steps) {
        it(step.name, async () => {
          const req = substitute(step.request as unknown as Json, vars) as unknown as Step['request'];
          const headers: Record<string, string> = {
            Authorization: `Bearer ${TENANT.token}`,
            ...(fixture.defaults?.headers ?? {}),
            ...(req.headers ?? {}),
          };
          let body: string | undefined;
          if (req.bodyText !== undefined) body = req.bodyText;
          else if (req.body !== undefined) body = JSON.stringify(req.body);
          const r = await send({
            method: req.method,
            path: `/scim/v2${req.path}`,
            headers,
            ...(req.query !== undefined ? { query: req.query } : {}),
            ...(body !== undefined ? { body } : {}),
          });
          const shown = `${req.method} ${req.path}${typeof req.query === 'string' && req.query ? `?${req.query}` : ''} -> ${r.status} ${JSON.stringify(r.body)}`;

          expect(invariantProblems(r), shown).toEqual([]);
          expect(r.status, shown).toBe(step.expect.status);
          const want = substitute(step.expect as unknown as Json, vars) as unknown as Step['expect'];
          for (const [name, value] of Object.entries(want.headers ?? {})) {
            expect(mismatches(header(r, name), value, `header ${name}`), shown).toEqual([]);
          }
          if (want.noBody) expect(r.body, shown).toBeUndefined();
          if (want.body !== undefined) expect(mismatches(r.body, want.body, 'body'), shown).toEqual([]);

          for (const [name, path] of Object.entries(step.capture ?? {})) {
            const v = pick(r, path);
            expect(typeof v, `capture ${name} from ${path}: ${shown}`).toBe('string');
            vars.set(name, v as string);
          }

          if (step.stored) {
            const s = substitute(step.stored as unknown as Json, vars) as unknown as NonNullable<Step['stored']>;
            const tenant = await resolver.resolve({ token: TENANT.token, headers: {}, path: '/scim/v2', baseUrl: '/scim/v2', requestId: 'fixture-check' });
            if (!tenant) throw new Error('fixture tenant did not resolve');
            const type = server.schemas.model(s.resourceType);
            if (!type) throw new Error(`fixture names an unknown resource type ${s.resourceType}`);
            const stored = await server.storage.get(tenant, type, s.id);
            const expected = await withVerifiedHashes(stored, s.expect);
            expect(mismatches(stored, expected, 'stored'), JSON.stringify(stored)).toEqual([]);
          }
        });
      }
    });
  }
