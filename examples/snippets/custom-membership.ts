// A resource type of your own that holds members: a Team of Users and Groups. The membership is
// declared once, on the resource type; storage, PATCH deltas, reference checks, $ref links and the
// reverse attribute on the members (`teams`, like a User's `groups`) all follow from it.
import assert from 'node:assert/strict';
import { defineAttribute, GROUP_RESOURCE_TYPE, SchemaRegistry, ScimServer, StaticTenantResolver, USER_RESOURCE_TYPE, USER_SCHEMA } from 'scim-server';

const TEAM = 'urn:example:params:scim:schemas:Team';
const member = ['value', 'display', 'type'].map((name) => defineAttribute(name, 'string', { mutability: 'immutable' }));
const schemas = new SchemaRegistry({
  schemas: [
    { id: TEAM, name: 'Team', attributes: [
      defineAttribute('displayName', 'string', { required: true }),
      defineAttribute('members', 'complex', { multiValued: true, subAttributes: member }),
    ] },
    // The User schema gains the derived `teams` attribute (read-only: it is computed, never stored).
    { ...USER_SCHEMA, attributes: [...USER_SCHEMA.attributes,
      defineAttribute('teams', 'complex', { multiValued: true, mutability: 'readOnly', subAttributes: member }),
    ] },
  ],
  resourceTypes: [USER_RESOURCE_TYPE, GROUP_RESOURCE_TYPE, {
    id: 'Team', name: 'Team', endpoint: '/Teams', schema: TEAM,
    membership: { attribute: 'members', memberTypes: ['User', 'Group'], reverseAttribute: 'teams' },
  }],
});

const scim = new ScimServer({ schemas, tenantResolver: new StaticTenantResolver([{ id: 'acme', token: 'acme' }]) });
const call = (method: string, path: string, body?: unknown) =>
  scim.handle({ method, path: `/scim/v2${path}`, headers: { authorization: 'Bearer acme' }, body });
const id = (r: { body?: unknown }) => (r.body as { id: string }).id;

const alice = id(await call('POST', '/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'alice' }));
const team = id(await call('POST', '/Teams', { schemas: [TEAM], displayName: 'Platform', members: [{ value: alice }] }));

// Members get their type, display and $ref; the member shows the team in `teams`.
const read = (await call('GET', `/Teams/${team}`)).body as { members: unknown[] };
assert.deepEqual(read.members, [{ value: alice, type: 'User', display: 'alice', $ref: `/scim/v2/Users/${alice}` }]);
const user = (await call('GET', `/Users/${alice}`)).body as { teams: unknown[] };
assert.deepEqual(user.teams, [{ value: team, display: 'Platform', type: 'direct', $ref: `/scim/v2/Teams/${team}` }]);

// A member that is not a User or Group of this tenant is refused, as for a Group.
const bad = await call('PATCH', `/Teams/${team}`, {
  schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
  Operations: [{ op: 'add', path: 'members', value: [{ value: 'no-such-id' }] }],
});
assert.equal(bad.status, 400);
console.log('custom membership: ok');
