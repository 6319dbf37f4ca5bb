/**
 * examples/mcp-server.ts run both ways, as an MCP host would run it: over Streamable HTTP with a
 * bearer token per tenant, and over stdio bound to the tenant of $SCIM_TENANT_TOKEN; and on the
 * storage the environment picks, the same one examples/http-server.ts picks, so that agents and the
 * identity provider share one directory. Each process runs detached, in a process group of its own,
 * and the group is killed when the tests end.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ReadBuffer, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, describe, expect, it } from 'vitest';
import { describePostgresServer, freshDatabase } from '../helpers/postgres-server.js';
import { type Started, start as startProcess } from '../helpers/processes.js';

const root = join(import.meta.dirname, '..', '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const EXTENSION = 'urn:example:params:scim:schemas:extension:initech:2.0:User';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A temporary directory, removed after the tests. */
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

/** No storage from the environment unless a test asks for one. */
const IN_MEMORY = { DATABASE_URL: '', SCIM_DATA_DIR: '' };

function tenantsFile(): string {
  const file = join(tempDir('scim-mcp-tenants-'), 'tenants.json');
  const attribute = {
    name: 'badge',
    type: 'string',
    multiValued: false,
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
  };
  writeFileSync(
    file,
    JSON.stringify({
      tenants: [
        {
          id: 'initech',
          token: 'secret-i',
          clientId: 'initech-okta',
          extensions: [{ resourceType: 'User', schema: { id: EXTENSION, name: 'InitechUser', attributes: [attribute] } }],
        },
        { id: 'hooli', token: 'secret-h', permissions: { maxUsers: 1 } },
      ],
    }),
  );
  return file;
}

/** Starts the example in a process group of its own, killed after the tests at the latest (tests/helpers/processes.ts). */
function start(args: string[], env: Record<string, string>): ChildProcess {
  return startProcess(tsx, ['examples/mcp-server.ts', ...args], { cwd: root, env: { ...process.env, ...IN_MEMORY, ...env }, input: true }).child;
}

