import type { ResourceSchema } from '../schema/resource-schema.js';
import type { AttributeDefinition, ScimObject } from '../schema/types.js';
import type { PasswordHasher } from './password-hasher.js';

/** An attribute whose value is a secret, and where it sits in a resource. */
export interface SecretAttribute {
  /** The extension URI whose object holds it, or undefined for a core attribute. */
  readonly uri: string | undefined;
  readonly name: string;
}

/** A secret by RFC 7643's characteristics: a string the client can write and never read back (`password`). */
function isSecret(attribute: AttributeDefinition): boolean {
  return attribute.type === 'string' && !attribute.multiValued && attribute.mutability === 'writeOnly' && attribute.returned === 'never';
}

const cache = new WeakMap<ResourceSchema, readonly SecretAttribute[]>();

/** The secret attributes of a resource type's schemas, core and extensions. */
export function secretAttributes(schema: ResourceSchema): readonly SecretAttribute[] {
  let found = cache.get(schema);
  if (!found) {
    const out: SecretAttribute[] = [];
    for (const a of schema.core.attributes) if (isSecret(a)) out.push({ uri: undefined, name: a.name });
    for (const { schema: ext } of schema.extensions) {
      for (const a of ext.attributes) if (isSecret(a)) out.push({ uri: ext.id, name: a.name });
    }
    found = out;
    cache.set(schema, found);
  }
  return found;
}

/** The object that holds a secret in `resource` (the resource, or its extension object), if any. */
function holderOf(resource: ScimObject, secret: SecretAttribute): ScimObject | undefined {
  if (secret.uri === undefined) return resource;
  const ext = resource[secret.uri];
  return typeof ext === 'object' && ext !== null && !Array.isArray(ext) ? (ext as ScimObject) : undefined;
}

/** The value of a secret in `resource`, if it holds one. */
export function secretValue(resource: ScimObject, secret: SecretAttribute): unknown {
  return holderOf(resource, secret)?.[secret.name];
}

/**
 * Hashes, in place, the secrets of a canonical resource that `which` selects (every one by
 * default), so that storage receives their hashes only. One `hash` call per distinct value through
 * `memo`, so that a write retried after a lost race does not pay for hashing again.
 */
export async function hashSecrets(
  resource: ScimObject,
  secrets: readonly SecretAttribute[],
  hasher: PasswordHasher,
  memo: Map<string, Promise<string>>,
  which: (secret: SecretAttribute) => boolean = () => true,
): Promise<void> {
  for (const secret of secrets) {
    if (!which(secret)) continue;
    const holder = holderOf(resource, secret);
    const value = holder?.[secret.name];
    if (!holder || typeof value !== 'string') continue;
    let hashed = memo.get(value);
    if (!hashed) {
      hashed = hasher.hash(value);
      memo.set(value, hashed);
    }
    holder[secret.name] = await hashed;
  }
}
