import { ConfigurationError } from '../tenant/configuration-error.js';
import { constantTimeEqual } from '../tenant/token-hash.js';
import type { PasswordHasher } from './password-hasher.js';

/**
 * PBKDF2-HMAC-SHA-256 iterations used by default: 600,000, OWASP's Password Storage Cheat Sheet
 * figure for PBKDF2-HMAC-SHA256 (2023). About 0.1 s per password on one core of a current server,
 * spent on the runtime's crypto thread, not on the event loop.
 */
export const DEFAULT_PBKDF2_ITERATIONS = 600_000;

/**
 * The most iterations Cloudflare Workers computes in production: it refuses PBKDF2 above 100,000
 * (workerd issue 1346; a local workerd has no limit). The default there, since a higher count would
 * fail every password.
 */
export const WORKERS_PBKDF2_ITERATIONS = 100_000;

/** The most iterations a stored value may ask for: more is refused as a tampered value, not computed. */
const MAX_ITERATIONS = 10_000_000;

/** The identifier that starts every stored value of this hasher. */
export const PBKDF2_SHA256_ID = 'pbkdf2-sha256';

/** Options of {@link pbkdf2PasswordHasher}. */
export interface Pbkdf2PasswordHasherOptions {
  /**
   * Iterations for new hashes. Defaults to {@link DEFAULT_PBKDF2_ITERATIONS}, or
   * {@link WORKERS_PBKDF2_ITERATIONS} on Cloudflare Workers. Stored values keep their own count, so
   * raising it later leaves older passwords verifiable.
   */
  iterations?: number;
  /** Bytes of random salt per password (default 16). */
  saltBytes?: number;
}

const encoder = new TextEncoder();

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/=+$/, '');
}

function fromBase64(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9+/]+$/.test(text)) return undefined;
  try {
    const binary = atob(text + '='.repeat((4 - (text.length % 4)) % 4));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}

/** The iterations to use here: the Workers cap on Cloudflare Workers, OWASP's figure elsewhere. */
function defaultIterations(): number {
  const agent = (globalThis as { navigator?: { userAgent?: unknown } }).navigator?.userAgent;
  return agent === 'Cloudflare-Workers' ? WORKERS_PBKDF2_ITERATIONS : DEFAULT_PBKDF2_ITERATIONS;
}

async function derive(password: string, salt: Uint8Array, iterations: number, bytes: number): Promise<Uint8Array> {
  const subtle = globalThis.crypto.subtle;
  const key = await subtle.importKey('raw', encoder.encode(password), 'PBKDF2', false, ['deriveBits']);
  const bits = await subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: salt as BufferSource, iterations }, key, bytes * 8);
  return new Uint8Array(bits);
}

/** A stored value's parts, or undefined when it is not one of this hasher's. */
function parse(stored: string): { iterations: number; salt: Uint8Array; hash: Uint8Array } | undefined {
  const parts = stored.split('$');
  if (parts.length !== 5 || parts[0] !== '' || parts[1] !== PBKDF2_SHA256_ID) return undefined;
  const m = /^i=([1-9][0-9]{0,7})$/.exec(parts[2] ?? '');
  const salt = fromBase64(parts[3] ?? '');
  const hash = fromBase64(parts[4] ?? '');
  if (!m || !salt || !hash || salt.length < 8 || hash.length < 16 || Number(m[1]) > MAX_ITERATIONS) return undefined;
  return { iterations: Number(m[1]), salt, hash };
}

/**
 * The default {@link PasswordHasher}: PBKDF2-HMAC-SHA-256 from Web Crypto, which Node, Deno, Bun,
 * Cloudflare Workers and browsers all have, with a random salt per password. A stored value
 * describes itself, `$pbkdf2-sha256$i=600000$<salt>$<hash>` (salt and hash in unpadded base64, as in
 * the PHC string format), so the iteration count can change without making older values
 * unverifiable.
 *
 * @throws ConfigurationError naming `iterations` or `saltBytes` when it is not a usable whole number.
 */
export function pbkdf2PasswordHasher(options: Pbkdf2PasswordHasherOptions = {}): PasswordHasher {
  const iterations = options.iterations ?? defaultIterations();
  const saltBytes = options.saltBytes ?? 16;
  if (!Number.isSafeInteger(iterations) || iterations < 1 || iterations > MAX_ITERATIONS) {
    throw new ConfigurationError('iterations', `must be a whole number from 1 to ${MAX_ITERATIONS}, not ${String(iterations)}`);
  }
  if (!Number.isSafeInteger(saltBytes) || saltBytes < 8 || saltBytes > 64) {
    throw new ConfigurationError('saltBytes', `must be a whole number from 8 to 64, not ${String(saltBytes)}`);
  }
  return {
    async hash(password) {
      const salt = globalThis.crypto.getRandomValues(new Uint8Array(saltBytes));
      const hash = await derive(password, salt, iterations, 32);
      return `$${PBKDF2_SHA256_ID}$i=${iterations}$${toBase64(salt)}$${toBase64(hash)}`;
    },
    async verify(password, stored) {
      const parts = typeof stored === 'string' ? parse(stored) : undefined;
      if (!parts) return false;
      const hash = await derive(password, parts.salt, parts.iterations, parts.hash.length);
      return constantTimeEqual(toBase64(hash), toBase64(parts.hash));
    },
  };
}
