import type { AttrPath } from '../schema/types.js';

/** RFC 7644 §3.4.2.2 comparison operators. */
export type CompareOperator = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';

/** A literal in a filter: string, number, boolean or null. */
export type FilterValue = string | number | boolean | null;

/** `attrPath op value`. */
export interface CompareNode {
  readonly kind: 'compare';
  readonly path: AttrPath;
  readonly op: CompareOperator;
  readonly value: FilterValue;
}

/** `attrPath pr`. */
export interface PresentNode {
  readonly kind: 'present';
  readonly path: AttrPath;
}

/** `left and right`, `left or right`. */
export interface LogicalNode {
  readonly kind: 'and' | 'or';
  readonly left: FilterNode;
  readonly right: FilterNode;
}

/** `not (filter)`. */
export interface NotNode {
  readonly kind: 'not';
  readonly filter: FilterNode;
}

/**
 * `attrPath[valFilter]`: true when one element of the multi-valued attribute satisfies the whole
 * inner filter. Paths inside `filter` are relative to the element (`type`, `value`).
 */
export interface ValuePathNode {
  readonly kind: 'valuePath';
  readonly path: AttrPath;
  readonly filter: FilterNode;
}

/** A parsed filter. */
export type FilterNode = CompareNode | PresentNode | LogicalNode | NotNode | ValuePathNode;

/** A sort request (RFC 7644 §3.4.2.3). */
export interface SortSpec {
  readonly path: AttrPath;
  readonly order: 'ascending' | 'descending';
}

/** A PATCH path (RFC 7644 §3.5.2): `attrPath`, or `attrPath[valFilter][.subAttr]`. */
export interface PatchPath {
  readonly path: AttrPath;
  readonly filter?: FilterNode;
  /** Sub-attribute after a value filter: `emails[type eq "work"].value`. */
  readonly subAttr?: string;
}
