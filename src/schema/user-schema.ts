import { defineAttribute } from './define-attribute.js';
import type { AttributeDefinition, SchemaDefinition } from './types.js';

/** URI of the core User schema (RFC 7643 §4.1). */
export const USER_SCHEMA_URI = 'urn:ietf:params:scim:schemas:core:2.0:User';

/** `value`, `display`, `type`, `primary`: the sub-attributes shared by most multi-valued User attributes. */
function plural(
  name: string,
  description: string,
  options: { valueType?: 'string' | 'reference' | 'binary'; referenceTypes?: readonly string[]; types?: readonly string[] } = {},
): AttributeDefinition {
  const valueType = options.valueType ?? 'string';
  return defineAttribute(name, 'complex', {
    multiValued: true,
    description,
    subAttributes: [
      defineAttribute('value', valueType, {
        description: `The ${name} value.`,
        ...(valueType === 'binary' ? { caseExact: true } : {}),
        ...(options.referenceTypes ? { referenceTypes: options.referenceTypes } : {}),
      }),
      defineAttribute('display', 'string', { description: 'Human-readable form of the value, for display only.' }),
      defineAttribute('type', 'string', {
        description: 'Label for the function of this value.',
        ...(options.types ? { canonicalValues: options.types } : {}),
      }),
      defineAttribute('primary', 'boolean', { description: 'Marks the preferred value; true on at most one value.' }),
    ],
  });
}

/**
 * The core User schema of RFC 7643 §4.1, with the characteristics given in its §8.7.1 schema
 * representation. The common attributes (`id`, `externalId`, `meta`) are not listed here; every
 * resource type has them (see `COMMON_ATTRIBUTES`).
 */
export const USER_SCHEMA: SchemaDefinition = {
  id: USER_SCHEMA_URI,
  name: 'User',
  description: 'User Account',
  attributes: [
    defineAttribute('userName', 'string', {
      required: true,
      uniqueness: 'server',
      description: 'Service-provider-unique identifier the user signs in with.',
    }),
    defineAttribute('name', 'complex', {
      description: "Components of the user's real name.",
      subAttributes: [
        defineAttribute('formatted', 'string', { description: 'The full name, formatted for display.' }),
        defineAttribute('familyName', 'string', { description: 'Family (last) name.' }),
        defineAttribute('givenName', 'string', { description: 'Given (first) name.' }),
        defineAttribute('middleName', 'string', { description: 'Middle name(s).' }),
        defineAttribute('honorificPrefix', 'string', { description: 'Title or salutation before the name, such as "Ms."' }),
        defineAttribute('honorificSuffix', 'string', { description: 'Suffix after the name, such as "III".' }),
      ],
    }),
    defineAttribute('displayName', 'string', { description: 'Name shown to end users.' }),
    defineAttribute('nickName', 'string', { description: 'Casual name, which may differ from the given name.' }),
    defineAttribute('profileUrl', 'reference', { referenceTypes: ['external'], description: "URL of the user's online profile." }),
    defineAttribute('title', 'string', { description: 'Job title.' }),
    defineAttribute('userType', 'string', { description: 'Relationship to the organisation, such as "Employee" or "Contractor".' }),
    defineAttribute('preferredLanguage', 'string', { description: 'Preferred written or spoken language (RFC 7231 Accept-Language syntax).' }),
    defineAttribute('locale', 'string', { description: 'Locale for localising currency, dates and numbers, such as "en-US".' }),
    defineAttribute('timezone', 'string', { description: 'IANA time zone name, such as "America/Los_Angeles".' }),
    defineAttribute('active', 'boolean', { description: 'Whether the user is administratively active.' }),
    defineAttribute('password', 'string', {
      mutability: 'writeOnly',
      returned: 'never',
      description: 'Clear-text password, settable by the client and never returned.',
    }),
    plural('emails', 'Email addresses.', { types: ['work', 'home', 'other'] }),
    plural('phoneNumbers', 'Telephone numbers.', { types: ['work', 'home', 'mobile', 'fax', 'pager', 'other'] }),
    plural('ims', 'Instant messaging addresses.', { types: ['aim', 'gtalk', 'icq', 'xmpp', 'msn', 'skype', 'qq', 'yahoo'] }),
    plural('photos', 'URLs of images of the user.', { valueType: 'reference', referenceTypes: ['external'], types: ['photo', 'thumbnail'] }),
    defineAttribute('addresses', 'complex', {
      multiValued: true,
      description: 'Physical mailing addresses.',
      subAttributes: [
        defineAttribute('formatted', 'string', { description: 'The full address, formatted for display or a mailing label.' }),
        defineAttribute('streetAddress', 'string', { description: 'Street, house number and any further street-level lines.' }),
        defineAttribute('locality', 'string', { description: 'City or locality.' }),
        defineAttribute('region', 'string', { description: 'State or region.' }),
        defineAttribute('postalCode', 'string', { description: 'Postal or ZIP code.' }),
        defineAttribute('country', 'string', { description: 'Country, as an ISO 3166-1 alpha-2 code.' }),
        defineAttribute('type', 'string', { canonicalValues: ['work', 'home', 'other'], description: 'Label for the function of this address.' }),
        defineAttribute('primary', 'boolean', { description: 'Marks the preferred address; true on at most one value.' }),
      ],
    }),
    defineAttribute('groups', 'complex', {
      multiValued: true,
      mutability: 'readOnly',
      description: 'Groups the user belongs to, directly or through nested groups. Maintained through the Group resource.',
      subAttributes: [
        defineAttribute('value', 'string', { mutability: 'readOnly', description: 'The id of the group.' }),
        defineAttribute('$ref', 'reference', { mutability: 'readOnly', referenceTypes: ['User', 'Group'], description: 'URI of the group.' }),
        defineAttribute('display', 'string', { mutability: 'readOnly', description: 'Human-readable name of the group.' }),
        defineAttribute('type', 'string', {
          mutability: 'readOnly',
          canonicalValues: ['direct', 'indirect'],
          description: 'Whether the membership is direct or inherited.',
        }),
      ],
    }),
    plural('entitlements', 'Entitlements held by the user.'),
    plural('roles', 'Roles held by the user.'),
    plural('x509Certificates', 'X.509 certificates issued to the user, DER-encoded and base64-coded.', { valueType: 'binary' }),
  ],
};
