#!/usr/bin/env node
/**
 * Generates schema/*.schema.json and the generated parts of docs/*.md from their one source:
 * - the JSON formats from the TypeScript types the code emits (exported by src/index.ts), with
 *   their doc comments as descriptions;
 * - the CLI reference from the commander program (dist/cli/main.js: run `npm run build` first).
 *
 *   node scripts/docs.mjs           write them (`npm run docs` builds first)
 *   node scripts/docs.mjs --check   write nothing; exit 1 listing what is stale or undocumented
 *
 * A field or flag without a description is an error: adding a field to a type with a `/** ... *\/`
 * comment and running `npm run docs` is all it takes to document it.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Every documented JSON format: the schema file, the type it is generated from, and the doc holding its tables. */
export const FORMATS = [
  { key: 'report', type: 'Report', doc: 'docs/report.md', title: 'memprof report.json (memprof/report@1)' },
  { key: 'inspect', type: 'InspectOutput', doc: 'docs/formats.md', title: 'memprof inspect --json (memprof/inspect@1)' },
  { key: 'diff', type: 'DiffOutput', doc: 'docs/formats.md', title: 'memprof diff --json (memprof/diff@1)' },
  { key: 'leaks', type: 'LeaksOutput', doc: 'docs/formats.md', title: 'memprof leaks --json (memprof/leaks@1)' },
  { key: 'load', type: 'LoadOutput', doc: 'docs/formats.md', title: 'memprof load --json (memprof/load@1)' },
  { key: 'check', type: 'CheckOutput', doc: 'docs/formats.md', title: 'memprof check --json (memprof/check@1)' },
  { key: 'plan', type: 'CapacityPlan', doc: 'docs/formats.md', title: 'memprof plan --json (memprof/plan@1)' },
  { key: 'samples', type: 'MemorySample', doc: 'docs/formats.md', title: 'one line of memprof DIR/samples.jsonl' },
  { key: 'gc', type: 'GcEvent', doc: 'docs/formats.md', title: 'one line of memprof DIR/gc.jsonl' },
  { key: 'config', type: 'ConfigFile', doc: 'docs/config.md', title: 'memprof.config.json' },
];

export const schemaFile = (key) => `schema/${key}.schema.json`;
export const schemaId = (key) => `urn:memprof:schema:${key}@1`;

// ---- TypeScript types -> JSON Schema ------------------------------------------------------------

function program(entry) {
  const { config } = ts.readConfigFile(path.join(ROOT, 'tsconfig.json'), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, ROOT);
  return ts.createProgram([entry], { ...parsed.options, rootDir: undefined, noEmit: true });
}

/** Doc tags the generator reads: `@pattern` for strings (or a map's or list's strings), `@keyPattern` for a map's keys. */
const KNOWN_TAGS = new Set(['pattern', 'keyPattern']);

/** Turns the exported types into schemas; `problems` collects fields without a description. */
class SchemaBuilder {
  constructor(checker, problems, srcDir) {
    this.checker = checker;
    this.problems = problems;
    this.srcDir = srcDir;
  }

  build(rootName, rootType) {
    this.defs = new Map();
    this.rootType = rootType;
    const root = this.objectSchema(rootType, rootName);
    const out = { ...root };
    if (this.defs.size) out.$defs = Object.fromEntries(this.defs);
    return out;
  }

  inSrc(decl) {
    return path.resolve(decl.getSourceFile().fileName).startsWith(this.srcDir + path.sep);
  }

