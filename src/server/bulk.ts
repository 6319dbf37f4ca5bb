import { ERROR_SCHEMA, isScimError, ScimError } from '../error/scim-error.js';
import { SCIM_CONTENT_TYPE } from './media-type.js';
import type { ScimResponse } from './scim-request.js';
import { utf8Length } from './utf8-length.js';
import { isObject } from '../schema/json-object.js';

/** Schema URI of a bulk request (RFC 7644 §3.7). */
export const BULK_REQUEST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';

/** Schema URI of a bulk response (RFC 7644 §3.7). */
export const BULK_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:BulkResponse';

/** The prefix that marks a value as a reference to a resource created in the same bulk request (RFC 7644 §3.7.2). */
export const BULK_ID_PREFIX = 'bulkId:';

/** One operation of a bulk request (RFC 7644 §3.7), after its keys and method are normalised. */
export interface BulkOperationRequest {
  /** The HTTP method the operation stands for. */
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path relative to the SCIM base: a collection (`/Users`) for POST, a resource (`/Users/123`) otherwise. */
  path: string;
  /** Client-chosen transient id of the resource a POST creates; required for POST. */
  bulkId?: string;
  /** Entity tag the resource must still have; sent on as `If-Match`. */
  version?: string;
  /** The body the single request would carry: a resource for POST and PUT, a PatchOp message for PATCH. */
  data?: unknown;
}

/** Limits announced in `/ServiceProviderConfig` under `bulk` (RFC 7643 §5, RFC 7644 §3.7.4). */
export interface BulkLimits {
  /** Most operations one bulk request may hold (`bulk.maxOperations`). */
  maxOperations: number;
  /** Largest bulk request in bytes of serialised JSON (`bulk.maxPayloadSize`). */
  maxPayloadBytes: number;
}

/**
 * Runs one operation of a bulk request.
 *
 * The server supplies it: the operation must be handled as the same tenant and exactly as the
 * equivalent single request would be, so permissions, quotas, validation and isolation apply to
 * each operation on its own.
 */
export type BulkExecutor =
  /** Runs one operation as the same tenant, exactly as a single request would be handled (path relative to the SCIM base, e.g. '/Users' or '/Groups/123'; version becomes If-Match). */
  (op: { method: string; path: string; body?: unknown; ifMatch?: string }) => Promise<ScimResponse>;

/** Optional settings of {@link processBulk}. */
export interface BulkOptions {
  /**
   * The tenant's SCIM base URL (no trailing slash). Used for `location` when the operation's own
   * response does not carry one (DELETE, a PATCH answered with 204, a failed PUT).
   */
  baseUrl?: string;
  /**
   * Called once the request is known to be within `limits`, with its number of operations, before
   * any operation runs: a rejection (a 429 from a rate limit charged per operation) refuses the
   * whole request.
   */
  admit?: (operationCount: number) => Promise<void> | void;
}

/** The result of one operation in a bulk response (RFC 7644 §3.7.3). */
export interface BulkOperationResult {
  /** The operation's method (absent only when the request did not give a readable one). */
  method?: string;
  /** The operation's `bulkId`, when it had one. */
  bulkId?: string;
  /** The resource's entity tag after a successful operation. */
  version?: string;
  /** URL of the resource; absent for a failed POST. */
  location?: string;
  /** The HTTP status the single request would have had, as a string. */
  status: string;
  /** The SCIM Error body of a failed operation; successful operations carry none. */
  response?: unknown;
}

/** The body of a bulk response. */
export interface BulkResponseBody {
  schemas: [typeof BULK_RESPONSE_SCHEMA];
  Operations: BulkOperationResult[];
}

const METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Endpoints a bulk operation may never address: nesting `/Bulk` would recurse, the others are not resources. */
const RESERVED_ENDPOINTS: ReadonlySet<string> = new Set(['bulk', 'me', '.search', 'serviceproviderconfig', 'resourcetypes', 'schemas']);

type JsonObject = Record<string, unknown>;

