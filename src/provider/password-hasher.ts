import { pbkdf2PasswordHasher } from './pbkdf2-password-hasher.js';

/**
 * Turns a password into the value storage keeps, and checks a password against that value.
 *
 * The standard provider hashes every attribute a schema makes a secret (`mutability: writeOnly` and
 * `returned: never`, as RFC 7643 does for `password`) before any storage sees it: storage only ever
 * holds what `hash` returned. The default is {@link pbkdf2PasswordHasher}; give the server a
 * `passwordHasher` to use another (argon2 or scrypt on Node, a product's own credential format).
 */
export interface PasswordHasher {
  /** The value to store for `password`: salted, slow to compute, and self-describing. */
  hash(password: string): Promise<string>;
  /**
   * True when `password` is the one `stored` was made from; false for anything else, including a
   * value this hasher did not make. Compares in constant time.
   */
  verify(password: string, stored: string): Promise<boolean>;
}

/** The hasher used when none is given: {@link pbkdf2PasswordHasher} with its defaults. */
export function defaultPasswordHasher(): PasswordHasher {
  return pbkdf2PasswordHasher();
}

/**
 * Checks a password against the value stored for it, for applications that sign users in with
 * passwords an identity provider set through SCIM. `stored` is the user's `password` as storage
 * holds it (`ScimOperationHandler.verifyPassword` reads it for you); `hasher` is the one the server
 * uses, by default the PBKDF2 one.
 */
export function verifyPassword(password: string, stored: string, hasher: PasswordHasher = defaultPasswordHasher()): Promise<boolean> {
  return hasher.verify(password, stored);
}
