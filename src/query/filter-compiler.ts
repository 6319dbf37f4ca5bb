import { ScimError } from '../error/scim-error.js';
import type { ResourceSchema } from '../schema/resource-schema.js';
import type { AttributeDefinition, AttributeType, ScimObject } from '../schema/types.js';
import type { CompareNode, CompareOperator, FilterNode, FilterValue, PresentNode, ValuePathNode } from './ast.js';
import { ambiguityOf, describePath, elementScope, resourceScope, valueSubTarget } from './attribute-target.js';
import type { AttributeScope, AttributeTarget } from './attribute-target.js';
import { DateTimeKeyCache, dateTimeKey } from '../schema/date-time.js';
import { compareCodePoints, compareFolded, containsFolded, endsWithFolded, equalsFolded, startsWithFolded } from './string-match.js';
import { isObject } from '../schema/json-object.js';

export { compileSort, parseSortParameters } from './sort.js';

/** A compiled filter: true when the resource matches. Pure and safe to call concurrently. */
export type ResourcePredicate = (resource: ScimObject) => boolean;

/** A test of one attribute value (a record's value, or `undefined` when it has none). */
type ValueTest = (value: unknown) => boolean;

const STRING_LIKE: ReadonlySet<AttributeType> = new Set(['string', 'reference', 'binary']);
const ORDERING: ReadonlySet<CompareOperator> = new Set(['gt', 'ge', 'lt', 'le']);
const SUBSTRING: ReadonlySet<CompareOperator> = new Set(['co', 'sw', 'ew']);

function invalid(detail: string): ScimError {
  return ScimError.badRequest('invalidFilter', `Invalid filter: ${detail}`);
}

/** Unassigned in the sense of RFC 7643 §2.5: null, the empty string, or an empty array or object. */
function isPresent(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  if (Array.isArray(value)) {
    for (const v of value) if (isPresent(v)) return true;
    return false;
  }
  if (typeof value === 'object') {
    for (const k in value as Record<string, unknown>) {
      if (isPresent((value as Record<string, unknown>)[k])) return true;
    }
    return false;
  }
  return true;
}

/**
 * True for names that plain objects inherit (`constructor`, `toString`, `valueOf`, ...): valid
 * attribute names, so reading them as `o[name]` would find the prototype's member instead of
 * nothing. Paths through such names read own properties only, through the general traversal.
 */
export function isInheritedName(key: string): boolean {
  return key in Object.prototype;
}

/** `container[key]` when `container` is a (non-array) object that has `key` as its own property. */
function ownValue(container: unknown, key: string | undefined): unknown {
  if (key === undefined || !isObject(container)) return undefined;
  return Object.hasOwn(container, key) ? container[key] : undefined;
}

