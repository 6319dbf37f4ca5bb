/**
 * Hostile input as a property: thousands of random requests thrown at `ScimServer.handle`, with
 * valid tokens and with every kind of broken credential, on a server whose URLs name no tenant and
 * on one whose URLs do (`/tenants/{tenantId}/scim/v2`).
 *
 * Methods, paths (`..`, `%2e%2e`, `%00`, `//`, 100,000-character segments, unicode), query strings
 * (random filter text, huge and non-numeric paging values, repeated parameters, broken
 * percent-encoding), headers (odd Authorization forms, CRLF, huge X-Request-Id, every If-Match form)
 * and bodies (random JSON with `__proto__` / `constructor` / `prototype` keys at every level, deep
 * nesting, long arrays, 1e309, NUL, lone surrogates, non-object roots, raw bytes that are not
 * UTF-8, PatchOp / BulkRequest / SearchRequest shapes) are generated from one fixed seed.
 *
 * Every response must be a 2xx, 3xx or 4xx (501 only for `/Me`, which RFC 7644 §3.11 allows), must
 * carry `application/scim+json` when it has a body, must be JSON that survives a round trip, must
 * be SCIM Error JSON whose `status` is the HTTP status as a string when it is an error, must not
 * carry stack traces, file paths or runtime error text the request did not contain, and must carry
 * an X-Request-Id made only of safe characters. A request without a valid credential must get the
 * one 401 body (or 404 when the path is not under the SCIM base at all). After the run nothing may
 * have been added to `Object.prototype` or `Array.prototype`, and a tenant whose token was never
 * used must still hold exactly what it held before.
 *
 * `SCIM_HOSTILE_STATS=1` prints how many responses of each status the run produced.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pathTenantLocator, ScimServer, StaticTenantResolver, type ScimRequest, type ScimResponse } from '../../src/index.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const BULK = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
const SEARCH = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

const SEED = 20261128;
const RUNS = 5000;

/** The RFC 7644 §3.12 and RFC 9865 scimType values. */
const SCIM_TYPES = new Set([
  'invalidFilter',
  'tooMany',
  'uniqueness',
  'mutability',
  'invalidSyntax',
  'invalidPath',
  'noTarget',
  'invalidValue',
  'invalidVers',
  'sensitive',
  'invalidCursor',
  'expiredCursor',
  'invalidCount',
]);

/** Text that would only appear in a body if something internal escaped. */
const LEAK_MARKERS = [
  process.cwd(),
  'node_modules',
  '\n    at ',
  '    at ',
  'file://',
  '.ts:',
  'Error:',
  'TypeError',
  'RangeError',
  'ReferenceError',
  'SyntaxError',
  'Maximum call stack',
  'Cannot read prop',
  'is not a function',
  'Unexpected token',
  'is not iterable',
];

const VICTIM_USER_NAME = 'victim-user-4f1c';
const VICTIM_GROUP_NAME = 'victim-group-9b2e';

/** Placeholders in generated text, replaced with real ids at run time. */
interface Ids {
  userA: string;
  groupA: string;
  userVictim: string;
  groupVictim: string;
  unknown: string;
}
const PLACEHOLDERS = ['{userA}', '{groupA}', '{userVictim}', '{groupVictim}', '{unknown}'] as const;

function fill(text: string, ids: Ids): string {
  return text
    .replaceAll('{userA}', ids.userA)
    .replaceAll('{groupA}', ids.groupA)
    .replaceAll('{userVictim}', ids.userVictim)
    .replaceAll('{groupVictim}', ids.groupVictim)
    .replaceAll('{unknown}', ids.unknown);
}

// ---------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------

const anyText = (maxLength: number): fc.Arbitrary<string> => fc.string({ unit: 'binary', maxLength });
const _asciiText = (maxLength: number): fc.Arbitrary<string> => fc.string({ maxLength });

const methodArb = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE') },
  { weight: 2, arbitrary: fc.constantFrom('HEAD', 'OPTIONS', 'TRACE', 'CONNECT', 'PROPFIND', 'get', 'Patch', 'post', '', ' GET') },
  { weight: 1, arbitrary: anyText(12) },
);

const segmentArb = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.constantFrom('Users', 'Groups', 'Schemas', 'ResourceTypes', 'ServiceProviderConfig', 'Bulk', '.search', 'Me', 'users', 'GROUPS', 'bulk'),
  },
  { weight: 8, arbitrary: fc.constantFrom(...PLACEHOLDERS) },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      '..',
      '.',
      '%2e%2e',
      '%2E%2E',
      '%2e',
      '%00',
      '%',
      '%E0%A4%A',
      '%2F',
      '%ZZ',
      '%C0%AF',
      '',
      '__proto__',
      'constructor',
      'prototype',
      'hasOwnProperty',
      'bulkId:x',
      USER,
      ENTERPRISE,
      'ü',
      '😀',
      '\u0000',
      '\u202e',
      ' ',
      '%20',
      'a?b',
      'a#b',
      '\ud800',
    ),
  },
  { weight: 2, arbitrary: anyText(16) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 5 }).map((n) => 'x'.repeat(10 ** n)) },
);