/** An operation as planned before anything runs. */
interface PlannedOperation {
  /** Position in the request, for error details. */
  index: number;
  /** Method to report in the response. */
  method?: string;
  /** `bulkId` to report in the response. */
  bulkId?: string;
  /** The normalised operation, when it is well-formed. */
  request?: BulkOperationRequest;
  /** Why the operation fails without running. */
  error?: ScimError;
  /** The bulkId named by the path's id segment, if any. */
  pathRef?: string;
  /** Distinct bulkIds referenced by the path and the data. */
  refs: string[];
  /** Indexes of the POSTs defining `refs`. */
  dependsOn: number[];
}

/** Reads a key case-insensitively; an exact match wins. */
function field(obj: JsonObject, name: string): unknown {
  if (Object.hasOwn(obj, name)) return obj[name];
  const lower = name.toLowerCase();
  for (const key of Object.keys(obj)) if (key.toLowerCase() === lower) return obj[key];
  return undefined;
}

function serialisedSize(body: unknown): number {
  let text: string | undefined;
  try {
    text = JSON.stringify(body);
  } catch {
    // Cycles, BigInt values or nesting deep enough to exhaust the stack: not JSON a client could send.
    throw ScimError.badRequest('invalidSyntax', 'The bulk request is not serialisable JSON');
  }
  return text === undefined ? 0 : utf8Length(text);
}

interface Envelope {
  operations: unknown[];
  failOnErrors: number | undefined;
}

function readEnvelope(body: unknown): Envelope {
  if (!isObject(body)) throw ScimError.badRequest('invalidSyntax', 'A bulk request must be a JSON object');
  const schemas = field(body, 'schemas');
  const wanted = BULK_REQUEST_SCHEMA.toLowerCase();
  if (!Array.isArray(schemas) || !schemas.some((s) => typeof s === 'string' && s.toLowerCase() === wanted)) {
    throw ScimError.badRequest('invalidSyntax', `A bulk request must list ${BULK_REQUEST_SCHEMA} in schemas`);
  }
  const operations = field(body, 'Operations');
  if (!Array.isArray(operations)) throw ScimError.badRequest('invalidSyntax', 'A bulk request must have an Operations array');
  const rawFail = field(body, 'failOnErrors');
  let failOnErrors: number | undefined;
  if (rawFail !== undefined && rawFail !== null) {
    if (typeof rawFail !== 'number' || !Number.isSafeInteger(rawFail) || rawFail < 1) {
      throw ScimError.badRequest('invalidValue', 'failOnErrors must be an integer of at least 1');
    }
    failOnErrors = rawFail;
  }
  return { operations, failOnErrors };
}

/** Collects the bulkIds that string values anywhere in `value` reference, without recursion. */
function collectReferences(value: unknown, into: Set<string>): void {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (v.startsWith(BULK_ID_PREFIX)) into.add(v.slice(BULK_ID_PREFIX.length));
    } else if (typeof v === 'object' && v !== null) {
      for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push(child);
    }
  }
}

/**
 * A deep copy of `value` with every `"bulkId:<id>"` string replaced by the id the server assigned.
 * Iterative, and keys such as `__proto__` are copied as plain data properties.
 */
function substituteReferences(value: unknown, ids: ReadonlyMap<string, string>): unknown {
  const swap = (v: unknown): unknown => (typeof v === 'string' && v.startsWith(BULK_ID_PREFIX) ? (ids.get(v.slice(BULK_ID_PREFIX.length)) ?? v) : v);
  if (typeof value !== 'object' || value === null) return swap(value);
  const emptyLike = (v: object): object => (Array.isArray(v) ? new Array<unknown>(v.length) : {});
  const root = emptyLike(value);
  const stack: [object, object][] = [[value, root]];
  while (stack.length > 0) {
    const [source, target] = stack.pop() as [object, object];
    for (const [key, child] of Object.entries(source)) {
      let copy: unknown;
      if (typeof child === 'object' && child !== null) {
        copy = emptyLike(child);
        stack.push([child, copy as object]);
      } else {
        copy = swap(child);
      }
      Object.defineProperty(target, key, { value: copy, enumerable: true, writable: true, configurable: true });
    }
  }
  return root;
}

