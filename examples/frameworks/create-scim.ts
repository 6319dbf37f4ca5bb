/**
 * What every recipe in this folder shares: one ScimServer for the tenants of `$SCIM_TENANTS`, built
 * the same way on every platform so that all of them answer the same requests with the same bytes.
 *
 * `$SCIM_TENANTS` names a JSON file, or holds the JSON itself where there is no file system
 * (Cloudflare Workers, the Next.js edge runtime):
 *   {"tenants":[{"id":"acme","token":"secret-a","permissions":{"maxUsers":2}}]}
 * Each tenant may also carry "extensions": [{"resourceType": "User", "schema": <SCIM schema>}].
 * Without it, the demo tenants of examples/demo-tenants.ts are served.
 *
 * Building the server does nothing random and nothing asynchronous, so it may run at module scope
 * on every runtime, workers included.
 */
import { ScimServer, StaticTenantResolver, TokenBucketRateLimiter, type SchemaDefinition, type TenantDefinition } from 'scim-server';
import { demoTenants } from '../demo-tenants.js';

/** A tenant as `$SCIM_TENANTS` describes it. */
export type TenantSetting = TenantDefinition & { extensions?: { resourceType: string; schema: SchemaDefinition; required?: boolean }[] };

/**
 * The tenants `$SCIM_TENANTS` describes: `value` is JSON text (it starts with `{`) or the path of a
 * JSON file, read with `readTextFile`; without it, the demo tenants.
 */
export function tenantsFrom(value: string | null | undefined, readTextFile?: (path: string) => string): TenantSetting[] {
  if (value === undefined || value === null || value.trim() === '') return demoTenants();
  const text = value.trimStart().startsWith('{') ? value : readTextFile ? readTextFile(value) : undefined;
  if (text === undefined) throw new Error('SCIM_TENANTS must hold the tenants JSON itself on this platform, not a file name');
  const parsed = JSON.parse(text) as { tenants?: unknown };
  if (!parsed || !Array.isArray(parsed.tenants)) throw new Error('SCIM_TENANTS: expected {"tenants": [...]}');
  return parsed.tenants as TenantSetting[];
}

/** The SCIM server every recipe serves under `/scim/v2`. */
export function createScim(tenants: readonly TenantSetting[]): ScimServer {
  const scim = new ScimServer({
    // The resolver takes the definitions; the extensions are registered below.
    tenantResolver: new StaticTenantResolver(tenants.map(({ extensions: _extensions, ...definition }) => definition)),
    rateLimiter: new TokenBucketRateLimiter(),
    onError: (error, { requestId }) => console.error(`request ${requestId} failed:`, error),
  });
  for (const t of tenants) {
    for (const ext of t.extensions ?? []) scim.schemas.addTenantExtension(t.id, ext.resourceType, ext.schema, ext.required ?? false);
  }
  return scim;
}
