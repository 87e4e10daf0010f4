/**
 * Default tool arguments made from a tool's JSON Schema `inputSchema`: only the required
 * properties, with the simplest value of each type (strings "x", numbers 1, booleans true).
 * Enough for a load test to pass input validation; `--args` covers anything richer.
 */
type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  items?: Schema;
  minItems?: number;
  minimum?: number;
  minLength?: number;
  anyOf?: Schema[];
  oneOf?: Schema[];
};

export function argsFromSchema(schema: unknown, depth = 0): unknown {
  if (!schema || typeof schema !== 'object' || depth > 8) return {};
  const s = schema as Schema;
  if (s.const !== undefined) return s.const;
  if (s.default !== undefined) return s.default;
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0];
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives && alternatives.length > 0) return argsFromSchema(alternatives[0], depth + 1);
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') ?? s.type[0] : s.type;
  switch (type) {
    case 'string':
      return 'x'.repeat(Math.max(1, s.minLength ?? 1));
    case 'number':
    case 'integer':
      return Math.max(1, s.minimum ?? 1);
    case 'boolean':
      return true;
    case 'null':
      return null;
    case 'array': {
      const n = s.minItems ?? 0;
      return Array.from({ length: n }, () => argsFromSchema(s.items, depth + 1));
    }
    default: {
      const out: Record<string, unknown> = {};
      for (const name of s.required ?? []) out[name] = argsFromSchema(s.properties?.[name], depth + 1);
      return out;
    }
  }
}