function invalid(index: number, detail: string, scimType: 'invalidSyntax' | 'invalidValue' = 'invalidSyntax'): ScimError {
  return ScimError.badRequest(scimType, `Operations[${index}]: ${detail}`);
}

/** Checks and normalises the path; returns it with the bulkId its id segment references, if any. */
function readPath(raw: unknown, method: string, index: number): { path: string; ref?: string } | ScimError {
  if (typeof raw !== 'string' || raw.trim() === '') return invalid(index, 'path is required');
  let path = raw.trim();
  if (path.includes('?') || path.includes('#')) return invalid(index, 'path must not carry a query or fragment');
  if (!path.startsWith('/')) path = `/${path}`;
  path = path.replace(/\/+$/, '');
  const segments = path.split('/').slice(1);
  if (segments.length === 0 || segments.some((s) => s === '')) return invalid(index, 'path is not a relative resource path');
  const head = segments[0] as string;
  if (RESERVED_ENDPOINTS.has(head.toLowerCase())) return invalid(index, `path cannot address /${head} in a bulk request`);
  if (method === 'POST') {
    if (segments.length !== 1) return invalid(index, 'a POST path must be a resource type endpoint such as /Users');
    return { path };
  }
  if (segments.length !== 2) return invalid(index, `a ${method} path must address one resource, such as /Users/{id}`);
  let id: string;
  try {
    id = decodeURIComponent(segments[1] as string);
  } catch {
    return invalid(index, 'path has malformed percent-encoding');
  }
  if (id === '.search') return invalid(index, `a ${method} path must address one resource, such as /Users/{id}`);
  if (id.startsWith(BULK_ID_PREFIX)) return { path, ref: id.slice(BULK_ID_PREFIX.length) };
  return { path };
}

/** Parses one entry of `Operations`; a malformed entry becomes an operation that fails without running. */
function planOperation(raw: unknown, index: number): PlannedOperation {
  const planned: PlannedOperation = { index, refs: [], dependsOn: [] };
  if (!isObject(raw)) {
    planned.error = invalid(index, 'an operation must be a JSON object');
    return planned;
  }
  const rawMethod = field(raw, 'method');
  const rawBulkId = field(raw, 'bulkId');
  if (typeof rawBulkId === 'string' && rawBulkId !== '') planned.bulkId = rawBulkId;
  const method = typeof rawMethod === 'string' ? rawMethod.trim().toUpperCase() : undefined;
  if (typeof rawMethod === 'string') planned.method = method && METHODS.has(method) ? method : rawMethod;
  if (method === undefined || !METHODS.has(method)) {
    planned.error = invalid(index, 'method must be one of POST, PUT, PATCH or DELETE');
    return planned;
  }
  const m = method as BulkOperationRequest['method'];
  const path = readPath(field(raw, 'path'), m, index);
  if (path instanceof ScimError) {
    planned.error = path;
    return planned;
  }
  if (rawBulkId !== undefined && rawBulkId !== null && (typeof rawBulkId !== 'string' || rawBulkId === '')) {
    planned.error = invalid(index, 'bulkId must be a non-empty string');
    return planned;
  }
  if (m === 'POST' && planned.bulkId === undefined) {
    planned.error = invalid(index, 'bulkId is required for POST');
    return planned;
  }
  const data = field(raw, 'data');
  if (m !== 'DELETE' && !isObject(data)) {
    planned.error = invalid(index, `data must be a JSON object for ${m}`);
    return planned;
  }
  const rawVersion = field(raw, 'version');
  if (rawVersion !== undefined && rawVersion !== null && typeof rawVersion !== 'string') {
    planned.error = invalid(index, 'version must be a string');
    return planned;
  }
  const request: BulkOperationRequest = { method: m, path: path.path };
  if (planned.bulkId !== undefined) request.bulkId = planned.bulkId;
  if (typeof rawVersion === 'string' && rawVersion.trim() !== '' && m !== 'POST') request.version = rawVersion.trim();
  if (m !== 'DELETE') request.data = data;
  planned.request = request;
  const refs = new Set<string>();
  if (path.ref !== undefined) {
    planned.pathRef = path.ref;
    refs.add(path.ref);
  }
  if (m !== 'DELETE') collectReferences(data, refs);
  planned.refs = [...refs];
  return planned;
}

