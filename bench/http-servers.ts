/**
 * One HTTP server of the HTTP bench, run in a process of its own so that the load generator does
 * not share its CPU time: `tsx bench/http-servers.ts <kind>`, where kind is
 *
 * - `node`: ScimServer through the node adapter on node:http;
 * - `fetch`: ScimServer through the Fetch adapter, served on Node by @hono/node-server;
 * - `floor`: a bare node:http server that answers the same JSON from a Map, with no SCIM in it: the
 *   least any Node server must spend on these requests;
 * - `scimmy`: scimmy with scimmy-routers on Express, what Node users pick today.
 *
 * Each loads the same 10,000 users, listens on 127.0.0.1 on a free port and prints one JSON line:
 * its port, and the id of the user the GET and PATCH cases use.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import express from 'express';
import SCIMMY from 'scimmy';
import SCIMMYRouters from 'scimmy-routers';
import { toFetchHandler } from '../src/adapters/fetch.js';
import { toNodeHandler } from '../src/adapters/node.js';
import { ScimServer, StaticTenantResolver, type ScimObject } from '../src/index.js';

export const BENCH_USERS = 10_000;
export const BENCH_TOKEN = 'bench-token';
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

/** The i-th user of the data set. */
export function benchUser(i: number): ScimObject {
  const userName = `user${String(i).padStart(5, '0')}@example.com`;
  return {
    schemas: [USER],
    userName,
    name: { givenName: `Given${i}`, familyName: `Family${i}` },
    displayName: `Given${i} Family${i}`,
    emails: [{ value: userName, type: 'work', primary: true }],
    active: true,
  };
}

/** What a server prints once it listens. */
export interface Ready {
  port: number;
  /** The user GET by id reads. */
  getId: string;
  /** The user PATCH writes. */
  patchId: string;
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return (server.address() as AddressInfo).port;
}

async function scimServer(): Promise<{ scim: ScimServer; ids: string[] }> {
  const scim = new ScimServer({ tenantResolver: new StaticTenantResolver([{ id: 'bench', token: BENCH_TOKEN }]) });
  const ids: string[] = [];
  for (let i = 0; i < BENCH_USERS; i++) {
    const r = await scim.handle({
      method: 'POST',
      path: '/scim/v2/Users',
      headers: { authorization: `Bearer ${BENCH_TOKEN}`, 'content-type': 'application/scim+json' },
      body: benchUser(i),
    });
    ids.push((r.body as { id: string }).id);
  }
  return { scim, ids };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The floor: the same JSON from a Map, no parsing beyond JSON, no validation, no tenants. */
function floorServer(): { server: Server; ids: string[] } {
  const byId = new Map<string, ScimObject>();
  const byUserName = new Map<string, ScimObject>();
  const origin = 'http://127.0.0.1';
  const store = (body: ScimObject): ScimObject => {
    const id = randomUUID();
    const now = new Date().toISOString();
    const user = { ...body, id, meta: { resourceType: 'User', created: now, lastModified: now, version: 'W/"1"', location: `${origin}/scim/v2/Users/${id}` } };
    byId.set(id, user);
    byUserName.set(String(body.userName), user);
    return user;
  };
  const ids: string[] = [];
  for (let i = 0; i < BENCH_USERS; i++) ids.push(store(benchUser(i)).id as string);
  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/scim+json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...headers });
    res.end(text);
  };
  const server = createServer(async (req, res) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const id = path.startsWith('/scim/v2/Users/') ? path.slice('/scim/v2/Users/'.length) : undefined;
    if (req.method === 'GET' && id) {
      const user = byId.get(id);
      if (user) send(res, 200, user, { ETag: (user.meta as { version: string }).version });
      else send(res, 404, { status: '404' });
    } else if (req.method === 'GET' && path === '/scim/v2/Users') {
      const filter = new URLSearchParams(q < 0 ? '' : url.slice(q + 1)).get('filter') ?? '';
      const m = /^userName eq "(.*)"$/.exec(filter);
      const found = m ? byUserName.get(m[1] as string) : undefined;
      const resources = found ? [found] : [];
      send(res, 200, { schemas: [LIST], totalResults: resources.length, startIndex: 1, itemsPerPage: resources.length, Resources: resources });
    } else if (req.method === 'POST' && path === '/scim/v2/Users') {
      const user = store(JSON.parse(await readBody(req)) as ScimObject);
      send(res, 201, user, { Location: (user.meta as { location: string }).location, ETag: 'W/"1"' });
    } else if (req.method === 'PATCH' && id) {
      const user = byId.get(id) as ScimObject & { meta: { version: string; lastModified: string } };
      const patch = JSON.parse(await readBody(req)) as { Operations: { path: string; value: unknown }[] };
      for (const op of patch.Operations) user[op.path] = op.value;
      user.meta.version = `W/"${Number(/\d+/.exec(user.meta.version)?.[0]) + 1}"`;
      user.meta.lastModified = new Date().toISOString();
      send(res, 200, user, { ETag: user.meta.version });
    } else {
      send(res, 404, { status: '404' });
    }
  });
  return { server, ids };
}

