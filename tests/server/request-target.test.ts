import { describe, expect, it } from 'vitest';
import type { ScimRequest } from '../../src/index.js';
import { queryParameters, requestTarget } from '../../src/server/request-target.js';
import { errorOf, testServer, type Body } from '../helpers/scim-client.js';

/** Two users, and a lookup for one of them the way an identity provider sends it. */
async function twoUsers() {
  const { server, as } = testServer();
  await as('a').createUser('bjensen');
  await as('a').createUser('jsmith');
  const list = async (target: Pick<ScimRequest, 'path' | 'query'>) => {
    const r = await server.handle({ method: 'GET', headers: { authorization: 'Bearer token-a' }, ...target });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const body = r.body as { totalResults: number; Resources: Body[] };
    return { total: body.totalResults, userNames: body.Resources.map((u) => u.userName) };
  };
  return { server, list };
}

describe('handle(): where the query comes from', () => {
  it('takes a query string inside path, as req.url carries it', async () => {
    const { list } = await twoUsers();
    expect(await list({ path: '/scim/v2/Users?filter=userName+eq+%22jsmith%22' })).toEqual({ total: 1, userNames: ['jsmith'] });
    expect(await list({ path: '/scim/v2/Users?filter=userName%20eq%20%22bjensen%22&attributes=userName' })).toEqual({ total: 1, userNames: ['bjensen'] });
    // A bare `?` is an empty query, not part of the path.
    expect(await list({ path: '/scim/v2/Users?' })).toEqual({ total: 2, userNames: ['bjensen', 'jsmith'] });
  });

  it('takes a URLSearchParams as query, the last value of a repeated parameter winning', async () => {
    const { list } = await twoUsers();
    expect(await list({ path: '/scim/v2/Users', query: new URLSearchParams({ filter: 'userName eq "jsmith"' }) })).toEqual({ total: 1, userNames: ['jsmith'] });
    const repeated = new URLSearchParams([
      ['count', '2'],
      ['count', '1'],
    ]);
    expect((await list({ path: '/scim/v2/Users', query: repeated })).userNames).toHaveLength(1);
    expect(await list({ path: '/scim/v2/Users', query: new URLSearchParams() })).toEqual({ total: 2, userNames: ['bjensen', 'jsmith'] });
  });

  it('takes a record of decoded values, an array giving its last value, and a raw string', async () => {
    const { list } = await twoUsers();
    expect(await list({ path: '/scim/v2/Users', query: { filter: 'userName eq "bjensen"' } })).toEqual({ total: 1, userNames: ['bjensen'] });
    expect((await list({ path: '/scim/v2/Users', query: { count: ['2', '1'] } })).userNames).toHaveLength(1);
    expect(await list({ path: '/scim/v2/Users', query: '?filter=userName+eq+%22jsmith%22' })).toEqual({ total: 1, userNames: ['jsmith'] });
    // A record without a prototype, as node:querystring and some frameworks build it.
    const bare = Object.assign(Object.create(null) as Record<string, string>, { filter: 'userName eq "jsmith"' });
    expect(await list({ path: '/scim/v2/Users', query: bare })).toEqual({ total: 1, userNames: ['jsmith'] });
  });

  it('answers malformed percent-encoding inside path with 400 invalidSyntax, after authentication', async () => {
    const { server } = await twoUsers();
    const r = await server.handle({ method: 'GET', path: '/scim/v2/Users?filter=%E0%A4%A', headers: { authorization: 'Bearer token-a' } });
    expect(r.status).toBe(400);
    expect(errorOf(r).scimType).toBe('invalidSyntax');
    const anonymous = await server.handle({ method: 'GET', path: '/scim/v2/Users?filter=%E0%A4%A' });
    expect(anonymous.status).toBe(401);
  });

  it('rejects with a TypeError what it cannot take, instead of dropping it', async () => {
    const { server } = await twoUsers();
    const call = (query: unknown, path = '/scim/v2/Users') =>
      server.handle({ method: 'GET', path, headers: { authorization: 'Bearer token-a' }, query } as ScimRequest);
    for (const query of [42, true, ['filter', 'x'], new Map([['filter', 'userName eq "x"']]), new Date(), () => 'filter=x']) {
      await expect(call(query)).rejects.toThrow(/ScimRequest\.query must be a query string, a URLSearchParams or a record/);
    }
    await expect(call({ count: '1' }, '/scim/v2/Users?filter=userName+eq+%22x%22')).rejects.toThrow(/give them in one place/);
    await expect(call(new URLSearchParams('count=1'), '/scim/v2/Users?count=2')).rejects.toThrow(TypeError);
    // Empty on one side is not a conflict.
    expect((await call({}, '/scim/v2/Users?count=1')).status).toBe(200);
    expect((await call('', '/scim/v2/Users?count=1')).status).toBe(200);
    expect((await call({ count: '1' }, '/scim/v2/Users?')).status).toBe(200);
  });
});

describe('requestTarget and queryParameters', () => {
  it('split the path from its query and decode each kind of query the same way', () => {
    expect(requestTarget('/scim/v2/Users?a=1', undefined)).toEqual({ path: '/scim/v2/Users', query: 'a=1' });
    expect(requestTarget('/scim/v2/Users', null)).toEqual({ path: '/scim/v2/Users', query: undefined });
    expect(requestTarget(42, undefined)).toEqual({ path: '', query: undefined });
    const expected = { filter: 'userName eq "a b"', count: '3' };
    expect(queryParameters('filter=userName+eq+%22a%20b%22&count=3')).toEqual(expected);
    expect(queryParameters(new URLSearchParams('filter=userName+eq+%22a%20b%22&count=3'))).toEqual(expected);
    expect(queryParameters({ filter: 'userName eq "a b"', count: 3 })).toEqual(expected);
  });

  it('keeps __proto__ as a plain parameter name from every kind of query', () => {
    for (const query of ['__proto__=x', new URLSearchParams('__proto__=x'), JSON.parse('{"__proto__":"x"}') as Record<string, string>]) {
      const params = queryParameters(query);
      expect(Object.getPrototypeOf(params)).toBe(Object.prototype);
      expect(Object.getOwnPropertyDescriptor(params, '__proto__')?.value).toBe('x');
    }
  });

  it('refuses a nested object in a record as a client error', () => {
    expect(() => queryParameters({ filter: { eq: 'x' } })).toThrow(expect.objectContaining({ status: 400, scimType: 'invalidValue' }));
  });
});
