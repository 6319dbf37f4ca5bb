import { ScimError } from '../../error/scim-error.js';
import type { CompareOperator, FilterValue } from '../../query/ast.js';
import { dateTimeKey } from '../../schema/date-time.js';
import { checkOperator, literalFor } from '../../query/filter-compiler.js';
import type { AttributeDefinition } from '../../schema/types.js';
import type { SqlLayout } from './sql-layout.js';
import type { SqlValues } from './sql-params.js';
import { isStorableText } from './sql-params.js';
import { SQL_FALSE, SQL_TRUE, sqlConstant, sqlNot } from './sql-predicate.js';
import type { SqlSource } from './sql-source.js';
import { jsonText } from './sql-source.js';

/**
 * The SQL form of one test the in-memory engine applies to each value of an attribute: a comparison
 * or `pr`. Each method writes the test for one kind of {@link SqlSource}.
 */
export interface SqlValueTest {
  /** The test's result for "no value" (`undefined` in memory): true for `ne`, `eq null`. */
  readonly onMissing: boolean;
  /** True for `pr`, which looks inside objects; other tests see an object as a non-matching value. */
  readonly presence: boolean;
  /** The result for an object or array value, for tests other than `pr`. */
  readonly onObject: boolean;
  json(json: string): string;
  text(text: string): string;
  /** For case-insensitive string tests: a string value given already lower-cased by `toLowerCase`. */
  folded?(text: string): string;
  instant(timestamptz: string): string;
}

/** What a value test needs to write SQL. */
export interface SqlTestScope {
  readonly layout: SqlLayout;
  readonly params: SqlValues;
}

/** Leaves of a JSON value that count as present: numbers, booleans and non-empty strings. */
const PRESENT_PATH = `'strict $.** ? (@.type() == "number" || @.type() == "boolean" || (@.type() == "string" && @ != ""))'::jsonpath`;

/** RFC 7643 §2.5 presence, as `isPresent` in memory: a value other than null, "" and empty arrays or objects. */
export const PRESENCE_TEST: SqlValueTest = {
  onMissing: false,
  presence: true,
  onObject: false,
  json: (x) =>
    `CASE WHEN jsonb_typeof(${x}) IN ('array', 'object') THEN jsonb_path_exists(${x}, ${PRESENT_PATH}) ELSE ${x} NOT IN ('null'::jsonb, '""'::jsonb) END`,
  text: (t) => `${t} <> ''`,
  instant: () => SQL_TRUE,
};

function nullTest(op: CompareOperator): SqlValueTest {
  const eq = op === 'eq';
  const unassignedJson = (x: string) => `(${x} IS NULL OR ${x} = 'null'::jsonb OR ${x} = '""'::jsonb)`;
  const unassignedText = (t: string) => `(${t} IS NULL OR ${t} = '')`;
  return {
    onMissing: eq,
    presence: false,
    onObject: !eq,
    json: (x) => (eq ? unassignedJson(x) : sqlNot(unassignedJson(x))),
    text: (t) => (eq ? unassignedText(t) : sqlNot(unassignedText(t))),
    instant: () => sqlConstant(!eq),
  };
}

/** A test of values that are never JSON strings of the right shape: only `ne` passes them. */
function otherKindResult(op: CompareOperator): string {
  return sqlConstant(op === 'ne');
}