const wildPrefixArb = fc.constantFrom(
  '/SCIM/v2',
  '',
  '/scim',
  '/scim/v2/',
  '/scim//v2',
  'scim/v2',
  '/scim/v2%2F',
  '/scim/%76%32',
  '/tenants/victim/scim/v2',
  '/tenants/zzz/scim/v2',
  '/tenants/%61/scim/v2',
  '/tenants/%2e%2e/scim/v2',
  '/tenants//scim/v2',
  '/tenants/a/../victim/scim/v2',
  '/scim/v2',
  '/tenants/a/scim/v2',
);
/** The prefix the server expects most of the time, anything else now and then. */
const prefixFor = (server: 'base' | 'url'): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 8, arbitrary: server === 'base' ? fc.constant('/scim/v2') : fc.constantFrom('/tenants/a/scim/v2', '/tenants/b/scim/v2') },
    { weight: 2, arbitrary: wildPrefixArb },
  );

const endpointArb = fc.constantFrom(
  'Users',
  'Groups',
  'Users',
  'Groups',
  'Schemas',
  'ResourceTypes',
  'ServiceProviderConfig',
  'Bulk',
  '.search',
  'Me',
  'users',
);

/** Mostly well-shaped paths (endpoint, then an id), some entirely wild. */
const pathFor = (server: 'base' | 'url'): fc.Arbitrary<string> =>
  fc.oneof(
    {
      weight: 7,
      arbitrary: fc
        .record({ prefix: prefixFor(server), endpoint: endpointArb, id: fc.option(segmentArb, { nil: undefined }), trailing: fc.boolean() })
        .map(({ prefix, endpoint, id, trailing }) => `${prefix}/${endpoint}${id !== undefined ? `/${id}` : ''}${trailing ? '/' : ''}`),
    },
    {
      weight: 3,
      arbitrary: fc
        .record({ prefix: prefixFor(server), segments: fc.array(segmentArb, { maxLength: 3 }), trailing: fc.boolean() })
        .map(({ prefix, segments, trailing }) => `${prefix}${segments.map((s) => `/${s}`).join('')}${trailing ? '/' : ''}`),
    },
  );

/** `undefined` three times out of four: most requests are hostile in a few places, not all. */
const sometimes = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });

const filterTokenArb = fc.constantFrom(
  'userName',
  'emails',
  'emails[type eq "work"]',
  'name.givenName',
  'members.value',
  'members[value eq "{userVictim}"]',
  'id',
  '(',
  ')',
  '[',
  ']',
  'eq',
  'ne',
  'co',
  'sw',
  'ew',
  'pr',
  'gt',
  'le',
  'and',
  'or',
  'not',
  '"x"',
  '"',
  'true',
  'null',
  '1e309',
  '\\',
  '.',
  '__proto__',
  'constructor',
  'meta.lastModified',
  '"2020-01-01T00:00:00Z"',
  `${ENTERPRISE}:manager.value`,
  'password',
  '"{userA}"',
  'displayName',
);
const filterArb = fc.oneof(
  { weight: 6, arbitrary: fc.array(filterTokenArb, { maxLength: 12 }).chain((tokens) => fc.constantFrom(' ', '').map((sep) => tokens.join(sep))) },
  { weight: 1, arbitrary: anyText(30) },
  { weight: 1, arbitrary: fc.integer({ min: 2, max: 4 }).map((n) => `userName eq "${'a'.repeat(10 ** n)}"`) },
  { weight: 1, arbitrary: fc.integer({ min: 10, max: 3000 }).map((n) => `${'('.repeat(n)}userName pr${')'.repeat(n)}`) },
  { weight: 1, arbitrary: fc.integer({ min: 10, max: 400 }).map((n) => Array.from({ length: n }, (_, i) => `userName eq "u${i}"`).join(' or ')) },
);

const numberTextArb = fc.oneof(
  fc.constantFrom('1e309', '-1', '0', '1', '2', '99999999999999999999', '-99999999999999999999', 'NaN', 'Infinity', 'abc', '', '1.5', ' 2', '0x10', '1e3', '٣'),
  fc.integer().map(String),
);

const paramNameArb = fc.constantFrom(
  'filter',
  'count',
  'startIndex',
  'sortBy',
  'sortOrder',
  'attributes',
  'excludedAttributes',
  'cursor',
  'FILTER',
  'Count',
  '__proto__',
  'constructor',
  'x',
);
const paramValueArb = (name: string): fc.Arbitrary<string> => {
  const lower = name.toLowerCase();
  if (lower === 'filter') return filterArb;
  if (lower === 'count' || lower === 'startindex') return numberTextArb;
  if (lower === 'attributes' || lower === 'excludedattributes' || lower === 'sortby') {
    return fc.oneof(fc.constantFrom('userName', 'emails.value,name', '__proto__', 'members', `${ENTERPRISE}:manager`, '', ',,,'), anyText(12));
  }
  if (lower === 'sortorder') return fc.constantFrom('ascending', 'descending', 'DESCENDING', 'sideways', '');
  return anyText(12);
};
const paramArb = paramNameArb.chain((name) => paramValueArb(name).map((value) => [name, value] as const));

