import type { AttributeDefinition, AttributeType } from './types.js';

/** The characteristics of {@link defineAttribute} that may be overridden. */
export type AttributeOptions = Partial<Omit<AttributeDefinition, 'name' | 'type'>>;

/**
 * Builds an {@link AttributeDefinition} with the RFC 7643 §2.2 defaults filled in: single-valued,
 * optional, case-insensitive, `readWrite`, returned by `default`, no uniqueness. Only what differs
 * from those defaults needs to be written.
 *
 * @example
 * defineAttribute('badgeNumber', 'string', { uniqueness: 'server' })
 */
export function defineAttribute(name: string, type: AttributeType, options: AttributeOptions = {}): AttributeDefinition {
  return {
    name,
    type,
    multiValued: options.multiValued ?? false,
    ...(options.description !== undefined ? { description: options.description } : {}),
    required: options.required ?? false,
    caseExact: options.caseExact ?? false,
    mutability: options.mutability ?? 'readWrite',
    returned: options.returned ?? 'default',
    uniqueness: options.uniqueness ?? 'none',
    ...(options.canonicalValues !== undefined ? { canonicalValues: options.canonicalValues } : {}),
    ...(options.referenceTypes !== undefined ? { referenceTypes: options.referenceTypes } : {}),
    ...(options.subAttributes !== undefined ? { subAttributes: options.subAttributes } : {}),
  };
}
