import { describe, expect, it } from 'vitest';
import { isScimError } from '../../src/error/scim-error.js';
import type { FilterNode } from '../../src/query/ast.js';
import { compileFilter } from '../../src/query/filter-compiler.js';
import { parseFilter } from '../../src/query/filter-parser.js';
import type { ResourceSchema } from '../../src/schema/resource-schema.js';
import type { ScimObject } from '../../src/schema/types.js';
import { ENTERPRISE_URI, TYPES_EXT_URI, groupSchema, inheritedNamesSchema, rfcFilterExamples, rfcUsers, typesSchema, userSchema } from './query-fixtures.js';

function select(filter: string, resources: readonly ScimObject[], schema: ResourceSchema = userSchema): string[] {
  const predicate = compileFilter(parseFilter(filter), schema);
  return resources.filter(predicate).map((r) => r.id as string);
}

function matches(filter: string, resource: ScimObject, schema: ResourceSchema = typesSchema): boolean {
  return compileFilter(parseFilter(filter), schema)(resource);
}

function compileError(filter: string | FilterNode, schema: ResourceSchema = userSchema): { status: number; scimType?: string | undefined; detail: string } {
  try {
    compileFilter(typeof filter === 'string' ? parseFilter(filter) : filter, schema);
  } catch (e) {
    if (isScimError(e)) return { status: e.status, scimType: e.scimType, detail: e.detail };
    throw e;
  }
  throw new Error(`expected ${JSON.stringify(filter)} to be refused`);
}

describe('compileFilter: every RFC 7644 §3.4.2.2 example selects what the RFC says', () => {
  const examples = rfcFilterExamples;
  for (const [filter, expected] of examples) {
    it(filter, () => {
      expect(select(filter, rfcUsers)).toEqual(expected);
    });
  }

  it('treats attribute names and operators case-insensitively (RFC: userName Eq / Username eq)', () => {
    expect(select('userName Eq "bjensen"', rfcUsers)).toEqual(['u1']);
    expect(select('Username eq "bjensen"', rfcUsers)).toEqual(['u1']);
    expect(select('EMAILS[TYPE EQ "work" AND VALUE CO "@EXAMPLE.COM"]', rfcUsers)).toEqual(['u1']);
    expect(select('META.LASTMODIFIED GT "2011-05-13T04:42:34Z"', rfcUsers)).toEqual(['u2', 'u5']);
    expect(select('urn:ietf:params:scim:schemas:extension:enterprise:2.0:user:EMPLOYEENUMBER eq "701984"', rfcUsers)).toEqual(['u1']);
  });
});