const rawQueryArb = fc
  .array(
    fc.oneof(
      { weight: 4, arbitrary: paramArb.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`) },
      { weight: 1, arbitrary: paramArb.map(([k, v]) => `${k}=${v}`) },
      { weight: 1, arbitrary: fc.constantFrom('%', 'filter=%E0%A4%A', 'count=%', '=', '&&', 'a', 'filter=userName+pr', '+=+', 'count=1&count=2') },
    ),
    { maxLength: 5 },
  )
  .chain((parts) => fc.constantFrom('', '?').map((q) => q + parts.join('&')));

const objectQueryArb = fc.array(
  paramArb.chain(([k, v]) =>
    fc.oneof(fc.constant([k, v] as [string, unknown]), fc.constant([k, [v, v]] as [string, unknown]), fc.constant([k, Number(v)] as [string, unknown])),
  ),
  { maxLength: 5 },
);

const queryArb = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  { weight: 2, arbitrary: rawQueryArb },
  { weight: 2, arbitrary: objectQueryArb.map((entries) => ({ kind: 'object' as const, entries })) },
);

type AuthKind = { header: string | string[] | undefined };
const authArb: fc.Arbitrary<AuthKind> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('Bearer token-a', 'bearer token-a', '  Bearer   token-a  ', 'Bearer token-b').map((header) => ({ header })) },
  {
    weight: 6,
    arbitrary: fc
      .constantFrom<string | string[] | undefined>(
        undefined,
        '',
        'Bearer',
        'Bearer ',
        'Bearer nope',
        'Basic dG9rZW4tYTo=',
        'Token token-a',
        'Bearer token-a\r\nX-Admin: 1',
        'Bearer token-a\u0000',
        'Bearer token-a token-b',
        'Bearer "token-a"',
        'Bearer TOKEN-A',
        'Bearer token-victim-unused',
        ['Bearer token-a', 'Bearer token-b'],
        `Bearer ${'a'.repeat(100_000)}`,
        'Bearer token-a,',
        'Bearertoken-a',
      )
      .map((header) => ({ header })),
  },
  { weight: 1, arbitrary: anyText(40).map((header) => ({ header })) },
);

const requestIdArb = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom('req-123', 'a.b:c_d-e', 'x'.repeat(128), 'x'.repeat(129), 'abc\r\nSet-Cookie: a=b', '<script>', 'ü', '', ' '),
  fc.integer({ min: 3, max: 5 }).map((n) => 'r'.repeat(10 ** n)),
  anyText(20),
);

const contentTypeArb = fc.oneof(
  fc.constantFrom(
    undefined,
    'application/scim+json',
    'application/scim+json',
    'application/json',
    'application/json; charset=utf-8',
    'application/scim+json;charset=ISO-8859-1',
    'text/plain',
    'application/xml',
    '',
    'application/scim+json\r\nX: 1',
    'multipart/form-data; boundary=x',
  ),
  anyText(20),
);

const entityTagArb = fc.oneof(
  fc.constantFrom(undefined, '*', 'W/"1"', '"1"', 'W/"2"', 'W/"1", W/"2"', 'garbage', '"unterminated', 'W/', '""', 'W/"1",,', ' * ', 'w/"1"'),
  fc.integer({ min: 2, max: 5 }).map((n) => `W/"${'1'.repeat(10 ** n)}"`),
  anyText(16),
);

// JSON text with hostile keys at every level.
const keyArb = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '__proto__',
      'constructor',
      'prototype',
      'polluted',
      'schemas',
      'userName',
      'Operations',
      'op',
      'path',
      'value',
      'members',
      'emails',
      'toString',
      'hasOwnProperty',
      'valueOf',
      'displayName',
      'filter',
      'count',
      'bulkId',
      'method',
      'data',
      'name',
      'id',
      'meta',
      'active',
    ),
  },
  { weight: 1, arbitrary: anyText(6) },
);
const scalarTextArb = fc.oneof(
  fc.constantFrom(
    'null',
    'true',
    'false',
    '0',
    '-0',
    '1e309',
    '-1e309',
    '1e-400',
    '123456789012345678901234567890',
    '"\\u0000"',
    '"\\ud800"',
    '""',
    '"bulkId:q"',
    '"bulkId:__proto__"',
    '"W/\\"1\\""',
    '"{userVictim}"',
    '"{userA}"',
    '"True"',
    '"False"',
  ),
  fc.double().map((d) => (Number.isFinite(d) ? String(d) : '0')),
  anyText(8).map((s) => JSON.stringify(s)),
  fc.integer().map(String),
);
const { value: jsonTextArb } = fc.letrec<{ value: string; array: string; object: string }>((tie) => ({
  value: fc.oneof({ depthSize: 'small', maxDepth: 6 }, scalarTextArb, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }).map((items) => `[${items.join(',')}]`),
  object: fc.array(fc.tuple(keyArb, tie('value')), { maxLength: 4 }).map((entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`),
}));

const pollutingTextArb = fc.constantFrom(
  '{"__proto__":{"polluted":"yes","admin":true}}',
  '{"constructor":{"prototype":{"polluted":"yes"}}}',
  '{"prototype":{"polluted":"yes"}}',
  '[{"__proto__":{"polluted":"yes"}}]',
);
const hostileValueArb = fc.oneof({ weight: 3, arbitrary: jsonTextArb }, { weight: 1, arbitrary: pollutingTextArb });

