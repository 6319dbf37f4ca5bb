/**
 * The JSON text of an object whose own enumerable keys are serialised as `JSON.stringify` would
 * serialise them (in order, skipping values it skips), except that the values of the keys in `raw`
 * are given as JSON text already. With the text of each value given as `JSON.stringify(value)`, the
 * result is byte for byte `JSON.stringify(object)`.
 */
export function jsonWithRawValues(object: object, raw: ReadonlyMap<string, string>): string {
  const parts: string[] = [];
  for (const key of Object.keys(object)) {
    const text = raw.get(key) ?? JSON.stringify((object as Record<string, unknown>)[key]);
    if (text !== undefined) parts.push(`${JSON.stringify(key)}:${text}`);
  }
  return `{${parts.join(',')}}`;
}

/** The JSON text of an array whose elements' texts are given: `[a,b,...]`. */
export function jsonArray(elements: readonly string[]): string {
  return `[${elements.join(',')}]`;
}