describe('compileFilter: value filters bind their conditions to one element', () => {
  const user = {
    id: 'x',
    emails: [
      { value: 'a@example.com', type: 'home' },
      { value: 'b@other.test', type: 'work' },
    ],
  };
  it('does not mix conditions across elements', () => {
    expect(select('emails[type eq "work" and value co "example.com"]', [user])).toEqual([]);
    expect(select('emails[type eq "home" and value co "example.com"]', [user])).toEqual(['x']);
    // Without a value filter the two conditions may be met by different elements.
    expect(select('emails.type eq "work" and emails.value co "example.com"', [user])).toEqual(['x']);
  });

  it('applies a trailing sub-attribute comparison to the filtered element', () => {
    expect(select('emails[type eq "work"].value co "example.com"', [user])).toEqual([]);
    expect(select('emails[type eq "work"].value ew "other.test"', [user])).toEqual(['x']);
  });

  it('supports not, or and grouping inside a value filter', () => {
    expect(select('emails[not (type eq "home") and value sw "b"]', [user])).toEqual(['x']);
    expect(select('emails[(type eq "x" or type eq "work") and value sw "a"]', [user])).toEqual([]);
  });

  it('needs an element: no emails means no match, whatever the inner filter', () => {
    const none = [{ id: 'n1' }, { id: 'n2', emails: [] }, { id: 'n3', emails: null }];
    expect(select('emails[not (type eq "work")]', none)).toEqual([]);
    expect(select('emails[type eq null]', none)).toEqual([]);
    expect(select('emails[type eq null]', [{ id: 'y', emails: [{ value: 'x' }] }])).toEqual(['y']);
  });

  it('works on extension attributes and on single-valued complex attributes', () => {
    const thing = {
      id: 't',
      shape: { width: 3, color: 'Red' },
      [TYPES_EXT_URI]: {
        tags: [
          { value: 'a', kind: 'x' },
          { value: 'b', kind: 'y' },
        ],
      },
    };
    expect(select(`${TYPES_EXT_URI}:tags[value eq "a" and kind eq "x"]`, [thing], typesSchema)).toEqual(['t']);
    expect(select(`${TYPES_EXT_URI}:tags[value eq "a" and kind eq "y"]`, [thing], typesSchema)).toEqual([]);
    expect(select('shape[width gt 2 and color eq "red"]', [thing], typesSchema)).toEqual(['t']);
  });

  it('matches Group members by value', () => {
    const groups = [
      {
        id: 'g1',
        displayName: 'Admins',
        members: [
          { value: 'u1', type: 'User' },
          { value: 'u2', type: 'User' },
        ],
      },
      { id: 'g2', displayName: 'Tour Guides', members: [{ value: 'u3', type: 'User' }] },
    ];
    expect(select('members[value eq "u2"]', groups, groupSchema)).toEqual(['g1']);
    expect(select('members.value eq "u3"', groups, groupSchema)).toEqual(['g2']);
    expect(select('displayName eq "ADMINS"', groups, groupSchema)).toEqual(['g1']);
  });
});