const userBodyArb = fc
  .record({
    userName: fc.oneof(anyText(10), fc.constantFrom('bjensen', 'BJENSEN', '\u0000', '')),
    extra: fc.array(fc.tuple(keyArb, hostileValueArb), { maxLength: 3 }),
    nameExtra: fc.array(fc.tuple(keyArb, hostileValueArb), { maxLength: 2 }),
    emails: fc.oneof(
      fc.constant(''),
      hostileValueArb.map((v) => `,"emails":[${v},{"value":"x@example.com","__proto__":{"polluted":"yes"}}]`),
    ),
    schema: fc.constantFrom(`["${USER}"]`, `["${GROUP}"]`, `["${USER}","${ENTERPRISE}"]`, '[]', '"x"', `["${USER}","__proto__"]`),
  })
  .map(
    ({ userName, extra, nameExtra, emails, schema }) =>
      `{"schemas":${schema},"userName":${JSON.stringify(userName)}${extra.map(([k, v]) => `,${JSON.stringify(k)}:${v}`).join('')},` +
      `"name":{"givenName":"g"${nameExtra.map(([k, v]) => `,${JSON.stringify(k)}:${v}`).join('')}}${emails}}`,
  );

const groupBodyArb = fc
  .record({
    members: fc.array(
      fc.oneof(
        fc.constantFrom(
          '{"value":"{userA}"}',
          '{"value":"{userVictim}"}',
          '{"value":"{groupVictim}","type":"Group"}',
          '{"value":"{unknown}"}',
          '{"value":"bulkId:q"}',
        ),
        pollutingTextArb,
        jsonTextArb,
      ),
      { maxLength: 3 },
    ),
    displayName: anyText(8),
  })
  .map(({ members, displayName }) => `{"schemas":["${GROUP}"],"displayName":${JSON.stringify(displayName)},"members":[${members.join(',')}]}`);

const patchPathArb = fc.oneof(
  fc.constantFrom(
    '__proto__',
    '__proto__.polluted',
    'constructor.prototype.polluted',
    'name.__proto__.polluted',
    'name.constructor',
    'prototype',
    'emails[__proto__ eq 1].value',
    'members[value eq "{userVictim}"]',
    'members[value eq "{userA}"]',
    'emails[type eq "work"].value',
    'userName',
    'active',
    'displayName',
    'members',
    `${ENTERPRISE}:manager`,
    '',
    'emails[value co "x"].display',
    'name.givenName',
    'emails[type eq "work" and value pr].primary',
    'members[value pr]',
  ),
  anyText(16),
);
const patchOperationArb = fc
  .record({
    op: fc.constantFrom('add', 'replace', 'remove', 'Add', 'REPLACE', 'Remove', 'bogus', '__proto__'),
    path: fc.option(patchPathArb, { nil: undefined }),
    value: fc.option(hostileValueArb, { nil: undefined }),
  })
  .map(
    ({ op, path, value }) =>
      `{"op":${JSON.stringify(op)}${path !== undefined ? `,"path":${JSON.stringify(path)}` : ''}${value !== undefined ? `,"value":${value}` : ''}}`,
  );
const patchBodyArb = fc
  .record({ ops: fc.array(fc.oneof(patchOperationArb, jsonTextArb), { maxLength: 4 }), schema: fc.constantFrom(`["${PATCH_OP}"]`, '[]', '"x"') })
  .map(({ ops, schema }) => `{"schemas":${schema},"Operations":[${ops.join(',')}]}`);

const bulkOperationArb = fc
  .record({
    method: fc.constantFrom('POST', 'PUT', 'PATCH', 'DELETE', 'GET', 'post', '__proto__', ''),
    path: fc.constantFrom(
      '/Users',
      '/Groups',
      '/Users/{userA}',
      '/Users/{userVictim}',
      '/Groups/{groupVictim}',
      '/Groups/{groupA}',
      '/Users/bulkId:q',
      '/Users/bulkId:__proto__',
      '/Bulk',
      '/Users/%2e%2e',
      'Users',
      '/Users?x=1',
      '/.search',
      '/Users/%E0%A4%A',
      '',
      '/Schemas',
    ),
    bulkId: fc.option(fc.constantFrom('q', 'r', '__proto__', 'constructor', 'toString', ''), { nil: undefined }),
    version: fc.option(
      entityTagArb.filter((v): v is string => v !== undefined),
      { nil: undefined },
    ),
    data: fc.option(fc.oneof(userBodyArb, groupBodyArb, patchBodyArb, jsonTextArb), { nil: undefined }),
  })
  .map(({ method, path, bulkId, version, data }) => {
    const parts = [`"method":${JSON.stringify(method)}`, `"path":${JSON.stringify(path)}`];
    if (bulkId !== undefined) parts.push(`"bulkId":${JSON.stringify(bulkId)}`);
    if (version !== undefined) parts.push(`"version":${JSON.stringify(version)}`);
    if (data !== undefined) parts.push(`"data":${data}`);
    return `{${parts.join(',')}}`;
  });
