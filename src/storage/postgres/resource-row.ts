import { ScimError } from '../../error/scim-error.js';
import type { ScimObject, ScimResource } from '../../schema/types.js';
import type { ResourceTypeModel } from '../../schema/membership.js';
import type { MemberRef, MembershipRef } from '../storage-provider.js';
import { reverseColumn } from './resource-select.js';
import { storableCopy } from './storable-json.js';
import { versionTag } from './version-match.js';

/**
 * Most UTF-8 bytes of a value kept in an indexed column (`userName`, `externalId`, `displayName`):
 * with the tenant id, the whole index entry stays under PostgreSQL's B-tree limit of 2,704 bytes.
 */
export const MAX_INDEXED_BYTES = 2000;

/** A body as the `scim_resources` row stores it. */
export interface EncodedBody {
  /** `schemas` and every attribute except `id`, `meta` and derived member attributes, as JSON text. */
  readonly data: string;
  /** `userName`, lower-cased, when it is a string. */
  readonly userNameFolded: string | null;
  readonly externalId: string | null;
  /** `displayName`, lower-cased, when it is a string. */
  readonly displayNameFolded: string | null;
  /** The body's member attribute, unchecked, when the type holds members. */
  readonly members: unknown;
}

function isRecord(value: unknown): value is ScimObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function utf8Bytes(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * The value of an indexed column: the attribute when it is a string (lower-cased when `folded`),
 * refused with a 400 when too long to index.
 */
function indexed(attributes: ScimObject, name: string, folded: boolean): string | null {
  const raw = attributes[name];
  if (typeof raw !== 'string') return null;
  const value = folded ? raw.toLowerCase() : raw;
  if (utf8Bytes(value) > MAX_INDEXED_BYTES)
    throw ScimError.badRequest('invalidValue', `${name} is longer than the ${MAX_INDEXED_BYTES} bytes this storage indexes`);
  return value;
}

/**
 * Splits a body into what a row stores. Storage keeps `id` and `meta` itself and keeps the member
 * attribute and derives the reverse attributes of the type's model from the members table, so
 * those are left out (whatever their case); the rest is copied under the rules of
 * {@link storableCopy}.
 */
export function encodeBody(body: unknown, type: ResourceTypeModel): EncodedBody {
  if (!isRecord(body)) throw ScimError.badRequest('invalidSyntax', 'The resource must be a JSON object');
  const memberKey = type.members?.attribute.toLowerCase();
  const derived = new Set(['id', 'meta', 'schemas', ...type.memberOf.map((r) => r.attribute.toLowerCase())]);
  const schemas = Array.isArray(body.schemas) ? body.schemas.filter((s): s is string => typeof s === 'string') : [];
  const data = storableCopy({ schemas }) as ScimObject;
  let members: unknown;
  for (const key of Object.keys(body)) {
    const lower = key.toLowerCase();
    if (derived.has(lower)) continue;
    if (lower === memberKey) {
      members = body[key];
      continue;
    }
    const copied = storableCopy(body[key], 1);
    if (copied !== undefined) Object.defineProperty(data, key, { value: copied, enumerable: true, writable: true, configurable: true });
  }
  return {
    data: JSON.stringify(data),
    userNameFolded: indexed(data, 'userName', true),
    externalId: indexed(data, 'externalId', false),
    displayNameFolded: indexed(data, 'displayName', true),
    members,
  };
}

/** A row as `resourceColumns` selects it. */
export interface ResourceRow {
  id: unknown;
  version: unknown;
  created: unknown;
  last_modified: unknown;
  data: unknown;
  members?: unknown;
  [reverse: `reverse_${number}`]: unknown;
}

function parsedJson(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}

function memberRefs(value: unknown): MemberRef[] {
  const list = parsedJson(value);
  return Array.isArray(list) ? (list as MemberRef[]) : [];
}

function containerRefs(value: unknown): MembershipRef[] {
  const list = parsedJson(value);
  if (!Array.isArray(list)) return [];
  return (list as { value: string; display?: string }[]).map((g) => {
    const ref: MembershipRef = { value: g.value, type: 'direct' };
    if (typeof g.display === 'string') ref.display = g.display;
    return ref;
  });
}

function setOwn(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * The resource a row holds: `schemas`, `id`, the stored attributes and `meta`, with the member
 * attribute (from the row's `members` column) and each reverse attribute of the type's model (from
 * its `reverse_<i>` column) when the list is not empty.
 */
export function decodeRow(row: ResourceRow, type: ResourceTypeModel): ScimResource {
  const { schemas, ...attributes } = parsedJson(row.data) as ScimObject;
  const resource = {
    schemas: Array.isArray(schemas) ? schemas : [],
    id: String(row.id),
    ...attributes,
    meta: { resourceType: type.name, created: String(row.created), lastModified: String(row.last_modified), version: versionTag(Number(row.version)) },
  } as ScimResource;
  if (type.members && row.members !== undefined) {
    const members = memberRefs(row.members);
    if (members.length > 0) setOwn(resource, type.members.attribute, members);
  }
  type.memberOf.forEach((relation, i) => {
    const refs = containerRefs(row[reverseColumn(i) as `reverse_${number}`]);
    if (refs.length > 0) setOwn(resource, relation.attribute, refs);
  });
  return resource;
}
