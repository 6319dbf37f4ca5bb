import { describe, expect, it } from 'vitest';
import {
  callbackAuditSink,
  defineAttribute,
  GROUP_RESOURCE_TYPE,
  SchemaRegistry,
  USER_RESOURCE_TYPE,
  USER_SCHEMA,
  type AuditEvent,
  type ResourceTypeDefinition,
  type SchemaDefinition,
  type TenantSettings,
} from '../../src/index.js';
import { GROUP_SCHEMA, errorOf, testServer, type Body, type Client } from '../helpers/scim-client.js';

const TEAM_URI = 'urn:example:params:scim:schemas:Team';

/** A member list like a Group's: value, $ref, display, type. */
function memberAttribute(name: string, description: string) {
  return defineAttribute(name, 'complex', {
    multiValued: true,
    description,
    subAttributes: [
      defineAttribute('value', 'string', { mutability: 'immutable' }),
      defineAttribute('$ref', 'reference', { mutability: 'immutable', referenceTypes: ['User', 'Group'] }),
      defineAttribute('display', 'string', { mutability: 'immutable' }),
      defineAttribute('type', 'string', { mutability: 'immutable', canonicalValues: ['User', 'Group'] }),
    ],
  });
}

/** The reverse list a member shows, like a User's `groups`. */
function reverseAttribute(name: string) {
  return defineAttribute(name, 'complex', {
    multiValued: true,
    mutability: 'readOnly',
    subAttributes: [
      defineAttribute('value', 'string', { mutability: 'readOnly' }),
      defineAttribute('$ref', 'reference', { mutability: 'readOnly', referenceTypes: ['Team'] }),
      defineAttribute('display', 'string', { mutability: 'readOnly' }),
      defineAttribute('type', 'string', { mutability: 'readOnly' }),
    ],
  });
}

const TEAM_SCHEMA: SchemaDefinition = {
  id: TEAM_URI,
  name: 'Team',
  attributes: [defineAttribute('displayName', 'string', { required: true }), memberAttribute('members', 'Users and groups on the team.')],
};

const TEAM_TYPE: ResourceTypeDefinition = {
  id: 'Team',
  name: 'Team',
  endpoint: '/Teams',
  schema: TEAM_URI,
  membership: { attribute: 'members', memberTypes: ['User', 'Group'], reverseAttribute: 'teams', displayAttribute: 'displayName' },
};

/** A User schema that also shows the teams a user is on. */
const USER_WITH_TEAMS: SchemaDefinition = { ...USER_SCHEMA, attributes: [...USER_SCHEMA.attributes, reverseAttribute('teams')] };

function registry(): SchemaRegistry {
  return new SchemaRegistry({ schemas: [USER_WITH_TEAMS, TEAM_SCHEMA], resourceTypes: [USER_RESOURCE_TYPE, GROUP_RESOURCE_TYPE, TEAM_TYPE] });
}

function setup(permissions = {}, settings: TenantSettings = {}) {
  const events: AuditEvent[] = [];
  const { server, as } = testServer(
    [
      { id: 'a', token: 'token-a', isolationLevel: 'strict', permissions, settings },
      { id: 'b', token: 'token-b', isolationLevel: 'shared' },
    ],
    { schemas: registry(), audit: callbackAuditSink((e) => void events.push(e)) },
  );
  return { server, a: as('a'), b: as('b'), events };
}

/** The container kinds compared: the built-in Group and the registered Team. */
const KINDS = [
  { endpoint: '/Groups', schema: GROUP_SCHEMA, reverse: 'groups' },
  { endpoint: '/Teams', schema: TEAM_URI, reverse: 'teams' },
] as const;
type Kind = (typeof KINDS)[number];

/**
 * One scenario, run against a container kind, with ids replaced by labels so that the Group and the
 * Team runs can be compared: creation with references of both member types, reference checks, member
 * deltas by PATCH, the reverse attribute, filters on it, member limits and deletes.
 */
