import { isObject } from '../schema/json-object.js';
import type { PatchDraft } from './patch-draft.js';
import { invalidValue } from './patch-errors.js';
import type { AttributeTarget } from './patch-target.js';
import { findSubAttribute, isTrue } from './patch-value.js';

/**
 * RFC 7644 §3.5.2: setting `primary` true on one value sets it false on the others. More than one
 * written value marked primary is 400 `invalidValue`. `arr` must be owned by the draft.
 */
export function enforcePrimary(draft: PatchDraft, target: AttributeTarget, arr: unknown[], written: readonly number[]): void {
  const a = target.attribute;
  if (a.type !== 'complex' || !findSubAttribute(a, 'primary')) return;
  const bool = draft.tol.booleanStrings;
  let winner = -1;
  for (const i of written) {
    const el = arr[i];
    if (isObject(el) && isTrue(el.primary, bool)) {
      if (winner >= 0 && winner !== i) throw invalidValue(`Only one value of "${target.label}" may be primary`);
      winner = i;
    }
  }
  if (winner < 0) return;
  for (let i = 0; i < arr.length; i++) {
    if (i === winner) continue;
    const el = arr[i];
    if (isObject(el) && isTrue(el.primary, bool)) draft.writableElement(arr, i).primary = false;
  }
}
