import fc from 'fast-check';
import type { CompareOperator, FilterNode, FilterValue, SortSpec } from '../../../src/query/ast.js';
import type { ResourceSchema } from '../../../src/schema/resource-schema.js';
import type { AttrPath, AttributeDefinition, AttributeType } from '../../../src/schema/types.js';

/**
 * Random filters and sorts for any resource type, generated from its schema: every attribute and
 * sub-attribute, in random letter case, with and without the core schema URN, compared with every
 * operator (including ones its type refuses, which both engines must refuse alike) against small
 * literal pools, so that filters match often.
 */

/** Literal pools; `ids` are filled in once the resources exist (see {@link ID_PLACEHOLDER}). */
export interface LiteralPools {
  readonly strings: readonly string[];
  readonly numbers: readonly (number | string)[];
  readonly dateTimes: readonly string[];
}

/** A string literal standing for the n-th resource id of the dataset: `ID_PLACEHOLDER + n`. */
export const ID_PLACEHOLDER = '\u0001id:';

export const STRING_POOL: readonly string[] = [
  'a',
  'A',
  'ab',
  'AB',
  'aB',
  'b',
  '',
  'é',
  'É',
  'ß',
  'İ',
  'i̇',
  'ΑΣ',
  'ας',
  'x y',
  '%',
  '_',
  '\\',
  'a%b',
  "'",
  '"',
  'work',
  'Work',
  'home',
  'User',
  'user',
  'Group',
  'direct',
  'W/"1"',
  'W/"2"',
  'W/"',
  '0',
  'a\u0000b',
  '\u0000',
  `${ID_PLACEHOLDER}0`,
  `${ID_PLACEHOLDER}1`,
  `${ID_PLACEHOLDER}2`,
];

const OPERATORS: CompareOperator[] = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'];
const ORDERED: CompareOperator[] = ['eq', 'ne', 'gt', 'ge', 'lt', 'le'];

function caseOf(name: string): fc.Arbitrary<string> {
  return fc.constantFrom(name, name.toUpperCase(), name.toLowerCase());
}

function literalArb(type: AttributeType, pools: LiteralPools): fc.Arbitrary<FilterValue> {
  const strings = fc.constantFrom(...pools.strings);
  switch (type) {
    case 'boolean':
      return fc.oneof({ weight: 6, arbitrary: fc.boolean() }, { weight: 1, arbitrary: fc.constantFrom('true', 'False', 'yes') });
    case 'integer':
    case 'decimal':
      return fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...pools.numbers) }, { weight: 1, arbitrary: strings });
    case 'dateTime':
      return fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...pools.dateTimes) }, { weight: 1, arbitrary: fc.constantFrom(5, 'soon') });
    default:
      return fc.oneof({ weight: 12, arbitrary: strings }, { weight: 1, arbitrary: fc.constantFrom<FilterValue>(1, true) });
  }
}

function compareArb(path: fc.Arbitrary<AttrPath>, attribute: AttributeDefinition, pools: LiteralPools): fc.Arbitrary<FilterNode> {
  const value = attribute.subAttributes?.find((s) => s.name === 'value');
  const type = attribute.type === 'complex' ? (value?.type ?? 'string') : attribute.type;
  const usual = type === 'string' || type === 'reference' || type === 'binary' ? OPERATORS : type === 'boolean' ? ['eq', 'ne'] : ORDERED;
  const op = fc.oneof({ weight: 12, arbitrary: fc.constantFrom(...(usual as CompareOperator[])) }, { weight: 1, arbitrary: fc.constantFrom(...OPERATORS) });
  const literal = fc.oneof({ weight: 12, arbitrary: literalArb(type, pools) }, { weight: 1, arbitrary: fc.constant(null) });
  return fc.record({ path, op, value: literal }).map(({ path: p, op: o, value: v }): FilterNode => ({ kind: 'compare', path: p, op: o, value: v }));
}

function leafArbs(path: fc.Arbitrary<AttrPath>, attribute: AttributeDefinition, pools: LiteralPools): fc.Arbitrary<FilterNode>[] {
  const present = path.map((p): FilterNode => ({ kind: 'present', path: p }));
  return [compareArb(path, attribute, pools), present];
}

