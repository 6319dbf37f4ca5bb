import { ScimError } from '../error/scim-error.js';
import type { ScimType } from '../error/scim-error.js';
import { parseAttributePath } from '../schema/attribute-path.js';
import type { AttrPath } from '../schema/types.js';
import type { CompareOperator, FilterNode, FilterValue, PatchPath } from './ast.js';
import { DEFAULT_FILTER_MAX_DEPTH, DEFAULT_FILTER_MAX_LENGTH } from './filter-limits.js';
import type { FilterLimits } from './filter-limits.js';

/**
 * Nesting never goes deeper than this, whatever the limits say: it keeps recursive descent (and
 * everything that later walks the tree) far away from the engine's call-stack limit.
 */
const HARD_MAX_DEPTH = 1000;

const OPERATORS: ReadonlySet<string> = new Set(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']);

const CH_SPACE = 32;
const CH_TAB = 9;
const CH_LF = 10;
const CH_CR = 13;
const CH_QUOTE = 34;
const CH_DOLLAR = 36;
const CH_LPAREN = 40;
const CH_RPAREN = 41;
const CH_MINUS = 45;
const CH_DOT = 46;
const CH_0 = 48;
const CH_9 = 57;
const CH_COLON = 58;
const CH_LBRACKET = 91;
const CH_BACKSLASH = 92;
const CH_RBRACKET = 93;
const CH_UNDERSCORE = 95;

function isAlpha(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isDigit(c: number): boolean {
  return c >= CH_0 && c <= CH_9;
}

function isWhitespace(c: number): boolean {
  return c === CH_SPACE || c === CH_TAB || c === CH_LF || c === CH_CR;
}

/** Characters of an attribute path without a URN prefix: ATTRNAME, `$ref`, and the `.` before a sub-attribute. */
function isPathChar(c: number): boolean {
  return isAlpha(c) || isDigit(c) || c === CH_MINUS || c === CH_UNDERSCORE || c === CH_DOLLAR || c === CH_DOT;
}

/** Characters of a path with a URN prefix (`urn:...:2.0:User:name.givenName`). */
function isUrnPathChar(c: number): boolean {
  return isPathChar(c) || c === CH_COLON;
}

/** Characters after which a keyword or operator ends. */
function isWordChar(c: number): boolean {
  return isPathChar(c) || c === CH_COLON;
}

/** How the parser reports an error: which scimType, and what to call the text. */
interface Mode {
  readonly scimType: ScimType;
  readonly noun: 'filter' | 'path';
}

const FILTER_MODE: Mode = { scimType: 'invalidFilter', noun: 'filter' };
const PATH_MODE: Mode = { scimType: 'invalidPath', noun: 'path' };

/**
 * Hand-written scanner and recursive-descent parser for RFC 7644 §3.4.2.2 filters and §3.5.2 paths.
 * Positions in error details are 1-based character offsets into the text.
 */
class Parser {
  private pos = 0;
  private readonly text: string;
  private readonly mode: Mode;
  private readonly maxDepth: number;

  constructor(text: string, mode: Mode, maxDepth: number) {
    this.text = text;
    this.mode = mode;
    this.maxDepth = maxDepth;
  }

  // ---- errors -------------------------------------------------------------------------------

  private error(at: number, message: string): ScimError {
    const noun = this.mode.noun;
    return ScimError.badRequest(this.mode.scimType, `Invalid ${noun} at position ${at + 1}: ${message}`);
  }

  private expected(at: number, what: string): ScimError {
    return this.error(at, `expected ${what}, found ${this.describe(at)}`);
  }

  /** A short, quoted rendering of the token at `at`, for error details. */
  private describe(at: number): string {
    const t = this.text;
    if (at >= t.length) return `end of ${this.mode.noun}`;
    const c = t.charCodeAt(at);
    if (c === CH_LPAREN || c === CH_RPAREN || c === CH_LBRACKET || c === CH_RBRACKET) return JSON.stringify(t[at]);
    let end = at + 1;
    if (c === CH_QUOTE) {
      while (end < t.length && t.charCodeAt(end) !== CH_QUOTE) end++;
      end = Math.min(end + 1, t.length);
    } else {
      while (end < t.length) {
        const d = t.charCodeAt(end);
        if (isWhitespace(d) || d === CH_LPAREN || d === CH_RPAREN || d === CH_LBRACKET || d === CH_RBRACKET || d === CH_QUOTE) break;
        end++;
      }
    }
    const token = t.slice(at, end);
    return JSON.stringify(token.length > 40 ? `${token.slice(0, 40)}...` : token);
  }

  private enter(depth: number, at: number): number {
    const next = depth + 1;
    if (next > this.maxDepth) {
      throw this.error(at, `nesting is deeper than the limit of ${this.maxDepth} levels`);
    }
    return next;
  }

  // ---- scanning -----------------------------------------------------------------------------

  private skipWhitespace(): void {
    const t = this.text;
    while (this.pos < t.length && isWhitespace(t.charCodeAt(this.pos))) this.pos++;
  }

  private atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  private peek(): number {
    return this.pos < this.text.length ? this.text.charCodeAt(this.pos) : -1;
  }

  /** True when `word` (lower case) starts at `at`, case-insensitively, and is not part of a longer word. */
  private keywordAt(at: number, word: string): boolean {
    const t = this.text;
    if (at + word.length > t.length) return false;
    for (let i = 0; i < word.length; i++) {
      let c = t.charCodeAt(at + i);
      if (c >= 65 && c <= 90) c += 32;
      if (c !== word.charCodeAt(i)) return false;
    }
    const after = at + word.length;
    return after >= t.length || !isWordChar(t.charCodeAt(after));
  }

  /** Reads a run of ASCII letters at the current position, lower-cased; empty when there is none. */
  private readWord(): string {
    const t = this.text;
    const start = this.pos;
    while (this.pos < t.length && isAlpha(t.charCodeAt(this.pos))) this.pos++;
    return t.slice(start, this.pos).toLowerCase();
  }

  // ---- grammar ------------------------------------------------------------------------------

  /** Whole filter: `FILTER` followed by the end of the text. */
  parseWholeFilter(): FilterNode {
    const node = this.parseOr(0, false);
    this.skipWhitespace();
    if (!this.atEnd()) throw this.expected(this.pos, '"and", "or" or the end of the filter');
    return node;
  }

  /** Whole PATCH path: `attrPath / valuePath [subAttr]` followed by the end of the text. */
  parseWholePath(): PatchPath {
    this.skipWhitespace();
    const path = this.parseAttrPath();
    let result: PatchPath = { path };
    if (this.peek() === CH_LBRACKET) {
      if (path.sub !== undefined) {
        throw this.error(this.pos, 'a value filter must follow a multi-valued attribute, not a sub-attribute');
      }
      const open = this.pos;
      this.pos++;
      const filter = this.parseOr(this.enter(0, open), true);
      this.skipWhitespace();
      if (this.peek() !== CH_RBRACKET) throw this.expected(this.pos, '"]"');
      this.pos++;
      result = { path, filter };
      if (this.peek() === CH_DOT) {
        this.pos++;
        result = { path, filter, subAttr: this.parseSubAttrName() };
      }
    }
    this.skipWhitespace();
    if (!this.atEnd()) throw this.expected(this.pos, 'the end of the path');
    return result;
  }

  private parseOr(depth: number, inValueFilter: boolean): FilterNode {
    const first = this.parseAnd(depth, inValueFilter);
    if (!this.nextKeyword('or')) return first;
    const terms: FilterNode[] = [first];
    do terms.push(this.parseAnd(depth, inValueFilter));
    while (this.nextKeyword('or'));
    return balance('or', terms, 0, terms.length);
  }

  private parseAnd(depth: number, inValueFilter: boolean): FilterNode {
    const first = this.parseUnary(depth, inValueFilter);
    if (!this.nextKeyword('and')) return first;
    const terms: FilterNode[] = [first];
    do terms.push(this.parseUnary(depth, inValueFilter));
    while (this.nextKeyword('and'));
    return balance('and', terms, 0, terms.length);
  }

  /** Consumes `word` (and the whitespace before it) when it comes next; otherwise moves nothing. */
  private nextKeyword(word: 'and' | 'or'): boolean {
    const save = this.pos;
    this.skipWhitespace();
    if (this.keywordAt(this.pos, word)) {
      this.pos += word.length;
      return true;
    }
    this.pos = save;
    return false;
  }

  private parseUnary(depth: number, inValueFilter: boolean): FilterNode {
    this.skipWhitespace();
    const start = this.pos;
    const c = this.peek();
    if (c === CH_LPAREN) {
      const inner = this.enter(depth, start);
      this.pos++;
      const node = this.parseOr(inner, inValueFilter);
      this.expectClose(CH_RPAREN, '")"');
      return node;
    }
    if (this.keywordAt(start, 'not')) {
      let p = start + 3;
      while (p < this.text.length && isWhitespace(this.text.charCodeAt(p))) p++;
      if (this.text.charCodeAt(p) === CH_LPAREN) {
        const inner = this.enter(depth, start);
        this.pos = p + 1;
        const filter = this.parseOr(inner, inValueFilter);
        this.expectClose(CH_RPAREN, '")"');
        return { kind: 'not', filter };
      }
      // `not` may still be an attribute named "not" (`not eq "x"`); otherwise it lacks its "(".
      if (!this.operatorFollows(start + 3)) throw this.expected(p, '"(" after "not"');
    }
    if (c === -1 || !(isAlpha(c) || c === CH_DOLLAR)) {
      throw this.expected(start, 'an attribute path, "(" or "not"');
    }
    return this.parseAttrExp(depth, inValueFilter);
  }

  /** True when the next word after `at` (past whitespace) is a comparison operator or `pr`. */
  private operatorFollows(at: number): boolean {
    let p = at;
    while (p < this.text.length && isWhitespace(this.text.charCodeAt(p))) p++;
    if (p === at) return false;
    return this.operatorAt(p) !== undefined;
  }

  private expectClose(ch: number, shown: string): void {
    this.skipWhitespace();
    if (this.peek() !== ch) throw this.expected(this.pos, shown);
    this.pos++;
  }

  /** `attrPath`, with or without a URN prefix. */
  private parseAttrPath(): AttrPath {
    const t = this.text;
    const start = this.pos;
    let end = start;
    if (this.keywordPrefixAt(start, 'urn:')) {
      while (end < t.length && isUrnPathChar(t.charCodeAt(end))) end++;
    } else {
      // The common case, `attr` or `attr.sub`, is read without building intermediate strings.
      const attrEnd = this.attrNameEnd(start);
      if (attrEnd > start) {
        let next = t.charCodeAt(attrEnd);
        if (next !== CH_DOT && !isPathChar(next)) {
          this.pos = attrEnd;
          return { attr: t.slice(start, attrEnd) };
        }
        if (next === CH_DOT) {
          const subEnd = this.attrNameEnd(attrEnd + 1);
          next = t.charCodeAt(subEnd);
          if (subEnd > attrEnd + 1 && !isPathChar(next)) {
            this.pos = subEnd;
            return { attr: t.slice(start, attrEnd), sub: t.slice(attrEnd + 1, subEnd) };
          }
        }
      }
      while (end < t.length && isPathChar(t.charCodeAt(end))) end++;
    }
    if (end === start) throw this.expected(start, 'an attribute path');
    const token = t.slice(start, end);
    const path = parseAttributePath(token);
    if (!path) throw this.error(start, `expected an attribute path, found ${JSON.stringify(token)}, which is not a valid one`);
    this.pos = end;
    return path;
  }

  /** End of an ATTRNAME (RFC 7643 §2.1, or `$ref`) starting at `at`; `at` itself when there is none. */
  private attrNameEnd(at: number): number {
    const t = this.text;
    const first = t.charCodeAt(at);
    if (first === CH_DOLLAR) return t.startsWith('$ref', at) && !isPathChar(t.charCodeAt(at + 4)) ? at + 4 : at;
    if (!isAlpha(first)) return at;
    let end = at + 1;
    while (end < t.length) {
      const c = t.charCodeAt(end);
      if (!(isAlpha(c) || isDigit(c) || c === CH_MINUS || c === CH_UNDERSCORE)) break;
      end++;
    }
    return end;
  }

  /** True when `prefix` (lower case) starts at `at`, case-insensitively. */
  private keywordPrefixAt(at: number, prefix: string): boolean {
    const t = this.text;
    if (at + prefix.length > t.length) return false;
    for (let i = 0; i < prefix.length; i++) {
      let c = t.charCodeAt(at + i);
      if (c >= 65 && c <= 90) c += 32;
      if (c !== prefix.charCodeAt(i)) return false;
    }
    return true;
  }

  /** ATTRNAME after the `.` that follows a value filter. */
  private parseSubAttrName(): string {
    const t = this.text;
    const start = this.pos;
    let end = start;
    const first = t.charCodeAt(end);
    if (first === CH_DOLLAR || isAlpha(first)) {
      end++;
      while (end < t.length) {
        const c = t.charCodeAt(end);
        if (!(isAlpha(c) || isDigit(c) || c === CH_MINUS || c === CH_UNDERSCORE)) break;
        end++;
      }
    }
    const name = t.slice(start, end);
    if (!name || (name.startsWith('$') && name !== '$ref')) throw this.expected(start, 'a sub-attribute name');
    this.pos = end;
    return name;
  }

  /** `attrPath pr`, `attrPath op value`, `attrPath[valFilter]`, `attrPath[valFilter].sub op value`. */
  private parseAttrExp(depth: number, inValueFilter: boolean): FilterNode {
    const path = this.parseAttrPath();
    if (this.peek() !== CH_LBRACKET) return this.parseComparisonTail(path);

    const open = this.pos;
    if (inValueFilter) throw this.error(open, 'value filters cannot be nested');
    if (path.sub !== undefined) {
      throw this.error(open, 'a value filter must follow a multi-valued attribute, not a sub-attribute');
    }
    const inner = this.enter(depth, open);
    this.pos++;
    const filter = this.parseOr(inner, true);
    this.expectClose(CH_RBRACKET, '"]"');
    if (this.peek() !== CH_DOT) return { kind: 'valuePath', path, filter };
    // `emails[type eq "work"].value eq "x"`: the comparison applies to the same element.
    this.pos++;
    const sub = this.parseSubAttrName();
    const tail = this.parseComparisonTail({ attr: sub });
    return { kind: 'valuePath', path, filter: { kind: 'and', left: filter, right: tail } };
  }

  private parseComparisonTail(path: AttrPath): FilterNode {
    this.skipWhitespace();
    const opStart = this.pos;
    const op = this.operatorAt(opStart);
    if (op === undefined) {
      throw this.expected(opStart, 'a comparison operator (eq, ne, co, sw, ew, gt, ge, lt, le) or "pr"');
    }
    this.pos = opStart + 2;
    if (op === 'pr') return { kind: 'present', path };
    this.skipWhitespace();
    const value = this.parseValue();
    return { kind: 'compare', path, op, value };
  }

  /** The two-letter operator (or `pr`) at `at`, case-insensitively, when it stands alone there. */
  private operatorAt(at: number): CompareOperator | 'pr' | undefined {
    const t = this.text;
    if (at + 2 > t.length || (at + 2 < t.length && isWordChar(t.charCodeAt(at + 2)))) return undefined;
    const a = t.charCodeAt(at) | 0x20;
    const b = t.charCodeAt(at + 1) | 0x20;
    const word = String.fromCharCode(a, b);
    return word === 'pr' || OPERATORS.has(word) ? (word as CompareOperator | 'pr') : undefined;
  }

  private parseValue(): FilterValue {
    const c = this.peek();
    if (c === CH_QUOTE) return this.parseString();
    if (c === CH_MINUS || isDigit(c)) return this.parseNumber();
    const start = this.pos;
    if (isAlpha(c)) {
      const word = this.readWord();
      const boundary = this.atEnd() || !isWordChar(this.peek());
      if (boundary) {
        if (word === 'true') return true;
        if (word === 'false') return false;
        if (word === 'null') return null;
      }
      this.pos = start;
    }
    throw this.expected(start, 'a value (a string in double quotes, a number, true, false or null)');
  }

  /** A JSON string (RFC 8259 §7) starting at the opening quote. */
  private parseString(): string {
    const t = this.text;
    const open = this.pos;
    let i = open + 1;
    let out = '';
    let chunk = i;
    while (i < t.length) {
      const c = t.charCodeAt(i);
      if (c === CH_QUOTE) {
        out += t.slice(chunk, i);
        this.pos = i + 1;
        return out;
      }
      if (c !== CH_BACKSLASH) {
        i++;
        continue;
      }
      out += t.slice(chunk, i);
      const e = t.charCodeAt(i + 1);
      switch (e) {
        case CH_QUOTE:
          out += '"';
          i += 2;
          break;
        case CH_BACKSLASH:
          out += '\\';
          i += 2;
          break;
        case 47:
          out += '/';
          i += 2;
          break;
        case 98:
          out += '\b';
          i += 2;
          break;
        case 102:
          out += '\f';
          i += 2;
          break;
        case 110:
          out += '\n';
          i += 2;
          break;
        case 114:
          out += '\r';
          i += 2;
          break;
        case 116:
          out += '\t';
          i += 2;
          break;
        case 117: {
          const hex = t.slice(i + 2, i + 6);
          if (!/^[0-9A-Fa-f]{4}$/.test(hex)) throw this.error(i, 'expected four hexadecimal digits after "\\u"');
          out += String.fromCharCode(parseInt(hex, 16));
          i += 6;
          break;
        }
        default:
          throw this.error(i, `invalid escape sequence ${JSON.stringify(t.slice(i, i + 2))} in a string`);
      }
      chunk = i;
    }
    throw this.error(open, 'unterminated string: expected a closing double quote');
  }

  /** A JSON number (RFC 8259 §6). */
  private parseNumber(): number {
    const t = this.text;
    const start = this.pos;
    let i = start;
    if (t.charCodeAt(i) === CH_MINUS) i++;
    const intStart = i;
    if (t.charCodeAt(i) === CH_0) {
      i++;
    } else {
      while (isDigit(t.charCodeAt(i))) i++;
    }
    let ok = i > intStart;
    if (ok && t.charCodeAt(i) === CH_DOT) {
      i++;
      const fracStart = i;
      while (isDigit(t.charCodeAt(i))) i++;
      ok = i > fracStart;
    }
    if (ok && (t.charCodeAt(i) === 101 || t.charCodeAt(i) === 69)) {
      i++;
      if (t.charCodeAt(i) === 43 || t.charCodeAt(i) === CH_MINUS) i++;
      const expStart = i;
      while (isDigit(t.charCodeAt(i))) i++;
      ok = i > expStart;
    }
    if (ok && i < t.length && isWordChar(t.charCodeAt(i))) ok = false;
    const value = ok ? Number(t.slice(start, i)) : NaN;
    if (!Number.isFinite(value)) throw this.expected(start, 'a number');
    this.pos = i;
    return value;
  }
}

/** Builds a balanced tree of `kind` over `terms[lo..hi)`; evaluation order stays left to right. */
function balance(kind: 'and' | 'or', terms: FilterNode[], lo: number, hi: number): FilterNode {
  if (hi - lo === 1) {
    const term = terms[lo];
    if (term === undefined) throw new RangeError(`No filter term at ${lo}`);
    return term;
  }
  const mid = lo + Math.ceil((hi - lo) / 2);
  return { kind, left: balance(kind, terms, lo, mid), right: balance(kind, terms, mid, hi) };
}

function checkInput(text: unknown, limits: FilterLimits | undefined, mode: Mode): { text: string; maxDepth: number } {
  if (typeof text !== 'string') {
    throw ScimError.badRequest(mode.scimType, `Invalid ${mode.noun}: expected text`);
  }
  const maxLength = limits?.maxLength ?? DEFAULT_FILTER_MAX_LENGTH;
  if (text.length > maxLength) {
    throw ScimError.badRequest(mode.scimType, `Invalid ${mode.noun}: it is ${text.length} characters long, more than the limit of ${maxLength}`);
  }
  const maxDepth = Math.max(1, Math.min(limits?.maxDepth ?? DEFAULT_FILTER_MAX_DEPTH, HARD_MAX_DEPTH));
  return { text, maxDepth };
}

/**
 * Parses a SCIM filter (RFC 7644 §3.4.2.2) into a {@link FilterNode}.
 *
 * Covers the whole ABNF: the comparison operators `eq ne co sw ew gt ge lt le`, `pr`, `and`/`or`/
 * `not (...)` with `not` binding tightest and `and` tighter than `or`, grouping, attribute paths with
 * sub-attributes and schema URN prefixes, value filters `emails[type eq "work"]`, and JSON literals
 * (strings with JSON escapes, numbers, `true`, `false`, `null`). Keywords and operators are
 * case-insensitive; attribute names are kept as written (resolution makes them canonical).
 * `emails[type eq "work"].value eq "x"` becomes the value filter
 * `emails[type eq "work" and value eq "x"]`, so both conditions apply to one element.
 * Chains of `and`/`or` become balanced trees, so their depth grows with the logarithm of their length.
 *
 * @param text - The filter as the client sent it (already URL-decoded).
 * @param limits - Length and nesting limits; defaults 4096 characters and 32 levels.
 * @returns The filter's syntax tree.
 * @throws ScimError 400 `invalidFilter`, with a detail naming the 1-based position and what was
 *   expected there, for bad syntax and for text beyond the limits.
 */
export function parseFilter(text: string, limits?: FilterLimits): FilterNode {
  const input = checkInput(text, limits, FILTER_MODE);
  return new Parser(input.text, FILTER_MODE, input.maxDepth).parseWholeFilter();
}

/**
 * Parses a PATCH path (RFC 7644 §3.5.2: `PATH = attrPath / valuePath [subAttr]`), for example
 * `name.familyName`, `members[value eq "2819c223"]` or `emails[type eq "work"].value`.
 *
 * A bare extension URN (`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User`) parses as a
 * path whose `uri` and `attr` split at the last colon; resolve it with
 * `ResourceSchema.resolveText` on the original text to recognise it as a whole extension.
 *
 * @param text - The `path` member of a PATCH operation.
 * @param limits - Length and nesting limits, as for {@link parseFilter}.
 * @returns The path, its value filter and the sub-attribute after the filter, when present.
 * @throws ScimError 400 `invalidPath` (never `invalidFilter`), naming the 1-based position.
 */
export function parsePatchPath(text: string, limits?: FilterLimits): PatchPath {
  const input = checkInput(text, limits, PATH_MODE);
  return new Parser(input.text, PATH_MODE, input.maxDepth).parseWholePath();
}