/** Waits until a started process's standard output matches `pattern`, and returns the match. */
function waitFor(started: Started, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${pattern}: ${started.output()}`)), 60_000);
    const check = () => {
      const m = pattern.exec(started.stdout());
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    };
    started.child.stdout?.on('data', check);
    check();
    void started.exited.then(() => reject(new Error(`exited: ${started.output()}`)));
  });
}

/** examples/http-server.ts on the storage `env` picks; resolves with its origin once it listens. */
async function scimServer(env: Record<string, string>): Promise<{ origin: string; started: Started }> {
  const started = startProcess(process.execPath, ['--import', 'tsx', 'examples/http-server.ts'], {
    cwd: root,
    env: { ...process.env, ...IN_MEMORY, PORT: '0', SCIM_MAX_REQUESTS: '', ...env },
  });
  const m = await waitFor(started, /listening on (http:\/\/127\.0\.0\.1:\d+)\/scim\/v2/);
  return { origin: m[1] as string, started };
}

/** Stops a started example with SIGTERM, as an operator does, and returns its exit code. */
async function stop(started: Started): Promise<number | string> {
  started.signal('SIGTERM');
  const code = await started.exited;
  started.stop();
  return code;
}

/** A SCIM request to examples/http-server.ts with a tenant's token. */
async function scim(origin: string, token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const r = await fetch(`${origin}/scim/v2${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await r.text();
  return { status: r.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}

/** An MCP client transport over a child process's stdin and stdout (newline-delimited JSON-RPC). */
class ChildStdioTransport implements Transport {
  onmessage?: (message: JSONRPCMessage) => void;
  onclose?: () => void;
  onerror?: (error: Error) => void;
  private readonly buffer = new ReadBuffer();

  constructor(private readonly child: ChildProcess) {}

  async start(): Promise<void> {
    this.child.stdout?.on('data', (chunk: Buffer) => {
      this.buffer.append(chunk);
      for (let message = this.buffer.readMessage(); message; message = this.buffer.readMessage()) this.onmessage?.(message);
    });
    this.child.on('exit', () => this.onclose?.());
  }

  async send(message: JSONRPCMessage): Promise<void> {
    this.child.stdin?.write(serializeMessage(message));
  }

  async close(): Promise<void> {
    this.child.stdin?.end();
  }
}

describe('examples/mcp-server.ts', () => {
  it('serves each tenant over Streamable HTTP, by bearer token, with audit on stderr', async () => {
    const child = start([], { PORT: '0', SCIM_TENANTS: tenantsFile(), SCIM_AUDIT: '1', SCIM_BASE_URL: 'https://scim.example.com/scim/v2' });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const url = await new Promise<URL>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`no start: ${out} ${stderr}`)), 30_000);
      child.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(new URL(m[1] as string));
        }
      });
      child.on('exit', () => reject(new Error(`exited: ${out} ${stderr}`)));
    });
    const connect = async (token: string) => {
      const client = new Client({ name: 'example-test', version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
      return client;
    };
    const initech = await connect('secret-i');
    const hooli = await connect('secret-h');
    expect(JSON.stringify((await initech.listTools()).tools)).toContain('InitechUser');
    expect(JSON.stringify((await hooli.listTools()).tools)).not.toContain('InitechUser');
    const created = await initech.callTool({ name: 'create_user', arguments: { userName: 'milton', InitechUser: { badge: 'B-7' } } });
    const user = created.structuredContent as { id: string; meta: { location: string }; [EXTENSION]: { badge: string } };
    expect(user[EXTENSION]).toEqual({ badge: 'B-7' });
    expect(user.meta.location).toBe(`https://scim.example.com/scim/v2/Users/${user.id}`);
    expect((await hooli.callTool({ name: 'get_user', arguments: { id: user.id } })).isError).toBe(true);
    await hooli.callTool({ name: 'create_user', arguments: { userName: 'gavin' } });
    const quota = await hooli.callTool({ name: 'create_user', arguments: { userName: 'jared' } });
    expect(quota.isError).toBe(true);
    expect(JSON.stringify(quota.content)).toMatch(/403.*maxUsers/);
    const refused = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer wrong' }, body: '{}' });
    expect(refused.status).toBe(401);
    await initech.close();
    await hooli.close();
    const audit = stderr
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { tenantId: string; action: string; clientId: string; outcome: string });
    expect(audit).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ tenantId: 'initech', action: 'create', outcome: 'success', clientId: 'initech-okta via mcp:example-test' }),
        expect.objectContaining({ tenantId: 'hooli', action: 'create', outcome: 'refused', reason: 'maxUsers' }),
      ]),
    );
  }, 60_000);

  it('serves the one tenant of $SCIM_TENANT_TOKEN over stdio', async () => {
    const child = start(['--stdio'], { SCIM_TENANTS: tenantsFile(), SCIM_TENANT_TOKEN: 'secret-i' });
    const client = new Client({ name: 'stdio-test', version: '1.0.0' });
    await client.connect(new ChildStdioTransport(child));
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain('create_user');
    expect(JSON.stringify(tools)).toContain('InitechUser');
    const created = await client.callTool({ name: 'create_user', arguments: { userName: 'samir' } });
    expect(created.isError).toBeFalsy();
    const found = await client.callTool({ name: 'search_users', arguments: { filter: 'userName eq "samir"' } });
    expect((found.structuredContent as { totalResults: number }).totalResults).toBe(1);
    const bad = await client.callTool({ name: 'search_users', arguments: { filter: 'userName eq' } });
    expect(bad.isError).toBe(true);
    expect(JSON.stringify(bad.content)).toContain('invalidFilter');
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await client.close();
    expect(await exited).toBe(0);
  }, 60_000);

  it('refuses to serve stdio without a token, or with one that names no tenant', async () => {
    for (const token of [undefined, 'not-a-token']) {
      const child = start(['--stdio'], { SCIM_TENANTS: tenantsFile(), ...(token ? { SCIM_TENANT_TOKEN: token } : {}) });
      let stderr = '';
      let stdout = '';
      child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
      child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(code).toBe(1);
      expect(stderr).toMatch(/Refused: .*token/);
      expect(stdout).toBe('');
    }
  }, 60_000);
});

