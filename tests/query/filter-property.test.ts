import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CompareOperator, FilterNode, FilterValue } from '../../src/query/ast.js';
import { compileFilter } from '../../src/query/filter-compiler.js';
import { formatFilter } from '../../src/query/filter-format.js';
import { parseFilter } from '../../src/query/filter-parser.js';
import type { AttrPath } from '../../src/schema/types.js';
import { TYPES_EXT_URI, TYPES_URI, typesSchema } from './query-fixtures.js';

// ---------------------------------------------------------------------------------------------
// A plain reference interpreter, written from the rules in RFC 7644 §3.4.2.2 and the library's
// documented choices, without sharing code with the compiler. It favours obviousness over speed:
// it walks the tree for every record and turns every value into a list.
// ---------------------------------------------------------------------------------------------

type RefType = 'string' | 'boolean' | 'integer' | 'decimal' | 'dateTime' | 'reference' | 'binary' | 'complex';
interface RefAttr {
  name: string;
  type: RefType;
  multi: boolean;
  exact: boolean;
  subs?: RefAttr[];
}

const a = (name: string, type: RefType, multi = false, exact = false, subs?: RefAttr[]): RefAttr => ({ name, type, multi, exact, ...(subs ? { subs } : {}) });

/** The Thing schema of the fixtures, restated by hand. */
const CORE: RefAttr[] = [
  a('id', 'string', false, true),
  a('label', 'string'),
  a('code', 'string', false, true),
  a('enabled', 'boolean'),
  a('size', 'integer'),
  a('weight', 'decimal'),
  a('seen', 'dateTime'),
  a('home', 'reference', false, true),
  a('blob', 'binary', false, true),
  a('aliases', 'string', true),
  a('scores', 'integer', true),
  a('parts', 'complex', true, false, [
    a('value', 'string'),
    a('kind', 'string', false, true),
    a('count', 'integer'),
    a('primary', 'boolean'),
    a('at', 'dateTime'),
  ]),
  a('shape', 'complex', false, false, [a('width', 'integer'), a('color', 'string')]),
];
const EXT: RefAttr[] = [a('tag', 'string'), a('tags', 'complex', true, false, [a('value', 'string'), a('kind', 'string')])];

function findIn(list: RefAttr[], name: string): RefAttr | undefined {
  return list.find((x) => x.name.toLowerCase() === name.toLowerCase());
}

/** Steps from an object to the values of a path: [key, multi] pairs, plus the final attribute. */
function resolveRef(path: AttrPath, scope: RefAttr[] | 'root'): { steps: [string, boolean][]; attr: RefAttr } {
  const steps: [string, boolean][] = [];
  let list = scope === 'root' ? CORE : scope;
  if (scope === 'root' && path.uri !== undefined && path.uri.toLowerCase() === TYPES_EXT_URI.toLowerCase()) {
    steps.push([TYPES_EXT_URI, false]);
    list = EXT;
  }
  const top = findIn(list, path.attr);
  if (!top) throw new Error(`reference: unknown ${path.attr}`);
  steps.push([top.name, top.multi]);
  if (path.sub === undefined) return { steps, attr: top };
  const sub = findIn(top.subs ?? [], path.sub);
  if (!sub) throw new Error(`reference: unknown ${path.sub}`);
  steps.push([sub.name, sub.multi]);
  return { steps, attr: sub };
}

function valuesAlong(obj: unknown, steps: [string, boolean][]): unknown[] {
  let current: unknown[] = [obj];
  for (const [key, multi] of steps) {
    const next: unknown[] = [];
    for (const c of current) {
      const v = c !== null && typeof c === 'object' && !Array.isArray(c) ? (c as Record<string, unknown>)[key] : undefined;
      if (multi && Array.isArray(v)) {
        if (v.length === 0) next.push(undefined);
        else next.push(...v);
      } else next.push(v);
    }
    current = next;
  }
  return current;
}

function present(v: unknown): boolean {
  if (v === null || v === undefined || v === '') return false;
  if (Array.isArray(v)) return v.some(present);
  if (typeof v === 'object') return Object.values(v as object).some(present);
  return true;
}

function codePoints(s: string): number[] {
  return Array.from(s, (ch) => ch.codePointAt(0) as number);
}

function orderStrings(x: string, y: string): number {
  const p = codePoints(x);
  const q = codePoints(y);
  for (let i = 0; i < Math.min(p.length, q.length); i++) if (p[i] !== q[i]) return p[i]! - q[i]!;
  return p.length - q.length;
}

