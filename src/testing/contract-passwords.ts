import { v4 as uuidv4 } from 'uuid';
import { pbkdf2PasswordHasher } from '../provider/pbkdf2-password-hasher.js';
import type { ScimOperationRequest } from '../server/operation-request.js';
import type { ScimOperationResponse } from '../server/operation-response.js';
import { ScimOperationHandler } from '../server/operation-handler.js';
import type { StorageProvider } from '../storage/storage-provider.js';
import type { ContractCase } from './contract-cases.js';

const USER_URI = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const BULK = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';

/** Every string inside `value`, object keys included. */
function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      strings(v, out);
    }
  }
  return out;
}

/** The storage, with every argument of every method call recorded. */
function recorded(storage: StorageProvider): { storage: StorageProvider; calls: { method: string; args: unknown[] }[] } {
  const calls: { method: string; args: unknown[] }[] = [];
  const proxy = new Proxy(storage, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.push({ method: String(property), args });
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { storage: proxy, calls };
}

function idOf(r: ScimOperationResponse): string {
  if (r.kind !== 'resource') throw new Error(`expected a resource, got ${JSON.stringify(r)}`);
  return r.resource.id as string;
}

/**
 * Passwords: a `ScimOperationHandler` runs over the storage under test, wrapped so that every
 * argument of every call is recorded; a user is created, replaced, patched (with and without a
 * path) and bulk-created with passwords, and no recorded argument may contain one. What the
 * storage keeps must be the hash, intact: it verifies.
 */
export const PASSWORD_CASES: readonly ContractCase[] = [
  [
    'never receives a clear-text password, from any write, Bulk included, and keeps the hash intact',
    async ({ storage, tenant, expect }) => {
      const { storage: watched, calls } = recorded(storage);
      // A fast PBKDF2: what is checked is where passwords go, not how slowly they are hashed.
      const hasher = pbkdf2PasswordHasher({ iterations: 1_000 });
      const handler = new ScimOperationHandler({ storage: watched, passwordHasher: hasher });
      const t = tenant('pw');
      const clear = (label: string) => `${label}-Passw0rd-${uuidv4()}`;
      const passwords = { created: clear('created'), put: clear('put'), patched: clear('patched'), pathless: clear('pathless'), bulk: clear('bulk') };
      const run = (request: Omit<ScimOperationRequest, 'tenant'>) => handler.handle({ tenant: t, ...request } as ScimOperationRequest);

      const id = idOf(
        await run({ operation: 'create', resourceType: 'User', data: { schemas: [USER_URI], userName: `pw-${uuidv4()}`, password: passwords.created } }),
      );
      const userName = `pw-put-${uuidv4()}`;
      expect((await run({ operation: 'replace', resourceType: 'User', id, data: { schemas: [USER_URI], userName, password: passwords.put } })).status).toBe(
        200,
      );
      // A PUT without the password keeps the stored hash.
      expect((await run({ operation: 'replace', resourceType: 'User', id, data: { schemas: [USER_URI], userName, title: 'kept' } })).status).toBe(200);
      const patch = (operations: unknown[]) => run({ operation: 'patch', resourceType: 'User', id, data: { schemas: [PATCH_OP], Operations: operations } });
      expect((await patch([{ op: 'replace', path: `${USER_URI}:password`, value: passwords.patched }])).status).toBe(200);
      expect((await patch([{ op: 'Replace', value: { PASSWORD: passwords.pathless, title: 'x' } }])).status).toBe(200);
      const bulk = await run({
        operation: 'bulk',
        data: {
          schemas: [BULK],
          Operations: [
            { method: 'POST', path: '/Users', bulkId: 'b', data: { schemas: [USER_URI], userName: `pw-bulk-${uuidv4()}`, password: passwords.bulk } },
          ],
        },
      });
      expect(bulk.kind === 'bulk' && bulk.bulk.Operations.map((o) => o.status)).toEqual(['201']);

      const received = calls.flatMap((call) => strings(call.args));
      for (const password of Object.values(passwords)) expect(received.filter((s) => s.includes(password))).toEqual([]);
      expect(calls.some((call) => call.method === 'create')).toBe(true);

      const model = handler.schemas.model('User');
      if (!model) throw new Error('no User model');
      const stored = (await storage.get(t, model, id))?.password;
      expect(typeof stored).toBe('string');
      expect(await hasher.verify(passwords.pathless, stored as string)).toBe(true);
      expect(await hasher.verify(passwords.patched, stored as string)).toBe(false);
      expect(await handler.verifyPassword(t, 'User', id, passwords.pathless)).toBe(true);
      // Nothing reads the secret back: not a filter, not a sort, not a projection.
      const filtered = await run({ operation: 'list', resourceType: 'User', query: { filter: 'password pr' } });
      expect(filtered.status).toBe(400);
      const sorted = await run({ operation: 'list', resourceType: 'User', query: { sortBy: 'password' } });
      expect(sorted.status).toBe(400);
      const read = await run({ operation: 'get', resourceType: 'User', id });
      expect(read.kind === 'resource' && Object.keys(read.resource).map((k) => k.toLowerCase())).not.toContain('password');
    },
  ],
];
