import { describe, expect, it } from 'vitest';
import { isScimError } from '../../src/error/scim-error.js';
import type { FilterNode } from '../../src/query/ast.js';
import { parseFilter, parsePatchPath } from '../../src/query/filter-parser.js';
import { DEFAULT_FILTER_MAX_DEPTH, DEFAULT_FILTER_MAX_LENGTH } from '../../src/query/filter-limits.js';

/** Runs `fn`, which must throw a ScimError, and returns it. */
function scimErrorOf(fn: () => unknown): { status: number; scimType: string | undefined; detail: string } {
  try {
    fn();
  } catch (e) {
    if (isScimError(e)) return { status: e.status, scimType: e.scimType, detail: e.detail };
    throw e;
  }
  throw new Error('expected a ScimError');
}

const cmp = (attr: string, op: string, value: unknown, extra: Record<string, string> = {}): FilterNode =>
  ({ kind: 'compare', path: { attr, ...extra }, op, value }) as FilterNode;

/** Flattens and/or trees into nested arrays so precedence can be compared independently of balancing. */
function shape(node: FilterNode): unknown {
  switch (node.kind) {
    case 'and':
    case 'or': {
      const terms: unknown[] = [];
      const collect = (n: FilterNode): void => {
        if (n.kind === node.kind) {
          collect(n.left);
          collect(n.right);
        } else terms.push(shape(n));
      };
      collect(node);
      return [node.kind, ...terms];
    }
    case 'not':
      return ['not', shape(node.filter)];
    case 'valuePath':
      return [`${node.path.attr}[]`, shape(node.filter)];
    case 'present':
      return `${node.path.attr} pr`;
    case 'compare':
      return `${node.path.attr}${node.path.sub ? `.${node.path.sub}` : ''} ${node.op} ${JSON.stringify(node.value)}`;
  }
}

