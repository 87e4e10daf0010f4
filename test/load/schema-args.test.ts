import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import { describe, expect, it } from 'vitest';
import { sampleForPattern } from '../../src/load/regex-sample.js';
import { argsFromSchema } from '../../src/load/schema-args.js';

/** The SDK's own validator (Ajv, draft-07, with formats): what a server validating the schema would say. */
const validator = new AjvJsonSchemaValidator();
function validate(schema: object, value: unknown): string | undefined {
  const result = validator.getValidator(schema as never)(value);
  return result.valid ? undefined : result.errorMessage;
}

/** A tool input schema with required fields of every JSON Schema type and the usual constraints. */
const EVERY_TYPE = {
  type: 'object',
  definitions: { sku: { type: 'string', pattern: '^[A-Z]{3}-\\d{4}$' } },
  properties: {
    name: { type: 'string', minLength: 3, maxLength: 8 },
    slug: { type: 'string', pattern: '^[a-z][a-z0-9-]*$', minLength: 4 },
    code: { type: 'string', pattern: '^(foo|bar)_[0-9]{2,}$' },
    email: { type: 'string', format: 'email' },
    site: { type: 'string', format: 'uri' },
    when: { type: 'string', format: 'date-time' },
    day: { type: 'string', format: 'date' },
    id: { type: 'string', format: 'uuid' },
    host: { type: 'string', format: 'ipv4' },
    count: { type: 'integer', minimum: 5, maximum: 10 },
    negative: { type: 'integer', maximum: -3 },
    below: { type: 'integer', exclusiveMaximum: 0 },
    ratio: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
    step: { type: 'number', multipleOf: 0.25, minimum: 2.1 },
    big: { type: 'number', minimum: 1000 },
    enabled: { type: 'boolean' },
    level: { enum: ['low', 'high'] },
    kind: { const: 'fixed' },
    nothing: { type: 'null' },
    tags: { type: 'array', items: { type: 'string', minLength: 2 }, minItems: 3, uniqueItems: true },
    numbers: { type: 'array', items: { type: 'integer', minimum: 1, maximum: 3 }, minItems: 3, uniqueItems: true },
    pair: { type: 'array', items: [{ type: 'string' }, { type: 'integer', minimum: 7 }], minItems: 2 },
    point: {
      type: 'object',
      properties: { x: { type: 'number' }, y: { type: 'integer', maximum: -1 }, label: { type: 'string' } },
      required: ['x', 'y'],
      additionalProperties: false,
    },
    items: {
      type: 'array',
      minItems: 2,
      uniqueItems: true,
      items: { type: 'object', properties: { sku: { $ref: '#/definitions/sku' }, qty: { type: 'integer', exclusiveMinimum: 0 } }, required: ['sku', 'qty'] },
    },
    nested: {
      type: 'object',
      properties: { inner: { type: 'object', properties: { deep: { const: 'yes' }, depth: { type: 'integer', minimum: 3 } }, required: ['deep', 'depth'] } },
      required: ['inner'],
    },
    both: { allOf: [{ type: 'object', properties: { a: { type: 'string' } }, required: ['a'] }, { properties: { b: { type: 'number', minimum: 50 } }, required: ['b'] }] },
    maybe: { anyOf: [{ type: 'null' }, { type: 'string', minLength: 2 }] },
    choice: { oneOf: [{ type: 'integer', minimum: 100 }, { type: 'boolean' }] },
    nullableInt: { type: ['null', 'integer'], minimum: 4 },
    withDefault: { type: 'string', enum: ['a', 'b', 'c'], default: 'c' },
    some: { type: 'object', minProperties: 2, properties: { p: { type: 'string' }, q: { type: 'number', minimum: 9 } } },
    anything: {},
    optional: { type: 'string', pattern: '^never$' },
  },
  required: [
    'name', 'slug', 'code', 'email', 'site', 'when', 'day', 'id', 'host', 'count', 'negative', 'below', 'ratio', 'step', 'big', 'enabled', 'level',
    'kind', 'nothing', 'tags', 'numbers', 'pair', 'point', 'items', 'nested', 'both', 'maybe', 'choice', 'nullableInt', 'withDefault', 'some', 'anything',
  ],
  additionalProperties: false,
};

