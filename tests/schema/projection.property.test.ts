/**
 * The projection against a reference model: the rules of RFC 7644 §3.4.2.5 / §3.9 and RFC 7643 §7
 * written as directly as possible (every key resolved and every value copied on every call), run on
 * random resources (known, unknown and mis-cased keys, empty and non-object values, `__proto__`
 * keys) with random `attributes` / `excludedAttributes`. The real projector plans once per schema
 * and request and shares values it would copy unchanged: its output must serialise exactly as the
 * model's, for every resource a projector is applied to, in any order.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defineAttribute } from '../../src/schema/define-attribute.js';
import { compileProjection, type ProjectionOptions } from '../../src/schema/projection.js';
import type { ResourceSchema } from '../../src/schema/resource-schema.js';
import { SchemaRegistry } from '../../src/schema/schema-registry.js';
import type { AttributeDefinition, ScimObject, SchemaDefinition } from '../../src/schema/types.js';

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const RET = 'urn:example:params:scim:schemas:extension:returned:2.0:User';

const RETURNED_EXT: SchemaDefinition = {
  id: RET,
  name: 'Returned',
  attributes: [
    defineAttribute('onRequest', 'string', { returned: 'request' }),
    defineAttribute('always', 'string', { returned: 'always' }),
    defineAttribute('secret', 'string', { returned: 'never', mutability: 'writeOnly' }),
    defineAttribute('card', 'complex', {
      multiValued: true,
      subAttributes: [
        defineAttribute('number', 'string', { returned: 'never' }),
        defineAttribute('holder', 'string'),
        defineAttribute('kind', 'string', { returned: 'always' }),
        defineAttribute('note', 'string', { returned: 'request' }),
      ],
    }),
  ],
};

const registry = new SchemaRegistry();
registry.addTenantExtension('ret', 'User', RETURNED_EXT);
const schema = registry.resourceSchema('ret', 'User') as ResourceSchema;

// ---- the reference model ----

interface Names {
  whole: Set<AttributeDefinition>;
  subs: Map<AttributeDefinition, Set<AttributeDefinition>>;
  extensions: Set<string>;
}

function modelNames(names: readonly string[] | undefined): Names | undefined {
  if (!names || names.length === 0) return undefined;
  const set: Names = { whole: new Set(), subs: new Map(), extensions: new Set() };
  for (const name of names) {
    const resolved = schema.resolveText(name);
    if (!resolved) continue;
    if ('extensionUri' in resolved) set.extensions.add(resolved.extensionUri);
    else if (resolved.subAttribute) set.subs.set(resolved.attribute, (set.subs.get(resolved.attribute) ?? new Set()).add(resolved.subAttribute));
    else set.whole.add(resolved.attribute);
  }
  return set;
}

function isObject(value: unknown): value is ScimObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function modelProject(resource: ScimObject, options: ProjectionOptions): ScimObject {
  const wanted = modelNames(options.attributes);
  const excluded = modelNames(options.excludedAttributes);
  const complexValue = (attr: AttributeDefinition, value: unknown, keep: (sub: AttributeDefinition | undefined) => boolean): unknown => {
    if (!isObject(value)) return keep(undefined) ? value : undefined;
    const out: ScimObject = {};
    let any = false;
    for (const key of Object.keys(value)) {
      const sub = attr.subAttributes?.find((s) => s.name.toLowerCase() === key.toLowerCase());
      if (sub?.returned === 'never' || !keep(sub)) continue;
      out[key] = value[key];
      any = true;
    }
    return any ? out : undefined;
  };
  const attribute = (attr: AttributeDefinition, value: unknown, uri: string | undefined): unknown => {
    if (attr.returned === 'never') return undefined;
    const named = wanted?.subs.get(attr);
    const excludedSubs = excluded?.subs.get(attr);
    const always = attr.returned === 'always';
    const inWanted = wanted !== undefined && (wanted.whole.has(attr) || (uri !== undefined && wanted.extensions.has(uri)));
    const inExcluded = excluded !== undefined && (excluded.whole.has(attr) || (uri !== undefined && excluded.extensions.has(uri)));
    if (!always && inExcluded) return undefined;
    let whole = true;
    if (!always && wanted) {
      if (!inWanted && !named) return undefined;
      whole = inWanted;
    }
    if (!always && !wanted && attr.returned === 'request') return undefined;
    if (attr.type !== 'complex') return value;
    const keep = (sub: AttributeDefinition | undefined): boolean =>
      whole
        ? !sub || sub.returned === 'always' || (!excludedSubs?.has(sub) && (sub.returned !== 'request' || (named?.has(sub) ?? false)))
        : sub !== undefined && (sub.returned === 'always' || (named?.has(sub) ?? false));
    if (!attr.multiValued || !Array.isArray(value)) return complexValue(attr, value, keep);
    const items = value.map((item) => complexValue(attr, item, keep)).filter((v) => v !== undefined);
    return items.length > 0 ? items : undefined;
  };
  const out: ScimObject = {};
  for (const key of Object.keys(resource)) {
    const value = resource[key];
    if (key.toLowerCase() === 'schemas') {
      out[key] = value;
      continue;
    }
    const uri = schema.extensionUri(key);
    let v: unknown;
    if (uri && isObject(value)) {
      const ext: ScimObject = {};
      for (const k of Object.keys(value)) {
        const resolved = schema.resolve({ uri, attr: k });
        const shown = resolved
          ? attribute(resolved.attribute, value[k], uri)
          : !(wanted && !wanted.extensions.has(uri)) && !excluded?.extensions.has(uri)
            ? value[k]
            : undefined;
        if (shown !== undefined) ext[k] = shown;
      }
      v = Object.keys(ext).length > 0 ? ext : undefined;
    } else if (uri) {
      v = wanted && !wanted.extensions.has(uri) ? undefined : value;
    } else {
      const resolved = key.startsWith('urn:') || key.includes('.') ? undefined : schema.resolve({ attr: key });
      if (resolved) v = attribute(resolved.attribute, value, undefined);
      else if (!wanted) v = value;
    }
    if (v !== undefined) out[key] = v;
  }
  return out;
}

// ---- random resources and requests ----

const SUB_KEYS = [
  'value',
  'VALUE',
  'type',
  'primary',
  'display',
  '$ref',
  'givenName',
  'GIVENNAME',
  'familyName',
  'version',
  'location',
  'number',
  'holder',
  'kind',
  'note',
  'odd',
  '__proto__',
];
const TOP_KEYS = [
  'id',
  'userName',
  'USERNAME',
  'name',
  'Name',
  'displayName',
  'emails',
  'Emails',
  'meta',
  'password',
  'groups',
  'x509Certificates',
  'odd',
  'a.b',
  'urn:odd',
  '__proto__',
];
const PATHS = [
  'userName',
  'USERNAME',
  'name',
  'name.givenName',
  'emails',
  'emails.value',
  'EMAILS.VALUE',
  'emails.display',
  'meta',
  'meta.version',
  'groups',
  'id',
  'password',
  'bogus',
  ENT,
  `${ENT}:manager`,
  `${ENT}:manager.value`,
  `${ENT}:employeeNumber`,
  RET,
  `${RET}:card`,
  `${RET}:card.note`,
  `${RET}:card.number`,
  `${RET}:onRequest`,
  `${RET}:always`,
];

/** An object with these keys; `JSON.parse` makes `__proto__` an own key, as a stored resource has it. */
function objectOf(entries: [string, unknown][]): ScimObject {
  return JSON.parse(JSON.stringify(Object.fromEntries(entries.filter(([k]) => k !== '__proto__')))) as ScimObject;
}

