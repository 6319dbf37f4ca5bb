import { ScimError } from '../error/scim-error.js';

/**
 * Default of `maxResponseBytes`: 4 MiB of rendered JSON per response. Rendering runs in slices, but
 * the last steps of a response (joining its text, writing it) and the garbage it leaves grow with
 * its size: on a 2-core machine under load, responses of about 4 MB kept every turn of the event
 * loop under 50 ms, responses of about 7 MB did not (tests/load/fairness.test.ts).
 */
export const DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

/**
 * The work one response may cost: the bytes of JSON it renders, at most `maxBytes`. Rendering
 * charges each piece as it goes, so a response beyond the budget is refused after about the budget's
 * worth of work, not after all of it.
 */
export class ResponseBudget {
  private used = 0;

  /**
   * @param maxBytes - most bytes of rendered JSON.
   * @param askForLess - how the client can ask for a smaller response, for the error detail.
   */
  constructor(
    readonly maxBytes: number,
    private readonly askForLess: string,
  ) {}

  /** Bytes charged so far. */
  get usedBytes(): number {
    return this.used;
  }

  /**
   * Charges `bytes` of rendered JSON.
   *
   * @throws ScimError 400 `tooMany` once the response is larger than the budget, saying how to ask for less.
   */
  charge(bytes: number): void {
    this.used += bytes;
    if (this.used > this.maxBytes) throw this.refusal();
  }

  /**
   * Refuses at once when `bytes` more (a lower bound of what is still to render) would pass the
   * budget, before any of that work is done; charges nothing.
   *
   * @throws ScimError 400 `tooMany`, as {@link charge}.
   */
  require(bytes: number): void {
    if (this.used + bytes > this.maxBytes) throw this.refusal();
  }

  private refusal(): ScimError {
    return ScimError.badRequest('tooMany', `The response would be larger than ${this.maxBytes} bytes (maxResponseBytes). ${this.askForLess}`);
  }
}

/** A budget that never refuses: for the answers to writes, which have already happened. */
export function unlimitedBudget(): ResponseBudget {
  return new ResponseBudget(Number.POSITIVE_INFINITY, '');
}

/**
 * How a client can ask for a smaller response, for the detail of a refusal: leave out the member
 * lists the response would show, ask for fewer resources per page, or else fewer attributes.
 *
 * @param members - the member attributes the response shows (`members`).
 * @param count - the page size asked for, for a list.
 */
export function askForLess(members: readonly string[], count?: number): string {
  const ways: string[] = [];
  if (members.length > 0) ways.push(`excludedAttributes=${[...new Set(members)].join(',')} leaves the members out`);
  if (count !== undefined && count > 1) ways.push(`a smaller count (this page asked for ${count}) returns fewer resources per page`);
  if (ways.length === 0) ways.push('attributes or excludedAttributes return fewer attributes');
  return `Ask for less: ${ways.join('; ')}.`;
}