describe('default tool arguments from an input schema', () => {
  it('are valid for required fields of every JSON Schema type, as the SDK validator checks them', () => {
    const args = argsFromSchema(EVERY_TYPE) as Record<string, unknown>;
    expect(validate(EVERY_TYPE, args), JSON.stringify(args)).toBeUndefined();
    // Only what is required: an optional field is left out (its pattern would be hard to meet).
    expect(args).not.toHaveProperty('optional');
    expect(args.count).toBe(5);
    expect(args.negative).toBe(-3);
    expect(args.below).toBe(-1);
    expect(args.step).toBe(2.25);
    expect(args.withDefault).toBe('c');
    expect(args.tags).toHaveLength(3);
    expect(args.numbers).toEqual([1, 2, 3]);
  });

  it('each constraint alone, so a failure names the one not met', () => {
    for (const [name, schema] of Object.entries(EVERY_TYPE.properties)) {
      if (name === 'optional') continue;
      const one = { type: 'object', definitions: EVERY_TYPE.definitions, properties: { [name]: schema }, required: [name] };
      const args = argsFromSchema(one);
      expect(validate(one, args), `${name}: ${JSON.stringify(args)}`).toBeUndefined();
    }
  });

  it('follows draft 4 exclusive bounds, 2020-12 tuples, local $refs and self-reference', () => {
    const draft4 = argsFromSchema({
      type: 'object',
      properties: { a: { type: 'integer', minimum: 0, exclusiveMinimum: true, maximum: 1, exclusiveMaximum: false }, b: { type: 'number', maximum: 0, exclusiveMaximum: true } },
      required: ['a', 'b'],
    }) as { a: number; b: number };
    expect(draft4.a).toBe(1);
    expect(draft4.b).toBeLessThan(0);

    const tuple = argsFromSchema({
      type: 'object',
      properties: { t: { type: 'array', prefixItems: [{ type: 'boolean' }, { enum: ['z'] }], items: { type: 'number' }, minItems: 3 } },
      required: ['t'],
    });
    expect(tuple).toEqual({ t: [true, 'z', 1] });

    // A tree whose node requires a child: cut where the recursion would never end, never a hang.
    const tree = { $defs: { node: { type: 'object', properties: { v: { type: 'integer' }, child: { $ref: '#/$defs/node' } }, required: ['v', 'child'] } }, $ref: '#/$defs/node' };
    const value = argsFromSchema(tree) as { v: number; child: unknown };
    expect(value.v).toBe(1);
    expect(JSON.stringify(value).length).toBeLessThan(2000);
  });

  it('returns {} for a missing or empty schema', () => {
    expect(argsFromSchema(undefined)).toEqual({});
    expect(argsFromSchema({ type: 'object' })).toEqual({});
  });
});

describe('strings for a pattern', () => {
  it('samples anchored sequences of literals, classes, groups and quantifiers', () => {
    for (const pattern of ['^\\d{4}-\\d{2}-\\d{2}$', '^[A-Z]{3}[0-9]+$', '^(foo|bar)-[a-z]+$', '^[^@\\s]+@[^@\\s]+\\.[a-z]{2,}$', '^v\\d+(\\.\\d+){2}$', '^[a-f0-9]{40}$', 'abc', '^(?:x|y)?z$']) {
      const s = sampleForPattern(pattern);
      expect(s, pattern).not.toBeNull();
      expect(new RegExp(pattern, 'u').test(s!), `${pattern} -> ${s}`).toBe(true);
    }
  });

  it('gives null for what it cannot read (the caller then tries common shapes)', () => {
    expect(sampleForPattern('^(?=.*\\d)x+$')).toBeNull();
    expect(sampleForPattern('^(a)\\1$')).toBeNull();
    expect(sampleForPattern('[')).toBeNull();
  });
});
