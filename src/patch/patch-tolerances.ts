/**
 * Deviations from RFC 7644 §3.5.2 that real provisioning clients depend on.
 *
 * Every switch is on in {@link DEFAULT_PATCH_TOLERANCES}; a server can turn any of them off (or use
 * {@link STRICT_PATCH_TOLERANCES}) to answer such requests with the error the RFC prescribes.
 */
export interface PatchTolerances {
  /**
   * Accept `op` names in any case (`"Replace"`, `"Add"`, `"Remove"`). Microsoft Entra ID sends them
   * capitalised. Off: anything but lower-case `add`, `remove`, `replace` is 400 `invalidSyntax`.
   */
  readonly opNameAnyCase: boolean;
  /**
   * Accept the strings `"True"` / `"False"` (any case) for boolean attributes, write them as JSON
   * booleans and compare them as booleans (for example `primary`). Entra ID sends
   * `{"op":"Replace","path":"active","value":"False"}`. Off: the string is written as sent and left
   * to schema validation.
   */
  readonly booleanStrings: boolean;
  /**
   * In a path-less `add` or `replace`, accept value keys that are attribute paths rather than
   * attribute names: dotted (`"name.givenName"`), URN-qualified
   * (`"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager"`) or filtered
   * (`"emails[type eq \"work\"].value"`). Entra ID sends these. Off: such a key is 400 `invalidPath`.
   */
  readonly pathKeysInValue: boolean;
  /**
   * `remove` of a multi-valued attribute with a `value` list removes only the listed values (for
   * `members`: only those members), never the whole attribute. Entra ID sends
   * `{"op":"Remove","path":"members","value":[{"value":"<id>"}]}`. Off: a `remove` that carries a
   * value is 400 `invalidValue` (it is never treated as "remove all").
   */
  readonly removeValueList: boolean;
  /**
   * An `add` or `replace` whose value filter matches no element creates the element from the
   * filter's equality terms (`emails[type eq "work"].value` on a user without a work email adds
   * `{"type":"work","value":...}`), so several filtered operations on the same element build one
   * element. Entra ID relies on it. Off: no match is 400 `noTarget`.
   */
  readonly createMissingFilteredElement: boolean;
  /**
   * Accept a bare string where a complex value with a `value` sub-attribute is expected and read it
   * as `{"value": "..."}` (for a single-valued attribute, or one element of a multi-valued one).
   * Entra ID sends the enterprise `manager` as the manager's id string. Off: 400 `invalidValue`.
   */
  readonly bareStringComplex: boolean;
  /**
   * Accept a one-element array for a single-valued complex attribute and use its element
   * (`"manager": [{"value": "..."}]`). Sent by Entra ID for `manager` in some tenants' mappings.
   * Off: 400 `invalidValue`.
   */
  readonly singleElementArray: boolean;
  /**
   * Ignore `"$ref": null` inside a value object. Entra ID sends
   * `{"op":"Add","path":"members","value":[{"$ref":null,"value":"<id>"}]}`. Off: 400 `invalidValue`.
   */
  readonly nullReference: boolean;
  /**
   * Ignore an `id` in a path-less value when it equals the resource's current id. Okta sends
   * `{"op":"replace","value":{"id":"<group id>","displayName":"..."}}` to rename a group. Off: 400
   * `mutability` (an `id` that differs is always 400 `mutability`).
   */
  readonly repeatedId: boolean;
  /**
   * `add` or `replace` with `""` or `null` clears the attribute (as a `remove` would). Entra ID sends
   * `{"op":"Replace","path":"...:manager","value":""}` when the source value is cleared. Off: `null`
   * is 400 `invalidValue` and `""` is written as the empty string.
   */
  readonly emptyValueClears: boolean;
  /**
   * Skip what names nothing in the schema, as POST and PUT do: in a path-less `add` or `replace`,
   * keys that name no attribute of the resource (an extension the tenant does not have, an
   * attribute the schema does not define); in any value, sub-attributes a complex value does not
   * define. Entra ID sends every changed attribute of a user in one path-less `Replace`, custom
   * extension attributes included, and Microsoft's SCIM validator adds members as
   * `{"value": "<id>", "displayName": "..."}`; without this, one unmapped name fails the whole
   * update. Off: 400 `invalidPath` for a key, 400 `invalidValue` for a sub-attribute. A `path` that
   * names no attribute is always 400 `invalidPath`.
   */
  readonly unknownValueKeys: boolean;
}

/** Every tolerance on: what a server should use unless it has a reason not to. */
export const DEFAULT_PATCH_TOLERANCES: Readonly<PatchTolerances> = Object.freeze({
  opNameAnyCase: true,
  booleanStrings: true,
  pathKeysInValue: true,
  removeValueList: true,
  createMissingFilteredElement: true,
  bareStringComplex: true,
  singleElementArray: true,
  nullReference: true,
  repeatedId: true,
  emptyValueClears: true,
  unknownValueKeys: true,
});

/** Every tolerance off: RFC 7644 §3.5.2 to the letter. */
export const STRICT_PATCH_TOLERANCES: Readonly<PatchTolerances> = Object.freeze({
  opNameAnyCase: false,
  booleanStrings: false,
  pathKeysInValue: false,
  removeValueList: false,
  createMissingFilteredElement: false,
  bareStringComplex: false,
  singleElementArray: false,
  nullReference: false,
  repeatedId: false,
  emptyValueClears: false,
  unknownValueKeys: false,
});

/**
 * The tolerances in effect: {@link DEFAULT_PATCH_TOLERANCES} overridden by `overrides`. Keys that are
 * not tolerance names, and values that are not booleans, are ignored.
 */
export function resolvePatchTolerances(overrides?: Readonly<Partial<PatchTolerances>> | Readonly<Record<string, boolean>>): PatchTolerances {
  if (!overrides) return DEFAULT_PATCH_TOLERANCES;
  const out: Record<string, boolean> = { ...DEFAULT_PATCH_TOLERANCES };
  let changed = false;
  for (const key of Object.keys(DEFAULT_PATCH_TOLERANCES)) {
    const v = (overrides as Record<string, unknown>)[key];
    if (typeof v === 'boolean' && v !== out[key]) {
      out[key] = v;
      changed = true;
    }
  }
  return changed ? (out as unknown as PatchTolerances) : DEFAULT_PATCH_TOLERANCES;
}
