/**
 * The tenants file of examples/http-server.ts and examples/mcp-server.ts (`$SCIM_TENANTS`): a JSON
 * object `{"tenants": [...]}`, each a `TenantDefinition` with, optionally,
 * `"extensions": [{"resourceType": "User", "schema": {...}}]`. Without `$SCIM_TENANTS`, the three
 * demo tenants of examples/multi-tenant.ts.
 *
 * Every mistake stops the example with a message that starts with the file's name: a file that
 * cannot be read, JSON that does not parse (with the line and column where it stops making sense),
 * and, from the library, a definition that is not valid (naming the tenant and the key).
 */
import { readFileSync } from 'node:fs';
import { ConfigurationError, type SchemaDefinition, type SchemaRegistry, type TenantDefinition } from 'scim-server';
import { demoTenants } from './demo-tenants.js';

/** A tenant as the tenants file holds it: a `StaticTenantResolver` definition and its schema extensions. */
export type TenantFileEntry = TenantDefinition & { extensions?: { resourceType: string; schema: SchemaDefinition; required?: boolean }[] };

/** A tenants file that cannot be used; the message names the file and what is wrong. */
export class TenantsFileError extends Error {
  constructor(file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.name = 'TenantsFileError';
  }
}

/** Line and column (from 1) of an offset in `text`. */
function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `line ${line}, column ${offset - before.lastIndexOf('\n')}`;
}

/**
 * The offset where `text` stops being JSON (RFC 8259), for a message that points at it. Only called
 * once `JSON.parse` has failed, whose own messages give no position for some mistakes.
 */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const space = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i++;
  };
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else throw i;
  };
  const string = () => {
    i++; // the opening quote
    while (i < text.length && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) throw i;
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) throw i;
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? 'x')) throw i;
      }
      i++;
    }
    if (i >= text.length) throw i;
    i++;
  };
  const value = (): void => {
    space();
    const c = text[i];
    if (c === '{' || c === '[') container(c === '{' ? '}' : ']', c === '{');
    else if (c === '"') string();
    else if (c === 't') literal('true');
    else if (c === 'f') literal('false');
    else if (c === 'n') literal('null');
    else {
      const number = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i));
      if (!number) throw i;
      i += number[0].length;
    }
  };
  const container = (close: string, object: boolean): void => {
    i++;
    space();
    if (text[i] === close) {
      i++;
      return;
    }
    for (;;) {
      if (object) {
        space();
        if (text[i] !== '"') throw i;
        string();
        space();
        if (text[i] !== ':') throw i;
        i++;
      }
      value();
      space();
      if (text[i] === close) {
        i++;
        return;
      }
      if (text[i] !== ',') throw i;
      i++;
    }
  };
  try {
    value();
    space();
    return Math.min(i, text.length);
  } catch (at) {
    return typeof at === 'number' ? at : 0;
  }
}

function parse(file: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const offset = jsonErrorOffset(text);
    const where = offset >= text.length ? 'at the end of the file' : `at ${lineAndColumn(text, offset)}`;
    throw new TenantsFileError(file, `not valid JSON ${where} (${(error as Error).message})`);
  }
}

/** Checks that each entry is an object and its `extensions` have the shape the examples read. */
function checkEntries(file: string, entries: unknown[]): TenantFileEntry[] {
  entries.forEach((entry, i) => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw new TenantsFileError(file, `tenants[${i}] must be an object`);
    const own = (entry as { extensions?: unknown }).extensions;
    const valid =
      own === undefined || (Array.isArray(own) && own.every((e) => typeof e?.resourceType === 'string' && typeof e?.schema === 'object' && e.schema !== null));
    if (!valid) throw new TenantsFileError(file, `tenants[${i}].extensions must be an array of {"resourceType": "...", "schema": {...}}`);
  });
  return entries as TenantFileEntry[];
}

/**
 * Reads and parses a tenants file.
 *
 * @throws TenantsFileError naming the file: unreadable, not JSON (with line and column), or not
 *   `{"tenants": [...]}`. The definitions themselves are checked by `StaticTenantResolver`.
 */
export function readTenantsFile(file: string): TenantFileEntry[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new TenantsFileError(file, `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const parsed = parse(file, text) as { tenants?: unknown } | null;
  if (typeof parsed !== 'object' || parsed === null || !Array.isArray(parsed.tenants)) {
    throw new TenantsFileError(file, 'must be a JSON object {"tenants": [...]} listing the tenant definitions');
  }
  return checkEntries(file, parsed.tenants);
}

/**
 * The tenants of `$SCIM_TENANTS`, or the three demo tenants of examples/multi-tenant.ts when it is
 * not set: as the file holds them (`tenants`, with their extensions) and as `StaticTenantResolver`
 * takes them (`definitions`, without).
 */
export function loadTenants(): { tenants: TenantFileEntry[]; definitions: TenantDefinition[]; demo: boolean } {
  const file = process.env.SCIM_TENANTS;
  const tenants: TenantFileEntry[] = file ? readTenantsFile(file) : demoTenants();
  const definitions = tenants.map(({ extensions: _extensions, ...definition }) => definition);
  return { tenants, definitions, demo: !file };
}

/** Registers each tenant's schema extensions, for that tenant only. */
export function addTenantExtensions(schemas: SchemaRegistry, tenants: readonly TenantFileEntry[]): void {
  for (const t of tenants) {
    for (const ext of t.extensions ?? []) schemas.addTenantExtension(t.id, ext.resourceType, ext.schema, ext.required ?? false);
  }
}

/**
 * Runs the configuration steps of an example; when one fails, prints why (naming the tenants file
 * when the mistake is in it) and exits with status 1, before anything listens.
 */
export function configureOrExit<T>(configure: () => T): T {
  try {
    return configure();
  } catch (error) {
    const file = process.env.SCIM_TENANTS;
    let message = error instanceof Error ? error.message : String(error);
    if (error instanceof ConfigurationError && error.tenantId !== undefined && file) message = `${file}: ${message}`;
    else if (!(error instanceof TenantsFileError)) message = `configuration error: ${message}`;
    console.error(message);
    process.exit(1);
  }
}