describe('compileFilter: strings', () => {
  const thing = { id: 't', label: 'Hello World', code: 'AbC-12', home: 'https://Example.com/x', blob: 'QUJD' };
  it('compares caseExact=false strings case-insensitively with every operator', () => {
    expect(matches('label eq "hello world"', thing)).toBe(true);
    expect(matches('label eq "hello"', thing)).toBe(false);
    expect(matches('label ne "HELLO WORLD"', thing)).toBe(false);
    expect(matches('label ne "hello"', thing)).toBe(true);
    expect(matches('label co "O w"', thing)).toBe(true);
    expect(matches('label co "xyz"', thing)).toBe(false);
    expect(matches('label sw "HELLO"', thing)).toBe(true);
    expect(matches('label sw "world"', thing)).toBe(false);
    expect(matches('label ew "WORLD"', thing)).toBe(true);
    expect(matches('label ew "hello"', thing)).toBe(false);
    expect(matches('label gt "hello"', thing)).toBe(true);
    expect(matches('label gt "HELLO WORLD"', thing)).toBe(false);
    expect(matches('label ge "HELLO WORLD"', thing)).toBe(true);
    expect(matches('label lt "hellp"', thing)).toBe(true);
    expect(matches('label lt "Hello World"', thing)).toBe(false);
    expect(matches('label le "hello world"', thing)).toBe(true);
  });

  it('honours caseExact=true with every operator', () => {
    expect(matches('code eq "AbC-12"', thing)).toBe(true);
    expect(matches('code eq "abc-12"', thing)).toBe(false);
    expect(matches('code ne "abc-12"', thing)).toBe(true);
    expect(matches('code co "bC"', thing)).toBe(true);
    expect(matches('code co "BC"', thing)).toBe(false);
    expect(matches('code sw "Ab"', thing)).toBe(true);
    expect(matches('code sw "ab"', thing)).toBe(false);
    expect(matches('code ew "C-12"', thing)).toBe(true);
    expect(matches('code ew "c-12"', thing)).toBe(false);
    // Upper case sorts before lower case in code-point order.
    expect(matches('code gt "AAA"', thing)).toBe(true);
    expect(matches('code gt "aaa"', thing)).toBe(false);
    expect(matches('code ge "AbC-12"', thing)).toBe(true);
    expect(matches('code lt "a"', thing)).toBe(true);
    expect(matches('code le "AbC-11"', thing)).toBe(false);
  });

  it('compares references and binary values as case-exact strings', () => {
    expect(matches('home eq "https://Example.com/x"', thing)).toBe(true);
    expect(matches('home eq "https://example.com/x"', thing)).toBe(false);
    expect(matches('home sw "https://Ex"', thing)).toBe(true);
    expect(matches('home gt "https://A"', thing)).toBe(true);
    expect(matches('blob eq "QUJD"', thing)).toBe(true);
    expect(matches('blob eq "qujd"', thing)).toBe(false);
    expect(matches('blob ne "QUJE"', thing)).toBe(true);
    expect(matches('blob co "UJ"', thing)).toBe(true);
  });

  it('applies every allowed operator to references and binary values, and pr to every type', () => {
    const t = { home: 'https://Example.com/x', blob: 'QUJD' };
    const cases: [string, boolean][] = [
      ['home ne "https://Example.com/x"', false],
      ['home co "Example.com"', true],
      ['home co "example.com"', false],
      ['home ew "/x"', true],
      ['home ge "https://Example.com/x"', true],
      ['home lt "https://Example.com/y"', true],
      ['home le "https://Example.com/w"', false],
      ['blob sw "QU"', true],
      ['blob sw "qu"', false],
      ['blob ew "JD"', true],
      ['blob ew "jd"', false],
    ];
    for (const [filter, expected] of cases) expect(matches(filter, t), filter).toBe(expected);
    const full = {
      label: 'x',
      code: 'y',
      enabled: false,
      size: 0,
      weight: 0.5,
      seen: '2024-01-01T00:00:00Z',
      home: 'h',
      blob: 'AA==',
      aliases: ['a'],
      scores: [0],
      parts: [{ count: 0 }],
      shape: { width: 0 },
    };
    for (const name of Object.keys(full)) {
      expect(matches(`${name} pr`, full), name).toBe(true);
      expect(matches(`${name} pr`, {}), name).toBe(false);
    }
  });

  it('folds non-ASCII text the way toLowerCase does', () => {
    const t = { id: 't', label: 'ÉCOLE Straße İstanbul' };
    expect(matches('label eq "école straße i\u0307stanbul"', t)).toBe(true);
    expect(matches('label co "straße"', t)).toBe(true);
    expect(matches('label sw "éc"', t)).toBe(true);
    expect(matches('label ew "İSTANBUL"', t)).toBe(true);
    expect(matches('label eq "ecole straße istanbul"', t)).toBe(false);
  });

  it('orders strings by code point', () => {
    const t = { id: 't', code: '\u{1F600}' };
    // U+1F600 is above U+FFFD although its first UTF-16 unit (U+D83D) is below it.
    expect(matches('code gt "\uFFFD"', t)).toBe(true);
    expect(matches('code lt "\uFFFD"', t)).toBe(false);
  });

  it('finds strings with co when the literal is empty or longer than the value', () => {
    expect(matches('label co ""', thing)).toBe(true);
    expect(matches('label co "Hello World and more"', thing)).toBe(false);
    expect(matches('label sw "Hello World and more"', thing)).toBe(false);
  });
});