  /** A named interface or alias declared in memprof's sources (those get a $defs entry). */
  defName(type) {
    const sym = type.aliasSymbol ?? type.getSymbol();
    if (!sym || !(sym.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias))) return null;
    const decl = sym.declarations?.[0];
    if (!decl || !this.inSrc(decl)) return null;
    return sym.getName();
  }

  schemaOf(type, where) {
    const c = this.checker;
    if (type.flags & ts.TypeFlags.Union) return this.unionSchema(type.types, where);
    if (type.flags & ts.TypeFlags.Null) return { type: 'null' };
    if (type.flags & ts.TypeFlags.StringLiteral) return { const: type.value };
    if (type.flags & ts.TypeFlags.NumberLiteral) return { const: type.value };
    if (type.flags & ts.TypeFlags.BooleanLiteral) return { const: c.typeToString(type) === 'true' };
    if (type.flags & ts.TypeFlags.String) return { type: 'string' };
    if (type.flags & ts.TypeFlags.Number) return { type: 'number' };
    if (type.flags & ts.TypeFlags.Boolean) return { type: 'boolean' };
    if (type.flags & (ts.TypeFlags.Unknown | ts.TypeFlags.Any)) return {};
    if (c.isArrayType(type)) return { type: 'array', items: this.schemaOf(c.getTypeArguments(type)[0], `${where}[]`) };
    if (c.isTupleType(type)) {
      const items = c.getTypeArguments(type).map((t, i) => this.schemaOf(t, `${where}[${i}]`));
      return { type: 'array', prefixItems: items, minItems: items.length, maxItems: items.length };
    }
    if (type.flags & ts.TypeFlags.Object || type.flags & ts.TypeFlags.Intersection) {
      // A class or interface from a library (Date, Map, Buffer) is not JSON: say so rather than list its methods.
      const decl = type.getSymbol()?.declarations?.[0];
      if (decl && !this.inSrc(decl) && c.getPropertiesOfType(type).length > 0) {
        throw new Error(`${where}: cannot describe ${c.typeToString(type)} in JSON Schema (not plain JSON data)`);
      }
      const name = type === this.rootType ? null : this.defName(type);
      if (!name) return this.objectSchema(type, where);
      if (!this.defs.has(name)) {
        this.defs.set(name, {}); // placeholder: recursion and order of first use
        this.defs.set(name, this.objectSchema(type, name));
      }
      return { $ref: `#/$defs/${name}` };
    }
    throw new Error(`${where}: cannot describe the type ${c.typeToString(type)} in JSON Schema`);
  }

  unionSchema(members, where) {
    let rest = members.filter((t) => !(t.flags & ts.TypeFlags.Undefined));
    const nullable = rest.some((t) => t.flags & ts.TypeFlags.Null);
    rest = rest.filter((t) => !(t.flags & ts.TypeFlags.Null));
    // `boolean` is the union true | false.
    const bools = rest.filter((t) => t.flags & ts.TypeFlags.BooleanLiteral);
    let schemas = bools.length === 2 ? [{ type: 'boolean' }] : bools.map((t) => this.schemaOf(t, where));
    schemas = [...schemas, ...rest.filter((t) => !(t.flags & ts.TypeFlags.BooleanLiteral)).map((t) => this.schemaOf(t, where))];
    if (nullable) schemas.push({ type: 'null' });
    if (schemas.length === 1) return schemas[0];
    if (schemas.every((s) => 'const' in s || s.type === 'null')) return { enum: schemas.map((s) => ('const' in s ? s.const : null)) };
    // `type: [T, "null"]` for a nullable primitive; other unions as anyOf (what Ajv's strict mode accepts).
    if (nullable && schemas.length === 2 && Object.keys(schemas[0]).length === 1 && typeof schemas[0].type === 'string') return { type: [schemas[0].type, 'null'] };
    return { anyOf: schemas };
  }

  objectSchema(type, where) {
    const c = this.checker;
    const out = { type: 'object' };
    const doc = this.docOf(type.aliasSymbol ?? type.getSymbol());
    if (this.defName(type)) {
      if (doc.description) out.description = doc.description;
      else this.problems.push(`${where} (the type) has no doc comment: say what it is where it is declared`);
    }
    const properties = {};
    const required = [];
    for (const prop of c.getPropertiesOfType(type)) {
      const name = prop.getName();
      const at = `${where}.${name}`;
      const { description, tags } = this.docOf(prop);
      if (!description) this.problems.push(`${at} has no doc comment: describe it (units, when null or absent) where the type is declared`);
      let schema = this.schemaOf(c.getTypeOfSymbol(prop), at);
      if (tags.pattern) schema = withPattern(schema, 'pattern', tags.pattern, at);
      if (tags.keyPattern) schema = { ...schema, propertyNames: { pattern: tags.keyPattern } };
      properties[name] = description ? { description, ...schema } : schema;
      if (!(prop.flags & ts.SymbolFlags.Optional)) required.push(name);
    }
    const index = c.getIndexInfosOfType(type).find((i) => i.keyType.flags & ts.TypeFlags.String);
    if (Object.keys(properties).length) out.properties = properties;
    if (required.length) out.required = required;
    out.additionalProperties = index ? this.schemaOf(index.type, `${where}[key]`) : false;
    return out;
  }

  docOf(sym) {
    if (!sym) return { description: '', tags: {} };
    const description = ts.displayPartsToString(sym.getDocumentationComment(this.checker)).replace(/\s+/g, ' ').trim();
    const tags = {};
    for (const t of sym.getJsDocTags(this.checker)) {
      if (!KNOWN_TAGS.has(t.name)) this.problems.push(`${sym.getName()}: unknown doc tag @${t.name} (an @ after a space starts a tag: write it differently)`);
      tags[t.name] = ts.displayPartsToString(t.text ?? []).trim();
    }
    return { description, tags };
  }
}

