import { patchBodyValidation, scimPatch, type ScimPatch, type ScimPatchOperation, type ScimResource } from 'scim-patch';
import SCIMMY from 'scimmy';
import { applyPatch, canApplyMembersAsDelta, DEFAULT_PATCH_TOLERANCES, parsePatchRequest } from '../src/patch/index.js';
import { createResourceSchema } from '../src/schema/resource-schema.js';
import { GROUP_SCHEMA } from '../src/schema/group-schema.js';
import { GROUP_RESOURCE_TYPE, USER_RESOURCE_TYPE } from '../src/schema/resource-types.js';
import { USER_SCHEMA } from '../src/schema/user-schema.js';
import type { ScimObject } from '../src/schema/types.js';
import { opsPerSecond, opsPerSecondAsync, rate, type BenchResult } from './harness.js';

const USER_COUNT = 1000;
const GROUP_SIZE = 100_000;
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

const FIRST = ['Ann', 'Bao', 'Carla', 'Dev', 'Emeka', 'Fatima', 'Goran', 'Hana', 'Ivan', 'Jia'];
const LAST = ['Lee', 'Nguyen', 'Garcia', 'Patel', 'Okafor', 'Haddad', 'Novak', 'Sato', 'Petrov', 'Chen'];

/** Users shaped like what an identity provider provisions: names, two emails, phones, an address. */
function makeUsers(): ScimObject[] {
  const users: ScimObject[] = [];
  for (let i = 0; i < USER_COUNT; i++) {
    const given = FIRST[i % FIRST.length];
    const family = LAST[(i * 7) % LAST.length];
    const login = `${given}.${family}${i}`.toLowerCase();
    users.push({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      id: `2819c223-7f76-453a-919d-${String(i).padStart(12, '0')}`,
      externalId: `ext-${i}`,
      userName: `${login}@example.com`,
      name: { formatted: `${given} ${family}`, familyName: family, givenName: given },
      displayName: `${given} ${family}`,
      title: i % 3 === 0 ? 'Engineer' : 'Analyst',
      active: true,
      emails: [
        { value: `${login}@example.com`, type: 'work', primary: true },
        { value: `${login}@home.example.org`, type: 'home' },
      ],
      phoneNumbers: [
        { value: `+1 555 01${String(i % 100).padStart(2, '0')}`, type: 'work' },
        { value: `+1 555 02${String(i % 100).padStart(2, '0')}`, type: 'mobile' },
      ],
      addresses: [{ type: 'work', streetAddress: `${i} Main St`, locality: 'Springfield', region: 'IL', postalCode: '62701', country: 'US', primary: true }],
      meta: { resourceType: 'User', created: '2024-01-01T00:00:00Z', lastModified: '2024-01-01T00:00:00Z', version: 'W/"1"' },
    });
  }
  return users;
}

/** The same three-operation PATCH for every engine: one each of the common Entra ID update shapes. */
function bodyFor(i: number): ScimPatch {
  return {
    schemas: [PATCH_OP],
    Operations: [
      { op: 'replace', path: 'active', value: false },
      { op: 'replace', path: 'name.givenName', value: `Renamed${i}` },
      { op: 'add', path: 'emails[type eq "work"].value', value: `renamed${i}@example.com` },
    ],
  } as ScimPatch;
}

/** Sorted-key JSON without `meta` (scimmy rewrites dates), to compare engines' results. */
function canonical(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (typeof v === 'object' && v !== null) {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) if (k !== 'meta') out[k] = sort((v as Record<string, unknown>)[k]);
      return out;
    }
    return v;
  };
  return JSON.stringify(sort(value));
}

