/**
 * The server of tests/load/fairness.test.ts, in a process of its own: the node adapter over real
 * sockets, a tenant `big` with many users, groups of many members past the default response budget
 * and one within it, and a tenant `small`. It prints
 * `ready <port> <a small user's id> <a big group's id> <the group within the budget's id>` once it listens.
 *
 * It watches its own event loop: a timer asks for a turn every millisecond, and every gap between
 * two turns is recorded with the CPU time the process spent in it. A gap with as much CPU time as
 * wall time is work that held the loop; a gap with little CPU time is the process waiting for a
 * core of a busy machine. `GET /__stats` answers both, `GET /__stats?reset=1` starts again.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createNodeServer, toNodeHandler } from '../../src/adapters/node.js';
import { InMemoryStorage, ScimServer, StaticTenantResolver, type ResourceTypeModel, type TenantContext } from '../../src/index.js';

const USERS = Number(process.env.FAIRNESS_USERS ?? 300_000);
const GROUPS = Number(process.env.FAIRNESS_GROUPS ?? 10);
const MEMBERS = Number(process.env.FAIRNESS_MEMBERS ?? 100_000);
const MID_MEMBERS = Number(process.env.FAIRNESS_MID_MEMBERS ?? 25_000);
const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';

const storage = new InMemoryStorage();
const scim = new ScimServer({
  tenantResolver: new StaticTenantResolver([
    { id: 'big', token: 'big-token' },
    { id: 'small', token: 'small-token' },
  ]),
  storage,
});
const userModel = scim.schemas.model('User') as ResourceTypeModel;
const groupModel = scim.schemas.model('Group') as ResourceTypeModel;
const tenantOf = (id: string): TenantContext => ({ tenantId: id, isolationLevel: 'standard', permissions: {}, baseUrl: '' });

const big = tenantOf('big');
const ids: string[] = [];
for (let i = 0; i < USERS; i++) {
  const userName = `user-${((i * 7919) % USERS).toString().padStart(7, '0')}@big.example.com`;
  ids.push((await storage.create(big, userModel, { schemas: [USER_SCHEMA], userName, displayName: `User ${i}` })).id);
}
let bigGroup = '';
for (let g = 0; g < GROUPS; g++) {
  const members = ids.slice(0, MEMBERS).map((value) => ({ value }));
  bigGroup = (await storage.create(big, groupModel, { schemas: [GROUP_SCHEMA], displayName: `group-${g}`, members })).id;
}
// A group within the default response budget (about 3.6 MB with its members), rendered in full in slices.
const midGroup = (
  await storage.create(big, groupModel, { schemas: [GROUP_SCHEMA], displayName: 'group-mid', members: ids.slice(0, MID_MEMBERS).map((value) => ({ value })) })
).id;
const small = tenantOf('small');
let smallUser = '';
for (let i = 0; i < 100; i++) smallUser = (await storage.create(small, userModel, { schemas: [USER_SCHEMA], userName: `person-${i}@small.example.com` })).id;

/** Gaps between turns of the event loop: wall time, and CPU time spent meanwhile. */
const gaps: number[] = [];
let maxCpuMs = 0;
let maxWallMs = 0;
let lastWall = performance.now();
let lastCpu = process.cpuUsage();
setInterval(() => {
  const wall = performance.now();
  const cpu = process.cpuUsage(lastCpu);
  const wallMs = wall - lastWall;
  const cpuMs = (cpu.user + cpu.system) / 1000;
  gaps.push(wallMs);
  maxWallMs = Math.max(maxWallMs, wallMs);
  // CPU time counts every thread (garbage collection helpers too), so it is capped by the wall time.
  maxCpuMs = Math.max(maxCpuMs, Math.min(cpuMs, wallMs));
  if (process.env.FAIRNESS_TRACE && Math.min(cpuMs, wallMs) > 10)
    console.log(`held ${Math.min(cpuMs, wallMs).toFixed(1)} ms (wall ${wallMs.toFixed(1)}) at ${Math.round(performance.now())}`);
  lastWall = wall;
  lastCpu = process.cpuUsage();
}, 1);

function stats(req: IncomingMessage, res: ServerResponse): void {
  const sorted = [...gaps].sort((a, b) => a - b);
  const p99 = sorted[Math.floor(sorted.length * 0.99)] ?? 0;
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ turns: gaps.length, maxWallMs, p99WallMs: p99, maxCpuMs, rssBytes: process.memoryUsage().rss }));
  if (req.url?.includes('reset=1')) {
    gaps.length = 0;
    maxCpuMs = 0;
    maxWallMs = 0;
  }
}

const handler = toNodeHandler(scim);
const server = createNodeServer((req, res) => (req.url?.startsWith('/__stats') ? stats(req, res) : handler(req, res)), { maxConnections: 4_096 });
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  console.log(`ready ${port} ${smallUser} ${bigGroup} ${midGroup}`);
});
