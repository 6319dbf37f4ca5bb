import { ScimError } from '../../error/scim-error.js';

/** PostgreSQL types a parameter is cast to where it is used. */
export type SqlParamType = 'text' | 'jsonb' | 'boolean' | 'timestamptz' | 'timestamp';

/** U+0000, or a UTF-16 surrogate that is not part of a pair. */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * True when PostgreSQL text can hold the string unchanged: it has no U+0000 (which text and jsonb
 * refuse) and no unpaired surrogate (which a client would silently turn into U+FFFD).
 */
export function isStorableText(value: string): boolean {
  return !UNSTORABLE.test(value);
}

/** PostgreSQL accepts at most 65,535 parameters in one statement. */
const MAX_PARAMS = 65_535;

/** Where compilers put values: {@link SqlParams}, or {@link DeferredParams} while compiling. */
export interface SqlValues {
  /** A placeholder (or marker) for `value`, cast to `type` where used. */
  add(value: string, type: SqlParamType): string;
  text(value: string): string;
  jsonb(json: string): string;
}

/**
 * The parameters of one statement: every value the compilers put into SQL goes here and is referred
 * to by its placeholder (`$3::text`), never written into the SQL text. Equal values of the same type
 * share one placeholder.
 *
 * The caller owns the array: it may hold parameters of its own before the compilers add theirs (the
 * tenant id as `$1`, say), and it is passed to the client with the finished statement.
 */
export class SqlParams implements SqlValues {
  /** The values, in placeholder order (`$1` is `values[0]`). */
  readonly values: unknown[];
  private readonly seen = new Map<string, string>();

  /** @param values - Parameters already in the statement; new ones are appended. */
  constructor(values: unknown[] = []) {
    this.values = values;
  }

  /**
   * Adds a value (or finds an equal one of the same type) and returns its placeholder with a cast.
   *
   * @throws ScimError 400 `invalidFilter` past PostgreSQL's limit of 65,535 parameters, or for a
   *   value PostgreSQL cannot hold ({@link isStorableText}); the compilers settle such values before.
   */
  add(value: string, type: SqlParamType): string {
    const key = `${type}:${value}`;
    const known = this.seen.get(key);
    if (known !== undefined) return known;
    if (!isStorableText(value)) {
      throw ScimError.badRequest('invalidFilter', 'Invalid filter: a value holds U+0000 or an unpaired surrogate, which the database cannot hold');
    }
    if (this.values.length >= MAX_PARAMS) {
      throw ScimError.badRequest('invalidFilter', 'Invalid filter: it has more values than one database statement can carry');
    }
    this.values.push(value);
    const placeholder = `$${this.values.length}::${type}`;
    this.seen.set(key, placeholder);
    return placeholder;
  }

  /** A text parameter. */
  text(value: string): string {
    return this.add(value, 'text');
  }

  /** A jsonb parameter, given as JSON text. */
  jsonb(json: string): string {
    return this.add(json, 'jsonb');
  }
}

const MARKER = /\u0002(\d+)\u0003/g;

/**
 * Values a compiler adds while it builds SQL, written as markers: the compiler folds constants and
 * may drop the parts that held some, and PostgreSQL fails a statement with a parameter it does not
 * use (it cannot infer its type). {@link DeferredParams.resolve} turns the markers that remain into
 * placeholders of the statement's {@link SqlParams}, in order of appearance.
 */
export class DeferredParams implements SqlValues {
  private readonly values: { value: string; type: SqlParamType }[] = [];

  add(value: string, type: SqlParamType): string {
    this.values.push({ value, type });
    return `\u0002${this.values.length - 1}\u0003`;
  }

  text(value: string): string {
    return this.add(value, 'text');
  }

  jsonb(json: string): string {
    return this.add(json, 'jsonb');
  }

  /** `sql` with each marker replaced by a placeholder of `params`. */
  resolve(sql: string, params: SqlParams): string {
    return sql.replace(MARKER, (_, index: string) => {
      const entry = this.values[Number(index)] as { value: string; type: SqlParamType };
      return params.add(entry.value, entry.type);
    });
  }
}