async function scenario(kind: Kind, client: Client, other: Client): Promise<unknown[]> {
  const out: unknown[] = [];
  const labels = new Map<string, string>();
  const label = (text: string) => [...labels].reduce((t, [id, name]) => t.split(id).join(name), text);
  const record = (step: string, status: number, body: unknown) => out.push({ step, status, body: JSON.parse(label(JSON.stringify(body ?? null))) });
  const u1 = await client.createUser('alice');
  const u2 = await client.createUser('bob');
  const inner = await client.createGroup('inner');
  const foreign = await other.createUser('mallory');
  for (const [id, name] of [
    [u1.id, 'U1'],
    [u2.id, 'U2'],
    [inner.id, 'G0'],
    [foreign.id, 'FOREIGN'],
  ] as const)
    labels.set(id as string, name);
  const created = await client.post(kind.endpoint, { schemas: [kind.schema], displayName: 'core', members: [{ value: u1.id }, { value: inner.id }] });
  const cid = (created.body as Body).id as string;
  labels.set(cid, 'C');
  record('create', created.status, (created.body as Body).members);
  for (const [step, value] of [
    ['another tenant', foreign.id],
    ['nothing', '00000000-0000-7000-8000-000000000000'],
  ] as const) {
    const r = await client.post(kind.endpoint, { schemas: [kind.schema], displayName: step, members: [{ value }] });
    record(`create with a member of ${step}`, r.status, r.status === 201 ? r.body : errorOf(r).scimType);
  }
  const self = await client.patch(`${kind.endpoint}/${cid}`, [{ op: 'add', path: 'members', value: [{ value: cid }] }]);
  record('add itself by PATCH', self.status, errorOf(self).scimType);
  const add = await client.patch(`${kind.endpoint}/${cid}`, [{ op: 'add', path: 'members', value: [{ value: u2.id }] }]);
  record('add by PATCH', add.status, add.headers.ETag);
  const remove = await client.patch(`${kind.endpoint}/${cid}`, [{ op: 'remove', path: `members[value eq "${u1.id}"]` }]);
  record('remove by PATCH filter', remove.status, remove.headers.ETag);
  const again = await client.patch(`${kind.endpoint}/${cid}`, [{ op: 'add', path: 'members', value: [{ value: u2.id }] }]);
  record('adding a present member changes nothing', again.status, again.headers.ETag);
  const bad = await client.patch(`${kind.endpoint}/${cid}`, [{ op: 'add', path: 'members', value: [{ value: foreign.id }] }]);
  record('add of another tenant by PATCH', bad.status, errorOf(bad).scimType);
  const read = await client.get(`${kind.endpoint}/${cid}`);
  record('read', read.status, (read.body as Body).members);
  const user = await client.get(`/Users/${u2.id}`);
  // $ref differs by endpoint (/Groups, /Teams); the next test checks it
  const reverse = ((user.body as Body)[kind.reverse] as Body[]).map(({ $ref, ...rest }) => ({ ...rest, ref: typeof $ref === 'string' }));
  record('reverse attribute', user.status, reverse);
  const found = await client.get('/Users', { filter: `${kind.reverse}.value eq "${cid}"` });
  record(
    'filter on the reverse attribute',
    found.status,
    ((found.body as Body).Resources as Body[]).map((r) => r.id),
  );
  const gone = await client.delete(`/Users/${u2.id}`);
  const after = await client.get(`${kind.endpoint}/${cid}`);
  record('delete a member', gone.status, { members: (after.body as Body).members ?? [], version: (after.body as Body & { meta: Body }).meta.version });
  return out;
}

