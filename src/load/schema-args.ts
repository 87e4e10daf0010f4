import { sampleForPattern } from './regex-sample.js';

/**
 * Default tool arguments made from a tool's JSON Schema `inputSchema`: the required properties
 * (recursively), each with a simple value the schema accepts, so a load test passes input
 * validation on any tool: strings honour length, `format` and `pattern`; numbers and integers
 * their bounds (inclusive or exclusive, either draft's form) and `multipleOf`; arrays `minItems`,
 * tuples and `uniqueItems`; objects `minProperties`; `$ref`, `allOf`, `anyOf`/`oneOf`, `const`,
 * `enum`, `default` and `examples` are followed. `--args` covers anything richer.
 */
type Schema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  patternProperties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  required?: string[];
  minProperties?: number;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  examples?: unknown[];
  items?: Schema | Schema[];
  prefixItems?: Schema[];
  additionalItems?: Schema | boolean;
  contains?: Schema;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number | boolean;
  exclusiveMaximum?: number | boolean;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
};

/** Recursion this deep means a schema that requires itself: the value is cut there. */
const MAX_DEPTH = 12;

export function argsFromSchema(schema: unknown): unknown {
  if (!isSchema(schema)) return {};
  const value = new Generator(schema).value(schema, 0, 0);
  return value === undefined ? {} : value;
}

class Generator {
  constructor(private readonly root: Schema) {}

  /** A value `s` accepts; `variant` > 0 asks for a different one (array items under uniqueItems). */
  value(input: Schema, depth: number, variant: number): unknown {
    if (depth > MAX_DEPTH) return undefined;
    const s = this.resolve(input, depth);
    if (s.const !== undefined) return s.const;
    if (variant === 0 && s.default !== undefined) return s.default;
    if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[variant % s.enum.length];
    if (variant === 0 && Array.isArray(s.examples) && s.examples.length > 0) return s.examples[0];
    const alternatives = s.anyOf ?? s.oneOf;
    if (alternatives && alternatives.length > 0) {
      const chosen = alternatives.find((a) => !isNullOnly(this.resolve(a, depth))) ?? alternatives[0];
      return this.value({ ...withoutKeys(s, ['anyOf', 'oneOf']), ...chosen }, depth + 1, variant);
    }
    switch (typeOf(s)) {
      case 'string':
        return stringFor(s, variant);
      case 'integer':
        return numberFor(s, true, variant);
      case 'number':
        return numberFor(s, false, variant);
      case 'boolean':
        return variant % 2 === 0;
      case 'null':
        return null;
      case 'array':
        return this.arrayFor(s, depth);
      case 'object':
        return this.objectFor(s, depth, variant);
      default:
        return variant === 0 ? 'x' : `x${variant}`;
    }
  }

  /** `$ref` (local JSON pointers) and `allOf` folded into one schema. */
  private resolve(s: Schema, depth: number): Schema {
    let out = s;
    for (let hops = 0; typeof out.$ref === 'string' && hops < MAX_DEPTH; hops++) {
      const target = this.pointer(out.$ref);
      out = { ...withoutKeys(out, ['$ref']), ...(target ?? {}) };
    }
    if (Array.isArray(out.allOf) && out.allOf.length > 0 && depth <= MAX_DEPTH) {
      let merged = withoutKeys(out, ['allOf']);
      for (const part of out.allOf) merged = mergeSchemas(merged, this.resolve(part, depth + 1));
      out = merged;
    }
    return out;
  }

  private pointer(ref: string): Schema | null {
    if (!ref.startsWith('#')) return null;
    let node: unknown = this.root;
    for (const raw of ref.slice(1).split('/').filter(Boolean)) {
      const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
      node = node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
    }
    return isSchema(node) ? node : null;
  }

  private arrayFor(s: Schema, depth: number): unknown[] {
    const tuple = s.prefixItems ?? (Array.isArray(s.items) ? s.items : []);
    // Draft 4-2019 tuples are `items: [...]` with `additionalItems`; 2020's are `prefixItems` with `items`.
    const rest = Array.isArray(s.items) ? s.additionalItems : s.items;
    let n = Math.max(s.minItems ?? 0, tuple.length > 0 ? Math.min(tuple.length, s.maxItems ?? Infinity) : 0, s.contains ? 1 : 0);
    if (s.maxItems !== undefined) n = Math.min(n, s.maxItems);
    const out: unknown[] = [];
    for (let i = 0; i < n; i++) {
      const itemSchema = i === 0 && s.contains ? s.contains : (tuple[i] ?? (isSchema(rest) ? rest : {}));
      const v = this.value(itemSchema, depth + 1, s.uniqueItems ? i : 0);
      out.push(v === undefined ? null : v);
    }
    return out;
  }