describe('compileFilter: booleans, numbers and dateTime', () => {
  it('compares booleans with eq and ne, accepting "true"/"false" text', () => {
    expect(matches('enabled eq true', { enabled: true })).toBe(true);
    expect(matches('enabled eq false', { enabled: true })).toBe(false);
    expect(matches('enabled ne false', { enabled: true })).toBe(true);
    expect(matches('enabled eq "False"', { enabled: false })).toBe(true);
    expect(matches('enabled eq true', {})).toBe(false);
    expect(matches('enabled ne true', {})).toBe(true);
  });

  it('compares integers and decimals numerically', () => {
    const t = { size: 10, weight: 2.5 };
    expect(matches('size eq 10', t)).toBe(true);
    expect(matches('size eq 10.0', t)).toBe(true);
    expect(matches('size ne 10', t)).toBe(false);
    expect(matches('size gt 9', t)).toBe(true);
    expect(matches('size gt 10', t)).toBe(false);
    expect(matches('size ge 10', t)).toBe(true);
    expect(matches('size lt 100', t)).toBe(true);
    expect(matches('size le 9.99', t)).toBe(false);
    expect(matches('size eq "10"', t)).toBe(true);
    expect(matches('weight gt 2.49', t)).toBe(true);
    expect(matches('weight lt 2.5', t)).toBe(false);
    expect(matches('weight le 2.5e0', t)).toBe(true);
    expect(matches('weight eq -2.5', t)).toBe(false);
    expect(matches('size gt 1', { size: '11' })).toBe(false);
  });

  it('compares dateTime values as instants across offsets and fraction lengths', () => {
    const t = { seen: '2024-03-10T12:00:00.5+01:00' };
    expect(matches('seen eq "2024-03-10T11:00:00.500Z"', t)).toBe(true);
    expect(matches('seen eq "2024-03-10T11:00:00.5000000Z"', t)).toBe(true);
    expect(matches('seen eq "2024-03-10T06:30:00.5-04:30"', t)).toBe(true);
    expect(matches('seen eq "2024-03-10T11:00:00Z"', t)).toBe(false);
    expect(matches('seen ne "2024-03-10T11:00:00Z"', t)).toBe(true);
    expect(matches('seen gt "2024-03-10T11:00:00.4999999Z"', t)).toBe(true);
    expect(matches('seen gt "2024-03-10T11:00:00.5000001Z"', t)).toBe(false);
    expect(matches('seen ge "2024-03-10T12:00:00.5+01:00"', t)).toBe(true);
    expect(matches('seen lt "2024-03-10T11:00:00.5000001Z"', t)).toBe(true);
    expect(matches('seen le "2024-03-10T11:00:00.4Z"', t)).toBe(false);
    // Sub-millisecond precision is kept.
    const micro = { seen: '2024-03-10T11:00:00.1234567Z' };
    expect(matches('seen gt "2024-03-10T11:00:00.1234566Z"', micro)).toBe(true);
    expect(matches('seen lt "2024-03-10T11:00:00.1234568Z"', micro)).toBe(true);
    expect(matches('seen eq "2024-03-10T11:00:00.123Z"', micro)).toBe(false);
    // A value that is not a dateTime never matches an ordering.
    expect(matches('seen gt "2000-01-01T00:00:00Z"', { seen: 'yesterday' })).toBe(false);
    expect(matches('seen lt "2000-01-01T00:00:00Z"', {})).toBe(false);
  });

  it('filters on meta.created across a day boundary created by an offset', () => {
    const users = [
      { id: 'a', meta: { created: '2024-01-01T00:30:00+01:00' } },
      { id: 'b', meta: { created: '2023-12-31T23:59:59.999Z' } },
      { id: 'c', meta: { created: '2024-01-01T00:00:00Z' } },
    ];
    expect(select('meta.created lt "2024-01-01T00:00:00Z"', users)).toEqual(['a', 'b']);
    expect(select('meta.created eq "2024-01-01T00:00:00.000Z"', users)).toEqual(['c']);
    expect(select('meta.created eq "2023-12-31T23:30:00Z"', users)).toEqual(['a']);
  });
});