/** Nanoseconds since the epoch as a bigint, or undefined. Uses a regular expression and Date.UTC. */
function instant(text: unknown): bigint | undefined {
  if (typeof text !== 'string') return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})?$/.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac = '', zone = 'Z'] = m;
  let seconds = Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +s!) / 1000;
  if (zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    seconds -= sign * (+zone.slice(1, 3) * 3600 + +zone.slice(4, 6) * 60);
  }
  return BigInt(seconds) * 1_000_000_000n + BigInt(`${frac}000000000`.slice(0, 9));
}

function compareRef(attr: RefAttr, op: CompareOperator, v: unknown, lit: FilterValue): boolean {
  if (lit === null) return op === 'eq' ? v === null || v === undefined || v === '' : !(v === null || v === undefined || v === '');
  let order: number | undefined;
  let equal: boolean;
  let text: [string, string] | undefined;
  switch (attr.type) {
    case 'string':
    case 'reference':
    case 'binary': {
      if (typeof v !== 'string') return op === 'ne';
      const fold = attr.type !== 'binary' && !attr.exact;
      const x = fold ? v.toLowerCase() : v;
      const y = fold ? (lit as string).toLowerCase() : (lit as string);
      equal = x === y;
      order = orderStrings(x, y);
      text = [x, y];
      break;
    }
    case 'boolean':
      equal = v === lit;
      break;
    case 'integer':
    case 'decimal':
      if (typeof v !== 'number') return op === 'ne';
      equal = v === lit;
      order = v - (lit as number);
      break;
    case 'dateTime': {
      const x = instant(v);
      const y = instant(lit) as bigint;
      if (x === undefined) return op === 'ne';
      equal = x === y;
      order = x < y ? -1 : x > y ? 1 : 0;
      break;
    }
    default:
      throw new Error('reference: complex comparison');
  }
  switch (op) {
    case 'eq':
      return equal;
    case 'ne':
      return !equal;
    case 'co':
      return (text as [string, string])[0].includes((text as [string, string])[1]);
    case 'sw':
      return (text as [string, string])[0].startsWith((text as [string, string])[1]);
    case 'ew':
      return (text as [string, string])[0].endsWith((text as [string, string])[1]);
    case 'gt':
      return (order as number) > 0;
    case 'ge':
      return (order as number) >= 0;
    case 'lt':
      return (order as number) < 0;
    case 'le':
      return (order as number) <= 0;
  }
}

