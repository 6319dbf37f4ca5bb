import type { AttrPath } from './types.js';

/**
 * Splits an attribute path `[uri:]attr[.sub]` without knowing the schemas.
 *
 * With a URN prefix the attribute is what follows the last colon. A bare schema URI (no attribute
 * after it) cannot be told apart here; `ResourceSchema.resolveText` handles that with the
 * registry. Returns undefined when the text is not a well-formed path.
 */
export function parseAttributePath(text: string): AttrPath | undefined {
  const s = text.trim();
  if (s.length === 0) return undefined;
  let uri: string | undefined;
  let rest = s;
  if (/^urn:/i.test(s)) {
    const dot = s.indexOf('.', s.lastIndexOf(':'));
    const head = dot < 0 ? s : s.slice(0, dot);
    const colon = head.lastIndexOf(':');
    if (colon < 0) return undefined;
    uri = s.slice(0, colon);
    rest = s.slice(colon + 1);
  }
  const parts = rest.split('.');
  if (parts.length > 2) return undefined;
  const [attr, sub] = parts;
  if (!attr || !ATTR_NAME.test(attr)) return undefined;
  if (sub !== undefined && !ATTR_NAME.test(sub)) return undefined;
  const path: { uri?: string; attr: string; sub?: string } = { attr };
  if (uri !== undefined) path.uri = uri;
  if (sub !== undefined) path.sub = sub;
  return path;
}

/** RFC 7643 §2.1 ATTRNAME (with `$ref`). */
const ATTR_NAME = /^(?:\$ref|[A-Za-z][A-Za-z0-9_-]*)$/;

/** Formats a path back to text. */
export function formatAttributePath(path: AttrPath): string {
  return `${path.uri ? `${path.uri}:` : ''}${path.attr}${path.sub ? `.${path.sub}` : ''}`;
}