describe('compileFilter: multi-valued attributes, presence and null', () => {
  it('matches a multi-valued attribute when any value does', () => {
    const t = { aliases: ['Alpha', 'beta'], scores: [3, 9] };
    expect(matches('aliases eq "BETA"', t)).toBe(true);
    expect(matches('aliases sw "al"', t)).toBe(true);
    expect(matches('aliases eq "gamma"', t)).toBe(false);
    expect(matches('aliases ne "alpha"', t)).toBe(true);
    expect(matches('scores gt 8', t)).toBe(true);
    expect(matches('scores gt 9', t)).toBe(false);
    expect(matches('scores lt 4 and scores gt 8', t)).toBe(true);
  });

  it('compares the value sub-attribute of a multi-valued complex attribute named alone', () => {
    const t = {
      parts: [
        { value: 'Wheel', kind: 'A' },
        { value: 'Axle', kind: 'B' },
      ],
    };
    expect(matches('parts eq "wheel"', t)).toBe(true);
    expect(matches('parts co "xl"', t)).toBe(true);
    expect(matches('parts eq "A"', t)).toBe(false);
  });

  it('is false for pr on null, "", [] and empty objects; true on anything else', () => {
    expect(matches('label pr', { label: 'x' })).toBe(true);
    expect(matches('label pr', { label: '' })).toBe(false);
    expect(matches('label pr', { label: null })).toBe(false);
    expect(matches('label pr', {})).toBe(false);
    expect(matches('enabled pr', { enabled: false })).toBe(true);
    expect(matches('size pr', { size: 0 })).toBe(true);
    expect(matches('aliases pr', { aliases: [] })).toBe(false);
    expect(matches('aliases pr', { aliases: ['', null] })).toBe(false);
    expect(matches('aliases pr', { aliases: ['', 'x'] })).toBe(true);
    expect(matches('parts pr', { parts: [] })).toBe(false);
    expect(matches('parts pr', { parts: [{}] })).toBe(false);
    expect(matches('parts pr', { parts: [{ value: '' }] })).toBe(false);
    expect(matches('parts pr', { parts: [{ kind: 'a' }] })).toBe(true);
    expect(matches('shape pr', { shape: {} })).toBe(false);
    expect(matches('shape pr', { shape: { width: 1 } })).toBe(true);
    expect(matches('parts.kind pr', { parts: [{ value: 'a' }, { kind: 'k' }] })).toBe(true);
    expect(matches('parts.kind pr', { parts: [{ value: 'a' }] })).toBe(false);
  });

  it('reads eq null as "some value is unassigned" and ne null as "some value is assigned"', () => {
    expect(matches('label eq null', {})).toBe(true);
    expect(matches('label eq null', { label: '' })).toBe(true);
    expect(matches('label eq null', { label: 'x' })).toBe(false);
    expect(matches('label ne null', { label: 'x' })).toBe(true);
    expect(matches('label ne null', {})).toBe(false);
    expect(matches('size eq null', { size: 0 })).toBe(false);
    expect(matches('parts.kind eq null', { parts: [{ kind: 'a' }, { value: 'b' }] })).toBe(true);
  });

  it('treats an unassigned attribute as one unassigned value: ne matches it', () => {
    expect(matches('label ne "x"', {})).toBe(true);
    expect(matches('parts.kind ne "A"', { parts: [] })).toBe(true);
    expect(matches('parts.kind ne "A"', { parts: [{ kind: 'A' }] })).toBe(false);
    expect(matches('parts.kind ne "A"', { parts: [{ kind: 'A' }, { kind: 'B' }] })).toBe(true);
  });

  it('ignores malformed data instead of throwing', () => {
    const odd = { label: 5, parts: 'nope', shape: [1, 2], aliases: 'single', size: null };
    expect(matches('label eq "5"', odd)).toBe(false);
    expect(matches('parts.kind eq "x"', odd)).toBe(false);
    expect(matches('parts[kind eq "x"]', odd)).toBe(false);
    expect(matches('shape.width gt 0', odd)).toBe(false);
    expect(matches('aliases eq "single"', odd)).toBe(true);
    expect(matches('size gt 1', odd)).toBe(false);
  });
});

