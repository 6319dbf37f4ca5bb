import { ENTERPRISE_USER_SCHEMA_URI } from './enterprise-user-schema.js';
import { GROUP_SCHEMA_URI } from './group-schema.js';
import type { ResourceTypeDefinition } from './types.js';
import { USER_SCHEMA_URI } from './user-schema.js';

/** The User resource type (RFC 7643 §6), with the Enterprise User extension as optional. */
export const USER_RESOURCE_TYPE: ResourceTypeDefinition = {
  id: 'User',
  name: 'User',
  endpoint: '/Users',
  description: 'User Account',
  schema: USER_SCHEMA_URI,
  schemaExtensions: [{ schema: ENTERPRISE_USER_SCHEMA_URI, required: false }],
};

/**
 * The Group resource type (RFC 7643 §6). Its `members` are Users and Groups; a User lists the
 * groups it belongs to directly in `groups` (a Group's schema has no `groups`, so nested groups show
 * only on the containing side).
 */
export const GROUP_RESOURCE_TYPE: ResourceTypeDefinition = {
  id: 'Group',
  name: 'Group',
  endpoint: '/Groups',
  description: 'Group',
  schema: GROUP_SCHEMA_URI,
  membership: { attribute: 'members', memberTypes: ['User', 'Group'], reverseAttribute: 'groups', displayAttribute: 'displayName' },
};