/** `@pattern` applies to the strings: the property's own, or its values when it is a map or a list. */
function withPattern(schema, keyword, pattern, where) {
  if (schema.type === 'string') return { ...schema, [keyword]: pattern };
  if (schema.type === 'object' && schema.additionalProperties?.type === 'string') return { ...schema, additionalProperties: { ...schema.additionalProperties, [keyword]: pattern } };
  if (schema.type === 'array' && schema.items?.type === 'string') return { ...schema, items: { ...schema.items, [keyword]: pattern } };
  throw new Error(`${where}: @${keyword} needs strings`);
}

/**
 * The schemas of `formats`, from the types `entry` exports (its folder holds memprof's own types).
 * `problems`: what is undocumented; an empty list means every field has its description.
 */
export function buildSchemas({ entry = path.join(ROOT, 'src/index.ts'), formats = FORMATS } = {}) {
  const prog = program(entry);
  const checker = prog.getTypeChecker();
  const index = prog.getSourceFile(entry);
  const exports = new Map(checker.getExportsOfModule(checker.getSymbolAtLocation(index)).map((s) => [s.getName(), s]));
  const problems = [];
  const builder = new SchemaBuilder(checker, problems, path.dirname(path.resolve(entry)));
  const schemas = {};
  for (const f of formats) {
    let sym = exports.get(f.type);
    if (!sym) throw new Error(`${path.relative(ROOT, entry)} does not export the type ${f.type} (${f.key} format)`);
    if (sym.flags & ts.SymbolFlags.Alias) sym = checker.getAliasedSymbol(sym);
    const type = checker.getDeclaredTypeOfSymbol(sym);
    const doc = builder.docOf(sym);
    if (!doc.description) problems.push(`${f.type} has no doc comment`);
    const body = builder.build(f.type, type);
    schemas[f.key] = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: schemaId(f.key),
      title: f.title,
      description: doc.description,
      ...body,
    };
  }
  return { schemas, problems };
}

// ---- Schema -> Markdown tables -----------------------------------------------------------------

const cell = (s) => String(s).replace(/\|/g, '\\|').replace(/\n/g, ' ');
const anchor = (key, def) => `${key}-${def.toLowerCase()}`;

function typeText(schema, key) {
  if (schema.$ref) {
    const def = schema.$ref.replace('#/$defs/', '');
    return `[${def}](#${anchor(key, def)})`;
  }
  if (schema.anyOf) return schema.anyOf.map((s) => typeText(s, key)).join(' or ');
  if (schema.enum) return schema.enum.map((v) => (v === null ? 'null' : `\`${JSON.stringify(v)}\``)).join(' or ');
  if ('const' in schema) return `\`${JSON.stringify(schema.const)}\``;
  if (Array.isArray(schema.type)) return schema.type.join(' or ');
  if (schema.type === 'array' && schema.prefixItems) return `[${schema.prefixItems.map((s) => typeText(s, key)).join(', ')}]`;
  if (schema.type === 'array') return `array of ${typeText(schema.items, key)}`;
  if (schema.type === 'object' && !schema.properties && schema.additionalProperties) return `object of ${typeText(schema.additionalProperties, key)}`;
  if (schema.type === 'object') return 'object';
  return schema.type ?? 'any';
}

/** Rows for an object's fields; inline objects (and lists of them) get rows of their own, dotted. */
function rows(schema, key, prefix = '') {
  const out = [];
  const required = new Set(schema.required ?? []);
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    const field = `${prefix}${name}`;
    const nullable = prop.type === 'null' || (Array.isArray(prop.type) && prop.type.includes('null')) || prop.enum?.includes(null) || prop.anyOf?.some((s) => s.type === 'null');
    let text = typeText(prop, key);
    if (nullable && !/\bnull\b/.test(text)) text += ' or null';
    const patterns = [
      prop.pattern && `Matches \`${prop.pattern}\`.`,
      prop.propertyNames?.pattern && `Keys match \`${prop.propertyNames.pattern}\`.`,
      prop.additionalProperties?.pattern && `Values match \`${prop.additionalProperties.pattern}\`.`,
    ].filter(Boolean);
    const description = [prop.description ?? '', ...patterns].filter(Boolean).join(' ');
    out.push(`| \`${field}\` | ${cell(text)} | ${required.has(name) ? 'yes' : 'no'} | ${cell(description)} |`);
    const inline = prop.anyOf?.find((s) => s.type === 'object' && s.properties) ?? prop;
    if (inline.type === 'object' && inline.properties) out.push(...rows(inline, key, `${field}.`));
    const items = inline.type === 'array' ? inline.items : null;
    if (items?.type === 'object' && items.properties) out.push(...rows(items, key, `${field}[].`));
  }
  return out;
}

export function schemaMarkdown(key, schema) {
  const header = ['| field | type | always there | description |', '| --- | --- | --- | --- |'];
  const lines = [`<a id="${anchor(key, '')}root"></a>`, '', ...header, ...rows(schema, key)];
  for (const [name, def] of Object.entries(schema.$defs ?? {})) {
    lines.push('', `<a id="${anchor(key, name)}"></a>`, `**${name}**${def.description ? `: ${def.description}` : ''}`, '', ...header, ...rows(def, key));
  }
  return lines.join('\n');
}