/** scimmy with scimmy-routers on Express, its egress answering `userName eq` from a Map as a database index would. */
function scimmyServer(): { server: Server; ids: string[] } {
  type Stored = Record<string, unknown> & { userName: string };
  const byId = new Map<string, Stored>();
  const byUserName = new Map<string, Stored>();
  const save = (id: string, data: Record<string, unknown>): Stored => {
    const now = new Date();
    const previous = byId.get(id);
    const user: Stored = {
      ...data,
      userName: String(data.userName),
      id,
      meta: { created: (previous?.meta as { created?: Date } | undefined)?.created ?? now, lastModified: now },
    };
    if (previous) byUserName.delete(previous.userName);
    byId.set(id, user);
    byUserName.set(user.userName, user);
    return user;
  };
  const ids: string[] = [];
  for (let i = 0; i < BENCH_USERS; i++) {
    const id = randomUUID();
    save(id, benchUser(i) as Record<string, unknown>);
    ids.push(id);
  }
  SCIMMY.Resources.declare(SCIMMY.Resources.User)
    .ingress((resource, instance) => {
      const id = resource.id ?? randomUUID();
      if (resource.id && !byId.has(id)) throw new Error('not found');
      // scimmy's handler types want its own User shape; the stored object has it.
      return save(id, JSON.parse(JSON.stringify(instance)) as Record<string, unknown>) as never;
    })
    .egress((resource) => {
      if (resource.id) {
        const user = byId.get(resource.id);
        if (!user) throw new Error('not found');
        return user as never;
      }
      const filter = resource.filter as unknown as { userName?: [string, string] }[] | undefined;
      const eq = filter?.length === 1 ? filter[0]?.userName : undefined;
      if (eq && eq[0] === 'eq') {
        const user = byUserName.get(eq[1]);
        return (user ? [user] : []) as never;
      }
      return (resource.filter ? resource.filter.match([...byId.values()]) : [...byId.values()]) as never;
    })
    .degress((resource) => {
      byId.delete(resource.id as string);
    });
  const app = express();
  app.use(
    '/scim/v2',
    new SCIMMYRouters({
      type: 'bearer',
      handler: (request) => {
        if (request.header('authorization') !== `Bearer ${BENCH_TOKEN}`) throw new Error('Authorization not detected!');
        return 'bench';
      },
    }),
  );
  return { server: createServer(app), ids };
}

async function main(kind: string): Promise<void> {
  let server: Server;
  let ids: string[];
  if (kind === 'node' || kind === 'fetch') {
    const made = await scimServer();
    ids = made.ids;
    server = kind === 'node' ? createServer(toNodeHandler(made.scim)) : (createAdaptorServer({ fetch: toFetchHandler(made.scim) }) as Server);
  } else if (kind === 'floor') {
    ({ server, ids } = floorServer());
  } else if (kind === 'scimmy') {
    ({ server, ids } = scimmyServer());
  } else {
    throw new Error(`unknown server kind ${kind}`);
  }
  const port = await listen(server);
  const ready: Ready = { port, getId: ids[1234] as string, patchId: ids[4321] as string };
  console.log(JSON.stringify(ready));
}

if (process.argv[1]?.endsWith('http-servers.ts')) await main(process.argv[2] ?? '');