/**
 * Operations that take part in a cycle of bulkId references (including a POST that references its
 * own bulkId): Tarjan's strongly connected components, iteratively so that long chains of
 * references cannot exhaust the stack.
 */
function circularOperations(plan: readonly PlannedOperation[]): Set<number> {
  const n = plan.length;
  const order = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const components: number[] = [];
  const circular = new Set<number>();
  let counter = 0;
  for (let root = 0; root < n; root++) {
    if (order[root] !== -1) continue;
    order[root] = low[root] = counter++;
    components.push(root);
    onStack[root] = 1;
    const work: [number, number][] = [[root, 0]];
    while (work.length > 0) {
      const frame = work[work.length - 1] as [number, number];
      const [v, next] = frame;
      const edges = (plan[v] as PlannedOperation).dependsOn;
      if (next < edges.length) {
        frame[1] = next + 1;
        const w = edges[next] as number;
        if (order[w] === -1) {
          order[w] = low[w] = counter++;
          components.push(w);
          onStack[w] = 1;
          work.push([w, 0]);
        } else if (onStack[w]) {
          low[v] = Math.min(low[v] as number, order[w] as number);
        }
        continue;
      }
      work.pop();
      if (low[v] === order[v]) {
        const members: number[] = [];
        let w: number;
        do {
          w = components.pop() as number;
          onStack[w] = 0;
          members.push(w);
        } while (w !== v);
        if (members.length > 1 || edges.includes(v)) for (const m of members) circular.add(m);
      }
      const parent = work[work.length - 1];
      if (parent) low[parent[0]] = Math.min(low[parent[0]] as number, low[v] as number);
    }
  }
  return circular;
}

/**
 * The order operations run in: request order, except that the POST defining a bulkId runs before
 * the first operation that references it (and, transitively, its own dependencies before it).
 * Operations in a cycle are leaves here: they fail without running.
 */
function processingOrder(plan: readonly PlannedOperation[], circular: ReadonlySet<number>): number[] {
  const placed = new Uint8Array(plan.length);
  const out: number[] = [];
  for (let root = 0; root < plan.length; root++) {
    if (placed[root]) continue;
    const work: [number, number][] = [[root, 0]];
    placed[root] = 1;
    while (work.length > 0) {
      const frame = work[work.length - 1] as [number, number];
      const [v, next] = frame;
      const edges = circular.has(v) ? [] : (plan[v] as PlannedOperation).dependsOn;
      if (next < edges.length) {
        frame[1] = next + 1;
        const w = edges[next] as number;
        if (!placed[w]) {
          placed[w] = 1;
          work.push([w, 0]);
        }
        continue;
      }
      work.pop();
      out.push(v);
    }
  }
  return out;
}