/** `schemas` is on every resource and in no schema's attribute list. */
const SCHEMAS_ATTRIBUTE: AttributeDefinition = {
  name: 'schemas',
  type: 'reference',
  multiValued: true,
  required: true,
  caseExact: false,
  mutability: 'readOnly',
  returned: 'always',
  uniqueness: 'none',
};

interface Top {
  readonly uri?: string;
  readonly attribute: AttributeDefinition;
}

/** Top-level attributes: common, core (sometimes with the core URN), extensions (with theirs). */
function tops(schema: ResourceSchema): Top[] {
  const out: Top[] = [{ attribute: SCHEMAS_ATTRIBUTE }];
  for (const attribute of schema.coreAttributes) out.push({ attribute });
  for (const { schema: extension } of schema.extensions) for (const attribute of extension.attributes) out.push({ uri: extension.id, attribute });
  return out;
}

function topPath(schema: ResourceSchema, top: Top, sub?: string): fc.Arbitrary<AttrPath> {
  const uris = top.uri !== undefined ? [top.uri, top.uri.toUpperCase()] : [undefined, undefined, schema.core.id];
  return fc
    .record({ uri: fc.constantFrom(...uris), attr: caseOf(top.attribute.name), sub: sub === undefined ? fc.constant(undefined) : caseOf(sub) })
    .map((p) => {
      const path: { uri?: string; attr: string; sub?: string } = { attr: p.attr };
      if (p.uri !== undefined) path.uri = p.uri;
      if (p.sub !== undefined) path.sub = p.sub;
      return path;
    });
}

function elementArb(attribute: AttributeDefinition, pools: LiteralPools): fc.Arbitrary<FilterNode> {
  const leaves = (attribute.subAttributes ?? []).flatMap((sub) =>
    leafArbs(
      caseOf(sub.name).map((attr): AttrPath => ({ attr })),
      sub,
      pools,
    ),
  );
  return logic(fc.oneof(...leaves), 2);
}

/** `and`, `or` and `not` over `leaf`, up to `depth` levels. */
export function logic(leaf: fc.Arbitrary<FilterNode>, depth: number): fc.Arbitrary<FilterNode> {
  const tree = fc.letrec<{ node: FilterNode }>((tie) => ({
    node: fc.oneof(
      { maxDepth: depth, depthIdentifier: `logic${depth}` },
      leaf,
      fc.record({ kind: fc.constantFrom<'and' | 'or'>('and', 'or'), left: tie('node'), right: tie('node') }),
      fc.record({ kind: fc.constant<'not'>('not'), filter: tie('node') }),
    ),
  }));
  return tree.node;
}

/** Random filters over a resource type. */
export function filterArb(schema: ResourceSchema, pools: LiteralPools, depth = 3): fc.Arbitrary<FilterNode> {
  const leaves: fc.Arbitrary<FilterNode>[] = [];
  for (const top of tops(schema)) {
    const { attribute } = top;
    leaves.push(...leafArbs(topPath(schema, top), attribute, pools));
    for (const sub of attribute.subAttributes ?? []) leaves.push(...leafArbs(topPath(schema, top, sub.name), sub, pools));
    if (attribute.type === 'complex') {
      const path = topPath(schema, top);
      leaves.push(fc.tuple(path, elementArb(attribute, pools)).map(([p, f]): FilterNode => ({ kind: 'valuePath', path: p, filter: f })));
    }
  }
  return logic(fc.oneof(...leaves), depth);
}

/** Random sorts over a resource type: every attribute and sub-attribute, but not `without`. */
export function sortArb(schema: ResourceSchema, without: readonly string[] = []): fc.Arbitrary<SortSpec | undefined> {
  const paths: fc.Arbitrary<AttrPath>[] = [];
  for (const top of tops(schema)) {
    if (without.includes(top.attribute.name)) continue;
    const subs = top.attribute.subAttributes ?? [];
    if (top.attribute.type !== 'complex' || subs.some((s) => s.name === 'value')) paths.push(topPath(schema, top));
    for (const sub of subs) if (sub.type !== 'complex') paths.push(topPath(schema, top, sub.name));
  }
  const sort = fc.record({ path: fc.oneof(...paths), order: fc.constantFrom<'ascending' | 'descending'>('ascending', 'descending') });
  return fc.option(sort, { freq: 4, nil: undefined });
}