/** Escapes LIKE's metacharacters (`\`, `%`, `_`) with the default escape character, backslash. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The test on a text value of a string attribute, `compared` being its (folded) text. */
function stringTextTest(op: CompareOperator, literal: string, compared: (t: string) => string, params: SqlValues): (t: string) => string {
  const nul = literal.indexOf('\u0000');
  if (!isStorableText(literal.replace(/\u0000/g, ''))) {
    if (op !== 'eq' && op !== 'ne') {
      throw ScimError.badRequest('invalidFilter', `Invalid filter: ${JSON.stringify(literal)} has an unpaired surrogate, which this storage cannot compare`);
    }
    return () => otherKindResult(op);
  }
  // No stored text holds U+0000 (the storage refuses it), so a literal with one equals nothing, is
  // contained in nothing, and orders like its text before the U+0000 followed by more.
  if (nul >= 0) {
    const prefix = () => params.text(literal.slice(0, nul));
    switch (op) {
      case 'gt':
      case 'ge':
        return (t) => `${compared(t)} COLLATE "C" > ${prefix()}`;
      case 'lt':
      case 'le':
        return (t) => `${compared(t)} COLLATE "C" <= ${prefix()}`;
      default:
        return () => otherKindResult(op);
    }
  }
  const value = (text: string) => params.text(text);
  switch (op) {
    case 'eq':
      return (t) => `${compared(t)} = ${value(literal)}`;
    case 'ne':
      return (t) => sqlNot(`${compared(t)} = ${value(literal)}`);
    case 'co':
      return (t) => `${compared(t)} LIKE ${value(`%${escapeLike(literal)}%`)}`;
    case 'sw':
      return (t) => `${compared(t)} COLLATE "C" LIKE ${value(`${escapeLike(literal)}%`)}`;
    case 'ew':
      return (t) => `${compared(t)} LIKE ${value(`%${escapeLike(literal)}`)}`;
    default:
      return (t) => `${compared(t)} COLLATE "C" ${ORDER_SQL[op]} ${value(literal)}`;
  }
}

const ORDER_SQL: Record<CompareOperator, string> = { eq: '=', ne: '<>', co: '', sw: '', ew: '', gt: '>', ge: '>=', lt: '<', le: '<=' };

function stringTest(op: CompareOperator, literal: string, caseExact: boolean, scope: SqlTestScope): SqlValueTest {
  const fold = scope.layout.functions.fold;
  const compared = caseExact ? (t: string) => t : (t: string) => `${fold}(${t})`;
  const value = caseExact ? literal : literal.toLowerCase();
  const onText = stringTextTest(op, value, compared, scope.params);
  return {
    onMissing: op === 'ne',
    presence: false,
    onObject: op === 'ne',
    json: (x) => onText(jsonText(x)),
    text: onText,
    folded: stringTextTest(op, value, (t) => t, scope.params),
    instant: () => {
      throw new TypeError('A string comparison reached a dateTime column');
    },
  };
}

function booleanTest(op: CompareOperator, literal: boolean, params: SqlValues): SqlValueTest {
  const equal = (x: string) => `${x} = ${params.jsonb(literal ? 'true' : 'false')}`;
  return {
    onMissing: op === 'ne',
    presence: false,
    onObject: op === 'ne',
    json: (x) => (op === 'eq' ? equal(x) : sqlNot(equal(x))),
    text: () => otherKindResult(op),
    instant: () => otherKindResult(op),
  };
}

function numberJson(op: CompareOperator, literal: number, params: SqlValues): (x: string) => string {
  if (!Number.isFinite(literal)) {
    // JSON holds finite numbers only: every number is below +Infinity and above -Infinity.
    const below = literal > 0;
    const isNumber = (x: string) => `jsonb_typeof(${x}) = 'number'`;
    if (op === 'eq' || op === 'ne') return () => otherKindResult(op);
    return (op === 'lt' || op === 'le') === below ? isNumber : () => SQL_FALSE;
  }
  const value = () => params.jsonb(JSON.stringify(literal));
  if (op === 'eq') return (x) => `${x} = ${value()}`;
  if (op === 'ne') return (x) => sqlNot(`${x} = ${value()}`);
  return (x) => `(jsonb_typeof(${x}) = 'number' AND ${x} ${ORDER_SQL[op]} ${value()})`;
}

function numberTest(op: CompareOperator, literal: number, params: SqlValues): SqlValueTest {
  return {
    onMissing: op === 'ne',
    presence: false,
    onObject: op === 'ne',
    json: numberJson(op, literal, params),
    text: () => otherKindResult(op),
    instant: () => otherKindResult(op),
  };
}