function evaluate(node: FilterNode, obj: unknown, scope: RefAttr[] | 'root'): boolean {
  switch (node.kind) {
    case 'and':
      return evaluate(node.left, obj, scope) && evaluate(node.right, obj, scope);
    case 'or':
      return evaluate(node.left, obj, scope) || evaluate(node.right, obj, scope);
    case 'not':
      return !evaluate(node.filter, obj, scope);
    case 'present': {
      const { steps } = resolveRef(node.path, scope);
      return valuesAlong(obj, steps).some(present);
    }
    case 'compare': {
      let { steps, attr } = resolveRef(node.path, scope);
      if (attr.type === 'complex') {
        const value = findIn(attr.subs ?? [], 'value') as RefAttr;
        steps = [...steps, [value.name, value.multi]];
        attr = value;
      }
      return valuesAlong(obj, steps).some((v) => compareRef(attr, node.op, v, node.value));
    }
    case 'valuePath': {
      const { steps, attr } = resolveRef(node.path, scope);
      let holder: unknown = obj;
      for (const [key] of steps.slice(0, -1)) holder = (holder as Record<string, unknown> | undefined)?.[key];
      const raw = (holder as Record<string, unknown> | undefined)?.[steps[steps.length - 1]![0]];
      const elements = Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw];
      return elements.some((el) => el !== null && typeof el === 'object' && !Array.isArray(el) && evaluate(node.filter, el, attr.subs ?? []));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Generators: small value domains so that filters match often, names in random letter case.
// ---------------------------------------------------------------------------------------------

const STRINGS = ['a', 'A', 'ab', 'AB', 'aB', 'b', 'ba', '', 'é', 'É', 'ß', 'x y', 'İ'];
const DATES = [
  '2024-01-01T00:00:00Z',
  '2024-01-01T01:00:00+01:00',
  '2023-12-31T23:00:00-01:00',
  '2024-01-01T00:00:00.5Z',
  '2024-01-01T00:00:00.500000Z',
  '2024-01-01T00:00:00.0000001Z',
  '2024-01-01T00:00:01Z',
  '2023-12-31T23:59:59.999999999Z',
  '2024-01-01T05:30:00.25+05:30',
];
const stringArb = fc.constantFrom(...STRINGS);
const intArb = fc.integer({ min: -2, max: 3 });
const decArb = fc.constantFrom(-1, 0, 0.5, 1, 1.5);
const dateArb = fc.constantFrom(...DATES);
const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | null> => fc.oneof({ weight: 6, arbitrary: arb }, { weight: 1, arbitrary: fc.constant(null) });

const partArb = fc.record({ value: maybe(stringArb), kind: maybe(stringArb), count: intArb, primary: fc.boolean(), at: dateArb }, { requiredKeys: [] });

const thingArb = fc.record(
  {
    id: fc.constantFrom('t1', 'T1', 't2'),
    label: maybe(stringArb),
    code: maybe(stringArb),
    enabled: maybe(fc.boolean()),
    size: maybe(intArb),
    weight: maybe(decArb),
    seen: maybe(dateArb),
    home: stringArb,
    blob: stringArb,
    aliases: fc.array(maybe(stringArb), { maxLength: 3 }),
    scores: fc.array(intArb, { maxLength: 3 }),
    parts: fc.array(partArb, { maxLength: 3 }),
    shape: fc.record({ width: intArb, color: stringArb }, { requiredKeys: [] }),
    [TYPES_EXT_URI]: fc.record(
      { tag: maybe(stringArb), tags: fc.array(fc.record({ value: stringArb, kind: stringArb }, { requiredKeys: [] }), { maxLength: 2 }) },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: [] },
);

function caseOf(name: string): fc.Arbitrary<string> {
  return fc.constantFrom(name, name.toUpperCase(), name.toLowerCase(), name[0]!.toUpperCase() + name.slice(1));
}

const STRING_OPS: CompareOperator[] = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'];
const ORDER_OPS: CompareOperator[] = ['eq', 'ne', 'gt', 'ge', 'lt', 'le'];
const EQ_OPS: CompareOperator[] = ['eq', 'ne'];

function opsAndLiteral(attr: RefAttr): fc.Arbitrary<{ op: CompareOperator; value: FilterValue }> {
  const withNull = (ops: CompareOperator[], lit: fc.Arbitrary<FilterValue>) =>
    fc.oneof(
      { weight: 9, arbitrary: fc.record({ op: fc.constantFrom(...ops), value: lit }) },
      { weight: 1, arbitrary: fc.record({ op: fc.constantFrom<CompareOperator>('eq', 'ne'), value: fc.constant(null) }) },
    );
  switch (attr.type) {
    case 'string':
    case 'reference':
      return withNull(STRING_OPS, stringArb);
    case 'binary':
      return withNull(['eq', 'ne', 'co', 'sw', 'ew'], stringArb);
    case 'boolean':
      return withNull(EQ_OPS, fc.boolean());
    case 'integer':
      return withNull(ORDER_OPS, intArb);
    case 'decimal':
      return withNull(ORDER_OPS, decArb);
    case 'dateTime':
      return withNull(ORDER_OPS, dateArb);
    case 'complex':
      return withNull(STRING_OPS, stringArb); // compares the value sub-attribute
  }
}

/** Attribute expressions at the top level: plain, with sub-attributes, with URN prefixes. */
function attrExpArb(): fc.Arbitrary<FilterNode> {
  const choices: fc.Arbitrary<FilterNode>[] = [];
  for (const attr of CORE) {
    const pathArb = fc
      .record({
        attr: caseOf(attr.name),
        uri: fc.constantFrom<string | undefined>(undefined, undefined, TYPES_URI),
      })
      .map((p): AttrPath => (p.uri ? { uri: p.uri, attr: p.attr } : { attr: p.attr }));
    if (attr.type !== 'complex' || findIn(attr.subs ?? [], 'value')) {
      choices.push(fc.tuple(pathArb, opsAndLiteral(attr)).map(([path, c]) => ({ kind: 'compare', path, op: c.op, value: c.value })));
    }
    choices.push(pathArb.map((path) => ({ kind: 'present', path })));
    for (const sub of attr.subs ?? []) {
      const subPath = fc.tuple(caseOf(attr.name), caseOf(sub.name)).map(([x, y]): AttrPath => ({ attr: x, sub: y }));
      choices.push(fc.tuple(subPath, opsAndLiteral(sub)).map(([path, c]) => ({ kind: 'compare', path, op: c.op, value: c.value })));
      choices.push(subPath.map((path) => ({ kind: 'present', path })));
    }
  }
  for (const attr of EXT) {
    const path = caseOf(attr.name).map((n): AttrPath => ({ uri: TYPES_EXT_URI, attr: n }));
    choices.push(fc.tuple(path, opsAndLiteral(attr)).map(([p, c]) => ({ kind: 'compare', path: p, op: c.op, value: c.value })));
    choices.push(path.map((p) => ({ kind: 'present', path: p })));
  }
  return fc.oneof(...choices);
}

/** Expressions inside a value filter on `attr`. */
function elementExpArb(attr: RefAttr): fc.Arbitrary<FilterNode> {
  const subs = attr.subs ?? [];
  return fc.oneof(
    ...subs.map((sub) =>
      fc.tuple(caseOf(sub.name), opsAndLiteral(sub)).map(([n, c]): FilterNode => ({ kind: 'compare', path: { attr: n }, op: c.op, value: c.value })),
    ),
    ...subs.map((sub) => caseOf(sub.name).map((n): FilterNode => ({ kind: 'present', path: { attr: n } }))),
  );
}

function logic(leaf: fc.Arbitrary<FilterNode>, depth: number): fc.Arbitrary<FilterNode> {
  const tree = fc.letrec<{ node: FilterNode }>((tie) => ({
    node: fc.oneof(
      { maxDepth: depth, depthIdentifier: `d${depth}` },
      leaf,
      fc.record({ kind: fc.constantFrom<'and' | 'or'>('and', 'or'), left: tie('node'), right: tie('node') }),
      fc.record({ kind: fc.constant<'not'>('not'), filter: tie('node') }),
    ),
  }));
  return tree.node;
}

const partsAttr = CORE.find((x) => x.name === 'parts') as RefAttr;
const shapeAttr = CORE.find((x) => x.name === 'shape') as RefAttr;
const tagsAttr = EXT.find((x) => x.name === 'tags') as RefAttr;

const valuePathArb: fc.Arbitrary<FilterNode> = fc.oneof(
  fc.tuple(caseOf('parts'), logic(elementExpArb(partsAttr), 3)).map(([n, f]): FilterNode => ({ kind: 'valuePath', path: { attr: n }, filter: f })),
  fc.tuple(caseOf('shape'), logic(elementExpArb(shapeAttr), 2)).map(([n, f]): FilterNode => ({ kind: 'valuePath', path: { attr: n }, filter: f })),
  fc
    .tuple(caseOf('tags'), logic(elementExpArb(tagsAttr), 2))
    .map(([n, f]): FilterNode => ({ kind: 'valuePath', path: { uri: TYPES_EXT_URI, attr: n }, filter: f })),
);

const filterArb = logic(fc.oneof({ weight: 3, arbitrary: attrExpArb() }, { weight: 1, arbitrary: valuePathArb }), 4);

describe('compiled filters agree with a reference interpreter', () => {
  it('on random filters over random resources (1,000 runs, fixed seed)', () => {
    let matched = 0;
    let total = 0;
    fc.assert(
      fc.property(filterArb, fc.array(thingArb, { minLength: 6, maxLength: 6 }), (filter, things) => {
        const compiled = compileFilter(filter, typesSchema);
        // The text form must parse back to a filter that selects the same resources.
        const reparsed = compileFilter(parseFilter(formatFilter(filter), { maxLength: 100_000, maxDepth: 64 }), typesSchema);
        for (const thing of things) {
          const expected = evaluate(filter, thing, 'root');
          expect(compiled(thing)).toBe(expected);
          expect(reparsed(thing)).toBe(expected);
          total++;
          if (expected) matched++;
        }
      }),
      { seed: 20_240_601, numRuns: 1000 },
    );
    // The generators must exercise both outcomes, or the agreement above would mean little.
    expect(matched / total).toBeGreaterThan(0.15);
    expect(matched / total).toBeLessThan(0.85);
  });

  it('formatFilter output is a fixed point of parse and format', () => {
    fc.assert(
      fc.property(filterArb, (filter) => {
        const text = formatFilter(filter);
        expect(formatFilter(parseFilter(text, { maxLength: 100_000, maxDepth: 64 }))).toBe(text);
      }),
      { seed: 7, numRuns: 300 },
    );
  });
});
