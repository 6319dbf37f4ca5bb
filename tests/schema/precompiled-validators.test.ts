import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GENERATED_FILE, generateValidatorsSource } from '../../scripts/generate-validators.js';
import { PRECOMPILED_VALIDATORS } from '../../src/schema/precompiled-validators.js';
import { resourceJsonSchema } from '../../src/schema/resource-json-schema.js';
import { SchemaRegistry } from '../../src/schema/schema-registry.js';
import { defineAttribute } from '../../src/schema/define-attribute.js';

describe('the precompiled validators', () => {
  it('are what scripts/generate-validators.ts writes today (run npm run generate:validators after a schema change)', () => {
    expect(readFileSync(GENERATED_FILE, 'utf8')).toBe(generateValidatorsSource());
  });

  it('cover the built-in resource types, and no schema with a tenant extension', () => {
    const registry = new SchemaRegistry();
    registry.addTenantExtension('acme', 'User', { id: 'urn:example:acme:2.0:User', name: 'Acme', attributes: [defineAttribute('code', 'string')] });
    for (const type of ['User', 'Group']) {
      expect(PRECOMPILED_VALIDATORS.has(JSON.stringify(resourceJsonSchema(registry.resourceSchema('other', type)!))), type).toBe(true);
    }
    expect(PRECOMPILED_VALIDATORS.has(JSON.stringify(resourceJsonSchema(registry.resourceSchema('acme', 'User')!)))).toBe(false);
  });
});
