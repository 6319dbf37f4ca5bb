import { describe, expect, it } from 'vitest';
import { type Body, errorOf, GROUP_SCHEMA, testServer, USER_SCHEMA } from '../helpers/scim-client.js';

const PRECOMPOSED = '\u00e1dmin'; // "ádmin" with U+00E1
const COMBINING = 'a\u0301dmin'; // "ádmin" as "a" and U+0301 COMBINING ACUTE ACCENT

const names = (r: { body?: unknown }) => ((r.body as { Resources: { userName: string }[] }).Resources ?? []).map((u) => u.userName);

describe('identifying text is compared in Unicode NFC', () => {
  it('the two spellings of "ádmin" are one user, whichever comes first, in any case', async () => {
    for (const [first, second] of [
      [PRECOMPOSED, COMBINING],
      [COMBINING, PRECOMPOSED],
      [COMBINING, 'A\u0301DMIN'],
    ] as const) {
      const { as } = testServer();
      const a = as('a');
      const created = await a.createUser(first);
      expect(created.userName).toBe(first.normalize('NFC'));
      const again = await a.post('/Users', { schemas: [USER_SCHEMA], userName: second });
      expect(again.status).toBe(409);
      expect(errorOf(again).scimType).toBe('uniqueness');
    }
  });

  it('a filter for either spelling finds it, and so does a search', async () => {
    const { as } = testServer();
    const a = as('a');
    await a.createUser(COMBINING);
    await a.createUser('admin');
    for (const spelling of [PRECOMPOSED, COMBINING, PRECOMPOSED.toUpperCase()]) {
      expect(names(await a.get('/Users', { filter: `userName eq "${spelling}"` }))).toEqual([PRECOMPOSED]);
      const searched = await a.post('/Users/.search', {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'],
        filter: `userName sw "${spelling.slice(0, 3)}"`,
      });
      expect(names(searched)).toEqual([PRECOMPOSED]);
    }
  });

  it('a rename to the other spelling of a taken name is a conflict, by PUT and by PATCH', async () => {
    const { as } = testServer();
    const a = as('a');
    await a.createUser(PRECOMPOSED);
    const other = await a.createUser('other');
    expect((await a.put(`/Users/${other.id}`, { schemas: [USER_SCHEMA], userName: COMBINING })).status).toBe(409);
    expect((await a.patch(`/Users/${other.id}`, [{ op: 'replace', path: 'userName', value: COMBINING }])).status).toBe(409);
  });

  it("a Group's displayName is identifying too: one name under uniqueGroupDisplayName", async () => {
    const { as } = testServer([{ id: 'a', token: 'token-a', settings: { uniqueGroupDisplayName: true } }]);
    const a = as('a');
    const g = await a.createGroup('\u00c9quipe');
    expect(g.displayName).toBe('\u00c9quipe');
    expect((await a.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'E\u0301quipe' })).status).toBe(409);
    expect(((await a.get('/Groups', { filter: 'displayName eq "E\u0301quipe"' })).body as { totalResults: number }).totalResults).toBe(1);
  });

  it('fullwidth letters are other letters: NFC does not fold compatibility characters', async () => {
    const { as } = testServer();
    const a = as('a');
    await a.createUser('admin');
    const fullwidth = await a.post('/Users', { schemas: [USER_SCHEMA], userName: '\uff41\uff44\uff4d\uff49\uff4e' });
    expect(fullwidth.status).toBe(201);
    expect(names(await a.get('/Users', { filter: 'userName eq "admin"' }))).toEqual(['admin']);
  });

  it('other text is stored as it was sent', async () => {
    const { as } = testServer();
    const user = await as('a').createUser('plain', { displayName: COMBINING, name: { givenName: COMBINING } });
    expect(user.displayName).toBe(COMBINING);
    expect((user.name as Body).givenName).toBe(COMBINING);
  });
});

describe('text that could pass for other text is refused with 400 invalidValue', () => {
  const cases: [string, Body, RegExp][] = [
    ['zero-width space in userName', { userName: 'ad\u200bmin' }, /^userName: invisible formatting character U\+200B/],
    ['right-to-left override in userName', { userName: 'admin\u202e' }, /^userName: invisible formatting character U\+202E/],
    ['byte order mark in userName', { userName: '\ufeffadmin' }, /^userName: invisible formatting character U\+FEFF/],
    ['NUL in userName', { userName: 'ad\u0000min' }, /^userName: control character U\+0000/],
    ['NUL in a sub-attribute', { userName: 'ok1', name: { givenName: 'Bob\u0000' } }, /^name\.givenName: control character U\+0000/],
    ['escape in displayName', { userName: 'ok2', displayName: '\u001b[31mred' }, /^displayName: control character U\+001B/],
    ['LF in userName', { userName: 'ad\nmin' }, /^userName: control character U\+000A/],
    ['CR in displayName', { userName: 'ok3', displayName: 'a\rb' }, /^displayName: control character U\+000D/],
    ['CR LF in an email', { userName: 'ok4', emails: [{ value: 'a@example.com\r\nBcc: x@example.com' }] }, /^emails\[0\]\.value: control character U\+000D/],
    ['a C1 control in title', { userName: 'ok5', title: 'x\u0085y' }, /^title: control character U\+0085/],
    ['DEL in nickName', { userName: 'ok6', nickName: 'x\u007f' }, /^nickName: control character U\+007F/],
  ];
  it.each(cases)('%s', async (_, body, detail) => {
    const { as } = testServer();
    const r = await as('a').post('/Users', { schemas: [USER_SCHEMA], ...body });
    expect(r.status).toBe(400);
    expect(errorOf(r).scimType).toBe('invalidValue');
    expect(errorOf(r).detail).toMatch(detail);
  });

  it('the same through PATCH, PUT and Bulk', async () => {
    const { as } = testServer();
    const a = as('a');
    const user = await a.createUser('target');
    const patched = await a.patch(`/Users/${user.id}`, [{ op: 'replace', path: 'displayName', value: 'x\u0000' }]);
    expect(patched.status).toBe(400);
    expect(errorOf(patched).detail).toMatch(/^displayName: control character U\+0000/);
    expect((await a.put(`/Users/${user.id}`, { schemas: [USER_SCHEMA], userName: 'tar\u200bget' })).status).toBe(400);
    const bulk = await a.post('/Bulk', {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
      Operations: [{ method: 'POST', path: '/Users', bulkId: 'x', data: { schemas: [USER_SCHEMA], userName: 'new\nline' } }],
    });
    expect((bulk.body as { Operations: { status: string }[] }).Operations[0]?.status).toBe('400');
    expect((await a.get(`/Users/${user.id}`)).body).toMatchObject({ userName: 'target' });
  });

  it('accepts tab anywhere, and line breaks where text may span lines: formatted addresses and names, base64', async () => {
    const { as } = testServer();
    const user = await as('a').createUser('tab\there', {
      displayName: 'a\tb',
      name: { formatted: 'Ms. Barbara\nJensen' },
      addresses: [{ formatted: '100 Universal City Plaza\r\nHollywood, CA 91608 USA' }],
      x509Certificates: [{ value: 'aGVs\nbG8=' }],
    });
    expect(user.userName).toBe('tab\there');
    expect((user.addresses as Body[])[0]?.formatted).toBe('100 Universal City Plaza\r\nHollywood, CA 91608 USA');
  });
});