function header(response: ScimResponse, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(response.headers ?? {})) {
    if (key.toLowerCase() === lower && typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

function metaField(body: unknown, name: 'location' | 'version'): string | undefined {
  if (!isObject(body) || !isObject(body.meta)) return undefined;
  const value = body.meta[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The id of a resource a POST created: from the body, else from the last segment of `Location`. */
function createdId(response: ScimResponse): string | undefined {
  if (isObject(response.body) && typeof response.body.id === 'string' && response.body.id !== '') return response.body.id;
  const location = header(response, 'Location');
  if (location === undefined) return undefined;
  const last = location.replace(/\/+$/, '').split('/').pop();
  if (!last) return undefined;
  try {
    return decodeURIComponent(last);
  } catch {
    return undefined;
  }
}

function errorBody(response: ScimResponse): unknown {
  const body = response.body;
  if (isObject(body) && Array.isArray(body.schemas) && body.schemas.includes(ERROR_SCHEMA)) return body;
  return new ScimError(response.status, '').toJSON();
}

/**
 * Runs a SCIM bulk request (RFC 7644 §3.7) through `execute`, one operation at a time.
 *
 * `body` is the parsed JSON of the request. The request is refused as a whole (the promise rejects
 * with a {@link ScimError}) when it is not a BulkRequest (400 `invalidSyntax`), when `failOnErrors`
 * is not an integer of at least 1 (400 `invalidValue`), or when it exceeds `limits`: more than
 * `maxOperations` operations or more than `maxPayloadBytes` bytes of JSON give 413 with a detail
 * naming `maxOperations` or `maxPayloadSize` (§3.7.4).
 *
 * Otherwise the answer is 200 with a BulkResponse listing each processed operation in the order it
 * ran: `method`, `bulkId`, `location`, `version` and `status` (a string), and for a failure the
 * SCIM Error body in `response`.
 *
 * - Each operation is a separate request to `execute`, so permissions, quotas, validation and
 *   tenant isolation apply to it alone. There is no transaction: operations that ran before a
 *   failure stay done.
 * - `"bulkId:<id>"` as a string value anywhere in `data`, or as the id segment of `path`, is
 *   replaced with the id of the resource the POST with that `bulkId` created. A POST referenced
 *   before its place in the request runs first.
 * - A malformed operation fails with 400 without running; a reference to a bulkId no POST defines,
 *   to a POST that failed, or within a cycle of references fails with 409.
 * - After `failOnErrors` failures nothing more runs and the rest is not listed.
 *
 * `execute` may reject with a {@link ScimError}, which then counts as that operation's failure;
 * any other rejection propagates.
 */
export async function processBulk(body: unknown, limits: BulkLimits, execute: BulkExecutor, options: BulkOptions = {}): Promise<ScimResponse> {
  const size = serialisedSize(body);
  if (size > limits.maxPayloadBytes) {
    throw new ScimError(413, `The bulk request is ${size} bytes, more than the maxPayloadSize of ${limits.maxPayloadBytes} bytes`);
  }
  const envelope = readEnvelope(body);
  if (envelope.operations.length > limits.maxOperations) {
    throw new ScimError(413, `The bulk request has ${envelope.operations.length} operations, more than the maxOperations of ${limits.maxOperations}`);
  }
  await options.admit?.(envelope.operations.length);

  const plan = envelope.operations.map((raw, index) => planOperation(raw, index));

  // The first POST with a bulkId defines it; a later POST repeating it is refused, since the
  // identifier must be unique within the request (§3.7) and references to it would be ambiguous.
  const definitions = new Map<string, number>();
  for (const op of plan) {
    if (op.method !== 'POST' || op.bulkId === undefined) continue;
    if (!definitions.has(op.bulkId)) definitions.set(op.bulkId, op.index);
    else if (!op.error) op.error = invalid(op.index, `bulkId "${op.bulkId}" is already used by another operation`, 'invalidValue');
  }

  // RFC 7644 names no status for a reference that cannot be resolved; the only one it gives for
  // bulkId resolution is 409 Conflict (§3.7.1, circular references). We use 409 for every
  // unresolvable reference (unknown bulkId, failed POST, cycle) so that a client handles them
  // alike, with scimType invalidValue because it is the "bulkId:..." value that cannot be used.
  for (const op of plan) {
    if (op.error) continue;
    for (const ref of op.refs) {
      const target = definitions.get(ref);
      if (target === undefined) {
        op.error = new ScimError(409, `Operations[${op.index}]: bulkId "${ref}" is not defined by any POST in this request`, 'invalidValue');
        op.dependsOn = [];
        break;
      }
      op.dependsOn.push(target);
    }
    // Dependencies run in the order the request gives them.
    op.dependsOn.sort((x, y) => x - y);
  }

  // Cycles are detected before anything runs and their operations fail with 409 (§3.7.1 allows it):
  // resolving them by creating without the references and patching afterwards would leave
  // half-built resources visible, and would need a permission (PATCH) the client never exercised.
  const circular = circularOperations(plan);
  const order = processingOrder(plan, circular);

  const created = new Map<string, string>();
  const results: BulkOperationResult[] = [];
  let errors = 0;
  for (const position of order) {
    if (envelope.failOnErrors !== undefined && errors >= envelope.failOnErrors) break;
    const op = plan[position] as PlannedOperation;
    const result = await runOperation(op, circular.has(position), created, execute, options);
    results.push(result);
    const status = Number(result.status);
    if (!(status >= 200 && status < 300)) errors++;
  }

  const responseBody: BulkResponseBody = { schemas: [BULK_RESPONSE_SCHEMA], Operations: results };
  return { status: 200, headers: { 'Content-Type': SCIM_CONTENT_TYPE }, body: responseBody };
}

function failure(op: PlannedOperation, error: ScimError, location?: string): BulkOperationResult {
  return {
    ...(op.method !== undefined ? { method: op.method } : {}),
    ...(op.bulkId !== undefined ? { bulkId: op.bulkId } : {}),
    ...(location !== undefined ? { location } : {}),
    status: String(error.status),
    response: error.toJSON(),
  };
}

async function runOperation(
  op: PlannedOperation,
  isCircular: boolean,
  created: Map<string, string>,
  execute: BulkExecutor,
  options: BulkOptions,
): Promise<BulkOperationResult> {
  const request = op.request;
  if (op.error || !request) return failure(op, op.error ?? invalid(op.index, 'malformed operation'));
  if (isCircular) {
    return failure(
      op,
      new ScimError(409, `Operations[${op.index}]: circular bulkId reference; these resources cannot be created in one bulk request`, 'invalidValue'),
    );
  }
  for (const ref of op.refs) {
    if (!created.has(ref)) {
      return failure(op, new ScimError(409, `Operations[${op.index}]: bulkId "${ref}" cannot be resolved: its POST did not create a resource`, 'invalidValue'));
    }
  }
  let path = request.path;
  if (op.pathRef !== undefined) {
    const endpoint = path.slice(0, path.lastIndexOf('/'));
    path = `${endpoint}/${encodeURIComponent(created.get(op.pathRef) as string)}`;
  }
  const call: { method: string; path: string; body?: unknown; ifMatch?: string } = { method: request.method, path };
  if (request.data !== undefined) call.body = op.refs.length > 0 ? substituteReferences(request.data, created) : request.data;
  if (request.version !== undefined) call.ifMatch = request.version;

  const resourceUrl = request.method !== 'POST' && options.baseUrl !== undefined ? `${options.baseUrl}${path}` : undefined;
  let response: ScimResponse;
  try {
    response = await execute(call);
  } catch (error) {
    if (!isScimError(error)) throw error;
    return failure(op, error, resourceUrl);
  }

  const status = String(response.status);
  const head = { method: request.method, ...(op.bulkId !== undefined ? { bulkId: op.bulkId } : {}) };
  if (response.status < 200 || response.status >= 300) {
    return { ...head, ...(resourceUrl !== undefined ? { location: resourceUrl } : {}), status, response: errorBody(response) };
  }
  let location = header(response, 'Location') ?? metaField(response.body, 'location');
  if (request.method === 'POST') {
    const id = createdId(response);
    if (id !== undefined && request.bulkId !== undefined) created.set(request.bulkId, id);
    if (location === undefined && id !== undefined && options.baseUrl !== undefined) {
      location = `${options.baseUrl}${path}/${encodeURIComponent(id)}`;
    }
  } else {
    location ??= resourceUrl;
  }
  const version = request.method === 'DELETE' ? undefined : (header(response, 'ETag') ?? metaField(response.body, 'version'));
  return {
    ...head,
    ...(location !== undefined ? { location } : {}),
    ...(version !== undefined ? { version } : {}),
    status,
  };
}