describe('examples/mcp-server.ts on the storage the environment picks', () => {
  it('in memory without DATABASE_URL or SCIM_DATA_DIR, and says so', async () => {
    const started = startProcess(process.execPath, ['--import', 'tsx', 'examples/mcp-server.ts'], {
      cwd: root,
      env: { ...process.env, ...IN_MEMORY, PORT: '0', SCIM_TENANTS: tenantsFile() },
    });
    await waitFor(started, /listening on http:\/\/127\.0\.0\.1:\d+\/mcp/);
    expect(started.stdout()).toMatch(/^Storage: memory /m);
    expect(await stop(started)).toBe(0);
  }, 60_000);

  it('with SCIM_DATA_DIR: what an agent creates over stdio is kept, and the SCIM server finds it there', async () => {
    const dir = tempDir('scim-mcp-data-');
    const tenants = tenantsFile();
    const started = startProcess(tsx, ['examples/mcp-server.ts', '--stdio'], {
      cwd: root,
      env: { ...process.env, SCIM_TENANTS: tenants, SCIM_TENANT_TOKEN: 'secret-i', DATABASE_URL: '', SCIM_DATA_DIR: dir },
      input: true,
    });
    const client = new Client({ name: 'stdio-storage-test', version: '1.0.0' });
    await client.connect(new ChildStdioTransport(started.child));
    const created = await client.callTool({ name: 'create_user', arguments: { userName: 'peter', InitechUser: { badge: 'B-9' } } });
    expect(created.isError).toBeFalsy();
    const id = (created.structuredContent as { id: string }).id;
    await client.close();
    // The end of stdin closes the storage and exits 0; stdout carried nothing but the protocol.
    expect(await started.exited).toBe(0);
    expect(started.output()).toContain(`Storage: PGlite in ${dir}`);
    expect(started.stdout()).not.toContain('Storage:');

    const { origin, started: server } = await scimServer({ SCIM_TENANTS: tenants, SCIM_DATA_DIR: dir });
    try {
      expect(server.stdout()).toContain(`Storage: PGlite in ${dir}`);
      const found = await scim(origin, 'secret-i', 'GET', `/Users/${id}`);
      expect(found.status).toBe(200);
      expect(found.body).toMatchObject({ userName: 'peter', [EXTENSION]: { badge: 'B-9' } });
      expect((await scim(origin, 'secret-h', 'GET', `/Users/${id}`)).status).toBe(404);
    } finally {
      expect(await stop(server)).toBe(0);
    }
  }, 120_000);
});

describePostgresServer('examples/mcp-server.ts with DATABASE_URL', () => {
  it('shares one database with the SCIM server: agents find what the identity provider provisions, and it sees their changes', async () => {
    const db = await freshDatabase('mcp_example');
    const tenants = tenantsFile();
    const env = { SCIM_TENANTS: tenants, DATABASE_URL: db.url, SCIM_DATA_DIR: '' };
    const { origin, started: scimProcess } = await scimServer(env);
    // One process each (node with tsx's loader), so that the exit codes are the servers' own.
    const mcpProcess = startProcess(process.execPath, ['--import', 'tsx', 'examples/mcp-server.ts'], { cwd: root, env: { ...process.env, ...env, PORT: '0' } });
    try {
      const url = new URL((await waitFor(mcpProcess, /listening on (http:\/\/127\.0\.0\.1:\d+\/mcp)/))[1] as string);
      expect(mcpProcess.stdout()).toMatch(/^Storage: PostgreSQL at postgres:\/\/postgres@127\.0\.0\.1:\d+\/scim_mcp_example_/m);
      // The identity provider provisions a user over SCIM.
      const provisioned = await scim(origin, 'secret-i', 'POST', '/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'bill' });
      expect(provisioned.status).toBe(201);
      const userId = String(provisioned.body.id);

      const agent = new Client({ name: 'pg-test', version: '1.0.0' });
      await agent.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers: { Authorization: 'Bearer secret-i' } } }));
      const found = await agent.callTool({ name: 'search_users', arguments: { filter: 'userName eq "bill"' } });
      expect(found.structuredContent).toMatchObject({ totalResults: 1, Resources: [{ id: userId, userName: 'bill' }] });
      const group = await agent.callTool({ name: 'create_group', arguments: { displayName: 'Reviewers', members: [{ value: userId }] } });
      expect(group.isError).toBeFalsy();
      const groupId = (group.structuredContent as { id: string }).id;
      await agent.callTool({ name: 'deactivate_user', arguments: { id: userId } });
      await agent.close();

      // The SCIM server sees the agent's changes, and the other tenant sees none of it on either side.
      const user = await scim(origin, 'secret-i', 'GET', `/Users/${userId}`);
      expect(user.body).toMatchObject({ active: false, groups: [{ value: groupId }] });
      expect((await scim(origin, 'secret-h', 'GET', `/Groups/${groupId}`)).status).toBe(404);
      const other = new Client({ name: 'pg-test-other', version: '1.0.0' });
      await other.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers: { Authorization: 'Bearer secret-h' } } }));
      expect((await other.callTool({ name: 'search_users', arguments: {} })).structuredContent).toMatchObject({ totalResults: 0 });
      await other.close();
    } finally {
      expect(await stop(mcpProcess)).toBe(0);
      expect(await stop(scimProcess)).toBe(0);
      await db.drop();
    }
  }, 120_000);
});
