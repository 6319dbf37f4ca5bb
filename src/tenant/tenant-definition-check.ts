import { arrayOf, type Check, either, fail, isPlainObject, isString, objectOf, oneOf } from './config-check.js';
import { ConfigurationError } from './configuration-error.js';
import { checkTenantPermissions } from './permissions-check.js';
import { checkTenantSettings } from './settings-check.js';
import type { TenantDefinition } from './static-tenant-resolver.js';

const HEX_DIGEST = /^[0-9a-fA-F]{64}$/;

/** A SHA-256 digest in hex: anything else could never equal a token's digest. */
const digest: Check = (value, key, tenantId) => {
  if (typeof value !== 'string' || !HEX_DIGEST.test(value)) fail(key, 'a SHA-256 digest in hex (64 characters)', value, tenantId);
};

/** A token, plain or labelled (`{ token, label }`). */
const token = either(isString(), objectOf({ token: isString(), label: isString() }, 'a key of a labelled token'), 'a non-empty string or { token, label }');
/** A digest, plain or labelled (`{ hash, label }`). */
const tokenHash = either(
  digest,
  objectOf({ hash: digest, label: isString() }, 'a key of a labelled digest'),
  'a SHA-256 digest in hex (64 characters) or { hash, label }',
);

/** Every key of a tenant definition and how its value is checked. */
const DEFINITION: { readonly [K in keyof Required<TenantDefinition>]: Check } = {
  id: isString(),
  token: isString(),
  tokens: arrayOf(token, 'tokens'),
  tokenHashes: arrayOf(tokenHash, 'SHA-256 digests'),
  clientId: isString(),
  isolationLevel: oneOf(['strict', 'standard', 'shared']),
  permissions: (value, _key, tenantId) => checkTenantPermissions(value, tenantId),
  settings: (value, _key, tenantId) => checkTenantSettings(value, tenantId),
};

const checkDefinition = objectOf(DEFINITION, 'a tenant definition key');

/**
 * Checks one tenant definition of a {@link StaticTenantResolver}: its keys, the types of its values,
 * and that it can be reached (at least one token, token in `tokens` or digest in `tokenHashes`).
 * `where` names the definition until its id is known (`tenants[2]`).
 *
 * @throws ConfigurationError naming the tenant and the key.
 */
export function checkTenantDefinition(definition: unknown, where: string): asserts definition is TenantDefinition {
  if (!isPlainObject(definition)) fail(where, 'a tenant definition (an object with an id and a token)', definition, undefined);
  const id = definition.id;
  if (typeof id !== 'string' || id.length === 0) fail(`${where}.id`, 'a non-empty string', id, undefined);
  checkDefinition(definition, '', id);
  const credentials = [definition.token, ...((definition.tokens as unknown[] | undefined) ?? []), ...((definition.tokenHashes as unknown[] | undefined) ?? [])];
  if (credentials.every((c) => c === undefined)) {
    throw new ConfigurationError('token', 'is missing: without token, tokens or tokenHashes no request can ever reach this tenant', id);
  }
}