const bulkBodyArb = fc
  .record({
    ops: fc.array(fc.oneof({ weight: 4, arbitrary: bulkOperationArb }, { weight: 1, arbitrary: jsonTextArb }), { maxLength: 5 }),
    failOnErrors: fc.constantFrom('', ',"failOnErrors":1', ',"failOnErrors":0', ',"failOnErrors":"x"', ',"failOnErrors":1e309'),
    extra: fc.constantFrom('', ',"__proto__":{"Operations":[]}', ',"constructor":{"prototype":{"polluted":"yes"}}'),
  })
  .map(({ ops, failOnErrors, extra }) => `{"schemas":["${BULK}"],"Operations":[${ops.join(',')}]${failOnErrors}${extra}}`);

const searchBodyArb = fc
  .array(
    fc.oneof(
      paramArb.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`),
      fc.constantFrom(
        '"count":{}',
        '"count":[1]',
        '"count":true',
        '"count":1e309',
        '"startIndex":-1e308',
        '"startIndex":1.5',
        '"attributes":["userName",5]',
        '"attributes":{"a":1}',
        '"__proto__":{"filter":"userName pr"}',
        '"filter":5',
        '"cursor":""',
        '"cursor":5',
      ),
    ),
    { maxLength: 4 },
  )
  .map((pairs) => `{"schemas":["${SEARCH}"]${pairs.map((p) => `,${p}`).join('')}}`);

const structuralTextArb = fc.oneof(
  fc.integer({ min: 10, max: 5000 }).map((d) => '['.repeat(d) + ']'.repeat(d)),
  fc.integer({ min: 10, max: 2000 }).map((d) => `${'{"a":'.repeat(d)}1${'}'.repeat(d)}`),
  fc.integer({ min: 1000, max: 20000 }).map((n) => `{"schemas":["${USER}"],"userName":"arr","emails":[${'{"value":"e"},'.repeat(n)}{"value":"e"}]}`),
  fc.integer({ min: 1000, max: 20000 }).map((n) => `[${'0,'.repeat(n)}0]`),
  fc.constantFrom('5', '"x"', 'null', 'true', '[]', '{}', '', ' ', '{', '{"a":1,}', 'NaN', '\uFEFF{}', '{"a":"\\u0000"}', '{"a":1e309}'),
);

/** A body: undefined, JSON text, the same parsed (own `__proto__` keys kept), or bytes. */
type BodySpec =
  | { kind: 'none' }
  | { kind: 'text'; text: string }
  | { kind: 'parsed'; text: string }
  | { kind: 'bytes'; bytes: Uint8Array }
  | { kind: 'utf8'; text: string; corrupt: number | undefined };

const bodyTextArb = fc.oneof(
  { weight: 2, arbitrary: userBodyArb },
  { weight: 1, arbitrary: groupBodyArb },
  { weight: 2, arbitrary: patchBodyArb },
  { weight: 2, arbitrary: bulkBodyArb },
  { weight: 1, arbitrary: searchBodyArb },
  { weight: 2, arbitrary: jsonTextArb },
  { weight: 1, arbitrary: structuralTextArb },
);
const bodyArb: fc.Arbitrary<BodySpec> = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ kind: 'none' as const }) },
  { weight: 4, arbitrary: bodyTextArb.map((text) => ({ kind: 'text' as const, text })) },
  { weight: 3, arbitrary: bodyTextArb.map((text) => ({ kind: 'parsed' as const, text })) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((bytes) => ({ kind: 'bytes' as const, bytes })) },
  {
    weight: 1,
    arbitrary: fc.tuple(bodyTextArb, fc.option(fc.nat(), { nil: undefined })).map(([text, corrupt]) => ({ kind: 'utf8' as const, text, corrupt })),
  },
);

/** Requests hostile everywhere at once: most end at the 401 and 404 walls. */
const wildRequestArb = fc.constantFrom<'base' | 'url'>('base', 'base', 'url').chain((server) =>
  fc.record({
    server: fc.constant(server),
    method: methodArb,
    path: pathFor(server),
    query: queryArb,
    auth: authArb,
    requestId: sometimes(requestIdArb),
    contentType: fc.oneof(fc.constant('application/scim+json'), sometimes(contentTypeArb)),
    ifMatch: sometimes(entityTagArb),
    ifNoneMatch: sometimes(entityTagArb),
    host: sometimes(fc.constantFrom('scim.example.com', 'evil.example/x?', '')),
    headerArrays: fc.boolean(),
    protoHeader: fc.boolean(),
    body: bodyArb,
  }),
);

/** Authenticated requests to real endpoints with fitting methods, hostile in their bodies and queries. */
const targetedRequestArb = fc
  .constantFrom(
    { method: 'GET', path: '/Users', body: undefined },
    { method: 'GET', path: '/Groups', body: undefined },
    { method: 'GET', path: '/Users/{userA}', body: undefined },
    { method: 'GET', path: '/Groups/{groupVictim}', body: undefined },
    { method: 'GET', path: '/Schemas', body: undefined },
    { method: 'GET', path: '/ResourceTypes/User', body: undefined },
    { method: 'GET', path: '/ServiceProviderConfig', body: undefined },
    { method: 'POST', path: '/Users', body: userBodyArb },
    { method: 'POST', path: '/Groups', body: groupBodyArb },
    { method: 'PUT', path: '/Users/{userA}', body: userBodyArb },
    { method: 'PUT', path: '/Users/{userVictim}', body: userBodyArb },
    { method: 'PATCH', path: '/Users/{userA}', body: patchBodyArb },
    { method: 'PATCH', path: '/Groups/{groupA}', body: patchBodyArb },
    { method: 'PATCH', path: '/Groups/{groupVictim}', body: patchBodyArb },
    { method: 'DELETE', path: '/Users/{userVictim}', body: undefined },
    { method: 'POST', path: '/Bulk', body: bulkBodyArb },
    { method: 'POST', path: '/Users/.search', body: searchBodyArb },
    { method: 'POST', path: '/.search', body: searchBodyArb },
  )
  .chain(({ method, path, body }) =>
    fc.record({
      server: fc.constant<'base' | 'url'>('base'),
      method: fc.constant(method),
      path: fc.constant(`/scim/v2${path}`),
      query: fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: queryArb }),
      auth: fc.constantFrom({ header: 'Bearer token-a' }, { header: 'Bearer token-b' }),
      requestId: sometimes(requestIdArb),
      contentType: fc.constant('application/scim+json'),
      ifMatch: sometimes(entityTagArb),
      ifNoneMatch: fc.constant(undefined),
      host: fc.constant(undefined),
      headerArrays: fc.constant(false),
      protoHeader: fc.boolean(),
      body:
        body === undefined
          ? fc.constant<BodySpec>({ kind: 'none' })
          : body.chain((text) => fc.constantFrom<BodySpec>({ kind: 'text', text }, { kind: 'parsed', text })),
    }),
  );

const requestArb = fc.oneof({ weight: 1, arbitrary: wildRequestArb }, { weight: 1, arbitrary: targetedRequestArb });
type GeneratedRequest = typeof requestArb extends fc.Arbitrary<infer T> ? T : never;

// ---------------------------------------------------------------------------------------------
// Oracles
// ---------------------------------------------------------------------------------------------

/** The documented locator rules: a path under `/scim/v2`, no empty, `.` or `..` segment. */
function underBase(path: string, base: readonly string[]): boolean {
  let p = path;
  const cut = [p.indexOf('?'), p.indexOf('#')].filter((i) => i >= 0);
  if (cut.length > 0) p = p.slice(0, Math.min(...cut));
  if (!p.startsWith('/') || p === '/') return false;
  if (p.endsWith('/')) p = p.slice(0, -1);
  const segments = p.slice(1).split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) return false;
  return base.every((b, i) => b === '*' || segments[i] === b) && segments.length >= base.length;
}

/** Which tenant a credential names, by the documented `Bearer <token>` rule (scheme in any case). */
function tenantOfAuthorization(header: string | string[] | undefined): string | undefined {
  const text = Array.isArray(header) ? header.join(', ') : header;
  const m = text === undefined ? null : /^\s*bearer\s+(\S+)\s*$/i.exec(text);
  if (!m) return undefined;
  return m[1] === 'token-a' ? 'a' : m[1] === 'token-b' ? 'b' : undefined;
}

/** The tenant id a `/tenants/{id}/scim/v2` path names, decoded. */
function urlTenant(path: string): string | undefined {
  const m = /^\/tenants\/([^/?#]*)\/scim\/v2(?:[/?#]|$)/.exec(path);
  if (!m) return undefined;
  try {
    return decodeURIComponent(m[1] as string);
  } catch {
    return undefined;
  }
}

/** Everything the request carried, as text, to tell reflected input from leaked internals. */
function inputText(req: ScimRequest, g: GeneratedRequest): string {
  const b = g.body;
  const body = b.kind === 'bytes' ? Buffer.from(b.bytes).toString('latin1') : b.kind === 'none' ? '' : b.text;
  return `${String(req.method)} ${req.path} ${JSON.stringify(req.query) ?? ''} ${JSON.stringify(req.headers) ?? ''} ${body}`;
}

function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function buildRequest(g: GeneratedRequest, ids: Ids): ScimRequest {
  const headers: Record<string, string | string[] | undefined> = {};
  if (g.auth.header !== undefined) headers.authorization = Array.isArray(g.auth.header) ? g.auth.header : fill(g.auth.header, ids);
  if (g.requestId !== undefined) headers['X-Request-Id'] = g.requestId;
  if (g.contentType !== undefined) headers['content-type'] = g.headerArrays ? [g.contentType] : g.contentType;
  if (g.ifMatch !== undefined) headers['If-Match'] = g.ifMatch;
  if (g.ifNoneMatch !== undefined) headers['if-none-match'] = g.ifNoneMatch;
  if (g.host !== undefined) headers.host = g.host;
  if (g.protoHeader) {
    setOwn(headers, '__proto__', 'x');
    setOwn(headers, 'constructor', 'y');
  }
  let query: ScimRequest['query'];
  if (typeof g.query === 'string') query = fill(g.query, ids);
  else if (g.query !== undefined) {
    const q: Record<string, unknown> = {};
    for (const [k, v] of g.query.entries) setOwn(q, k, typeof v === 'string' ? fill(v, ids) : v);
    query = q as Record<string, string>;
  }
  let body: unknown;
  const b = g.body;
  if (b.kind === 'text') body = fill(b.text, ids);
  else if (b.kind === 'parsed') {
    try {
      body = JSON.parse(fill(b.text, ids));
    } catch {
      body = fill(b.text, ids);
    }
  } else if (b.kind === 'bytes') body = b.bytes;
  else if (b.kind === 'utf8') {
    const bytes = new Uint8Array(Buffer.from(fill(b.text, ids), 'utf8'));
    if (b.corrupt !== undefined && bytes.length > 0) bytes[b.corrupt % bytes.length] = 0xff;
    body = bytes;
  }
  return {
    method: g.method,
    path: fill(g.path, ids),
    ...(query !== undefined ? { query } : {}),
    headers,
    ...(body !== undefined ? { body } : {}),
  };
}

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** True when the request carries a query string in its path and parameters in `query` as well. */
function queryInTwoPlaces(req: ScimRequest): boolean {
  const q = req.path.indexOf('?');
  if (q < 0 || q === req.path.length - 1) return false;
  const query = req.query;
  if (typeof query === 'string') return query !== '' && query !== '?';
  return query !== undefined && Object.keys(query).length > 0;
}

/** Checks one response; returns the canonical 401 body for comparison. */
function checkResponse(req: ScimRequest, g: GeneratedRequest, res: ScimResponse, canonical401: unknown): void {
  const label = `${String(req.method).slice(0, 20)} ${req.path.slice(0, 120)} → ${res.status}`;
  expect(Number.isInteger(res.status), label).toBe(true);
  const isMe = req.path.split(/[/?#]/).some((s) => s.toLowerCase() === 'me');
  if (res.status === 501) expect(isMe, `${label}: 501 outside /Me`).toBe(true);
  else {
    expect(res.status, label).toBeGreaterThanOrEqual(200);
    expect(res.status, label).toBeLessThan(500);
  }

  // Headers: strings a socket can carry, and a request id of safe characters only.
  for (const [name, value] of Object.entries(res.headers)) {
    expect(typeof value, `${label}: header ${name}`).toBe('string');
    expect(/[\r\n\0]/.test(value), `${label}: header ${name} has CR, LF or NUL`).toBe(false);
    expect(/[^\t\x20-\x7e\x80-\xff]/.test(value), `${label}: header ${name} has characters HTTP cannot carry`).toBe(false);
  }
  const echoed = res.headers['X-Request-Id'];
  expect(echoed !== undefined && SAFE_REQUEST_ID.test(echoed), `${label}: X-Request-Id ${JSON.stringify(echoed)}`).toBe(true);
  if (g.requestId !== undefined && SAFE_REQUEST_ID.test(g.requestId)) expect(echoed).toBe(g.requestId);
  else expect(echoed).not.toBe(g.requestId);

  // Body: SCIM JSON that survives a round trip; none at all for HEAD (RFC 9110 §9.3.2).
  const head = String(req.method).toUpperCase() === 'HEAD';
  if (res.status === 204 || res.status === 304 || head) {
    expect(res.body, label).toBeUndefined();
  } else {
    expect(res.body, label).toBeDefined();
    expect(res.headers['Content-Type'], label).toMatch(/^application\/scim\+json/);
    const text = JSON.stringify(res.body);
    expect(JSON.parse(text), `${label}: body is not plain JSON`).toEqual(res.body);
  }
  if (res.status >= 400 && !head) {
    const body = res.body as { schemas?: unknown; status?: unknown; scimType?: unknown; detail?: unknown };
    expect(body.schemas, label).toEqual([ERROR]);
    expect(body.status, label).toBe(String(res.status));
    if (body.scimType !== undefined) expect(SCIM_TYPES.has(body.scimType as string), `${label}: scimType ${String(body.scimType)}`).toBe(true);
    if (body.detail !== undefined) expect(typeof body.detail).toBe('string');
  }

  // Nothing internal, and nothing of the tenant no request authenticates as.
  const out = `${JSON.stringify(res.body) ?? ''} ${JSON.stringify(res.headers)}`;
  const input = inputText(req, g);
  for (const marker of LEAK_MARKERS) {
    if (out.includes(marker)) expect(input.includes(marker), `${label}: response contains ${JSON.stringify(marker)}`).toBe(true);
  }
  expect(out.includes(VICTIM_USER_NAME) || out.includes(VICTIM_GROUP_NAME), `${label}: victim data in response`).toBe(false);

  // Authentication: without a valid credential for the addressed tenant, only 401 (or 404 outside the base).
  const tokenTenant = tenantOfAuthorization(req.headers?.authorization);
  if (g.server === 'base') {
    const located = underBase(req.path, ['scim', 'v2']);
    if (tokenTenant === undefined) {
      expect(res.status, `${label}: unauthenticated`).toBe(located ? 401 : 404);
    }
  } else {
    const located = underBase(req.path, ['tenants', '*', 'scim', 'v2']);
    const named = located ? urlTenant(req.path) : undefined;
    if (tokenTenant === undefined || (named !== undefined && named !== tokenTenant)) {
      expect([401, 404], `${label}: unauthenticated`).toContain(res.status);
    }
  }
  if (res.status === 401) {
    expect(res.body, label).toEqual(head ? undefined : canonical401);
    expect(res.headers['WWW-Authenticate'], label).toBe('Bearer realm="scim"');
  }
}

// ---------------------------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------------------------

describe('ScimServer.handle under random hostile requests', () => {
  const tenants = [
    { id: 'a', token: 'token-a', isolationLevel: 'strict' as const },
    { id: 'b', token: 'token-b', isolationLevel: 'shared' as const },
    { id: 'victim', token: 'token-victim', isolationLevel: 'shared' as const },
  ];
  const resolver = new StaticTenantResolver(tenants);
  const base = new ScimServer({ tenantResolver: resolver });
  const url = new ScimServer({ tenantResolver: resolver, storage: base.storage, locator: pathTenantLocator('/tenants/{tenantId}/scim/v2') });
  const protoNamesBefore = Object.getOwnPropertyNames(Object.prototype).sort();
  const arrayNamesBefore = Object.getOwnPropertyNames(Array.prototype).sort();
  const toStringBefore = Object.prototype.toString;
  let ids: Ids;
  let victimSnapshot: unknown[];
  let canonical401: unknown;
  const statusCounts = new Map<number, number>();

  async function victim(method: string, path: string, body?: unknown): Promise<ScimResponse> {
    return base.handle({
      method,
      path: `/scim/v2${path}`,
      headers: { authorization: 'Bearer token-victim', 'content-type': 'application/scim+json' },
      ...(body !== undefined ? { body } : {}),
    });
  }

  async function victimState(): Promise<unknown[]> {
    const users = await victim('GET', '/Users');
    const groups = await victim('GET', '/Groups');
    return [users.status, users.body, groups.status, groups.body];
  }

  beforeAll(async () => {
    const as = (token: string, method: string, path: string, body?: unknown): Promise<ScimResponse> =>
      base.handle({ method, path: `/scim/v2${path}`, headers: { authorization: `Bearer ${token}` }, ...(body !== undefined ? { body } : {}) });
    const userA = await as('token-a', 'POST', '/Users', { schemas: [USER], userName: 'alice', emails: [{ value: 'alice@example.com', type: 'work' }] });
    const groupA = await as('token-a', 'POST', '/Groups', { schemas: [GROUP], displayName: 'team', members: [{ value: (userA.body as { id: string }).id }] });
    const userV = await victim('POST', '/Users', { schemas: [USER], userName: VICTIM_USER_NAME });
    const groupV = await victim('POST', '/Groups', {
      schemas: [GROUP],
      displayName: VICTIM_GROUP_NAME,
      members: [{ value: (userV.body as { id: string }).id }],
    });
    for (const r of [userA, groupA, userV, groupV]) expect(r.status).toBe(201);
    ids = {
      userA: (userA.body as { id: string }).id,
      groupA: (groupA.body as { id: string }).id,
      userVictim: (userV.body as { id: string }).id,
      groupVictim: (groupV.body as { id: string }).id,
      unknown: '0190a1b2-0000-7000-8000-000000000000',
    };
    victimSnapshot = await victimState();
    canonical401 = (await base.handle({ method: 'GET', path: '/scim/v2/Users', headers: {} })).body;
    expect((canonical401 as { status: string }).status).toBe('401');
  });

  afterAll(() => {
    // Which statuses the run produced, for anyone tuning the generators.
    if (process.env.SCIM_HOSTILE_STATS) console.log(Object.fromEntries([...statusCounts].sort((x, y) => x[0] - y[0])));
  });

  it(`answers ${RUNS} random requests with SCIM JSON, never a 500, and leaves no trace on prototypes or other tenants`, async () => {
    await fc.assert(
      fc.asyncProperty(requestArb, async (g) => {
        const req = buildRequest(g, ids);
        const server = g.server === 'base' ? base : url;
        if (queryInTwoPlaces(req)) {
          // Only calling code can do this, never a client: refused as a programming error.
          await expect(server.handle(req)).rejects.toThrow(TypeError);
          return;
        }
        const res = await server.handle(req);
        statusCounts.set(res.status, (statusCounts.get(res.status) ?? 0) + 1);
        checkResponse(req, g, res, canonical401);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        expect(({} as Record<string, unknown>).admin).toBeUndefined();
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );

    // The run must have reached the interesting places, not only the 401 and 404 walls.
    const reached = (predicate: (s: number) => boolean): number => [...statusCounts].filter(([s]) => predicate(s)).reduce((n, [, c]) => n + c, 0);
    expect(reached((s) => s >= 200 && s < 300)).toBeGreaterThan(RUNS / 30);
    expect(reached((s) => s === 400)).toBeGreaterThan(RUNS / 30);
    expect(reached((s) => s === 401)).toBeGreaterThan(RUNS / 30);
    expect(reached((s) => s === 404)).toBeGreaterThan(RUNS / 30);

    // Prototypes untouched.
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(protoNamesBefore);
    expect(Object.getOwnPropertyNames(Array.prototype).sort()).toEqual(arrayNamesBefore);
    expect(Object.prototype.toString).toBe(toStringBefore);
    for (const probe of [{}, [], Object.create({}), JSON.parse('{}')] as Record<string, unknown>[]) {
      expect(probe.polluted).toBeUndefined();
      expect(probe.admin).toBeUndefined();
    }

    // The tenant whose token no generated request carries holds exactly what it held.
    expect(await victimState()).toEqual(victimSnapshot);
  }, 60_000);
});
