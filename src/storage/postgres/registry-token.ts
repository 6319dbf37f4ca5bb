import { ConfigurationError } from '../../tenant/configuration-error.js';

/** The prefix of every token the registry issues: it lets secret scanners and people recognise one. */
export const TOKEN_PREFIX = 'scim_';

function randomBytes(count: number): Uint8Array {
  const bytes = new Uint8Array(count);
  globalThis.crypto.getRandomValues(bytes);
  return bytes;
}

/** A new bearer token: the prefix and 256 random bits in base64url (43 characters). */
export function newToken(): string {
  let binary = '';
  for (const b of randomBytes(32)) binary += String.fromCharCode(b);
  return TOKEN_PREFIX + btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A new token label: `tok-` and 32 random bits in hex. Random, so two processes never pick the same. */
export function newLabel(): string {
  return `tok-${Array.from(randomBytes(4), (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * Checks a token label: 1 to 100 characters, no control characters. A label names a token in
 * listings and audit events and must never be the secret itself.
 *
 * @throws ConfigurationError naming the tenant and `label`.
 */
export function checkLabel(label: unknown, tenantId: string): asserts label is string {
  if (typeof label !== 'string' || label.length === 0 || label.length > 100 || /[\u0000-\u001f\u007f]/.test(label)) {
    throw new ConfigurationError('label', 'must be 1 to 100 characters without control characters', tenantId);
  }
  if (label.startsWith(TOKEN_PREFIX))
    throw new ConfigurationError('label', `must not start with ${TOKEN_PREFIX}: a label is shown, a token is a secret`, tenantId);
}