export async function run(): Promise<BenchResult[]> {
  const userSchema = createResourceSchema(USER_RESOURCE_TYPE, USER_SCHEMA);
  const groupSchema = createResourceSchema(GROUP_RESOURCE_TYPE, GROUP_SCHEMA);
  const users = makeUsers();
  const bodies = users.map((_, i) => bodyFor(i));
  const snapshot = JSON.stringify(users);

  const ours = (i: number): ScimObject => applyPatch(users[i]!, parsePatchRequest(bodies[i]!, DEFAULT_PATCH_TOLERANCES), userSchema).resource;
  // scim-patch edits its input unless told not to; mutateDocument: false makes it clone (JSON) first.
  const peer = (i: number): ScimObject => {
    patchBodyValidation(bodies[i]!);
    return scimPatch(users[i] as unknown as ScimResource, bodies[i]!.Operations as ScimPatchOperation[], {
      mutateDocument: false,
      treatMissingAsAdd: true,
    }) as unknown as ScimObject;
  };
  // scimmy patches a schema instance built from the stored object, which leaves the object alone.
  const scimmy = async (i: number): Promise<unknown> => new SCIMMY.Messages.PatchOp(bodies[i] as never).apply(new SCIMMY.Schemas.User(users[i] as never));

  // Same result from all three on a sample, before timing anything.
  for (const i of [0, 1, 499, 999]) {
    const a = canonical(ours(i));
    const b = canonical(peer(i));
    const c = canonical(JSON.parse(JSON.stringify(await scimmy(i))));
    if (a !== b || a !== c) throw new Error(`PATCH engines disagree on user ${i}:\n${a}\n${b}\n${c}`);
  }

  let k = 0;
  const oursRate = opsPerSecond(() => ours(k++ % USER_COUNT));
  k = 0;
  const peerRate = opsPerSecond(() => peer(k++ % USER_COUNT));
  k = 0;
  const scimmyRate = await opsPerSecondAsync(() => scimmy(k++ % USER_COUNT) as Promise<unknown>, 1, 1000);
  if (JSON.stringify(users) !== snapshot) throw new Error('a PATCH engine mutated its input');

  // Adding one member to a 100,000-member group.
  const members = Array.from({ length: GROUP_SIZE }, (_, i) => ({ value: `member-${i}`, display: `Member ${i}` }));
  const bigGroup: ScimObject = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], id: 'g1', displayName: 'All staff', members };
  const bareGroup: ScimObject = { schemas: bigGroup.schemas, id: 'g1', displayName: 'All staff' };
  const addOne = (i: number): ScimPatch => ({ schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: `new-${i}` }] }] }) as ScimPatch;
  const groupSnapshot = JSON.stringify(bigGroup);
  k = 0;
  const oursGroupRate = opsPerSecond(() => {
    const ops = parsePatchRequest(addOne(k++), DEFAULT_PATCH_TOLERANCES);
    if (!canApplyMembersAsDelta(ops, groupSchema)) throw new Error('expected a delta-capable PATCH');
    return applyPatch(bareGroup, ops, groupSchema, { membersAsDelta: true }).memberDelta;
  });
  k = 0;
  const oursFullGroupRate = opsPerSecond(
    () => {
      const ops = parsePatchRequest(addOne(k++), DEFAULT_PATCH_TOLERANCES);
      return applyPatch(bigGroup, ops, groupSchema).resource;
    },
    1,
    1000,
  );
  k = 0;
  const peerGroupRate = opsPerSecond(
    () => {
      const body = addOne(k++);
      patchBodyValidation(body);
      return scimPatch(bigGroup as unknown as ScimResource, body.Operations as ScimPatchOperation[], { mutateDocument: false, treatMissingAsAdd: true });
    },
    1,
    1000,
  );
  if (JSON.stringify(bigGroup) !== groupSnapshot) throw new Error('a PATCH engine mutated the group');

  const note = 'parse + apply, 1,000 users, input untouched (scim-patch with mutateDocument:false, which clones)';
  return [
    rate('PATCH 3 ops (replace active, name.givenName, add emails[type eq work].value)', oursRate, peerRate, 'scim-patch', 'ops/s', note),
    rate('PATCH 3 ops (same request, same users)', oursRate, scimmyRate, 'scimmy', 'ops/s', 'parse + apply on a SCIMMY.Schemas.User instance'),
    rate(
      'PATCH add 1 member to a 100,000-member group',
      oursGroupRate,
      peerGroupRate,
      'scim-patch',
      'ops/s',
      'ours: member delta for storage, members not loaded; scim-patch: edits a copy of the members array',
    ),
    rate(
      'PATCH add 1 member to a 100,000-member group, members loaded',
      oursFullGroupRate,
      peerGroupRate,
      'scim-patch',
      'ops/s',
      'both edit the loaded members array without touching the input; ours copies only the array, not its elements',
    ),
  ];
}
