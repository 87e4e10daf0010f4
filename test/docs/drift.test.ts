import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSchemas, generate } from '../../scripts/docs.mjs';
import { KNOWN_FIGURES } from '../../src/check/figures.js';
import { ROOT, memprof } from '../helpers.js';
import { readSchema, SCHEMA_KEYS, type SchemaKey } from './validate.js';

/**
 * The documentation cannot drift from the code: schema/ and the generated parts of docs/ are what
 * `npm run docs` makes of the current types and flags, every field and flag has a description, the
 * field names in the docs are the schemas' (both ways), and every flag `--help` prints is in
 * docs/cli.md.
 */

const doc = (file: string): string => readFileSync(path.join(ROOT, 'docs', file), 'utf8');
type Schema = { properties?: Record<string, Schema>; items?: Schema; anyOf?: Schema[]; additionalProperties?: Schema | boolean; $defs?: Record<string, Schema> };

/** Every property name a schema defines, at any depth. */
function propertyNames(schema: Schema, out = new Set<string>()): Set<string> {
  for (const [name, sub] of Object.entries(schema.properties ?? {})) {
    out.add(name);
    propertyNames(sub, out);
  }
  if (schema.items) propertyNames(schema.items, out);
  for (const s of schema.anyOf ?? []) propertyNames(s, out);
  if (typeof schema.additionalProperties === 'object') propertyNames(schema.additionalProperties, out);
  for (const def of Object.values(schema.$defs ?? {})) propertyNames(def, out);
  return out;
}

/** The field names of a doc's tables: the last segment of each backticked name in a field row. */
function docFieldNames(markdown: string): Set<string> {
  const out = new Set<string>();
  for (const m of markdown.matchAll(/^\| `([^`]+)` \| .*? \| (?:yes|no) \| /gm)) out.add(m[1].split('.').pop()!.replace(/\[\]$/, ''));
  return out;
}

function sorted(s: Set<string>): string[] {
  return [...s].sort();
}

const temp: string[] = [];
afterAll(() => {
  for (const d of temp) rmSync(d, { recursive: true, force: true });
});

describe('docs and schemas are generated from the code', () => {
  it('schema/ and docs/ are what npm run docs makes of the current types and flags, and every field and flag is described', async () => {
    const { files, problems } = await generate();
    expect(problems, 'undocumented fields or flags: add a doc comment where they are declared').toEqual([]);
    const stale = [...files].filter(([file, text]) => readFileSync(path.join(ROOT, file), 'utf8') !== text).map(([file]) => file);
    expect(stale, 'out of date: run npm run docs').toEqual([]);
  }, 60_000);

  it('a field added without a doc comment is reported, naming it', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'memprof-docs-'));
    temp.push(dir);
    const entry = path.join(dir, 'index.ts');
    writeFileSync(
      entry,
      [
        '/** A format. */',
        'export interface Thing {',
        '  /** Documented, bytes. */',
        '  sizeBytes: number;',
        '  added: string | null;',
        '  /** A part. */',
        '  part?: Part;',
        '}',
        'interface Part {',
        '  /** Documented. */',
        '  n: number;',
        '}',
      ].join('\n'),
    );
    const { schemas, problems } = buildSchemas({ entry, formats: [{ key: 'thing', type: 'Thing', doc: '', title: 'thing' }] });
    expect(problems).toEqual([expect.stringMatching(/^Thing\.added has no doc comment/), expect.stringMatching(/^Part \(the type\) has no doc comment/)]);
    expect(schemas.thing).toMatchObject({
      $id: 'urn:memprof:schema:thing@1',
      required: ['sizeBytes', 'added'],
      additionalProperties: false,
      properties: { sizeBytes: { description: 'Documented, bytes.', type: 'number' }, added: { type: ['string', 'null'] }, part: { $ref: '#/$defs/Part' } },
      $defs: { Part: { type: 'object', required: ['n'], additionalProperties: false } },
    });
  });
});

describe('the docs name exactly the schemas fields', () => {
  const cases: Array<[string, SchemaKey[]]> = [
    ['report.md', ['report']],
    ['formats.md', ['inspect', 'diff', 'leaks', 'load', 'check', 'plan', 'samples', 'gc']],
    ['config.md', ['config']],
  ];
  it.each(cases)('%s', (file, keys) => {
    const inSchemas = new Set<string>();
    for (const key of keys) propertyNames(readSchema(key) as Schema, inSchemas);
    expect(sorted(docFieldNames(doc(file)))).toEqual(sorted(inSchemas));
  });

  it('every schema has a $id and forbids unknown properties on its objects', () => {
    for (const key of SCHEMA_KEYS) {
      const schema = readSchema(key);
      expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(schema.$id).toBe(`urn:memprof:schema:${key}@1`);
      const objects: Schema[] = [schema as Schema, ...Object.values((schema as Schema).$defs ?? {})];
      for (const o of objects) expect(o.additionalProperties).toBe(false);
    }
  });

  it('every figure the config knows by name is a field of the report schema', () => {
    const report = readSchema('report') as Schema;
    const defs = report.$defs ?? {};
    const resolve = (s: Schema | undefined): Schema | undefined => {
      const ref = (s as { $ref?: string } | undefined)?.$ref;
      const target = ref ? defs[ref.replace('#/$defs/', '')] : s;
      return target?.anyOf ? resolve(target.anyOf.find((a) => (a as { type?: string }).type !== 'null')) : target;
    };
    const missing = [...KNOWN_FIGURES].filter((figure) => {
      let at: Schema | undefined = report;
      for (const seg of figure.split('.')) {
        if (seg === 'length') at = at?.items ? {} : undefined;
        else if (seg === '*' || /^\d+$/.test(seg)) at = resolve(at?.items);
        else at = resolve(at?.properties?.[seg]);
      }
      return at === undefined;
    });
    expect(missing).toEqual([]);
  });
});

describe('docs/cli.md names every flag', () => {
  /** The blocks of help under a heading ending in `heading` ("Options:", "MCP load options:", "Commands:"). */
  const blocks = (help: string, heading: RegExp): string =>
    help
      .split(/\n\n/)
      .filter((b) => heading.test(b.split('\n')[0]))
      .join('\n');
  const flagsOf = (help: string): string[] =>
    [...blocks(help, /^[\w ]*[Oo]ptions:$/).matchAll(/^ {2}(?:-\w, )?(--[\w-]+)/gm)].map((m) => m[1]);
  const cliMd = doc('cli.md');
  const commands = [...blocks(memprof(['--help']).stdout, /^Commands:$/).matchAll(/^ {2}(\w+) /gm)].map((m) => m[1]).filter((c) => c !== 'help');

  it('lists every command', () => {
    expect(commands.length).toBeGreaterThanOrEqual(10);
    for (const c of commands) expect(cliMd).toContain(`## memprof ${c}\n`);
  });

  it.each([[''], ...commands.map((c) => [c])])('memprof %s --help', (command) => {
    const r = memprof(command ? [command, '--help'] : ['--help']);
    expect(r.status).toBe(0);
    const flags = flagsOf(r.stdout);
    expect(flags).toContain('--help');
    // The command's own section (for the global flags: what precedes the first command).
    const section = (command ? cliMd.slice(cliMd.indexOf(`## memprof ${command}\n`)) : cliMd).split(/\n## memprof /)[0];
    const missing = flags.filter((f) => !new RegExp(`\`(-\\w, )?${f}[ \`]`).test(section));
    expect(missing).toEqual([]);
  });
});
