/**
 * Checks a `LISTEN` channel name: a lower-case identifier (letters, digits, `_`), which `LISTEN`
 * takes unquoted and `pg_notify` names alike. PGlite interpolates the name as it is given.
 *
 * @throws TypeError for any other name.
 */
export function checkChannel(channel: string): void {
  if (typeof channel !== 'string' || !/^[a-z_][a-z0-9_]{0,62}$/.test(channel)) {
    throw new TypeError(`a notification channel must be a lower-case identifier, got ${JSON.stringify(channel)}`);
  }
}
