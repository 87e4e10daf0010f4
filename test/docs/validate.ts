import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { ROOT } from '../helpers.js';

/** Every JSON Schema in schema/, as a user's tooling would load them: strict Ajv, draft 2020-12. */
export const SCHEMA_KEYS = ['report', 'inspect', 'diff', 'leaks', 'load', 'check', 'plan', 'samples', 'gc', 'config'] as const;
export type SchemaKey = (typeof SCHEMA_KEYS)[number];

export function readSchema(key: SchemaKey): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(ROOT, 'schema', `${key}.schema.json`), 'utf8')) as Record<string, unknown>;
}

const ajv = new Ajv2020({ allErrors: true, strict: true });
const validators = new Map<SchemaKey, ValidateFunction>();
for (const key of SCHEMA_KEYS) validators.set(key, ajv.compile(readSchema(key)));

/** The schema's complaints about `data`, one line each ([] when it is valid). */
export function schemaErrors(key: SchemaKey, data: unknown): string[] {
  const validate = validators.get(key)!;
  if (validate(data)) return [];
  return (validate.errors ?? []).map((e) => `${key}${e.instancePath || '/'}: ${e.message}${e.params && 'additionalProperty' in e.params ? ` '${String(e.params.additionalProperty)}'` : ''}`);
}
