import { ScimError } from '../error/scim-error.js';

/** 400 `mutability`: the operation is not compatible with an attribute's mutability. */
export function mutability(detail: string): ScimError {
  return ScimError.badRequest('mutability', detail);
}

/** 400 `invalidValue`: the operation's value is unusable for its target. */
export function invalidValue(detail: string): ScimError {
  return ScimError.badRequest('invalidValue', detail);
}