describe('compileFilter: common attributes and extensions', () => {
  const users = [
    {
      id: '2819c223',
      externalId: 'EXT-1',
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'a',
      meta: { resourceType: 'User', created: '2020-01-01T00:00:00Z', lastModified: '2020-06-01T00:00:00Z' },
    },
    {
      id: '9a0b',
      externalId: 'ext-1',
      userName: 'b',
      [ENTERPRISE_URI]: { employeeNumber: '42', manager: { value: '2819c223', displayName: 'A' } },
      meta: { resourceType: 'User', created: '2021-01-01T00:00:00Z', lastModified: '2021-06-01T00:00:00Z' },
    },
  ];
  it('filters on id, externalId (case-exact) and meta', () => {
    expect(select('id eq "2819c223"', users)).toEqual(['2819c223']);
    expect(select('id eq "2819C223"', users)).toEqual([]);
    expect(select('externalId eq "ext-1"', users)).toEqual(['9a0b']);
    expect(select('meta.resourceType eq "User"', users)).toEqual(['2819c223', '9a0b']);
    expect(select('meta.created gt "2020-06-01T00:00:00Z"', users)).toEqual(['9a0b']);
    expect(select('meta.lastModified le "2020-06-01T00:00:00.000+00:00"', users)).toEqual(['2819c223']);
  });

  it('filters on extension attributes, with sub-attributes and value fallback', () => {
    expect(select(`${ENTERPRISE_URI}:employeeNumber eq "42"`, users)).toEqual(['9a0b']);
    expect(select(`${ENTERPRISE_URI}:manager.value eq "2819c223"`, users)).toEqual(['9a0b']);
    expect(select(`${ENTERPRISE_URI}:manager eq "2819c223"`, users)).toEqual(['9a0b']);
    expect(select(`${ENTERPRISE_URI}:manager pr`, users)).toEqual(['9a0b']);
    expect(select(`not (${ENTERPRISE_URI}:employeeNumber pr)`, users)).toEqual(['2819c223']);
  });
});

describe('compileFilter: errors', () => {
  it('refuses attributes the schema does not define, naming them', () => {
    expect(compileError('nickname2 eq "x"')).toEqual({ status: 400, scimType: 'invalidFilter', detail: 'Invalid filter: "nickname2" is not a User attribute' });
    expect(compileError('name.nick eq "x"').detail).toBe('Invalid filter: "name.nick" is not a User attribute');
    expect(compileError('emails[kind eq "x"]').detail).toBe('Invalid filter: "kind" is not a sub-attribute of "emails"');
    expect(compileError('urn:example:unknown:1.0:User:x eq 1').detail).toBe('Invalid filter: "urn:example:unknown:1.0:User:x" is not a User attribute');
    expect(compileError(`${ENTERPRISE_URI}:userName eq "x"`).scimType).toBe('invalidFilter');
    expect(compileError('members.value eq "x"').detail).toBe('Invalid filter: "members.value" is not a User attribute');
  });

  it('refuses operators the type does not allow', () => {
    const refused: [string, string][] = [
      ['enabled gt true', 'Invalid filter: operator "gt" is not defined for the boolean attribute "enabled"'],
      ['enabled le false', 'Invalid filter: operator "le" is not defined for the boolean attribute "enabled"'],
      ['blob lt "QUJD"', 'Invalid filter: operator "lt" is not defined for the binary attribute "blob"'],
      ['enabled co "t"', 'Invalid filter: operator "co" is not defined for the boolean attribute "enabled"'],
      ['size sw 1', 'Invalid filter: operator "sw" is not defined for the integer attribute "size"'],
      ['weight ew 1', 'Invalid filter: operator "ew" is not defined for the decimal attribute "weight"'],
      ['seen co "2024"', 'Invalid filter: operator "co" is not defined for the dateTime attribute "seen"'],
      ['shape eq "x"', 'Invalid filter: "shape" is a complex attribute; name one of its sub-attributes, such as "shape.width"'],
      ['shape co "x"', 'Invalid filter: "shape" is a complex attribute; name one of its sub-attributes, such as "shape.width"'],
      ['label gt null', 'Invalid filter: operator "gt" cannot compare with null; use "eq null", "ne null" or "pr"'],
      ['label[value eq "x"]', 'Invalid filter: a value filter needs a complex attribute, and "label" is not one'],
    ];
    for (const [filter, detail] of refused) {
      expect(compileError(filter, typesSchema)).toEqual({ status: 400, scimType: 'invalidFilter', detail });
    }
  });

  it('refuses literals of the wrong type', () => {
    expect(compileError('label eq 5', typesSchema).detail).toBe('Invalid filter: "label" is a string attribute; compare it with a string, not 5');
    expect(compileError('enabled eq 1', typesSchema).detail).toBe('Invalid filter: "enabled" is a boolean attribute; compare it with true or false, not 1');
    expect(compileError('size eq "ten"', typesSchema).detail).toBe('Invalid filter: "size" is an integer attribute; compare it with a number, not "ten"');
    expect(compileError('weight gt true', typesSchema).detail).toBe('Invalid filter: "weight" is a decimal attribute; compare it with a number, not true');
    expect(compileError('seen gt "2024-02-30T00:00:00Z"', typesSchema).detail).toBe(
      'Invalid filter: "seen" is a dateTime attribute; "2024-02-30T00:00:00Z" is not a valid xsd:dateTime such as "2011-05-13T04:42:34Z"',
    );
    expect(compileError('seen gt 5', typesSchema).scimType).toBe('invalidFilter');
  });

  it('refuses nested value filters in hand-built trees and absurd depth', () => {
    const nested: FilterNode = {
      kind: 'valuePath',
      path: { attr: 'parts' },
      filter: { kind: 'valuePath', path: { attr: 'value' }, filter: { kind: 'present', path: { attr: 'x' } } },
    };
    expect(compileError(nested, typesSchema).detail).toBe('Invalid filter: value filters cannot be nested (inside "parts")');
    let deep: FilterNode = { kind: 'present', path: { attr: 'label' } };
    for (let i = 0; i < 50_000; i++) deep = { kind: 'not', filter: deep };
    expect(compileError(deep, typesSchema)).toEqual({ status: 400, scimType: 'invalidFilter', detail: 'Invalid filter: the filter is nested too deeply' });
  });
});

