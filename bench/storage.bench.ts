import { parseFilter } from '../src/query/filter-parser.js';
import { createResourceSchema } from '../src/schema/resource-schema.js';
import { USER_RESOURCE_TYPE } from '../src/schema/resource-types.js';
import { SchemaRegistry } from '../src/schema/schema-registry.js';
import type { ScimObject, ScimResource } from '../src/schema/types.js';
import { USER_SCHEMA, USER_SCHEMA_URI } from '../src/schema/user-schema.js';
import { InMemoryStorage } from '../src/storage/index.js';
import type { TenantContext } from '../src/tenant/tenant-context.js';
import { time, type BenchResult } from './harness.js';

/** Users loaded; `STORAGE_BENCH_USERS` overrides it for a quick run. */
const USERS = Number(process.env.STORAGE_BENCH_USERS ?? 1_000_000);
/** Target for one indexed `userName eq` query, filter parse included. */
const TARGET_MS = 0.05;

const GIVEN = ['Ada', 'Barbara', 'Chen', 'Dmitri', 'Esther', 'Farid', 'Grace', 'Hiro', 'Ines', 'Jonas'];
const FAMILY = ['Jensen', 'Okafor', 'Nakamura', 'Silva', 'Kowalski', 'Haddad', 'Murphy', 'Larsen', 'Rossi', 'Moreau'];

function smallUser(i: number): ScimObject {
  const givenName = GIVEN[i % GIVEN.length]!;
  const familyName = FAMILY[Math.floor(i / GIVEN.length) % FAMILY.length]!;
  const userName = `${givenName.toLowerCase()}.${familyName.toLowerCase()}${i}@example.com`;
  return {
    schemas: [USER_SCHEMA_URI],
    userName,
    externalId: `00u${i.toString(36).padStart(8, '0')}`,
    name: { givenName, familyName },
    displayName: `${givenName} ${familyName}`,
    emails: [{ value: userName, type: 'work', primary: true }],
    active: true,
  };
}

function heapMb(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1e6;
}

/** A deterministic pseudo-random sequence, so runs compare. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Milliseconds per call of `fn` over `calls` calls, after a short warm-up. */
async function msPerCall(calls: number, fn: (i: number) => Promise<unknown> | unknown): Promise<number> {
  for (let i = 0; i < Math.min(50, calls); i++) await fn(i);
  const start = performance.now();
  for (let i = 0; i < calls; i++) await fn(i);
  return (performance.now() - start) / calls;
}

/**
 * `userName eq` on a million users in one tenant: the indexed query of {@link InMemoryStorage}
 * (filter parsed on every query) against a linear scan with a hand-written predicate over the same
 * records.
 */
export async function run(): Promise<BenchResult[]> {
  const storage = new InMemoryStorage();
  const tenant: TenantContext = { tenantId: 'bench', isolationLevel: 'standard', permissions: {}, baseUrl: 'https://example.test/scim/v2' };
  const schema = createResourceSchema(USER_RESOURCE_TYPE, USER_SCHEMA);
  const type = new SchemaRegistry().model('User');
  if (!type) throw new Error('the built-in User type has a model');

  const heapBefore = heapMb();
  const loadStart = performance.now();
  const records: ScimResource[] = new Array(USERS);
  for (let i = 0; i < USERS; i++) records[i] = await storage.create(tenant, type, smallUser(i));
  const loadSeconds = (performance.now() - loadStart) / 1000;
  const heapUsed = heapMb() - heapBefore;

  const random = lcg(7);
  const wanted = Array.from({ length: 20_000 }, () => records[Math.floor(random() * USERS)]!.userName as string);

  let wrong = 0;
  const oursMs = await msPerCall(wanted.length, async (i) => {
    const target = wanted[i];
    const result = await storage.query(tenant, type, { schema, filter: parseFilter(`userName eq "${target}"`), startIndex: 1, count: 100 });
    if (result.totalResults !== 1 || result.resources[0]!.userName !== target) wrong++;
  });

  const scans = Math.max(5, Math.min(40, Math.floor(20_000_000 / USERS)));
  const peerMs = await msPerCall(scans, (i) => {
    const target = wanted[i]!.toLowerCase();
    const out: ScimResource[] = [];
    for (const r of records) {
      const name = r.userName;
      if (typeof name === 'string' && name.toLowerCase() === target) out.push(r);
    }
    if (out.length !== 1) wrong++;
    return out;
  });

  const verdict = oursMs < TARGET_MS ? 'meets' : 'misses';
  const note =
    `${USERS.toLocaleString('en-US')} users loaded in ${loadSeconds.toFixed(1)} s, heap +${Math.round(heapUsed)} MB; ` +
    `${verdict} the ${TARGET_MS} ms target` +
    (wrong > 0 ? `; ${wrong} WRONG RESULTS` : '');
  return [
    time(
      `storage: userName eq, ${USERS.toLocaleString('en-US')} users, parse included`,
      oursMs,
      peerMs,
      'linear scan, hand-written predicate',
      'ms/query',
      note,
    ),
  ];
}