describe('membership declared on a custom resource type', () => {
  it('a Team whose members are Users and Groups gets the same member deltas, reference checks and reverse attribute as a Group', async () => {
    const results: unknown[][] = [];
    for (const kind of KINDS) {
      const { a, b } = setup();
      results.push(await scenario(kind, a, b));
    }
    const [groups, teams] = results;
    expect(teams).toEqual(groups);
    // and the shared run is the one a Group is known to give
    const byStep = Object.fromEntries((teams as { step: string; status: number; body: unknown }[]).map((r) => [r.step, r]));
    expect(byStep.create).toEqual({
      step: 'create',
      status: 201,
      body: [
        { value: 'U1', type: 'User', display: 'alice', $ref: '/scim/v2/Users/U1' },
        { value: 'G0', type: 'Group', display: 'inner', $ref: '/scim/v2/Groups/G0' },
      ],
    });
    expect(byStep['create with a member of another tenant']).toMatchObject({ status: 400, body: 'invalidValue' });
    expect(byStep['create with a member of nothing']).toMatchObject({ status: 400, body: 'invalidValue' });
    expect(byStep['add itself by PATCH']).toMatchObject({ status: 400, body: 'invalidValue' });
    expect(byStep['add by PATCH']).toEqual({ step: 'add by PATCH', status: 204, body: 'W/"2"' });
    expect(byStep['remove by PATCH filter']).toEqual({ step: 'remove by PATCH filter', status: 204, body: 'W/"3"' });
    expect(byStep['adding a present member changes nothing']?.body).toBe('W/"3"');
    expect(byStep['add of another tenant by PATCH']).toMatchObject({ status: 400, body: 'invalidValue' });
    expect(byStep['reverse attribute']).toEqual({
      step: 'reverse attribute',
      status: 200,
      body: [{ value: 'C', display: 'core', type: 'direct', ref: true }],
    });
    expect(byStep['filter on the reverse attribute']?.body).toEqual(['U2']);
    expect(byStep['delete a member']).toEqual({
      step: 'delete a member',
      status: 204,
      body: { members: [{ value: 'G0', type: 'Group', display: 'inner', $ref: '/scim/v2/Groups/G0' }], version: 'W/"4"' },
    });
  });

  it('renders $ref by each member type and the reverse attribute by the container type', async () => {
    const { a } = setup();
    const u = await a.createUser('alice');
    const g = await a.createGroup('inner', [u.id as string]);
    const team = await a.post('/Teams', { schemas: [TEAM_URI], displayName: 'core', members: [{ value: u.id }, { value: g.id, type: 'group' }] });
    expect(team.status).toBe(201);
    const t = team.body as Body & { meta: Body };
    expect(t.meta).toMatchObject({ resourceType: 'Team', location: `/scim/v2/Teams/${t.id}` });
    expect(t.members).toEqual([
      { value: u.id, type: 'User', display: 'alice', $ref: `/scim/v2/Users/${u.id}` },
      { value: g.id, type: 'Group', display: 'inner', $ref: `/scim/v2/Groups/${g.id}` },
    ]);
    const user = (await a.get(`/Users/${u.id}`)).body as Body;
    expect(user.teams).toEqual([{ value: t.id, display: 'core', type: 'direct', $ref: `/scim/v2/Teams/${t.id}` }]);
    expect(user.groups).toEqual([{ value: g.id, display: 'inner', type: 'direct', $ref: `/scim/v2/Groups/${g.id}` }]);
    // a Group's schema defines no `teams`: nested membership shows on the containing side only
    expect(((await a.get(`/Groups/${g.id}`)).body as Body).teams).toBeUndefined();
  });

  it('applies the member limit, the PATCH response style and the members audit action to it', async () => {
    const { a, events } = setup({ maxMembersPerGroup: 1 });
    const [u1, u2] = [await a.createUser('u1'), await a.createUser('u2')];
    const team = await a.post('/Teams', { schemas: [TEAM_URI], displayName: 't', members: [{ value: u1.id }, { value: u2.id }] });
    expect(team.status).toBe(403);
    expect(errorOf(team).detail).toContain('maxMembersPerGroup');
    const ok = (await a.post('/Teams', { schemas: [TEAM_URI], displayName: 't', members: [{ value: u1.id }] })).body as Body;
    const swap = await a.patch(`/Teams/${ok.id}`, [
      { op: 'remove', path: 'members' },
      { op: 'add', path: 'members', value: [{ value: u2.id }] },
    ]);
    expect(swap.status).toBe(204);
    expect(events.filter((e) => e.resourceType === 'Team').map((e) => [e.action, e.outcome, e.status])).toEqual([
      ['create', 'refused', 403],
      ['create', 'success', 201],
      ['members', 'success', 204],
    ]);
  });

  it("follows the tenant's settings for resources that hold members: unique display names, the PATCH response style", async () => {
    const { a } = setup({}, { uniqueGroupDisplayName: true, groupPatchResponse: 'resource' });
    const first = await a.post('/Teams', { schemas: [TEAM_URI], displayName: 'Core' });
    expect(first.status).toBe(201);
    const again = await a.post('/Teams', { schemas: [TEAM_URI], displayName: 'core' });
    expect(again.status).toBe(409);
    expect(errorOf(again).scimType).toBe('uniqueness');
    const renamed = await a.patch(`/Teams/${(first.body as Body).id}`, [{ op: 'replace', path: 'displayName', value: 'Platform' }]);
    expect(renamed.status).toBe(200);
    expect((renamed.body as Body).displayName).toBe('Platform');
  });

  it('refuses a membership declaration that does not fit the schemas when it is registered', () => {
    const bad = (membership: unknown) => () => registry().addResourceType({ ...TEAM_TYPE, membership } as ResourceTypeDefinition);
    expect(bad({ attribute: 'displayName', memberTypes: ['User'] })).toThrow(/Team: membership\.attribute/);
    expect(bad({ attribute: 'nope', memberTypes: ['User'] })).toThrow(/membership\.attribute/);
    expect(bad({ attribute: 'members', memberTypes: [] })).toThrow(/membership\.memberTypes/);
    expect(bad({ attribute: 'members', memberTypes: ['User'], displayAttribute: 'title' })).toThrow(/membership\.displayAttribute/);
    expect(bad({ attribute: 'members', memberTypes: ['User'], reverseAttribute: 'groups' })).toThrow(
      /reverseAttribute "groups" is already the reverse attribute of Group/,
    );
    expect(bad('members')).toThrow(/membership must be an object/);
    expect(registry().model('Team')).toEqual({
      name: 'Team',
      members: { attribute: 'members', memberTypes: ['User', 'Group'], displayAttribute: 'displayName' },
      memberOf: [],
    });
    expect(registry().model('User')?.memberOf).toEqual([
      { containerType: 'Group', attribute: 'groups', displayAttribute: 'displayName' },
      { containerType: 'Team', attribute: 'teams', displayAttribute: 'displayName' },
    ]);
    expect(new SchemaRegistry().model('Group')?.memberOf).toEqual([]);
  });
});
