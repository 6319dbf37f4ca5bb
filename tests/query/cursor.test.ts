import { describe, expect, it } from 'vitest';
import { isScimError } from '../../src/error/scim-error.js';
import { CursorCodec, MAX_CURSOR_POSITION_BYTES, queryKey } from '../../src/query/cursor.js';
import { parseFilter } from '../../src/query/filter-parser.js';

const SECRET = 'a-test-secret-of-enough-length';
const QUERY = queryKey({ resourceType: 'User', filter: 'userName sw "J"', sortBy: 'userName' });
const OTHER_QUERY = queryKey({ resourceType: 'User', filter: 'userName sw "K"', sortBy: 'userName' });

async function errorOf(p: Promise<unknown>): Promise<{ status: number; scimType?: string | undefined; detail: string }> {
  try {
    await p;
  } catch (e) {
    if (isScimError(e)) return { status: e.status, scimType: e.scimType, detail: e.detail };
    throw e;
  }
  throw new Error('expected a ScimError');
}

function clock(start = Date.UTC(2025, 0, 1)): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}

describe('CursorCodec (RFC 9865)', () => {
  it('round-trips an offset for the same tenant and query', async () => {
    const codec = new CursorCodec(SECRET, 600);
    for (const offset of [0, 1, 99, 123_456_789, 2 ** 48 - 1]) {
      const token = await codec.encode({ tenantId: 'acme', queryKey: QUERY, offset });
      expect(await codec.decode(token, { tenantId: 'acme', queryKey: QUERY })).toEqual({ offset });
    }
  });

  it('round-trips a storage position, whatever its characters, and refuses one too long to carry', async () => {
    const codec = new CursorCodec(SECRET);
    for (const position of ['', 'a:0190f3c2-7b1e-7000-8000-000000000001', '["bjensen",1,"ü 🙂 \\"]', 'p'.repeat(MAX_CURSOR_POSITION_BYTES)]) {
      const token = await codec.encode({ tenantId: 'acme', queryKey: QUERY, position });
      expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(await codec.decode(token, { tenantId: 'acme', queryKey: QUERY })).toEqual({ position });
      expect((await errorOf(codec.decode(token, { tenantId: 'other', queryKey: QUERY }))).scimType).toBe('invalidCursor');
    }
    await expect(codec.encode({ tenantId: 'a', queryKey: QUERY, position: 'p'.repeat(MAX_CURSOR_POSITION_BYTES + 1) })).rejects.toThrow(RangeError);
    const offset = await codec.encode({ tenantId: 'acme', queryKey: QUERY, offset: 7 });
    expect(await codec.decode(offset, { tenantId: 'acme', queryKey: QUERY })).toEqual({ offset: 7 });
  });

  it('accepts only the canonical spelling of a token: no second token from the unused bits of its last character', async () => {
    const codec = new CursorCodec(SECRET);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (const position of ['', 'x', 'xy']) {
      const token = await codec.encode({ tenantId: 'acme', queryKey: QUERY, position });
      const last = alphabet.indexOf(token.at(-1) as string);
      const twin = token.slice(0, -1) + alphabet[last ^ 1];
      if (token.length % 4 === 0) continue;
      expect((await errorOf(codec.decode(twin, { tenantId: 'acme', queryKey: QUERY }))).scimType).toBe('invalidCursor');
    }
  });

  it('issues opaque tokens of RFC 3986 unreserved characters only', async () => {
    const codec = new CursorCodec(new TextEncoder().encode(SECRET), 600);
    const token = await codec.encode({ tenantId: 'acme', queryKey: QUERY, offset: 40 });
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(token).not.toContain('acme');
    expect(encodeURIComponent(token)).toBe(token);
  });

  it('refuses a cursor presented by another tenant', async () => {
    const codec = new CursorCodec(SECRET);
    const token = await codec.encode({ tenantId: 'acme', queryKey: QUERY, offset: 10 });
    expect(await errorOf(codec.decode(token, { tenantId: 'globex', queryKey: QUERY }))).toEqual({
      status: 400,
      scimType: 'invalidCursor',
      detail: 'Invalid cursor: it was altered, or was issued for another query or tenant. Start again with an empty cursor.',
    });
  });

  it('refuses a cursor presented with another query', async () => {
    const codec = new CursorCodec(SECRET);
    const token = await codec.encode({ tenantId: 'acme', queryKey: QUERY, offset: 10 });
    expect((await errorOf(codec.decode(token, { tenantId: 'acme', queryKey: OTHER_QUERY }))).scimType).toBe('invalidCursor');
  });

  it('detects a change to any character of the token', async () => {
    const codec = new CursorCodec(SECRET);
    const token = await codec.encode({ tenantId: 'acme', queryKey: QUERY, offset: 10 });
    for (let i = 0; i < token.length; i++) {
      const replacement = token[i] === 'A' ? 'B' : 'A';
      const tampered = token.slice(0, i) + replacement + token.slice(i + 1);
      const error = await errorOf(codec.decode(tampered, { tenantId: 'acme', queryKey: QUERY }));
      expect(error.status).toBe(400);
      expect(error.scimType).toBe('invalidCursor');
    }
  });

  it('refuses a cursor signed with another secret', async () => {
    const issuer = new CursorCodec(SECRET);
    const other = new CursorCodec(`${SECRET}-rotated`);
    const token = await issuer.encode({ tenantId: 'acme', queryKey: QUERY, offset: 10 });
    expect((await errorOf(other.decode(token, { tenantId: 'acme', queryKey: QUERY }))).scimType).toBe('invalidCursor');
  });

  it('refuses malformed cursors', async () => {
    const codec = new CursorCodec(SECRET);
    for (const bad of ['', 'x', 'not a cursor', '%%%', 'A'.repeat(60), 'A'.repeat(1000), '====', 'AQ']) {
      expect(await errorOf(codec.decode(bad, { tenantId: 'acme', queryKey: QUERY }))).toEqual({
        status: 400,
        scimType: 'invalidCursor',
        detail: 'Invalid cursor: it is not a cursor this server issued. Start again with an empty cursor.',
      });
    }
  });

  it('answers expiredCursor after the lifetime, and only then', async () => {
    const time = clock();
    const codec = new CursorCodec(SECRET, 60, { now: time.now });
    const token = await codec.encode({ tenantId: 'acme', queryKey: QUERY, offset: 5 });
    time.advance(59_000);
    expect(await codec.decode(token, { tenantId: 'acme', queryKey: QUERY })).toEqual({ offset: 5 });
    time.advance(2_000);
    expect(await errorOf(codec.decode(token, { tenantId: 'acme', queryKey: QUERY }))).toEqual({
      status: 400,
      scimType: 'expiredCursor',
      detail: 'Expired cursor: cursors are valid for 60 seconds between pages. Start again with an empty cursor.',
    });
  });

  it('reports a foreign expired cursor as invalid, not expired', async () => {
    const time = clock();
    const codec = new CursorCodec(SECRET, 60, { now: time.now });
    const token = await codec.encode({ tenantId: 'acme', queryKey: QUERY, offset: 5 });
    time.advance(3_600_000);
    expect((await errorOf(codec.decode(token, { tenantId: 'globex', queryKey: QUERY }))).scimType).toBe('invalidCursor');
  });

  it('refuses a weak configuration and bad offsets as programming errors', async () => {
    expect(() => new CursorCodec('short')).toThrow(TypeError);
    expect(() => new CursorCodec(SECRET, 0)).toThrow(TypeError);
    const codec = new CursorCodec(SECRET);
    await expect(codec.encode({ tenantId: 'a', queryKey: QUERY, offset: -1 })).rejects.toThrow(RangeError);
    await expect(codec.encode({ tenantId: 'a', queryKey: QUERY, offset: 1.5 })).rejects.toThrow(RangeError);
    await expect(codec.encode({ tenantId: 'a', queryKey: QUERY, offset: 2 ** 48 })).rejects.toThrow(RangeError);
    expect(codec.ttlSeconds).toBe(600);
  });
});