describe('parseFilter: RFC 7644 §3.4.2.2 examples', () => {
  it('parses attribute expressions with every operator', () => {
    expect(parseFilter('userName eq "bjensen"')).toEqual(cmp('userName', 'eq', 'bjensen'));
    expect(parseFilter(`name.familyName co "O'Malley"`)).toEqual({
      kind: 'compare',
      path: { attr: 'name', sub: 'familyName' },
      op: 'co',
      value: "O'Malley",
    });
    expect(parseFilter('userName sw "J"')).toEqual(cmp('userName', 'sw', 'J'));
    expect(parseFilter('title pr')).toEqual({ kind: 'present', path: { attr: 'title' } });
    for (const op of ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']) {
      expect(parseFilter(`meta.lastModified ${op} "2011-05-13T04:42:34Z"`)).toEqual({
        kind: 'compare',
        path: { attr: 'meta', sub: 'lastModified' },
        op,
        value: '2011-05-13T04:42:34Z',
      });
    }
  });

  it('parses schema URN prefixes, including a version with a dot', () => {
    expect(parseFilter('urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J"')).toEqual(
      cmp('userName', 'sw', 'J', { uri: 'urn:ietf:params:scim:schemas:core:2.0:User' }),
    );
    expect(parseFilter('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "701984"')).toEqual(
      cmp('employeeNumber', 'eq', '701984', { uri: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User' }),
    );
    expect(parseFilter('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "26118915"')).toEqual({
      kind: 'compare',
      path: { uri: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User', attr: 'manager', sub: 'value' },
      op: 'eq',
      value: '26118915',
    });
  });

  it('parses the logical examples with the right grouping', () => {
    expect(shape(parseFilter('title pr and userType eq "Employee"'))).toEqual(['and', 'title pr', 'userType eq "Employee"']);
    expect(shape(parseFilter('title pr or userType eq "Intern"'))).toEqual(['or', 'title pr', 'userType eq "Intern"']);
    expect(shape(parseFilter('userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")'))).toEqual([
      'and',
      'userType eq "Employee"',
      ['or', 'emails co "example.com"', 'emails.value co "example.org"'],
    ]);
    expect(shape(parseFilter('userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")'))).toEqual([
      'and',
      'userType ne "Employee"',
      ['not', ['or', 'emails co "example.com"', 'emails.value co "example.org"']],
    ]);
    expect(shape(parseFilter('userType eq "Employee" and (emails.type eq "work")'))).toEqual(['and', 'userType eq "Employee"', 'emails.type eq "work"']);
  });

  it('parses value filters', () => {
    expect(shape(parseFilter('userType eq "Employee" and emails[type eq "work" and value co "@example.com"]'))).toEqual([
      'and',
      'userType eq "Employee"',
      ['emails[]', ['and', 'type eq "work"', 'value co "@example.com"']],
    ]);
    expect(shape(parseFilter('emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]'))).toEqual([
      'or',
      ['emails[]', ['and', 'type eq "work"', 'value co "@example.com"']],
      ['ims[]', ['and', 'type eq "xmpp"', 'value co "@foo.com"']],
    ]);
  });

  it('reads a comparison after a value filter as a condition on the same element', () => {
    expect(parseFilter('emails[type eq "work"].value eq "x"')).toEqual({
      kind: 'valuePath',
      path: { attr: 'emails' },
      filter: { kind: 'and', left: cmp('type', 'eq', 'work'), right: cmp('value', 'eq', 'x') },
    });
    expect(parseFilter('emails[type eq "work"].value pr')).toEqual({
      kind: 'valuePath',
      path: { attr: 'emails' },
      filter: { kind: 'and', left: cmp('type', 'eq', 'work'), right: { kind: 'present', path: { attr: 'value' } } },
    });
  });
});

describe('parseFilter: precedence and grouping', () => {
  it('binds and tighter than or, on either side', () => {
    expect(shape(parseFilter('a eq 1 or b eq 2 and c eq 3'))).toEqual(['or', 'a eq 1', ['and', 'b eq 2', 'c eq 3']]);
    expect(shape(parseFilter('a eq 1 and b eq 2 or c eq 3'))).toEqual(['or', ['and', 'a eq 1', 'b eq 2'], 'c eq 3']);
    expect(shape(parseFilter('a pr or b pr and c pr or d pr'))).toEqual(['or', 'a pr', ['and', 'b pr', 'c pr'], 'd pr']);
  });

  it('lets parentheses override precedence', () => {
    expect(shape(parseFilter('(a eq 1 or b eq 2) and c eq 3'))).toEqual(['and', ['or', 'a eq 1', 'b eq 2'], 'c eq 3']);
    expect(shape(parseFilter('((a pr))'))).toEqual('a pr');
  });

  it('binds not to its parenthesised filter only', () => {
    expect(shape(parseFilter('not (a pr) and b pr'))).toEqual(['and', ['not', 'a pr'], 'b pr']);
    expect(shape(parseFilter('a pr or not(b pr or c pr)'))).toEqual(['or', 'a pr', ['not', ['or', 'b pr', 'c pr']]]);
    expect(shape(parseFilter('not (not (a pr))'))).toEqual(['not', ['not', 'a pr']]);
  });

  it('keeps left-to-right order in long chains while keeping the tree shallow', () => {
    const terms = Array.from({ length: 300 }, (_, i) => `a${i} pr`);
    const node = parseFilter(terms.join(' and '));
    expect(shape(node)).toEqual(['and', ...terms]);
    const depth = (n: FilterNode): number =>
      n.kind === 'and' || n.kind === 'or' ? 1 + Math.max(depth(n.left), depth(n.right)) : n.kind === 'not' ? 1 + depth(n.filter) : 1;
    expect(depth(node)).toBeLessThanOrEqual(10);
  });

  it('treats keywords and operators case-insensitively and keeps attribute names as written', () => {
    expect(parseFilter('userName Eq "john"')).toEqual(cmp('userName', 'eq', 'john'));
    expect(parseFilter('Username eq "john"')).toEqual(cmp('Username', 'eq', 'john'));
    expect(shape(parseFilter('A PR AND NOT (B pR) Or c GE 1'))).toEqual(['or', ['and', 'A pr', ['not', 'B pr']], 'c ge 1']);
    expect(parseFilter('URN:ietf:params:scim:schemas:core:2.0:User:userName pr')).toEqual({
      kind: 'present',
      path: { uri: 'URN:ietf:params:scim:schemas:core:2.0:User', attr: 'userName' },
    });
  });

  it('accepts extra whitespace and no whitespace around brackets', () => {
    expect(shape(parseFilter('  (  a pr  )   and\tb  eq  "x"  '))).toEqual(['and', 'a pr', 'b eq "x"']);
    expect(shape(parseFilter('emails[ type eq "work" ]'))).toEqual(['emails[]', 'type eq "work"']);
  });

  it('reads an attribute named like a keyword when an operator follows', () => {
    expect(parseFilter('not eq "x"')).toEqual(cmp('not', 'eq', 'x'));
    expect(shape(parseFilter('and pr and or pr'))).toEqual(['and', 'and pr', 'or pr']);
  });
});

describe('parseFilter: literals', () => {
  it('reads JSON strings with every escape', () => {
    expect(parseFilter(String.raw`a eq "q\"b\\s\/f\bn\nr\rt\tff\fu\u00e9\u0041"`)).toEqual(cmp('a', 'eq', 'q"b\\s/f\bn\nr\rt\tff\fuéA'));
    expect(parseFilter('a eq ""')).toEqual(cmp('a', 'eq', ''));
    expect(parseFilter('a eq "with spaces and ) ] ( [ and or"')).toEqual(cmp('a', 'eq', 'with spaces and ) ] ( [ and or'));
    expect(parseFilter(String.raw`a eq "\ud834\udd1e"`)).toEqual(cmp('a', 'eq', '𝄞'));
    expect(parseFilter('a eq "héllo ✓"')).toEqual(cmp('a', 'eq', 'héllo ✓'));
  });

  it('reads JSON numbers, booleans and null', () => {
    expect(parseFilter('a eq 0')).toEqual(cmp('a', 'eq', 0));
    expect(parseFilter('a eq -12')).toEqual(cmp('a', 'eq', -12));
    expect(parseFilter('a gt 3.25')).toEqual(cmp('a', 'gt', 3.25));
    expect(parseFilter('a lt 1e3')).toEqual(cmp('a', 'lt', 1000));
    expect(parseFilter('a lt -2.5E-2')).toEqual(cmp('a', 'lt', -0.025));
    expect(parseFilter('a eq true')).toEqual(cmp('a', 'eq', true));
    expect(parseFilter('a eq False')).toEqual(cmp('a', 'eq', false));
    expect(parseFilter('a eq null')).toEqual(cmp('a', 'eq', null));
  });

  it('reads a dateTime as a string', () => {
    expect(parseFilter('meta.created ge "2011-05-13T04:42:34.123456789+05:30"')).toEqual({
      kind: 'compare',
      path: { attr: 'meta', sub: 'created' },
      op: 'ge',
      value: '2011-05-13T04:42:34.123456789+05:30',
    });
  });
});

describe('parseFilter: errors name the position and what was expected', () => {
  const cases: [string, number, string][] = [
    ['userName foo "x"', 10, 'expected a comparison operator (eq, ne, co, sw, ew, gt, ge, lt, le) or "pr", found "foo"'],
    ['userName eq', 12, 'expected a value (a string in double quotes, a number, true, false or null), found end of filter'],
    ['userName eq bjensen', 13, 'expected a value (a string in double quotes, a number, true, false or null), found "bjensen"'],
    ['(a pr', 6, 'expected ")", found end of filter'],
    ['a pr)', 5, 'expected "and", "or" or the end of the filter, found ")"'],
    ['a pr b pr', 6, 'expected "and", "or" or the end of the filter, found "b"'],
    ['a pr and', 9, 'expected an attribute path, "(" or "not", found end of filter'],
    ['', 1, 'expected an attribute path, "(" or "not", found end of filter'],
    ['not a pr', 5, 'expected "(" after "not", found "a"'],
    ['emails[type eq "work"', 22, 'expected "]", found end of filter'],
    ['emails[type eq "work"] eq "x"', 24, 'expected "and", "or" or the end of the filter, found "eq"'],
    ['emails[type eq "work"].', 24, 'expected a sub-attribute name, found end of filter'],
    ['a.b.c eq 1', 1, 'expected an attribute path, found "a.b.c", which is not a valid one'],
    ['1abc eq 1', 1, 'expected an attribute path, "(" or "not", found "1abc"'],
    ['a eq 01', 6, 'expected a number, found "01"'],
    ['a eq 1.', 6, 'expected a number, found "1."'],
    ['a eq -', 6, 'expected a number, found "-"'],
    ['a eq "abc', 6, 'unterminated string: expected a closing double quote'],
    [String.raw`a eq "a\x"`, 8, String.raw`invalid escape sequence "\\x" in a string`],
    [String.raw`a eq "\u12G4"`, 7, String.raw`expected four hexadecimal digits after "\u"`],
    ['emails[type[value eq 1]]', 12, 'value filters cannot be nested'],
    ['name.givenName[value eq 1]', 15, 'a value filter must follow a multi-valued attribute, not a sub-attribute'],
    ['a eqq 1', 3, 'expected a comparison operator (eq, ne, co, sw, ew, gt, ge, lt, le) or "pr", found "eqq"'],
    ['a prx', 3, 'expected a comparison operator (eq, ne, co, sw, ew, gt, ge, lt, le) or "pr", found "prx"'],
  ];
  for (const [filter, position, message] of cases) {
    it(`${JSON.stringify(filter)} → position ${position}`, () => {
      const error = scimErrorOf(() => parseFilter(filter));
      expect(error.status).toBe(400);
      expect(error.scimType).toBe('invalidFilter');
      expect(error.detail).toBe(`Invalid filter at position ${position}: ${message}`);
    });
  }

  it('refuses input that is not text', () => {
    const error = scimErrorOf(() => parseFilter(42 as unknown as string));
    expect(error).toMatchObject({ status: 400, scimType: 'invalidFilter' });
  });
});

describe('parseFilter: limits', () => {
  it('has the documented defaults', () => {
    expect(DEFAULT_FILTER_MAX_LENGTH).toBe(4096);
    expect(DEFAULT_FILTER_MAX_DEPTH).toBe(32);
  });

  it('refuses text longer than maxLength', () => {
    const long = `a eq "${'x'.repeat(5000)}"`;
    expect(scimErrorOf(() => parseFilter(long))).toEqual({
      status: 400,
      scimType: 'invalidFilter',
      detail: `Invalid filter: it is ${long.length} characters long, more than the limit of 4096`,
    });
    expect(parseFilter(long, { maxLength: 10_000 })).toEqual(cmp('a', 'eq', 'x'.repeat(5000)));
    expect(scimErrorOf(() => parseFilter('a eq "12345"', { maxLength: 8 })).scimType).toBe('invalidFilter');
  });

  it('allows exactly maxDepth levels of nesting and refuses one more', () => {
    const nested = (n: number): string => `${'('.repeat(n)}a pr${')'.repeat(n)}`;
    expect(parseFilter(nested(32))).toEqual({ kind: 'present', path: { attr: 'a' } });
    expect(scimErrorOf(() => parseFilter(nested(33)))).toEqual({
      status: 400,
      scimType: 'invalidFilter',
      detail: 'Invalid filter at position 33: nesting is deeper than the limit of 32 levels',
    });
    expect(scimErrorOf(() => parseFilter(nested(5), { maxDepth: 4 })).scimType).toBe('invalidFilter');
  });

  it('counts not and value filters as nesting levels', () => {
    expect(scimErrorOf(() => parseFilter('not (not (a pr))', { maxDepth: 1 })).detail).toContain('nesting is deeper than the limit of 1 levels');
    expect(scimErrorOf(() => parseFilter('(emails[type pr])', { maxDepth: 1 })).detail).toContain('position 8');
    expect(parseFilter('emails[type pr]', { maxDepth: 1 }).kind).toBe('valuePath');
  });

  it('answers 100,000 nested parentheses with a 400, not a stack overflow', () => {
    const open = '('.repeat(100_000);
    const filter = `${open}a pr${')'.repeat(100_000)}`;
    expect(scimErrorOf(() => parseFilter(filter)).status).toBe(400);
    // Even with the limits lifted, nesting stays bounded.
    const unlimited = scimErrorOf(() => parseFilter(filter, { maxLength: Infinity, maxDepth: Infinity }));
    expect(unlimited.status).toBe(400);
    expect(unlimited.scimType).toBe('invalidFilter');
    const nots = scimErrorOf(() => parseFilter(`${'not ('.repeat(100_000)}a pr${')'.repeat(100_000)}`, { maxLength: Infinity, maxDepth: Infinity }));
    expect(nots.scimType).toBe('invalidFilter');
  });

  it('parses a 100,000-term chain without deep recursion', () => {
    const filter = Array.from({ length: 100_000 }, () => 'a pr').join(' or ');
    const node = parseFilter(filter, { maxLength: Infinity });
    expect(node.kind).toBe('or');
  });
});

describe('parsePatchPath (RFC 7644 §3.5.2)', () => {
  it('parses the RFC path forms', () => {
    expect(parsePatchPath('members')).toEqual({ path: { attr: 'members' } });
    expect(parsePatchPath('name.familyName')).toEqual({ path: { attr: 'name', sub: 'familyName' } });
    expect(parsePatchPath('addresses[type eq "work"]')).toEqual({ path: { attr: 'addresses' }, filter: cmp('type', 'eq', 'work') });
    expect(parsePatchPath('members[value eq "2819c223-7f76-453a-919d-413861904646"]')).toEqual({
      path: { attr: 'members' },
      filter: cmp('value', 'eq', '2819c223-7f76-453a-919d-413861904646'),
    });
    expect(parsePatchPath('members[value eq "2819c223-7f76-453a-919d-413861904646"].displayName')).toEqual({
      path: { attr: 'members' },
      filter: cmp('value', 'eq', '2819c223-7f76-453a-919d-413861904646'),
      subAttr: 'displayName',
    });
    expect(parsePatchPath('emails[type eq "work" and value ew "example.com"].value')).toMatchObject({
      path: { attr: 'emails' },
      subAttr: 'value',
      filter: { kind: 'and' },
    });
  });

  it('parses URN-qualified paths and leaves a bare extension URN to the schema', () => {
    expect(parsePatchPath('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value')).toEqual({
      path: { uri: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User', attr: 'manager', sub: 'value' },
    });
    expect(parsePatchPath('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User')).toEqual({
      path: { uri: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0', attr: 'User' },
    });
  });

  it('reports bad paths as invalidPath with a position', () => {
    const cases: [string, string][] = [
      ['', 'Invalid path at position 1: expected an attribute path, found end of path'],
      ['members[value eq', 'Invalid path at position 17: expected a value (a string in double quotes, a number, true, false or null), found end of path'],
      ['members[value eq "x"', 'Invalid path at position 21: expected "]", found end of path'],
      ['name familyName', 'Invalid path at position 6: expected the end of the path, found "familyName"'],
      ['emails[type eq "work"].', 'Invalid path at position 24: expected a sub-attribute name, found end of path'],
      ['a.b.c', 'Invalid path at position 1: expected an attribute path, found "a.b.c", which is not a valid one'],
      ['name.givenName[value eq 1]', 'Invalid path at position 15: a value filter must follow a multi-valued attribute, not a sub-attribute'],
      ['emails[type eq "work"]x', 'Invalid path at position 23: expected the end of the path, found "x"'],
    ];
    for (const [path, detail] of cases) {
      expect(scimErrorOf(() => parsePatchPath(path))).toEqual({ status: 400, scimType: 'invalidPath', detail });
    }
  });

  it('applies the limits with invalidPath', () => {
    expect(scimErrorOf(() => parsePatchPath(`a${'b'.repeat(5000)}`)).scimType).toBe('invalidPath');
    expect(scimErrorOf(() => parsePatchPath('emails[(((type pr)))]', { maxDepth: 3 })).scimType).toBe('invalidPath');
  });
});
