/**
 * examples/mcp-server.ts run both ways, as an MCP host would run it: over Streamable HTTP with a
 * bearer token per tenant, and over stdio bound to the tenant of $SCIM_TENANT_TOKEN. Each process
 * runs detached, in a process group of its own, and the group is killed when the tests end.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ReadBuffer, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { start as startProcess } from '../helpers/processes.js';

const root = join(import.meta.dirname, '..', '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const EXTENSION = 'urn:example:params:scim:schemas:extension:initech:2.0:User';

function tenantsFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'scim-mcp-tenants-')), 'tenants.json');
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
  return startProcess(tsx, ['examples/mcp-server.ts', ...args], { cwd: root, env: { ...process.env, ...env }, input: true }).child;
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
