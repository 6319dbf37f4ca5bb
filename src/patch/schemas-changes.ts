import { isObject } from '../schema/json-object.js';
import type { PatchOperation } from './patch-request.js';
import type { PatchDraft } from './patch-draft.js';
import { invalidValue, mutability } from './patch-errors.js';

/** The canonical spelling of a schema URI of the resource type; 400 `invalidValue` for any other. */
function knownSchemaUri(draft: PatchDraft, value: unknown): string {
  if (typeof value !== 'string') throw invalidValue('"schemas" holds schema URIs (strings)');
  const lower = value.toLowerCase();
  const found = draft.schema.schemaUris.find((u) => u.toLowerCase() === lower);
  if (!found) throw invalidValue(`"${value.slice(0, 200)}" is not a schema of a ${draft.schema.resourceType.name}`);
  return found;
}

function listSchemaIfNeeded(draft: PatchDraft, uri: string): void {
  const schemas = draft.root.schemas;
  const lower = uri.toLowerCase();
  if (Array.isArray(schemas) && schemas.some((s) => typeof s === 'string' && s.toLowerCase() === lower)) return;
  draft.listSchema(uri);
}

/** Adds the listed URIs to `schemas` (what a path-less value's `schemas` can do). */
export function mergeSchemas(draft: PatchDraft, value: unknown): void {
  const list = Array.isArray(value) ? value : [value];
  const uris = list.map((v) => knownSchemaUri(draft, v));
  const before = draft.root.schemas;
  for (const uri of uris) listSchemaIfNeeded(draft, uri);
  if (draft.root.schemas !== before) draft.touch('schemas');
}

/** An operation whose path is `schemas`: add lists URIs, replace sets the list, remove drops extensions. */
export function applySchemas(draft: PatchDraft, op: PatchOperation['op'], value: unknown, hasValue: boolean): void {
  const core = draft.schema.core.id;
  if (op === 'remove') {
    if (!hasValue) throw mutability('"schemas" cannot be removed');
    if (!draft.tol.removeValueList) throw invalidValue('"remove" takes no "value"');
    const list = Array.isArray(value) ? value : [value];
    for (const v of list) {
      const uri = knownSchemaUri(draft, v);
      if (uri === core) throw mutability(`"${uri}" is the core schema and cannot be removed`);
      removeExtension(draft, uri);
    }
    return;
  }
  if (op === 'add') {
    mergeSchemas(draft, value);
    return;
  }
  const list = Array.isArray(value) ? value : [value];
  const uris = list.map((v) => knownSchemaUri(draft, v));
  if (!uris.includes(core)) throw invalidValue(`"schemas" must list the core schema "${core}"`);
  for (const ext of draft.schema.extensions) {
    if (!uris.includes(ext.schema.id)) removeExtension(draft, ext.schema.id);
  }
  mergeSchemas(draft, uris);
}

/** Removes a whole extension (its object and its URI in `schemas`); a required one is 400 `mutability`. */
export function removeExtension(draft: PatchDraft, uri: string): void {
  const required = draft.schema.extensions.find((e) => e.schema.id === uri)?.required === true;
  const present = isObject(draft.root[uri]);
  const schemas = draft.root.schemas;
  const listed = Array.isArray(schemas) && schemas.some((s) => typeof s === 'string' && s.toLowerCase() === uri.toLowerCase());
  if (!present && !listed) return;
  if (required) throw mutability(`The extension "${uri}" is required and cannot be removed`);
  const root = draft.writableRoot();
  delete root[uri];
  draft.unlistSchema(uri);
  draft.touch(uri);
}
