/** Types of scripts/docs.mjs, for the tests that import it. */
export interface Format {
  key: string;
  type: string;
  doc: string;
  title: string;
}
export type JsonSchema = Record<string, unknown>;
export const FORMATS: Format[];
export function schemaFile(key: string): string;
export function schemaId(key: string): string;
export function buildSchemas(opts?: { entry?: string; formats?: Format[] }): { schemas: Record<string, JsonSchema>; problems: string[] };
export function schemaMarkdown(key: string, schema: JsonSchema): string;
export function generate(): Promise<{ files: Map<string, string>; problems: string[]; schemas: Record<string, JsonSchema> }>;
