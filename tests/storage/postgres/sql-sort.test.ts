import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isScimError } from '../../../src/error/scim-error.js';
import type { SortSpec } from '../../../src/query/ast.js';
import { decodeKeysetPosition, encodeKeysetPosition, keysetCondition } from '../../../src/storage/postgres/sql-keyset.js';
import { SqlParams } from '../../../src/storage/postgres/sql-params.js';
import type { SqlSortPlan } from '../../../src/storage/postgres/sql-sort.js';
import { compileSqlSort } from '../../../src/storage/postgres/sql-sort.js';
import { groupSchema, typesSchema, userSchema } from '../../query/query-fixtures.js';
import type { SqlFixture } from './sql-fixture.js';
import { createSqlFixture, modelOf } from './sql-fixture.js';

let fixture: SqlFixture;

beforeAll(async () => {
  fixture = await createSqlFixture();
});

afterAll(async () => {
  await fixture.db.close();
});

function plan(sort: SortSpec | undefined, schema = typesSchema): SqlSortPlan {
  return compileSqlSort(sort, { layout: fixture.layout, schema, model: modelOf(schema), params: new SqlParams(), tenant: '$1' });
}

function refusal(run: () => unknown): { status: number; scimType: string | undefined } | undefined {
  try {
    run();
  } catch (e) {
    if (isScimError(e)) return { status: e.status, scimType: e.scimType };
    throw e;
  }
  return undefined;
}

describe('compileSqlSort', () => {
  it('orders by id in code-point order by default, and breaks every tie by id', () => {
    expect(plan(undefined).orderBy).toBe('r."id" COLLATE "C"');
    expect(plan({ path: { attr: 'label' }, order: 'descending' }).orderBy).toMatch(/DESC NULLS FIRST, r\."id" COLLATE "C"$/);
    expect(plan({ path: { attr: 'label' }, order: 'ascending' }).orderBy).toMatch(/ASC NULLS LAST, r\."id" COLLATE "C"$/);
  });

  it('refuses what the in-memory engine refuses (400 invalidValue), and members and groups, whose order SQL does not keep', () => {
    expect(refusal(() => plan({ path: { attr: 'nope' }, order: 'ascending' }))).toEqual({ status: 400, scimType: 'invalidValue' });
    expect(refusal(() => plan({ path: { attr: 'shape' }, order: 'ascending' }))).toEqual({ status: 400, scimType: 'invalidValue' });
    expect(refusal(() => plan({ path: { attr: 'members', sub: 'value' }, order: 'ascending' }, groupSchema))).toEqual({
      status: 400,
      scimType: 'invalidValue',
    });
    expect(refusal(() => plan({ path: { attr: 'groups' }, order: 'ascending' }, userSchema))).toEqual({ status: 400, scimType: 'invalidValue' });
  });
});

describe('keyset positions', () => {
  const kinds: [SortSpec | undefined, (string | null)[]][] = [
    [undefined, [null]],
    [{ path: { attr: 'label' }, order: 'ascending' }, ['', 'a', 'O\'Brien \\ % _ "', 'Ünï 😀', 'x'.repeat(5000), null]],
    [{ path: { attr: 'size' }, order: 'descending' }, ['0', '-1.50', '1e+21', '123456789012345678901234567890.123', null]],
    [{ path: { attr: 'enabled' }, order: 'ascending' }, ['true', 'false', null]],
    [{ path: { attr: 'meta', sub: 'created' }, order: 'ascending' }, ['2024-01-01T00:00:00.123456', '0999-12-31T23:59:59.000001']],
  ];

  it('round-trip exactly for every key kind', () => {
    for (const [sort, keys] of kinds) {
      const p = plan(sort);
      for (const key of keys) {
        const position = { key, id: '0190a0b0-0000-7000-8000-000000000001' };
        const token = encodeKeysetPosition(p, position);
        expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
        expect(decodeKeysetPosition(p, token)).toEqual(position);
      }
    }
  });

  it('run in PostgreSQL with their exact values as parameters', async () => {
    for (const [sort, keys] of kinds) {
      const p = plan(sort);
      for (const key of keys) {
        for (const direction of ['after', 'before'] as const) {
          const params = new SqlParams(['t', 'Thing']);
          const condition = keysetCondition(p, { key, id: 'x' }, params, direction);
          const { rows } = await fixture.db.query(
            `SELECT count(*) AS n FROM scim_resources AS r WHERE r.tenant_id = $1 AND r.resource_type = $2 AND ${condition}`,
            params.values,
          );
          expect(rows).toHaveLength(1);
        }
      }
    }
  });

  it('refuse a position of another sort, or anything else, with 400 invalidCursor', () => {
    const byLabel = plan({ path: { attr: 'label' }, order: 'ascending' });
    const bySize = plan({ path: { attr: 'size' }, order: 'ascending' });
    const token = encodeKeysetPosition(byLabel, { key: 'a', id: 'x' });
    const bad = [
      '',
      'not base64!',
      token.slice(0, -2),
      encodeKeysetPosition(plan(undefined), { key: null, id: 'x' }),
      Buffer.from(JSON.stringify([1, 'text', 'a', ''])).toString('base64url'),
      Buffer.from(JSON.stringify([1, 'text', 5, 'x'])).toString('base64url'),
      Buffer.from(JSON.stringify([2, 'text', 'a', 'x'])).toString('base64url'),
      Buffer.from(JSON.stringify([1, 'text', 'a\u0000', 'x'])).toString('base64url'),
      Buffer.from('{"__proto__":1}').toString('base64url'),
    ];
    for (const t of bad)
      expect(
        refusal(() => decodeKeysetPosition(byLabel, t)),
        t,
      ).toEqual({ status: 400, scimType: 'invalidCursor' });
    expect(refusal(() => decodeKeysetPosition(bySize, token))).toEqual({ status: 400, scimType: 'invalidCursor' });
    expect(refusal(() => decodeKeysetPosition(bySize, encodeKeysetPosition(bySize, { key: '1; DROP', id: 'x' })))).toEqual({
      status: 400,
      scimType: 'invalidCursor',
    });
  });
});
