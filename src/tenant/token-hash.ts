/**
 * Tokens are kept only as SHA-256 digests and compared in constant time. The digest comes from
 * `node:crypto` where the runtime offers it synchronously (Node 20.16 and newer, Bun, Deno, and
 * Workers with `nodejs_compat`), and from Web Crypto everywhere else, so the same code runs on
 * every runtime; both give the same digest.
 */

/** A synchronous SHA-256 of a token, as lower-case hex. */
export type SyncTokenHasher = (token: string) => string;

/** What this file needs of `node:crypto`: the one-shot `hash` (Node 20.12+, Bun, Deno) or `createHash`. */
interface NodeCryptoLike {
  hash?: (algorithm: string, data: string, encoding: 'hex') => string;
  createHash?: (algorithm: string) => { update(data: string, encoding: 'utf8'): { digest(encoding: 'hex'): string } };
}

/** `process.getBuiltinModule`, where the runtime has it. */
interface ProcessLike {
  getBuiltinModule?: (id: string) => unknown;
}

/**
 * The runtime's synchronous SHA-256, or undefined where there is none (browsers, Workers without
 * `nodejs_compat`, Node before 20.16). Looked up when called, never at module scope.
 */
export function syncTokenHasher(): SyncTokenHasher | undefined {
  const proc = (globalThis as { process?: ProcessLike }).process;
  if (typeof proc?.getBuiltinModule !== 'function') return undefined;
  let crypto: NodeCryptoLike | undefined;
  try {
    crypto = proc.getBuiltinModule('node:crypto') as NodeCryptoLike | undefined;
  } catch {
    return undefined;
  }
  const { hash, createHash } = crypto ?? {};
  if (typeof hash === 'function') return (token) => hash('sha256', token, 'hex');
  if (typeof createHash === 'function') return (token) => createHash('sha256').update(token, 'utf8').digest('hex');
  return undefined;
}

const encoder = new TextEncoder();

/** Lower-case hex SHA-256 of a token through Web Crypto. */
export async function webCryptoHash(token: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', encoder.encode(token));
  return toHex(new Uint8Array(digest));
}

/** Lower-case hex SHA-256 of a token. Store this instead of the token itself. */
export async function hashToken(token: string): Promise<string> {
  const sync = syncTokenHasher();
  return sync ? sync(token) : webCryptoHash(token);
}

function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

/** Compares two strings in time that depends only on their lengths. */
export function constantTimeEqual(a: string, b: string): boolean {
  const len = Math.max(a.length, b.length);
  let diff = a.length ^ b.length;
  for (let i = 0; i < len; i++) {
    diff |= (a.charCodeAt(i) | 0) ^ (b.charCodeAt(i) | 0);
  }
  return diff === 0;
}