const leaf = fc.oneof(fc.string({ maxLength: 3 }), fc.boolean(), fc.constant(null));
const complex = fc
  .tuple(fc.uniqueArray(fc.tuple(fc.constantFrom(...SUB_KEYS), leaf), { maxLength: 5, selector: ([k]) => k }), fc.boolean())
  .map(([entries, proto]) => {
    const o = objectOf(entries);
    return proto ? (JSON.parse(`{"__proto__":"p",${JSON.stringify(o).slice(1)}`.replace(',}', '}')) as ScimObject) : o;
  });
const value = fc.oneof(leaf, complex, fc.array(fc.oneof(complex, leaf), { maxLength: 3 }));
const extension = fc.uniqueArray(fc.tuple(fc.constantFrom('employeeNumber', 'manager', 'MANAGER', 'onRequest', 'always', 'secret', 'card', 'odd'), value), {
  maxLength: 5,
  selector: ([k]) => k.toLowerCase(),
});
const resource = fc
  .tuple(
    fc.uniqueArray(fc.tuple(fc.constantFrom(...TOP_KEYS), value), { maxLength: 8, selector: ([k]) => k }),
    fc.option(extension, { nil: undefined }),
    fc.option(fc.oneof(extension, fc.constant([] as [string, unknown][])), { nil: undefined }),
    fc.boolean(),
  )
  .map(([top, ent, ret, proto]) => {
    const r: ScimObject = { schemas: [CORE, RET], ...objectOf(top) };
    if (ent) r[ENT] = objectOf(ent);
    if (ret) r[RET] = objectOf(ret);
    return proto ? (JSON.parse(`{"__proto__":{"a":1},${JSON.stringify(r).slice(1)}`) as ScimObject) : r;
  });
const names = fc.option(fc.array(fc.constantFrom(...PATHS), { maxLength: 4 }), { nil: undefined });

describe('projection against its reference model', () => {
  it('serialises every projected resource as the model does', () => {
    fc.assert(
      fc.property(fc.array(resource, { minLength: 1, maxLength: 4 }), names, names, (resources, attributes, excludedAttributes) => {
        const options: ProjectionOptions = {
          ...(attributes ? { attributes } : {}),
          ...(excludedAttributes ? { excludedAttributes } : {}),
        };
        const project = compileProjection(schema, options);
        for (const r of resources) {
          const before = JSON.stringify(r);
          expect(JSON.stringify(project(r))).toBe(JSON.stringify(modelProject(r, options)));
          expect(JSON.stringify(r)).toBe(before);
        }
      }),
      { numRuns: 400 },
    );
  });
});