  private objectFor(s: Schema, depth: number, variant: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const names = [...new Set(Array.isArray(s.required) ? s.required : [])];
    // minProperties: optional properties in their listed order make up the count.
    for (const name of Object.keys(s.properties ?? {})) {
      if (names.length >= (s.minProperties ?? 0)) break;
      if (!names.includes(name)) names.push(name);
    }
    for (const name of names) {
      const v = this.value(this.propertySchema(s, name), depth + 1, variant);
      if (v !== undefined) out[name] = v;
    }
    return out;
  }

  private propertySchema(s: Schema, name: string): Schema {
    const own = s.properties?.[name];
    if (isSchema(own)) return own;
    for (const [pattern, schema] of Object.entries(s.patternProperties ?? {})) {
      try {
        if (new RegExp(pattern, 'u').test(name)) return schema;
      } catch {
        // An invalid pattern matches nothing.
      }
    }
    return isSchema(s.additionalProperties) ? s.additionalProperties : {};
  }
}

/** The type to generate: the first non-null of `type`, else what the keywords imply. */
function typeOf(s: Schema): string | undefined {
  if (Array.isArray(s.type)) return s.type.find((t) => t !== 'null') ?? s.type[0];
  if (typeof s.type === 'string') return s.type;
  if (s.properties || s.required || s.additionalProperties !== undefined || s.patternProperties) return 'object';
  if (s.items || s.prefixItems || s.minItems !== undefined || s.contains) return 'array';
  if (s.minLength !== undefined || s.maxLength !== undefined || s.pattern !== undefined || s.format !== undefined) return 'string';
  if (s.minimum !== undefined || s.maximum !== undefined || s.exclusiveMinimum !== undefined || s.exclusiveMaximum !== undefined || s.multipleOf !== undefined) {
    return 'number';
  }
  return undefined;
}

/** Samples for the `format`s JSON Schema defines (and a few common extras). */
const FORMATS: Record<string, string> = {
  email: 'user@example.com',
  'idn-email': 'user@example.com',
  uri: 'https://example.com/',
  url: 'https://example.com/',
  iri: 'https://example.com/',
  'uri-reference': 'https://example.com/',
  'iri-reference': 'https://example.com/',
  'uri-template': 'https://example.com/{id}',
  hostname: 'example.com',
  'idn-hostname': 'example.com',
  ipv4: '127.0.0.1',
  ipv6: '::1',
  date: '2024-01-01',
  'date-time': '2024-01-01T00:00:00Z',
  time: '00:00:00Z',
  duration: 'P1D',
  uuid: '00000000-0000-4000-8000-000000000000',
  regex: '.*',
  'json-pointer': '/x',
  'relative-json-pointer': '0',
  byte: 'eA==',
  base64: 'eA==',
  binary: 'x',
  password: 'x',
};

/** Tried in order when a `pattern` is not one the sampler reads: common shapes of identifiers and values. */
const PATTERN_CANDIDATES = ['x', 'a', 'A', '0', '1', 'abc', 'x1', 'a-b', 'a_b', 'test', '2024-01-01', 'https://example.com/', 'user@example.com', '/x', 'ABC', 'a.b'];

function stringFor(s: Schema, variant: number): string {
  const min = Math.max(0, s.minLength ?? 0);
  const max = s.maxLength ?? Infinity;
  const fits = (v: string): boolean => v.length >= min && v.length <= max && matches(s.pattern, v);
  const base = (s.format && FORMATS[s.format]) || 'x';
  const starts = [base];
  if (s.pattern !== undefined) {
    const sampled = sampleForPattern(s.pattern);
    if (sampled !== null) starts.push(sampled);
    starts.push(...PATTERN_CANDIDATES);
  }
  for (const start of starts) {
    // A variant appends its number where the schema allows, so items under uniqueItems differ.
    const tries = variant > 0 ? [`${start}${variant}`, `${variant}${start}`, start] : [start];
    for (const t of tries) {
      const sized = size(t, min, max);
      if (fits(sized)) return sized;
    }
  }
  return size(base, Math.max(min, 1), max);
}

/** Padded with 'x' to `min`, cut to `max`. */
function size(v: string, min: number, max: number): string {
  const padded = v.length < min ? v + 'x'.repeat(min - v.length) : v;
  return padded.length > max ? padded.slice(0, max) : padded;
}

function matches(pattern: string | undefined, v: string): boolean {
  if (pattern === undefined) return true;
  try {
    return new RegExp(pattern, 'u').test(v);
  } catch {
    return true;
  }
}

/**
 * 1 when the bounds allow it, else the nearest allowed value: the inclusive bound, or just inside
 * an exclusive one (the middle of the range when both ends are set); integers rounded inward and
 * `multipleOf` honoured. `variant` steps up from there, staying inside the bounds.
 */
