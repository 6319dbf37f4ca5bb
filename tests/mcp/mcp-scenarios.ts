/**
 * What the MCP server must do whatever carries it: the same scenarios run over the SDK's in-memory
 * transport and over real Streamable HTTP on loopback, each with the SDK's own Client.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ACME_EXTENSION_URI,
  ALL_TOOLS,
  ENTERPRISE,
  READ_TOOLS,
  TOKENS,
  USER_SCHEMA,
  call,
  mcpFixture,
  ok,
  propertyNames,
  type Connect,
  type McpFixture,
  type Resource,
} from './mcp-fixture.js';

/** A transport under test: how to open a client on a fixture, and how to stop. */
export interface McpTransportUnderTest {
  connect: Connect;
  close(): Promise<void>;
}

/** The text of a resource's contents. */
function textOf(contents: { uri: string } | undefined): string {
  return contents && 'text' in contents && typeof contents.text === 'string' ? contents.text : '';
}

type Tool = Awaited<ReturnType<Client['listTools']>>['tools'][number];

export function mcpScenarios(label: string, start: (fixture: McpFixture) => Promise<McpTransportUnderTest>): void {
  describe(`MCP tools over ${label}`, () => {
    let fixture: McpFixture;
    let transport: McpTransportUnderTest;
    const clients: Client[] = [];
    const open = async (token: string, name = 'scenario-agent'): Promise<Client> => {
      const client = await transport.connect(token, name);
      clients.push(client);
      return client;
    };

    beforeAll(async () => {
      fixture = await mcpFixture();
      transport = await start(fixture);
    });
    afterEach(async () => {
      await Promise.all(clients.splice(0).map((c) => c.close()));
    });
    afterAll(async () => {
      await transport?.close();
    });

    it('lists every tool of the tenant, each with input and output schemas and all four annotations', async () => {
      const client = await open(TOKENS.acme);
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual(ALL_TOOLS);
      const byName = new Map(tools.map((t) => [t.name, t]));
      for (const tool of tools) {
        expect(tool.inputSchema.type, tool.name).toBe('object');
        expect(tool.outputSchema?.type, tool.name).toBe('object');
        expect(tool.description?.length, tool.name).toBeGreaterThan(20);
        const a = tool.annotations ?? {};
        expect(
          [a.readOnlyHint, a.destructiveHint, a.idempotentHint, a.openWorldHint].every((h) => typeof h === 'boolean'),
          tool.name,
        ).toBe(true);
        expect(a.readOnlyHint, tool.name).toBe(READ_TOOLS.includes(tool.name));
        expect(a.openWorldHint, tool.name).toBe(false);
        // Every input property name is one every MCP host accepts (no URN, no $ref).
        for (const property of propertyNames(tool.inputSchema)) expect(property, tool.name).toMatch(/^[A-Za-z0-9_.-]{1,64}$/);
      }
      const hints = (name: string) => byName.get(name)?.annotations;
      expect(hints('delete_user')).toMatchObject({ destructiveHint: true, idempotentHint: true });
      expect(hints('create_user')).toMatchObject({ destructiveHint: false, idempotentHint: false });
      expect(hints('update_user')).toMatchObject({ destructiveHint: true, idempotentHint: false });
      expect(hints('deactivate_user')).toMatchObject({ destructiveHint: true, idempotentHint: true });
      expect(hints('reactivate_user')).toMatchObject({ destructiveHint: false, idempotentHint: true });
      expect(hints('add_group_members')).toMatchObject({ destructiveHint: false, idempotentHint: true });
      expect(hints('remove_group_members')).toMatchObject({ destructiveHint: true, idempotentHint: true });
      const create = byName.get('create_user') as Tool;
      expect(create.inputSchema.required).toEqual(['userName']);
      expect(Object.keys(create.inputSchema.properties ?? {})).toEqual(
        expect.arrayContaining(['userName', 'name', 'emails', 'active', 'EnterpriseUser', 'AcmeUser']),
      );
      expect(Object.keys(create.inputSchema.properties ?? {})).not.toContain('id');
      expect(Object.keys(create.outputSchema?.properties ?? {})).toEqual(expect.arrayContaining(['id', 'userName', 'meta', ENTERPRISE, ACME_EXTENSION_URI]));
      expect(byName.get('create_group')?.inputSchema.required).toEqual(['displayName']);
      // The discovery tools offer the tenant's own schema ids and resource type names to choose from.
      const choices = (tool: string, property: string) => (byName.get(tool)?.inputSchema.properties?.[property] as { enum?: string[] } | undefined)?.enum;
      expect(choices('describe_schemas', 'id')).toEqual(expect.arrayContaining([USER_SCHEMA, ENTERPRISE, ACME_EXTENSION_URI]));
      expect(choices('describe_resource_types', 'name')).toEqual(['User', 'Group']);
      expect(byName.get('describe_schemas')?.inputSchema.required).toBeUndefined();
    });

    it('runs each tool on its happy path', async () => {
      const client = await open(TOKENS.acme);
      const user = await ok(client, 'create_user', {
        userName: 'happy.bjensen',
        name: { givenName: 'Barbara', familyName: 'Jensen' },
        emails: [{ value: 'bjensen@example.com', type: 'work', primary: true }],
        EnterpriseUser: { employeeNumber: '701984' },
        AcmeUser: { costCenter: 'CC-7', badgeNumber: 42 },
      });
      expect(user).toMatchObject({
        schemas: [USER_SCHEMA, ENTERPRISE, ACME_EXTENSION_URI],
        userName: 'happy.bjensen',
        [ENTERPRISE]: { employeeNumber: '701984' },
        [ACME_EXTENSION_URI]: { costCenter: 'CC-7', badgeNumber: 42 },
        meta: { version: 'W/"1"' },
      });
      const projected = await ok(client, 'get_user', { id: user.id, attributes: ['userName'] });
      expect(Object.keys(projected).sort()).toEqual(['id', 'schemas', 'userName']);
      expect(projected).toMatchObject({ id: user.id, userName: 'happy.bjensen' });

      const updated = await ok(client, 'update_user', {
        id: user.id,
        ifMatch: 'W/"1"',
        operations: [
          { op: 'replace', path: 'title', value: 'Tour Guide' },
          { op: 'add', path: `${ACME_EXTENSION_URI}:costCenter`, value: 'CC-8' },
        ],
      });
      expect(updated).toMatchObject({ title: 'Tour Guide', [ACME_EXTENSION_URI]: { costCenter: 'CC-8' }, meta: { version: 'W/"2"' } });
      expect((await ok(client, 'deactivate_user', { id: user.id })).active).toBe(false);
      expect((await ok(client, 'reactivate_user', { id: user.id })).active).toBe(true);

      // An extension written under its URN, as in SCIM JSON, is accepted too.
      const byUrn = await ok(client, 'create_user', { userName: 'happy.urn', [ACME_EXTENSION_URI]: { costCenter: 'CC-U' } });
      expect(byUrn).toMatchObject({ schemas: [USER_SCHEMA, ACME_EXTENSION_URI], [ACME_EXTENSION_URI]: { costCenter: 'CC-U' } });
      await ok(client, 'delete_user', { id: byUrn.id });
      for (const userName of ['happy.a', 'happy.b', 'happy.c']) await ok(client, 'create_user', { userName });
      const firstPage = await ok<{ totalResults: number; Resources: Resource[]; nextCursor?: string }>(client, 'search_users', {
        filter: 'userName sw "happy."',
        sortBy: 'userName',
        sortOrder: 'descending',
        count: 2,
        cursor: '',
        attributes: ['userName'],
      });
      expect(firstPage.totalResults).toBe(4);
      expect(firstPage.Resources.map((r) => r.userName)).toEqual(['happy.c', 'happy.bjensen']);
      const secondPage = await ok<{ Resources: Resource[] }>(client, 'search_users', {
        filter: 'userName sw "happy."',
        sortBy: 'userName',
        sortOrder: 'descending',
        count: 2,
        cursor: firstPage.nextCursor,
        attributes: ['userName'],
      });
      expect(secondPage.Resources.map((r) => r.userName)).toEqual(['happy.b', 'happy.a']);
      const byIndex = await ok<{ startIndex: number; Resources: Resource[] }>(client, 'search_users', {
        filter: 'userName sw "happy."',
        sortBy: 'userName',
        startIndex: 2,
        count: 1,
      });
      expect(byIndex).toMatchObject({ startIndex: 2, Resources: [{ userName: 'happy.b' }] });

      const group = await ok(client, 'create_group', { displayName: 'Happy Few', members: [{ value: user.id }] });
      expect(group.members).toEqual([expect.objectContaining({ value: user.id })]);
      const [a, b] = (await ok<{ Resources: Resource[] }>(client, 'search_users', { filter: 'userName eq "happy.a" or userName eq "happy.b"' })).Resources;
      const added = await ok(client, 'add_group_members', { id: group.id, memberIds: [a?.id, b?.id] });
      expect(added.members).toBeUndefined();
      const members = (id: string) =>
        ok(client, 'get_group', { id, attributes: ['members'] }).then((g) => (g.members as { value: string }[]).map((m) => m.value).sort());
      expect(await members(group.id)).toEqual([user.id, a?.id, b?.id].sort());
      // Adding again and removing one that is not a member change nothing.
      await ok(client, 'add_group_members', { id: group.id, memberIds: [a?.id] });
      await ok(client, 'remove_group_members', { id: group.id, memberIds: [b?.id, 'not-a-member'] });
      expect(await members(group.id)).toEqual([user.id, a?.id].sort());
      expect((await ok(client, 'update_group', { id: group.id, operations: [{ op: 'replace', path: 'displayName', value: 'Happier Few' }] })).displayName).toBe(
        'Happier Few',
      );
      const groups = await ok<{ totalResults: number; Resources: Resource[] }>(client, 'search_groups', {
        filter: 'displayName eq "Happier Few"',
        excludedAttributes: ['members'],
      });
      expect(groups).toMatchObject({ totalResults: 1, Resources: [{ id: group.id, displayName: 'Happier Few' }] });
      expect(groups.Resources[0]?.members).toBeUndefined();

      expect(await ok(client, 'delete_group', { id: group.id })).toEqual({ id: group.id, deleted: true });
      expect(await ok(client, 'delete_user', { id: user.id })).toEqual({ id: user.id, deleted: true });
      expect((await call(client, 'get_user', { id: user.id })).error).toMatchObject({ status: 404 });

      const schemas = await ok<{ Resources: { id: string }[] }>(client, 'describe_schemas', {});
      expect(schemas.Resources.map((s) => s.id)).toEqual(expect.arrayContaining([USER_SCHEMA, ENTERPRISE, ACME_EXTENSION_URI]));
      expect(await ok(client, 'describe_schemas', { id: ACME_EXTENSION_URI })).toMatchObject({
        totalResults: 1,
        Resources: [{ id: ACME_EXTENSION_URI, name: 'AcmeUser' }],
      });
      const types = await ok<{ Resources: { name: string; schemaExtensions: { schema: string }[] }[] }>(client, 'describe_resource_types', { name: 'User' });
      expect(types.Resources[0]?.schemaExtensions.map((e) => e.schema)).toEqual([ENTERPRISE, ACME_EXTENSION_URI]);
      expect(await ok(client, 'describe_service_provider_config')).toMatchObject({ patch: { supported: true }, filter: { supported: true } });
    });

    it('serves the schemas, resource types and service provider configuration as resources', async () => {
      const client = await open(TOKENS.acme);
      const { resources } = await client.listResources();
      const uris = resources.map((r) => r.uri);
      expect(uris).toEqual(
        expect.arrayContaining([
          `scim://schemas/${USER_SCHEMA}`,
          `scim://schemas/${ACME_EXTENSION_URI}`,
          'scim://resource-types/User',
          'scim://resource-types/Group',
          'scim://service-provider-config',
        ]),
      );
      const read = await client.readResource({ uri: `scim://schemas/${ACME_EXTENSION_URI}` });
      const doc = JSON.parse(textOf(read.contents[0])) as { id: string; attributes: { name: string }[] };
      expect(read.contents[0]?.mimeType).toBe('application/scim+json');
      expect(doc.id).toBe(ACME_EXTENSION_URI);
      expect(doc.attributes.map((a) => a.name)).toEqual(['costCenter', 'badgeNumber']);
      const config = JSON.parse(textOf((await client.readResource({ uri: 'scim://service-provider-config' })).contents[0])) as { bulk: unknown };
      expect(config.bulk).toBeDefined();
    });

    it("shows a tenant's schema extension in its own tools and resources, and nowhere else", async () => {
      const acme = await open(TOKENS.acme);
      const globex = await open(TOKENS.globex);
      const toolsOf = async (client: Client) => JSON.stringify((await client.listTools()).tools);
      expect(await toolsOf(acme)).toContain(ACME_EXTENSION_URI);
      expect(await toolsOf(acme)).toContain('AcmeUser');
      expect(await toolsOf(globex)).not.toContain(ACME_EXTENSION_URI);
      expect(await toolsOf(globex)).not.toContain('AcmeUser');
      expect(await toolsOf(acme)).toContain('badgeNumber');
      expect(await toolsOf(globex)).not.toContain('badgeNumber');
      expect(JSON.stringify(await globex.listResources())).not.toContain(ACME_EXTENSION_URI);
      await expect(globex.readResource({ uri: `scim://schemas/${ACME_EXTENSION_URI}` })).rejects.toMatchObject({
        code: -32002,
        message: expect.stringMatching(/not found/i),
      });
      // Globex's describe_schemas offers only its own schemas: Acme's URN is refused before anything runs.
      const globexTools = new Map((await globex.listTools()).tools.map((t) => [t.name, t]));
      const offered = (globexTools.get('describe_schemas')?.inputSchema.properties?.id as { enum?: string[] } | undefined)?.enum;
      expect(offered).toEqual(expect.arrayContaining([USER_SCHEMA, ENTERPRISE]));
      expect(offered).not.toContain(ACME_EXTENSION_URI);
      const asked = await call(globex, 'describe_schemas', { id: ACME_EXTENSION_URI });
      expect(asked.ok).toBe(false);
      expect(asked.text).not.toContain('costCenter');
      expect(JSON.stringify(await ok(globex, 'describe_schemas'))).not.toContain(ACME_EXTENSION_URI);

      // Globex may not write Acme's extension even by naming its URN: it is not one of its schemas.
      const sneaky = await call(globex, 'create_user', { userName: 'ext.sneaky', [ACME_EXTENSION_URI]: { costCenter: 'CC-1' } });
      if (sneaky.ok) expect(await ok(globex, 'get_user', { id: String(sneaky.data.id) })).not.toHaveProperty(ACME_EXTENSION_URI);
      else expect(sneaky.error?.status).toBe(400);
    });

    it("keeps tenant B away from tenant A's users and groups, whatever tool or argument", async () => {
      const acme = await open(TOKENS.acme);
      const user = await ok(acme, 'create_user', { userName: 'isolated.alice', AcmeUser: { costCenter: 'SECRET-CC' } });
      const group = await ok(acme, 'create_group', { displayName: 'Acme Admins', members: [{ value: user.id }] });
      const globex = await open(TOKENS.globex);
      const own = await ok(globex, 'create_group', { displayName: 'Globex Staff' });
      const attempts: [string, Record<string, unknown>][] = [
        ['get_user', { id: user.id }],
        ['update_user', { id: user.id, operations: [{ op: 'replace', path: 'active', value: false }] }],
        ['deactivate_user', { id: user.id }],
        ['reactivate_user', { id: user.id }],
        ['delete_user', { id: user.id }],
        ['get_group', { id: group.id }],
        ['update_group', { id: group.id, operations: [{ op: 'replace', path: 'displayName', value: 'pwned' }] }],
        ['add_group_members', { id: group.id, memberIds: [user.id] }],
        ['remove_group_members', { id: group.id, memberIds: [user.id] }],
        ['delete_group', { id: group.id }],
        ['add_group_members', { id: own.id, memberIds: [user.id] }],
      ];
      for (const [tool, args] of attempts) {
        const outcome = await call(globex, tool, args);
        expect(outcome.ok, `${tool} ${JSON.stringify(args)}`).toBe(false);
        expect([400, 404], `${tool}: ${outcome.text}`).toContain(outcome.error?.status);
        expect(outcome.text).not.toContain('isolated.alice');
        expect(outcome.text).not.toContain('SECRET-CC');
      }
      const searches = [
        {},
        { filter: `id eq "${user.id}"` },
        { filter: 'userName eq "isolated.alice"' },
        { filter: `${ACME_EXTENSION_URI}:costCenter eq "SECRET-CC"` },
      ];
      for (const args of searches) {
        const outcome = await call(globex, 'search_users', args);
        expect(outcome.text).not.toContain(user.id);
        expect(outcome.text).not.toContain('isolated.alice');
      }
      expect((await ok<{ totalResults: number }>(globex, 'search_groups', { filter: `members.value eq "${user.id}"` })).totalResults).toBe(0);
      // Arguments naming another tenant change nothing: the credential decides.
      const named = await call(globex, 'search_users', { filter: 'userName pr', tenantId: 'acme' });
      expect(named.ok).toBe(false);
      expect(named.text).toMatch(/tenantId/);
      const planted = await call(globex, 'create_user', { userName: 'isolated.planted', tenantId: 'acme', tenant: 'acme' });
      expect((await ok<{ totalResults: number }>(acme, 'search_users', { filter: 'userName eq "isolated.planted"' })).totalResults).toBe(0);
      if (planted.ok) expect(planted.data).not.toHaveProperty('tenantId');
      // Acme's data is as it was.
      const after = await ok(acme, 'get_user', { id: user.id });
      expect(after.meta?.version).toBe('W/"1"');
      expect(after.active).toBeUndefined();
      expect((await ok(acme, 'get_group', { id: group.id })).members).toEqual([expect.objectContaining({ value: user.id })]);
    });

    it('refuses a read-only tenant on every write tool, and still answers its reads', async () => {
      const client = await open(TOKENS.viewer);
      const { userId, groupId } = fixture.viewer;
      const { tools } = await client.listTools();
      const writes = tools.filter((t) => t.annotations?.readOnlyHint !== true).map((t) => t.name);
      expect(writes.sort()).toEqual(ALL_TOOLS.filter((t) => !READ_TOOLS.includes(t)).sort());
      const args: Record<string, Record<string, unknown>> = {
        create_user: { userName: 'ro.new' },
        update_user: { id: userId, operations: [{ op: 'replace', path: 'title', value: 'x' }] },
        deactivate_user: { id: userId },
        reactivate_user: { id: userId },
        delete_user: { id: userId },
        create_group: { displayName: 'ro.group' },
        update_group: { id: groupId, operations: [{ op: 'replace', path: 'displayName', value: 'x' }] },
        add_group_members: { id: groupId, memberIds: [userId] },
        remove_group_members: { id: groupId, memberIds: [userId] },
        delete_group: { id: groupId },
      };
      const before = fixture.events.length;
      for (const tool of writes) {
        const outcome = await call(client, tool, args[tool]);
        expect(outcome.error, tool).toMatchObject({ status: 403 });
        expect(outcome.error?.detail, tool).toMatch(/readOnly/);
      }
      const refusals = fixture.events.slice(before).filter((e) => e.tenantId === 'viewer');
      expect(refusals).toHaveLength(writes.length);
      expect(refusals.every((e) => e.outcome === 'refused' && e.reason === 'readOnly' && e.status === 403)).toBe(true);
      expect(await ok(client, 'get_user', { id: userId })).toMatchObject({ userName: 'vera', meta: { version: 'W/"1"' } });
      expect((await ok<{ totalResults: number }>(client, 'search_groups', {})).totalResults).toBe(1);
    });

    it('answers a quota refusal as a tool error, and the session goes on', async () => {
      const client = await open(TOKENS.small);
      await ok(client, 'create_user', { userName: 'quota.first' });
      const refused = await call(client, 'create_user', { userName: 'quota.second' });
      expect(refused.error).toMatchObject({ status: 403 });
      expect(refused.error?.detail).toMatch(/maxUsers/);
      expect(fixture.events.filter((e) => e.tenantId === 'small').at(-1)).toMatchObject({ action: 'create', outcome: 'refused', reason: 'maxUsers' });
      expect((await ok<{ totalResults: number }>(client, 'search_users', {})).totalResults).toBe(1);
    });

    it('answers an invalid filter as a tool error naming the position, and other SCIM errors likewise', async () => {
      const client = await open(TOKENS.globex);
      const filter = 'userName eq "bjensen" and';
      const bad = await call(client, 'search_users', { filter });
      expect(bad.ok).toBe(false);
      expect(bad.error).toMatchObject({ status: 400, scimType: 'invalidFilter' });
      expect(bad.error?.detail).toMatch(new RegExp(`position ${filter.length + 1}\\b`));
      const user = await ok(client, 'create_user', { userName: 'errors.one' });
      expect((await call(client, 'create_user', { userName: 'errors.one' })).error).toMatchObject({ status: 409, scimType: 'uniqueness' });
      expect((await call(client, 'update_user', { id: user.id, operations: [{ op: 'replace', path: 'emails[type eq', value: 'x' }] })).error).toMatchObject({
        status: 400,
        scimType: 'invalidPath',
      });
      expect(
        (await call(client, 'update_user', { id: user.id, ifMatch: 'W/"9"', operations: [{ op: 'replace', path: 'title', value: 'x' }] })).error,
      ).toMatchObject({
        status: 412,
      });
      expect((await call(client, 'update_user', { id: user.id, operations: [{ op: 'replace', path: 'id', value: 'mine' }] })).error).toMatchObject({
        status: 400,
        scimType: 'mutability',
      });
      // Arguments the tool's schema refuses are a tool error too, before anything runs.
      const typo = await call(client, 'search_users', { filtr: 'userName pr' });
      expect(typo.ok).toBe(false);
      expect(typo.text).toMatch(/filtr/);
      expect((await ok<{ totalResults: number }>(client, 'search_users', { filter: 'userName eq "errors.one"' })).totalResults).toBe(1);
    });

    it("applies the tenant's rate limit and expiry to tool calls", async () => {
      const throttled = await open(TOKENS.throttled);
      await ok(throttled, 'search_users');
      await ok(throttled, 'search_groups');
      const limited = await call(throttled, 'search_users');
      expect(limited.error).toMatchObject({ status: 429 });
      expect(limited.error?.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      const expired = await open(TOKENS.expired);
      for (const tool of ['search_users', 'describe_schemas']) expect((await call(expired, tool)).error, tool).toMatchObject({ status: 403 });
      expect((await call(expired, 'create_user', { userName: 'late' })).error?.detail).toMatch(/expiresAt/);
    });

    it('records each tool call that changes data or is refused in the audit trail, with the MCP client as the actor', async () => {
      const client = await open(TOKENS.acme, 'onboarding-agent');
      const start = fixture.events.length;
      const user = await ok(client, 'create_user', { userName: 'audit.carol', AcmeUser: { costCenter: 'CC-9' }, password: 'not-in-the-trail' });
      await ok(client, 'get_user', { id: user.id });
      await ok(client, 'update_user', { id: user.id, operations: [{ op: 'replace', path: 'nickName', value: 'Caz' }] });
      await ok(client, 'deactivate_user', { id: user.id });
      const group = await ok(client, 'create_group', { displayName: 'Audited' });
      await ok(client, 'add_group_members', { id: group.id, memberIds: [user.id] });
      await ok(client, 'delete_user', { id: user.id });
      const events = fixture.events.slice(start);
      expect(events.map((e) => [e.action, e.resourceType, e.outcome, e.status])).toEqual([
        ['create', 'User', 'success', 201],
        ['patch', 'User', 'success', 200],
        ['patch', 'User', 'success', 200],
        ['create', 'Group', 'success', 201],
        ['members', 'Group', 'success', 200],
        ['delete', 'User', 'success', 204],
        // The group the deleted user leaves is changed too, and audited as such.
        ['members', 'Group', 'success', 204],
      ]);
      for (const e of events) {
        expect(e.tenantId).toBe('acme');
        expect(e.clientId).toBe('acme-okta via mcp:onboarding-agent');
        // The credential the call authenticated with: acme's one token, named by where it is configured.
        expect(e.credentialId).toBe('token');
      }
      expect(events[0]?.changed).toEqual(expect.arrayContaining(['userName', ACME_EXTENSION_URI, 'password']));
      expect(events[2]?.changed).toEqual(['active']);
      // One request per tool call; the group's change shares the id of the delete that caused it.
      expect(new Set(events.map((e) => e.requestId)).size).toBe(events.length - 1);
      expect(events[6]?.requestId).toBe(events[5]?.requestId);
      expect(JSON.stringify(events)).not.toContain('not-in-the-trail');
      expect(JSON.stringify(events)).not.toContain('CC-9');
    });
  });
}
