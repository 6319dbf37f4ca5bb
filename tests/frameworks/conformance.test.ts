/**
 * Every recipe in examples/ answers the conformance table byte for byte like the node:http
 * reference, each started as a real process the way the README starts it: Express, Fastify, Hono
 * on Node, Deno, Bun and workerd (the Cloudflare Workers runtime). The Next.js route handlers are
 * called in-process with real `Request` objects. What is normalised, and why, is in
 * conformance-table.ts (`normalise`): generated ids, timestamps and transport headers.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME_EXTENSION, HOST, runTable, TABLE, TENANTS, type WireRequest, type WireResponse } from './conformance-table.js';
import { RECIPES, ready, type Running, sendHttp, start, stop } from './recipes.js';

const running: Running[] = [];
const results = new Map<string, WireResponse[]>();
/** The tenants file, and the recipes' temporary directory (TMPDIR): removed when the file ends. */
const dir = mkdtempSync(join(tmpdir(), 'scim-conformance-'));

beforeAll(async () => {
  const tenantsFile = join(dir, 'tenants.json');
  writeFileSync(tenantsFile, JSON.stringify(TENANTS));
  try {
    for (const recipe of RECIPES) running.push(await start(recipe, { SCIM_TENANTS: tenantsFile, TMPDIR: dir }));
    await Promise.all(running.map((r) => ready(r)));
    await Promise.all(running.map(async (r) => results.set(r.recipe.name, await runTable((req) => sendHttp(r.port, req)))));
  } catch (error) {
    for (const r of running) stop(r);
    throw error;
  }
}, 180_000);

afterAll(() => {
  for (const r of running) stop(r);
  rmSync(dir, { recursive: true, force: true });
});

const reference = () => results.get(RECIPES[0]?.name as string) as WireResponse[];

/** Calls the Next.js route handlers of examples/frameworks/nextjs with real Requests. */
async function nextTransport(): Promise<(req: WireRequest) => Promise<WireResponse>> {
  process.env.SCIM_TENANTS = JSON.stringify(TENANTS);
  const route = (await import('../../examples/frameworks/nextjs/app/scim/v2/[...path]/route.js')) as Record<string, (request: Request) => Promise<Response>>;
  delete process.env.SCIM_TENANTS;
  return async (req) => {
    const handler = route[req.method];
    if (!handler) throw new Error(`the route exports no ${req.method}`);
    const { host: _host, ...headers } = req.headers;
    // Bytes, not a string: a Request made with a string body gets a text/plain Content-Type no client sent.
    const body = req.body !== undefined ? { body: new TextEncoder().encode(req.body) } : {};
    const response = await handler(new Request(`http://${HOST}${req.path}`, { method: req.method, headers, ...body }));
    const out: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      out[name] = value;
    });
    return { status: response.status, headers: out, body: await response.text() };
  };
}

describe('the conformance table', () => {
  it('is answered by the node:http reference as expected', () => {
    const answers = reference();
    expect(answers).toHaveLength(TABLE.length);
    for (const [i, step] of TABLE.entries()) expect(answers[i]?.status, `${step.name}: ${answers[i]?.body}`).toBe(step.status);
    // Not only statuses: the reference's bodies carry what the table did.
    const final = JSON.parse(answers.at(-1)?.body ?? '{}') as { Resources: { userName: string; [ACME_EXTENSION]?: { level: number } }[] };
    expect(final.Resources.map((u) => u.userName)).toEqual(['bjensen', 'bulk.user']);
    expect(final.Resources[0]?.[ACME_EXTENSION]).toEqual({ badge: 'B-18', level: 5 });
  });

  it.each(RECIPES.slice(1).map((r) => r.name))('is answered byte for byte like the reference by %s', (name) => {
    const answers = results.get(name) as WireResponse[];
    const expected = reference();
    for (const [i, step] of TABLE.entries()) expect(answers[i], `${name}, ${step.name}`).toEqual(expected[i]);
  });

  it('is answered byte for byte like the reference by the Next.js route handlers', async () => {
    const answers = await runTable(await nextTransport());
    const expected = reference();
    for (const [i, step] of TABLE.entries()) expect(answers[i], `Next.js, ${step.name}`).toEqual(expected[i]);
  });

  it('writes on workerd: create, replace, PATCH and a per-tenant extension attribute', () => {
    const answers = results.get('workerd') as WireResponse[];
    const at = (name: string) => answers[TABLE.findIndex((s) => s.name === name)] as WireResponse;
    const created = at('create with application/scim+json, enterprise and tenant extension');
    expect(created.status).toBe(201);
    expect(JSON.parse(created.body)[ACME_EXTENSION]).toEqual({ badge: 'B-17', level: 3 });
    const replaced = at('replace with application/json');
    expect(replaced.status).toBe(200);
    expect(JSON.parse(replaced.body)[ACME_EXTENSION]).toEqual({ badge: 'B-18', level: 4 });
    const patched = at('PATCH one tenant extension attribute');
    expect(patched.status).toBe(200);
    expect(JSON.parse(patched.body)[ACME_EXTENSION]).toEqual({ badge: 'B-18', level: 5 });
    expect(at('PATCH the way Entra ID sends it').status).toBe(200);
    expect(at('wrong type for the tenant extension').body).toContain(`${ACME_EXTENSION}:level: expected integer`);
  });
});