function numberFor(s: Schema, integer: boolean, variant: number): number {
  const step = integer ? 1 : (s.multipleOf ?? 1);
  let lo = -Infinity;
  let loOpen = false;
  let hi = Infinity;
  let hiOpen = false;
  if (typeof s.minimum === 'number') lo = s.minimum;
  if (typeof s.exclusiveMinimum === 'number' && s.exclusiveMinimum >= lo) [lo, loOpen] = [s.exclusiveMinimum, true];
  else if (s.exclusiveMinimum === true && Number.isFinite(lo)) loOpen = true;
  if (typeof s.maximum === 'number') hi = s.maximum;
  if (typeof s.exclusiveMaximum === 'number' && s.exclusiveMaximum <= hi) [hi, hiOpen] = [s.exclusiveMaximum, true];
  else if (s.exclusiveMaximum === true && Number.isFinite(hi)) hiOpen = true;
  const above = (v: number): boolean => (loOpen ? v > lo : v >= lo);
  const below = (v: number): boolean => (hiOpen ? v < hi : v <= hi);
  const ok = (v: number): boolean => above(v) && below(v) && (!integer || Number.isInteger(v)) && isMultiple(v, s.multipleOf);

  const candidates: number[] = [];
  const start = 1 + variant * step;
  candidates.push(start);
  if (Number.isFinite(lo)) {
    const first = firstAbove(lo, loOpen, integer, s.multipleOf);
    candidates.push(first + variant * step, first);
  }
  if (Number.isFinite(hi)) {
    const last = lastBelow(hi, hiOpen, integer, s.multipleOf);
    candidates.push(last - variant * step, last);
  }
  if (Number.isFinite(lo) && Number.isFinite(hi)) candidates.push(integer ? Math.ceil((lo + hi) / 2) : (lo + hi) / 2);
  candidates.push(0);
  for (const c of candidates) if (ok(c)) return c;
  return candidates[0];
}

function firstAbove(lo: number, open: boolean, integer: boolean, multipleOf: number | undefined): number {
  let v = open ? (integer ? Math.floor(lo) + 1 : lo + Math.max(1e-6, Math.abs(lo) * 1e-9)) : integer ? Math.ceil(lo) : lo;
  if (multipleOf) {
    v = Math.ceil(v / multipleOf) * multipleOf;
    if (open && v <= lo) v += multipleOf;
  }
  return v;
}

function lastBelow(hi: number, open: boolean, integer: boolean, multipleOf: number | undefined): number {
  let v = open ? (integer ? Math.ceil(hi) - 1 : hi - Math.max(1e-6, Math.abs(hi) * 1e-9)) : integer ? Math.floor(hi) : hi;
  if (multipleOf) {
    v = Math.floor(v / multipleOf) * multipleOf;
    if (open && v >= hi) v -= multipleOf;
  }
  return v;
}

function isMultiple(v: number, m: number | undefined): boolean {
  if (!m) return true;
  const q = v / m;
  return Math.abs(q - Math.round(q)) < 1e-9;
}

/** allOf: properties merged, required united, the tighter of each bound. */
function mergeSchemas(a: Schema, b: Schema): Schema {
  const out: Schema = { ...a, ...b };
  if (a.properties || b.properties) out.properties = { ...a.properties, ...b.properties };
  if (a.required || b.required) out.required = [...new Set([...(a.required ?? []), ...(b.required ?? [])])];
  for (const k of ['minimum', 'minLength', 'minItems', 'minProperties'] as const) {
    if (a[k] !== undefined && b[k] !== undefined) out[k] = Math.max(a[k], b[k]);
  }
  for (const k of ['maximum', 'maxLength', 'maxItems'] as const) {
    if (a[k] !== undefined && b[k] !== undefined) out[k] = Math.min(a[k], b[k]);
  }
  if (a.type !== undefined && b.type !== undefined) out.type = intersectTypes(a.type, b.type);
  return out;
}

function intersectTypes(a: string | string[], b: string | string[]): string | string[] {
  const as = Array.isArray(a) ? a : [a];
  const bs = Array.isArray(b) ? b : [b];
  const both = as.filter((t) => bs.includes(t) || (t === 'integer' && bs.includes('number')));
  for (const t of bs) if (t === 'integer' && as.includes('number') && !both.includes('integer')) both.push('integer');
  return both.length === 1 ? both[0] : both.length > 0 ? both : b;
}

function isNullOnly(s: Schema): boolean {
  return s.type === 'null' || (Array.isArray(s.type) && s.type.length === 1 && s.type[0] === 'null') || (s.const === null);
}

function isSchema(v: unknown): v is Schema {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

function withoutKeys(s: Schema, keys: Array<keyof Schema>): Schema {
  const out = { ...s };
  for (const k of keys) delete out[k];
  return out;
}
