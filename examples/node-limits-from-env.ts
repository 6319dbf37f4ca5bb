import type { NodeServerLimits } from 'scim-server/node';

/** The server's limits from the environment: `SCIM_HEADERS_TIMEOUT_MS` sets `headersTimeoutMs`, and so on. */
export function limitsFromEnv(): NodeServerLimits {
  const names: Record<keyof NodeServerLimits, string> = {
    headersTimeoutMs: 'SCIM_HEADERS_TIMEOUT_MS',
    requestTimeoutMs: 'SCIM_REQUEST_TIMEOUT_MS',
    keepAliveTimeoutMs: 'SCIM_KEEP_ALIVE_TIMEOUT_MS',
    idleTimeoutMs: 'SCIM_IDLE_TIMEOUT_MS',
    maxHeaderBytes: 'SCIM_MAX_HEADER_BYTES',
    maxConnections: 'SCIM_MAX_CONNECTIONS',
  };
  const limits: NodeServerLimits = {};
  for (const [key, name] of Object.entries(names) as [keyof NodeServerLimits, string][]) {
    const value = process.env[name];
    if (value === undefined || value === '') continue;
    if (!/^\d+$/.test(value))
      throw new Error(
        `${name} must be a whole number of ${key.endsWith('Ms') ? 'milliseconds' : key === 'maxHeaderBytes' ? 'bytes' : 'connections'}: ${value}`,
      );
    limits[key] = Number(value);
  }
  return limits;
}