describe('compileFilter: attribute names that objects inherit', () => {
  const empty = { id: 'e', schemas: [] };
  const full = {
    id: 'f',
    constructor: 'c',
    toString: ['t'],
    valueOf: { value: 'v', length: 3 },
    hasOwnProperty: [{ value: 'h', isPrototypeOf: 'p' }],
  };
  const names = (filter: string): string[] => select(filter, [empty, full], inheritedNamesSchema);

  it('finds no value where the record has none, whatever the prototype holds', () => {
    expect(names('constructor pr')).toEqual(['f']);
    expect(names('toString pr')).toEqual(['f']);
    expect(names('valueOf pr')).toEqual(['f']);
    expect(names('valueOf.length pr')).toEqual(['f']);
    expect(names('hasOwnProperty.isPrototypeOf pr')).toEqual(['f']);
    expect(names('constructor eq null')).toEqual(['e']);
    expect(names('toString ne "t"')).toEqual(['e']);
    expect(names('valueOf[value pr]')).toEqual(['f']);
    expect(names('hasOwnProperty[isPrototypeOf eq "p"]')).toEqual(['f']);
  });

  it('compares the values the record does hold', () => {
    expect(names('constructor eq "C"')).toEqual(['f']);
    expect(names('toString sw "T"')).toEqual(['f']);
    expect(names('valueOf.length gt 2')).toEqual(['f']);
    expect(names('valueOf eq "v"')).toEqual(['f']);
    expect(names('hasOwnProperty eq "h"')).toEqual(['f']);
  });

  it("does not read an array's own length as a sub-attribute", () => {
    const odd = { id: 'o', valueOf: [{ value: 'v' }] };
    expect(select('valueOf.length pr', [odd], inheritedNamesSchema)).toEqual([]);
  });
});
