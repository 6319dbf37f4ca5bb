import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isScimError } from '../../../src/error/scim-error.js';
import type { CompareOperator, FilterNode } from '../../../src/query/ast.js';
import { compileFilter } from '../../../src/query/filter-compiler.js';
import { parseFilter } from '../../../src/query/filter-parser.js';
import { compileSqlFilter } from '../../../src/storage/postgres/sql-filter.js';
import { SqlParams } from '../../../src/storage/postgres/sql-params.js';
import type { ResourceSchema } from '../../../src/schema/resource-schema.js';
import type { ScimObject, ScimResource } from '../../../src/schema/types.js';
import { ENTERPRISE_URI, rfcFilterExamples, rfcUsers, userSchema } from '../../query/query-fixtures.js';
import type { SqlFixture } from './sql-fixture.js';
import { createSqlFixture, insertRows, modelOf, rowOf, selectRows } from './sql-fixture.js';

let fixture: SqlFixture;

beforeAll(async () => {
  fixture = await createSqlFixture();
  const rows = rfcUsers.map((user) => rowOf('t1', user as unknown as ScimResource));
  // The same users under another tenant, with other ids: a filter must never reach them.
  const others = rfcUsers.map((user) => rowOf('t2', { ...user, id: `other-${user.id}` } as unknown as ScimResource));
  await insertRows(fixture, [...rows, ...others]);
});

afterAll(async () => {
  await fixture.db.close();
});

function memory(filter: string, resources: readonly ScimObject[], schema: ResourceSchema = userSchema): string[] {
  const predicate = compileFilter(parseFilter(filter), schema);
  return resources.filter(predicate).map((r) => r.id as string);
}

async function sql(filter: string, schema: ResourceSchema = userSchema, tenantId = 't1', maxDepth = 32): Promise<string[]> {
  return (await selectRows(fixture, { tenantId, schema, filter: parseFilter(filter, { maxDepth }) })).map((row) => row.id);
}

describe('compileSqlFilter: every RFC 7644 §3.4.2.2 example selects what the in-memory engine selects', () => {
  for (const [filter, expected] of rfcFilterExamples) {
    it(filter, async () => {
      expect(memory(filter, rfcUsers)).toEqual(expected);
      expect(await sql(filter)).toEqual(expected);
    });
  }
});

const HOSTILE = [
  "O'Brien",
  "'; DROP TABLE scim_resources; --",
  'back\\slash',
  '\\\\',
  'a\u0000b',
  '\u0000',
  '__proto__',
  'constructor',
  '$1',
  '$$',
  '$scim$',
  '*/ OR 1=1 /*',
  '"quoted"',
  '%_%',
  'x'.repeat(10_000),
  'Ünïcødé 😀',
];

/** Compiles `filter` for the User type; returns the SQL and its parameters, or the refusal. */
function compiled(filter: FilterNode): { sql: string; params: unknown[] } | { status: number; scimType: string | undefined } {
  const params = new SqlParams(['t1', 'User']);
  try {
    const sql = compileSqlFilter(filter, { layout: fixture.layout, schema: userSchema, model: modelOf(userSchema), params, tenant: '$1::text' });
    return { sql, params: params.values };
  } catch (e) {
    if (isScimError(e)) return { status: e.status, scimType: e.scimType };
    throw e;
  }
}