describe('queryKey', () => {
  it('is the canonical spelling of the query, stable across calls', () => {
    const h = queryKey({ resourceType: 'User', filter: 'title pr' });
    expect(h).toBe('["scim-query/1","user","title pr","","",[],[]]');
    expect(queryKey({ resourceType: 'User', filter: 'title pr' })).toBe(h);
  });

  it('ignores spellings that do not change the query', () => {
    const base = queryKey({ resourceType: 'User', filter: 'title pr', sortBy: 'userName', attributes: ['userName', 'emails'] });
    expect(queryKey({ resourceType: 'user', filter: '  title pr ', sortBy: 'USERNAME', sortOrder: 'Ascending', attributes: 'emails, userName,emails' })).toBe(
      base,
    );
    expect(queryKey({ resourceType: 'User', filter: 'title pr', sortOrder: 'descending' })).toBe(queryKey({ resourceType: 'User', filter: 'title pr' }));
    expect(queryKey({ resourceType: 'User', filter: parseFilter('title  PR   and (userType eq "x")') })).toBe(
      queryKey({ resourceType: 'User', filter: parseFilter('title pr and userType eq "x"') }),
    );
  });

  it('tells different queries apart', () => {
    const hashes = [
      queryKey({ resourceType: 'User' }),
      queryKey({ resourceType: 'Group' }),
      queryKey({ resourceType: 'User', filter: 'title pr' }),
      queryKey({ resourceType: 'User', filter: 'title pr', sortBy: 'userName' }),
      queryKey({ resourceType: 'User', filter: 'title pr', sortBy: 'userName', sortOrder: 'descending' }),
      queryKey({ resourceType: 'User', attributes: ['userName'] }),
      queryKey({ resourceType: 'User', excludedAttributes: ['userName'] }),
      queryKey({ resourceType: 'User', filter: 'userName eq "a"' }),
      queryKey({ resourceType: 'User', filter: 'userName eq "A"' }),
    ];
    expect(new Set(hashes).size).toBe(hashes.length);
  });
});
