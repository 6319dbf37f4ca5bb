/**
 * Bounds on filter and path text, so hostile input is refused with a 400 instead of exhausting
 * memory or the call stack.
 */
export interface FilterLimits {
  /** Longest accepted text, in UTF-16 code units. Default {@link DEFAULT_FILTER_MAX_LENGTH}. */
  maxLength?: number;
  /**
   * Deepest accepted nesting of parentheses, `not (...)` and value filters `attr[...]`.
   * Default {@link DEFAULT_FILTER_MAX_DEPTH}.
   */
  maxDepth?: number;
}

/** Default {@link FilterLimits.maxLength}. */
export const DEFAULT_FILTER_MAX_LENGTH = 4096;

/** Default {@link FilterLimits.maxDepth}. */
export const DEFAULT_FILTER_MAX_DEPTH = 32;