describe('compileSqlFilter: values only as parameters', () => {
  const paths = ['userName', 'externalId', 'title', 'emails.value', 'emails', 'meta.version', 'id', 'groups.display', `${ENTERPRISE_URI}:manager.value`];
  const ops: CompareOperator[] = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'le'];

  it('never writes a filter value into the SQL text, and PostgreSQL runs every statement', async () => {
    let statements = 0;
    for (const value of HOSTILE) {
      for (const path of paths) {
        for (const op of ops) {
          const [uri, rest] = path.startsWith('urn:') ? [ENTERPRISE_URI, path.slice(ENTERPRISE_URI.length + 1)] : [undefined, path];
          const [attr, sub] = (rest as string).split('.') as [string, string?];
          const filter: FilterNode = { kind: 'compare', path: { ...(uri ? { uri } : {}), attr, ...(sub ? { sub } : {}) }, op, value };
          const result = compiled(filter);
          if (!('sql' in result)) throw new Error(`refused ${JSON.stringify(filter)}`);
          // "$1" is also the tenant's placeholder: it must then be a parameter value as well.
          if (value === '$1') expect(result.params.some((p) => typeof p === 'string' && p.includes('$1'))).toBe(true);
          else expect(result.sql).not.toContain(value);
          if (value.length > 3) expect(result.sql.toLowerCase()).not.toContain(value.toLowerCase());
          for (const param of result.params) expect(typeof param).toBe('string');
          for (const param of result.params) expect(param as string).not.toContain('\u0000');
          await fixture.db.query(`SELECT r.id FROM scim_resources AS r WHERE r.tenant_id = $1 AND r.resource_type = $2 AND (${result.sql})`, result.params);
          statements++;
        }
      }
    }
    expect(statements).toBe(HOSTILE.length * paths.length * ops.length);
  });

  it('finds stored values with quotes, backslashes and LIKE characters exactly', async () => {
    expect(await sql(`name.familyName eq "O'Malley"`)).toEqual(['u2']);
    expect(await sql(`name.familyName sw "O'"`)).toEqual(['u2']);
    expect(await sql('userName co "%"')).toEqual([]);
    expect(await sql('userName co "_"')).toEqual([]);
    expect(await sql('userName sw "\\\\"')).toEqual([]);
  });

  it('answers a value with U+0000 without failing: nothing equals it, everything differs from it', async () => {
    expect(await sql('userName eq "bjensen\\u0000"')).toEqual([]);
    expect(await sql('userName co "\\u0000"')).toEqual([]);
    expect(await sql('userName ne "bjensen\\u0000"')).toEqual(['u1', 'u2', 'u3', 'u4', 'u5']);
    // "jsmith" < "jsmith\u0000" < "jsmitha": ordering still works.
    expect(await sql('userName le "jsmith\\u0000"')).toEqual(memory('userName le "jsmith\\u0000"', rfcUsers));
    expect(await sql('userName gt "jsmith\\u0000"')).toEqual(memory('userName gt "jsmith\\u0000"', rfcUsers));
  });

  it('answers eq and ne with an unpaired surrogate, and refuses other comparisons with one (400 invalidFilter)', async () => {
    expect(await sql('userName eq "\\ud800"')).toEqual([]);
    expect(await sql('userName ne "\\ud800"')).toEqual(['u1', 'u2', 'u3', 'u4', 'u5']);
    expect(compiled(parseFilter('userName co "\\ud83d"'))).toEqual({ status: 400, scimType: 'invalidFilter' });
    expect(compiled(parseFilter('userName gt "a\\udc00"'))).toEqual({ status: 400, scimType: 'invalidFilter' });
  });

  it('refuses what the in-memory engine refuses, with the same detail', () => {
    for (const filter of ['nope eq "x"', 'active gt true', 'emails[value[type eq "x"]]', 'name eq "x"', 'meta.created eq "yesterday"']) {
      let memoryError: unknown;
      try {
        compileFilter(parseFilter(filter), userSchema);
      } catch (e) {
        memoryError = e;
      }
      const params = new SqlParams();
      expect(() =>
        compileSqlFilter(parseFilter(filter), { layout: fixture.layout, schema: userSchema, model: modelOf(userSchema), params, tenant: '$1' }),
      ).toThrow((memoryError as Error).message);
    }
  });
});

describe('compileSqlFilter: bounded for deep and large filters', () => {
  it('runs a filter nested 500 levels deep (the parser allows up to 1,000)', async () => {
    const depth = 500;
    const text = `${'not ('.repeat(depth)}userName eq "bjensen"${')'.repeat(depth)}`;
    const deep = parseFilter(text, { maxDepth: 1000 });
    const result = compiled(deep);
    if (!('sql' in result)) throw new Error('refused');
    // Double negations cancel: the SQL does not nest 500 levels deep.
    expect(result.sql.length).toBeLessThan(200);
    expect(await sql(text, userSchema, 't1', 1000)).toEqual(['u1']);
  });

  it('refuses alternating and/or nested deeper than PostgreSQL analyses (400 invalidFilter), before it reaches the database', async () => {
    let text = 'userName eq "bjensen"';
    for (let i = 0; i < 300; i++) text = i % 2 ? `(${text} and title pr)` : `(${text} or userType eq "x")`;
    expect(compiled(parseFilter(text, { maxDepth: 1000, maxLength: 100_000 }))).toEqual({ status: 400, scimType: 'invalidFilter' });
  });

  it('runs alternating and/or/not nested 180 levels deep', async () => {
    let text = 'userName eq "bjensen"';
    for (let i = 0; i < 180; i++) text = i % 3 === 0 ? `not (${text})` : i % 3 === 1 ? `(${text} and title pr)` : `(${text} or userType eq "Intern")`;
    const filter = parseFilter(text, { maxDepth: 1000, maxLength: 100_000 });
    const result = compiled(filter);
    if (!('sql' in result)) throw new Error('refused');
    const { rows } = await fixture.db.query<{ id: string }>(
      `SELECT r.id FROM scim_resources AS r WHERE r.tenant_id = $1 AND r.resource_type = $2 AND (${result.sql}) ORDER BY r.id`,
      result.params,
    );
    expect(rows.map((r) => r.id)).toEqual(rfcUsers.filter(compileFilter(filter, userSchema)).map((u) => u.id));
  });

  it('shares one parameter among equal values, and refuses past 65,535 parameters with a 400', () => {
    let many: FilterNode = { kind: 'compare', path: { attr: 'title' }, op: 'eq', value: 'v0' };
    for (let i = 1; i < 70_000; i++) many = { kind: 'or', left: many, right: { kind: 'compare', path: { attr: 'title' }, op: 'eq', value: `v${i}` } };
    expect(compiled(many)).toEqual({ status: 400, scimType: 'invalidFilter' });
    let same: FilterNode = { kind: 'compare', path: { attr: 'title' }, op: 'eq', value: 'v' };
    for (let i = 1; i < 1000; i++) same = { kind: 'or', left: same, right: { kind: 'compare', path: { attr: 'title' }, op: 'eq', value: 'v' } };
    const result = compiled(same);
    expect('params' in result && result.params.length).toBe(4);
  });
});
