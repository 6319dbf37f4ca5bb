import { readFileSync } from 'node:fs';
import type { SchemaDefinition, SchemaRegistry, TenantDefinition } from 'scim-server';
import { demoTenants } from './demo-tenants.js';

/** A tenant as the examples' tenants file holds it: a `StaticTenantResolver` definition and its schema extensions. */
export type TenantFileEntry = TenantDefinition & { extensions?: { resourceType: string; schema: SchemaDefinition; required?: boolean }[] };

/**
 * The tenants of `$SCIM_TENANTS` (a JSON file `{"tenants": [...]}`), or the three demo tenants of
 * examples/multi-tenant.ts when it is not set.
 */
export function loadTenants(): { tenants: TenantFileEntry[]; demo: boolean } {
  const file = process.env.SCIM_TENANTS;
  if (!file) return { tenants: demoTenants(), demo: true };
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { tenants?: unknown };
  if (!parsed || !Array.isArray(parsed.tenants)) throw new Error(`${file}: expected {"tenants": [...]}`);
  return { tenants: parsed.tenants as TenantFileEntry[], demo: false };
}

/** Registers each tenant's schema extensions, for that tenant only. */
export function addTenantExtensions(schemas: SchemaRegistry, tenants: readonly TenantFileEntry[]): void {
  for (const t of tenants) {
    for (const ext of t.extensions ?? []) schemas.addTenantExtension(t.id, ext.resourceType, ext.schema, ext.required ?? false);
  }
}