function isUnassignedScalar(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

/**
 * Applies `test` to every value the target reaches in `obj`, true when any passes. Where the path
 * reaches nothing (a missing key, an empty array), `test` sees `undefined` once for that branch.
 */
function anyValue(target: AttributeTarget, test: ValueTest): ResourcePredicate {
  const { keys, multi } = target;
  const [k0, k1] = keys;
  const inherited = keys.some(isInheritedName);
  if (keys.length === 1 && k0 !== undefined && !inherited) {
    if (!multi[0]) return (o) => test(o[k0]);
    return (o) => {
      const v = o[k0];
      if (!Array.isArray(v) || v.length === 0) return test(Array.isArray(v) ? undefined : v);
      for (let i = 0; i < v.length; i++) if (test(v[i])) return true;
      return false;
    };
  }
  if (keys.length === 2 && k0 !== undefined && k1 !== undefined && !multi[1] && !inherited) {
    if (!multi[0]) {
      return (o) => {
        const c = o[k0];
        return test(isObject(c) ? c[k1] : undefined);
      };
    }
    return (o) => {
      const c = o[k0];
      if (!Array.isArray(c)) return test(isObject(c) ? c[k1] : undefined);
      if (c.length === 0) return test(undefined);
      for (let i = 0; i < c.length; i++) {
        const el = c[i];
        if (test(isObject(el) ? el[k1] : undefined)) return true;
      }
      return false;
    };
  }
  // General case: any depth, any mix of single and multi-valued levels.
  const last = keys.length - 1;
  const visit = (container: unknown, level: number): boolean => {
    const v = ownValue(container, keys[level]);
    if (level === last) {
      if (multi[level] && Array.isArray(v)) {
        if (v.length === 0) return test(undefined);
        for (const el of v) if (test(el)) return true;
        return false;
      }
      return test(v);
    }
    if (Array.isArray(v)) {
      if (v.length === 0) return visit(undefined, level + 1);
      for (const el of v) if (visit(el, level + 1)) return true;
      return false;
    }
    return visit(v, level + 1);
  };
  return (o) => visit(o, 0);
}

/** Reads a filter literal as the attribute's type, or refuses it (400 `invalidFilter`). */
export function literalFor(attribute: AttributeDefinition, name: string, op: CompareOperator, value: FilterValue): FilterValue {
  const type = attribute.type;
  if (value === null) return null;
  if (STRING_LIKE.has(type)) {
    if (typeof value !== 'string') throw invalid(`"${name}" is a ${type} attribute; compare it with a string, not ${JSON.stringify(value)}`);
    return value;
  }
  if (type === 'boolean') {
    if (typeof value === 'boolean') return value;
    if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
    throw invalid(`"${name}" is a boolean attribute; compare it with true or false, not ${JSON.stringify(value)}`);
  }
  if (type === 'integer' || type === 'decimal') {
    if (typeof value === 'number') return value;
    if (typeof value === 'string' && /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(value.trim())) return Number(value.trim());
    throw invalid(`"${name}" is ${type === 'integer' ? 'an integer' : 'a decimal'} attribute; compare it with a number, not ${JSON.stringify(value)}`);
  }
  if (type === 'dateTime') {
    if (typeof value === 'string' && dateTimeKey(value) !== undefined) return value;
    throw invalid(`"${name}" is a dateTime attribute; ${JSON.stringify(value)} is not a valid xsd:dateTime such as "2011-05-13T04:42:34Z"`);
  }
  throw invalid(`operator "${op}" cannot be applied to the complex attribute "${name}"`);
}

/** Refuses an operator the attribute's type does not allow (RFC 7644 §3.4.2.2), as a 400 `invalidFilter`. */
export function checkOperator(attribute: AttributeDefinition, name: string, op: CompareOperator, value: FilterValue): void {
  const type = attribute.type;
  if (value === null && op !== 'eq' && op !== 'ne') {
    throw invalid(`operator "${op}" cannot compare with null; use "eq null", "ne null" or "pr"`);
  }
  if (ORDERING.has(op) && (type === 'boolean' || type === 'binary')) {
    throw invalid(`operator "${op}" is not defined for the ${type} attribute "${name}"`);
  }
  if (SUBSTRING.has(op) && !STRING_LIKE.has(type)) {
    throw invalid(`operator "${op}" is not defined for the ${type} attribute "${name}"`);
  }
}

function stringTest(op: CompareOperator, literal: string, caseExact: boolean): ValueTest {
  if (caseExact) {
    switch (op) {
      case 'eq':
        return (v) => v === literal;
      case 'ne':
        return (v) => v !== literal;
      case 'co':
        return (v) => typeof v === 'string' && v.includes(literal);
      case 'sw':
        return (v) => typeof v === 'string' && v.startsWith(literal);
      case 'ew':
        return (v) => typeof v === 'string' && v.endsWith(literal);
      case 'gt':
        return (v) => typeof v === 'string' && compareCodePoints(v, literal) > 0;
      case 'ge':
        return (v) => typeof v === 'string' && compareCodePoints(v, literal) >= 0;
      case 'lt':
        return (v) => typeof v === 'string' && compareCodePoints(v, literal) < 0;
      case 'le':
        return (v) => typeof v === 'string' && compareCodePoints(v, literal) <= 0;
    }
  }
  const lower = literal.toLowerCase();
  switch (op) {
    case 'eq':
      return (v) => typeof v === 'string' && equalsFolded(v, lower);
    case 'ne':
      return (v) => typeof v !== 'string' || !equalsFolded(v, lower);
    case 'co':
      return (v) => typeof v === 'string' && containsFolded(v, lower);
    case 'sw':
      return (v) => typeof v === 'string' && startsWithFolded(v, lower);
    case 'ew':
      return (v) => typeof v === 'string' && endsWithFolded(v, lower);
    case 'gt':
      return (v) => typeof v === 'string' && compareFolded(v, lower) > 0;
    case 'ge':
      return (v) => typeof v === 'string' && compareFolded(v, lower) >= 0;
    case 'lt':
      return (v) => typeof v === 'string' && compareFolded(v, lower) < 0;
    case 'le':
      return (v) => typeof v === 'string' && compareFolded(v, lower) <= 0;
  }
}

function numberTest(op: CompareOperator, literal: number): ValueTest {
  switch (op) {
    case 'eq':
      return (v) => v === literal;
    case 'ne':
      return (v) => v !== literal;
    case 'gt':
      return (v) => typeof v === 'number' && v > literal;
    case 'ge':
      return (v) => typeof v === 'number' && v >= literal;
    case 'lt':
      return (v) => typeof v === 'number' && v < literal;
    case 'le':
      return (v) => typeof v === 'number' && v <= literal;
    default:
      throw invalid(`operator "${op}" is not defined for numbers`);
  }
}

function dateTimeTest(op: CompareOperator, literal: string): ValueTest {
  const key = dateTimeKey(literal) as string;
  const cache = new DateTimeKeyCache();
  const keyOf = (v: unknown): string | undefined => (typeof v === 'string' ? cache.get(v) : undefined);
  switch (op) {
    case 'eq':
      return (v) => keyOf(v) === key;
    case 'ne':
      return (v) => keyOf(v) !== key;
    case 'gt':
      return (v) => {
        const k = keyOf(v);
        return k !== undefined && k > key;
      };
    case 'ge':
      return (v) => {
        const k = keyOf(v);
        return k !== undefined && k >= key;
      };
    case 'lt':
      return (v) => {
        const k = keyOf(v);
        return k !== undefined && k < key;
      };
    case 'le':
      return (v) => {
        const k = keyOf(v);
        return k !== undefined && k <= key;
      };
    default:
      throw invalid(`operator "${op}" is not defined for dateTime`);
  }
}

/** The test one comparison applies to each value of its attribute. */
function valueTest(attribute: AttributeDefinition, name: string, op: CompareOperator, raw: FilterValue): ValueTest {
  checkOperator(attribute, name, op, raw);
  const literal = literalFor(attribute, name, op, raw);
  if (literal === null) {
    return op === 'eq' ? isUnassignedScalar : (v) => !isUnassignedScalar(v);
  }
  switch (attribute.type) {
    case 'string':
    case 'reference':
      return stringTest(op, literal as string, attribute.caseExact);
    case 'binary':
      return stringTest(op, literal as string, true);
    case 'boolean':
      return op === 'eq' ? (v) => v === literal : (v) => v !== literal;
    case 'integer':
    case 'decimal':
      return numberTest(op, literal as number);
    case 'dateTime':
      return dateTimeTest(op, literal as string);
    default:
      throw invalid(`operator "${op}" cannot be applied to the complex attribute "${name}"`);
  }
}

function lookup(scope: AttributeScope, node: CompareNode | PresentNode | ValuePathNode): AttributeTarget {
  const target = scope.lookup(node.path);
  if (!target) {
    const ambiguous = ambiguityOf(scope, node.path);
    if (ambiguous) throw invalid(ambiguous);
    const where = scope.allowsValueFilters ? `a ${scope.label} attribute` : `a sub-attribute of "${scope.label}"`;
    throw invalid(`"${describePath(node.path)}" is not ${where}`);
  }
  return target;
}

/**
 * The hottest shape, a single-valued attribute directly on the object (`userName eq "x"`, or `type`
 * inside `emails[...]`), as one closure that reads the key and compares: a call fewer per record.
 * Undefined for every other shape, which goes through {@link anyValue}.
 */
function directCompare(target: AttributeTarget, op: CompareOperator, literal: FilterValue): ResourcePredicate | undefined {
  const k = target.keys[0];
  if (target.keys.length !== 1 || k === undefined || target.multi[0] || literal === null || isInheritedName(k)) return undefined;
  const type = target.attribute.type;
  if ((type === 'string' || type === 'reference') && typeof literal === 'string') {
    if (target.attribute.caseExact) {
      switch (op) {
        case 'eq':
          return (o) => o[k] === literal;
        case 'ne':
          return (o) => o[k] !== literal;
        default:
          return undefined;
      }
    }
    const lower = literal.toLowerCase();
    switch (op) {
      case 'eq':
        return (o) => {
          const v = o[k];
          return typeof v === 'string' && equalsFolded(v, lower);
        };
      case 'ne':
        return (o) => {
          const v = o[k];
          return typeof v !== 'string' || !equalsFolded(v, lower);
        };
      case 'co':
        return (o) => {
          const v = o[k];
          return typeof v === 'string' && containsFolded(v, lower);
        };
      case 'sw':
        return (o) => {
          const v = o[k];
          return typeof v === 'string' && startsWithFolded(v, lower);
        };
      case 'ew':
        return (o) => {
          const v = o[k];
          return typeof v === 'string' && endsWithFolded(v, lower);
        };
      default:
        return undefined;
    }
  }
  if (type === 'boolean' && typeof literal === 'boolean') {
    return op === 'eq' ? (o) => o[k] === literal : (o) => o[k] !== literal;
  }
  return undefined;
}

function compileCompare(node: CompareNode, scope: AttributeScope): ResourcePredicate {
  let target = lookup(scope, node);
  if (target.attribute.type === 'complex') {
    const value = valueSubTarget(target);
    if (!value) {
      throw invalid(
        `"${target.name}" is a complex attribute; name one of its sub-attributes, such as "${target.name}.${target.attribute.subAttributes?.[0]?.name ?? 'value'}"`,
      );
    }
    target = value;
  }
  const test = valueTest(target.attribute, target.name, node.op, node.value);
  const literal = literalFor(target.attribute, target.name, node.op, node.value);
  return directCompare(target, node.op, literal) ?? anyValue(target, test);
}

function compilePresent(node: PresentNode, scope: AttributeScope): ResourcePredicate {
  return anyValue(lookup(scope, node), isPresent);
}

function compileValuePath(node: ValuePathNode, scope: AttributeScope, depth: number): ResourcePredicate {
  if (!scope.allowsValueFilters) throw invalid(`value filters cannot be nested (inside "${scope.label}")`);
  const target = lookup(scope, node);
  if (target.attribute.type !== 'complex' || node.path.sub !== undefined) {
    throw invalid(`a value filter needs a complex attribute, and "${target.name}" is not one`);
  }
  const inner = compileNode(node.filter, elementScope(target), depth + 1);
  const matchesElement = (el: unknown): boolean => isObject(el) && inner(el);
  const [k0, k1] = target.keys;
  if (k0 === undefined) throw new RangeError(`No keys for the value filter on "${target.name}"`);
  if (target.keys.some(isInheritedName)) {
    return (o) => {
      const v = k1 === undefined ? ownValue(o, k0) : ownValue(ownValue(o, k0), k1);
      if (!Array.isArray(v)) return matchesElement(v);
      for (let i = 0; i < v.length; i++) if (matchesElement(v[i])) return true;
      return false;
    };
  }
  if (k1 === undefined) {
    return (o) => {
      const v = o[k0];
      if (!Array.isArray(v)) return matchesElement(v);
      for (let i = 0; i < v.length; i++) if (matchesElement(v[i])) return true;
      return false;
    };
  }
  return (o) => {
    const c = o[k0];
    const v = isObject(c) ? c[k1] : undefined;
    if (!Array.isArray(v)) return matchesElement(v);
    for (let i = 0; i < v.length; i++) if (matchesElement(v[i])) return true;
    return false;
  };
}

/** Far beyond what the parser produces; guards hand-built trees against exhausting the stack. */
const MAX_TREE_DEPTH = 2000;

function compileNode(node: FilterNode, scope: AttributeScope, depth: number): ResourcePredicate {
  if (depth > MAX_TREE_DEPTH) throw invalid('the filter is nested too deeply');
  switch (node.kind) {
    case 'and': {
      const left = compileNode(node.left, scope, depth + 1);
      const right = compileNode(node.right, scope, depth + 1);
      return (o) => left(o) && right(o);
    }
    case 'or': {
      const left = compileNode(node.left, scope, depth + 1);
      const right = compileNode(node.right, scope, depth + 1);
      return (o) => left(o) || right(o);
    }
    case 'not': {
      const inner = compileNode(node.filter, scope, depth + 1);
      return (o) => !inner(o);
    }
    case 'compare':
      return compileCompare(node, scope);
    case 'present':
      return compilePresent(node, scope);
    case 'valuePath':
      return compileValuePath(node, scope, depth);
    default:
      throw invalid('unknown filter node');
  }
}

/**
 * Compiles a filter into a predicate over resources in canonical form (canonical attribute names,
 * extension attributes under their schema URN key), resolving every attribute path once.
 *
 * Semantics (RFC 7644 §3.4.2.2):
 * - Comparisons follow the attribute's type: strings honour `caseExact` (case-insensitive means equal
 *   after lower-casing), `dateTime` compares instants (any fractional-second length, any offset),
 *   integers and decimals compare numerically, booleans by value.
 * - An attribute's values are every value its path reaches; a comparison matches when any value does.
 *   A path that reaches nothing has the single value "unassigned", so `ne` and `eq null` match it.
 * - `attr[filter]` matches when one element satisfies the whole inner filter.
 * - `pr` is false for null, `""`, `[]` and complex values with no present sub-attribute.
 * - A complex attribute compared without a sub-attribute (`emails co "x"`) compares its `value`.
 *
 * @param node - A parsed filter (see {@link parseFilter}).
 * @param schema - The resource type's schemas; `schemas`, `id`, `externalId` and `meta.*` are always known.
 * @returns A predicate that allocates nothing per call for the common operators.
 * @throws ScimError 400 `invalidFilter` naming the attribute, for an attribute the schemas do not
 *   define, an operator its type does not allow (`gt` on a boolean or binary, `co` on a number),
 *   or a literal of the wrong type.
 */
export function compileFilter(node: FilterNode, schema: ResourceSchema): ResourcePredicate {
  return compileNode(node, resourceScope(schema), 0);
}
