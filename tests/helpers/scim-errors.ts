import { isScimError, type ScimError } from '../../src/index.js';

/** Runs `fn` and returns the ScimError it throws; fails the test when it throws nothing or something else. */
export function errorOf(fn: () => unknown): ScimError {
  try {
    fn();
  } catch (e) {
    if (isScimError(e)) return e;
    throw e;
  }
  throw new Error('expected a ScimError');
}