/**
 * A timestamptz column against a key: columns hold whole microseconds, so a literal with a finer
 * fraction is compared through its microsecond floor, exactly.
 */
function instantTest(op: CompareOperator, key: string, params: SqlValues): (ts: string) => string {
  const [whole, fraction = ''] = key.split('.') as [string, string?];
  const finer = fraction.length > 6;
  const year = Number(whole.slice(0, 4));
  const text = `${year === 0 ? `0001${whole.slice(4)}` : whole}.${fraction.slice(0, 6).padEnd(6, '0')}+00${year === 0 ? ' BC' : ''}`;
  const floor = () => params.add(text, 'timestamptz');
  switch (op) {
    case 'eq':
      return finer ? () => SQL_FALSE : (ts) => `${ts} = ${floor()}`;
    case 'ne':
      return finer ? () => SQL_TRUE : (ts) => `${ts} <> ${floor()}`;
    case 'gt':
      return (ts) => `${ts} > ${floor()}`;
    case 'ge':
      return (ts) => `${ts} ${finer ? '>' : '>='} ${floor()}`;
    case 'lt':
      return (ts) => `${ts} ${finer ? '<=' : '<'} ${floor()}`;
    default:
      return (ts) => `${ts} <= ${floor()}`;
  }
}

function dateTimeTest(op: CompareOperator, literal: string, scope: SqlTestScope): SqlValueTest {
  const key = dateTimeKey(literal) as string;
  const value = () => scope.params.text(key);
  const keyOf = (t: string) => `${scope.layout.functions.dateTimeKey}(${t})`;
  const onText = (t: string) => {
    if (op === 'eq') return `${keyOf(t)} = ${value()}`;
    if (op === 'ne') return sqlNot(`${keyOf(t)} = ${value()}`);
    return `${keyOf(t)} COLLATE "C" ${ORDER_SQL[op]} ${value()}`;
  };
  return {
    onMissing: op === 'ne',
    presence: false,
    onObject: op === 'ne',
    json: (x) => onText(jsonText(x)),
    text: onText,
    instant: instantTest(op, key, scope.params),
  };
}

/**
 * The SQL form of the test one comparison applies to each value of its attribute: the in-memory
 * engine's `valueTest`, with the same checks (the same 400 `invalidFilter` errors, from the same
 * functions) and the same results for values of any JSON type.
 *
 * @throws ScimError 400 `invalidFilter` as the in-memory engine does, and for a string with an
 *   unpaired surrogate compared other than by `eq` or `ne` (no stored text can hold one).
 */
export function compareTest(attribute: AttributeDefinition, name: string, op: CompareOperator, raw: FilterValue, scope: SqlTestScope): SqlValueTest {
  checkOperator(attribute, name, op, raw);
  const literal = literalFor(attribute, name, op, raw);
  if (literal === null) return nullTest(op);
  switch (attribute.type) {
    case 'string':
    case 'reference':
      return stringTest(op, literal as string, attribute.caseExact, scope);
    case 'binary':
      return stringTest(op, literal as string, true, scope);
    case 'boolean':
      return booleanTest(op, literal as boolean, scope.params);
    case 'integer':
    case 'decimal':
      return numberTest(op, literal as number, scope.params);
    case 'dateTime':
      return dateTimeTest(op, literal as string, scope);
    default:
      throw ScimError.badRequest('invalidFilter', `Invalid filter: operator "${op}" cannot be applied to the complex attribute "${name}"`);
  }
}

/** Applies a value test to a source that holds at most one value. */
export function testSource(test: SqlValueTest, source: SqlSource): string {
  switch (source.kind) {
    case 'json':
      return test.json(source.sql);
    case 'text':
      return test.text(source.sql);
    case 'instant':
      return test.instant(source.sql);
    case 'absent':
      return sqlConstant(test.onMissing);
    case 'object':
      return test.presence ? source.present : sqlConstant(test.onObject);
    case 'rows':
      return test.presence ? source.any((element) => testSource(test, element)) : sqlConstant(test.onObject);
  }
}