// ---- The CLI reference from commander -------------------------------------------------------------

async function cliSections() {
  const { buildProgram } = await import(pathToFileURL(path.join(ROOT, 'dist/cli/main.js')).href);
  const prog = buildProgram();
  const sections = {};
  const problems = [];
  const optionRows = (cmd, help, options) =>
    options.map((o) => {
      if (!o.description) problems.push(`memprof ${cmd.name()} ${o.flags} has no description`);
      // A default commander knows, else the one the description states ("(default: as fast as the server accepts)").
      const stated = /\(default:? ([^)]*)\)/.exec(o.description)?.[1] ?? '';
      const dflt = o.mandatory ? 'required' : o.defaultValueDescription !== undefined ? `\`${o.defaultValueDescription}\`` : o.defaultValue === undefined ? stated : `\`${JSON.stringify(o.defaultValue)}\``;
      return `| \`${cell(help.optionTerm(o))}\` | ${cell(dflt)} | ${cell(o.description)} |`;
    });
  const table = ['| flag | default | description |', '| --- | --- | --- |'];
  const help = prog.createHelp();
  sections.global = [`\`${help.commandUsage(prog)}\``, '', ...table, ...optionRows(prog, help, help.visibleOptions(prog))].join('\n');
  for (const cmd of prog.commands) {
    const h = cmd.createHelp();
    const lines = [`\`memprof ${h.commandUsage(cmd).replace(/^memprof /, '')}\``, '', cmd.description()];
    const args = h.visibleArguments(cmd);
    if (args.length) {
      lines.push('', '| argument | description |', '| --- | --- |');
      for (const a of args) lines.push(`| \`${cell(h.argumentTerm(a))}\` | ${cell(a.description)} |`);
    }
    lines.push('', ...table, ...optionRows(cmd, h, h.visibleOptions(cmd)));
    sections[cmd.name()] = lines.join('\n');
  }
  return { sections, problems };
}

// ---- Writing ---------------------------------------------------------------------------------------

const BEGIN = (name) => `<!-- BEGIN GENERATED ${name}: npm run docs -->`;
const END = (name) => `<!-- END GENERATED ${name} -->`;

/** Replaces the text between a doc's markers for `name`; the markers must be there (hand-written prose stays). */
function fill(text, name, body, file) {
  const begin = BEGIN(name);
  const end = END(name);
  const a = text.indexOf(begin);
  const b = text.indexOf(end);
  if (a < 0 || b < a) throw new Error(`${file} lacks the markers ${begin} ... ${end}`);
  return text.slice(0, a + begin.length) + '\n' + body + '\n' + text.slice(b);
}

/** Every generated file's expected content, and the problems found. */
export async function generate() {
  const { schemas, problems } = buildSchemas();
  const files = new Map();
  const docs = new Map();
  const doc = (file) => {
    if (!docs.has(file)) docs.set(file, readFileSync(path.join(ROOT, file), 'utf8'));
    return docs.get(file);
  };
  for (const f of FORMATS) {
    files.set(schemaFile(f.key), JSON.stringify(schemas[f.key], null, 2) + '\n');
    docs.set(f.doc, fill(doc(f.doc), `${f.key}.schema.json`, schemaMarkdown(f.key, schemas[f.key]), f.doc));
  }
  const cli = await cliSections();
  problems.push(...cli.problems);
  for (const [name, body] of Object.entries(cli.sections)) docs.set('docs/cli.md', fill(doc('docs/cli.md'), `cli ${name}`, body, 'docs/cli.md'));
  for (const [file, text] of docs) files.set(file, text);
  return { files, problems, schemas };
}

async function main() {
  const check = process.argv.includes('--check');
  const { files, problems } = await generate();
  const stale = [];
  for (const [file, text] of files) {
    const full = path.join(ROOT, file);
    let current = null;
    try {
      current = readFileSync(full, 'utf8');
    } catch {
      // missing: stale
    }
    if (current === text) continue;
    stale.push(file);
    if (!check) {
      mkdirSync(path.dirname(full), { recursive: true });
      writeFileSync(full, text);
    }
  }
  for (const p of problems) process.stderr.write(`docs: ${p}\n`);
  if (check && stale.length) process.stderr.write(`docs: out of date (run npm run docs): ${stale.join(', ')}\n`);
  else if (!check && stale.length) process.stdout.write(`docs: wrote ${stale.join(', ')}\n`);
  else if (!check) process.stdout.write('docs: up to date\n');
  process.exitCode = problems.length || (check && stale.length) ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
