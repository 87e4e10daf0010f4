import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { readSnapshotFile } from '../../src/io/read-snapshot.js';
import { analyzeSnapshot } from '../../src/snapshot/analyze.js';
import { SnapshotParser } from '../../src/snapshot/parse/parser.js';
import type { RawSnapshot } from '../../src/snapshot/types.js';
import { MemprofError } from '../../src/util/errors.js';
import { prng, TRICKY_STRINGS } from './parser-fixture.js';

/**
 * Property-based fuzzing of the snapshot reader: small valid snapshots, damaged in the ways files
 * get damaged (bytes flipped, sections cut, counts changed, numbers out of range, strings left
 * unterminated, gzip damaged), must each end in a valid analysis or one exit-2 line (what
 * `inspect` prints) — never another exception, a hang or runaway memory. CI runs RUNS cases in
 * all (a few seconds); `MEMPROF_FUZZ_RUNS=100000 npx vitest run test/snapshot/fuzz.test.ts` runs
 * many more, and `MEMPROF_FUZZ_SEED=N` replays a failure fast-check reported.
 */
const RUNS = Number(process.env.MEMPROF_FUZZ_RUNS ?? 1500);
const SEED = process.env.MEMPROF_FUZZ_SEED === undefined ? undefined : Number(process.env.MEMPROF_FUZZ_SEED);
/** Per case: these snapshots are a few KB, so anything near this is a runaway loop. */
const CASE_BUDGET_MS = 2000;
/** Memory the whole run may add: a header that sizes arrays from a forged count must not allocate it. */
const MEMORY_BUDGET = 256 * 1024 * 1024;

const NODE_TYPES = ['hidden', 'array', 'string', 'object', 'code', 'closure', 'regexp', 'number', 'native', 'synthetic', 'concatenated string', 'sliced string', 'symbol', 'bigint', 'object shape'];
const EDGE_TYPES = ['context', 'element', 'property', 'internal', 'hidden', 'shortcut', 'weak'];

/** A small snapshot as V8 writes one (with locations and the allocation-trace sections), built from `seed`. */
function seedSnapshot(seed: number): string {
  const rand = prng(seed);
  const n = 3 + Math.floor(rand() * 30);
  const strings = ['', '(GC roots)', 'Object', 'Map', 'Session', 'x', ...TRICKY_STRINGS.map((s) => s.slice(0, 200))];
  const nodes: number[] = [];
  const edges: number[] = [];
  for (let i = 0; i < n; i++) {
    const out = i === 0 ? Math.min(n - 1, 4) : Math.floor(rand() * 3);
    nodes.push(i === 0 ? 9 : Math.floor(rand() * NODE_TYPES.length), Math.floor(rand() * strings.length), i * 2 + 1, Math.floor(rand() * 200), out, 0, 0);
    for (let e = 0; e < out; e++) {
      const type = Math.floor(rand() * EDGE_TYPES.length);
      const byIndex = type === 1 || type === 4;
      const to = i === 0 ? e + 1 : Math.floor(rand() * n);
      edges.push(type, byIndex ? e : Math.floor(rand() * strings.length), to * 7);
    }
  }
  const json = {
    snapshot: {
      meta: {
        node_fields: ['type', 'name', 'id', 'self_size', 'edge_count', 'trace_node_id', 'detachedness'],
        node_types: [NODE_TYPES, 'string', 'number', 'number', 'number', 'number', 'number'],
        edge_fields: ['type', 'name_or_index', 'to_node'],
        edge_types: [EDGE_TYPES, 'string_or_number', 'node'],
        trace_function_info_fields: ['function_id', 'name', 'script_name', 'script_id', 'line', 'column'],
        trace_node_fields: ['id', 'function_info_index', 'count', 'size', 'children'],
        sample_fields: ['timestamp_us', 'last_assigned_id'],
        location_fields: ['object_index', 'script_id', 'line', 'column'],
      },
      node_count: n,
      edge_count: edges.length / 3,
      trace_function_count: 0,
    },
    nodes,
    edges,
    trace_function_infos: [],
    trace_tree: [],
    samples: [],
    locations: n > 2 ? [7, 1, 10, 2] : [],
    strings,
  };
  return JSON.stringify(json);
}

type Outcome = 'ok' | 'error';

/** What `inspect` does with the bytes: read (in random chunks, or through gzip from a file), analyse, summarise. */
async function inspectBytes(bytes: Buffer, opts: { gzip: boolean; chunks: number[] }): Promise<Outcome> {
  try {
    let raw: RawSnapshot;
    if (opts.gzip) {
      const file = join(dir, `case.heapsnapshot.gz`);
      writeFileSync(file, bytes);
      raw = await readSnapshotFile(file);
    } else {
      const parser = new SnapshotParser({ sizeHint: bytes.length });
      let at = 0;
      for (const c of opts.chunks) {
        if (at >= bytes.length) break;
        parser.push(bytes.subarray(at, at + c));
        at += c;
      }
      if (at < bytes.length) parser.push(bytes.subarray(at));
      raw = parser.finish();
    }
    const a = analyzeSnapshot(raw);
    const summary = a.classSummary();
    // A valid result: finite totals, each class with non-negative figures.
    expect(Number.isInteger(a.nodeCount) && a.nodeCount >= 0).toBe(true);
    for (const c of summary.classes ?? []) {
      expect(c.count).toBeGreaterThanOrEqual(0);
      expect(Number.isFinite(c.retainedSize)).toBe(true);
    }
    return 'ok';
  } catch (err) {
    // Bad input: one line, exit 2 (what the CLI prints); anything else is a bug.
    if (err instanceof MemprofError && err.exitCode === 2 && !err.message.includes('\n') && err.message.length > 0) return 'error';

    throw err;
  }
}

const dir = mkdtempSync(join(tmpdir(), 'memprof-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** One damage, applied to the snapshot's text or bytes. */
const damage = fc.oneof(
  // bytes flipped: each at a position (fraction of the length), xor'd with a non-zero mask
  fc.record({ kind: fc.constant('flip' as const), at: fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 8 }) }),
  // cut short, or a slice cut out of the middle
  fc.record({ kind: fc.constant('cut' as const), from: fc.double({ min: 0, max: 1, noNaN: true }), length: fc.oneof(fc.constant(Infinity), fc.integer({ min: 1, max: 400 })) }),
  // the header's counts changed (to lies, huge values, negatives, non-integers)
  fc.record({
    kind: fc.constant('count' as const),
    field: fc.constantFrom('node_count', 'edge_count', 'trace_function_count'),
    value: fc.oneof(fc.integer({ min: -5, max: 200 }), fc.constantFrom('1e12', '4294967296', '9007199254740993', '-1', '1.5', '"7"', 'null', '1e400')),
  }),
  // one number of the nodes, edges or locations out of range
  fc.record({
    kind: fc.constant('number' as const),
    which: fc.double({ min: 0, max: 1, noNaN: true }),
    value: fc.constantFrom('-1', '4294967295', '4294967296', '1e300', '1.5', '-0', '99999999999999999999', '1e', '--3', '0x10', 'NaN'),
  }),
  // strings left unterminated, or a lone escape / a stray quote inserted in the strings section
  fc.record({ kind: fc.constant('string' as const), which: fc.double({ min: 0, max: 1, noNaN: true }), insert: fc.constantFrom('', '"', '\\', '\\u12', '\\x', '\u0000') }),
);

/** `text` is the bytes as latin1 (one char per byte), so byte positions and character positions agree. */
function applyDamage(text: string, d: DamageValue): Buffer {
  switch (d.kind) {
    case 'flip': {
      const b = Buffer.from(text, 'latin1');
      for (const [f, mask] of d.at) {
        const i = Math.min(b.length - 1, Math.floor(f * b.length));
        b[i] ^= mask;
      }
      return b;
    }
    case 'cut': {
      const b = Buffer.from(text, 'latin1');
      const from = Math.floor(d.from * b.length);
      return d.length === Infinity ? b.subarray(0, from) : Buffer.concat([b.subarray(0, from), b.subarray(Math.min(b.length, from + d.length))]);
    }
    case 'count':
      return Buffer.from(text.replace(new RegExp(`"${d.field}":-?[\\d.e]+`), `"${d.field}":${d.value}`), 'latin1');
    case 'number': {
      const start = text.indexOf('"nodes":[');
      const end = text.indexOf('"strings":[');
      const spans: Array<[number, number]> = [];
      const re = /-?\d+/g;
      re.lastIndex = start;
      for (let m = re.exec(text); m && m.index < end; m = re.exec(text)) spans.push([m.index, m.index + m[0].length]);
      if (spans.length === 0) return Buffer.from(text, 'latin1');
      const [a, b] = spans[Math.min(spans.length - 1, Math.floor(d.which * spans.length))];
      return Buffer.from(text.slice(0, a) + d.value + text.slice(b), 'latin1');
    }
    case 'string': {
      const start = text.indexOf('"strings":[') + '"strings":['.length;
      const quotes: number[] = [];
      for (let i = text.indexOf('"', start); i >= 0; i = text.indexOf('"', i + 1)) quotes.push(i);
      const q = quotes[Math.min(quotes.length - 1, Math.floor(d.which * quotes.length))];
      // No insert: the closing quote (and all after it) removed, so the string never ends.
      return Buffer.from(d.insert === '' ? text.slice(0, q) : text.slice(0, q) + d.insert + text.slice(q), 'latin1');
    }
  }
}

type DamageValue = typeof damage extends fc.Arbitrary<infer T> ? T : never;

describe('snapshot reader under damaged input (fast-check)', () => {
  // Resident memory, not arrayBuffers: without a size hint (a gzip without its trailer) the parser
  // may reserve a bounded first array from a forged count, and pages it never touches cost nothing.
  const rssAtStart = process.memoryUsage().rss;
  const grew = (): number => process.memoryUsage().rss - rssAtStart;
  const outcomes = { ok: 0, error: 0 };

  const check = async (text: string, damages: DamageValue[], gzip: 'none' | 'intact' | 'damaged', gzDamage: DamageValue | null, chunks: number[]): Promise<void> => {
    let bytes: Buffer = Buffer.from(text);
    for (const d of damages) bytes = applyDamage(bytes.toString('latin1'), d);
    if (gzip !== 'none') {
      bytes = gzipSync(bytes);
      if (gzip === 'damaged' && gzDamage) bytes = applyDamage(bytes.toString('latin1'), gzDamage.kind === 'flip' || gzDamage.kind === 'cut' ? gzDamage : { kind: 'cut', from: 0.5, length: Infinity });
    }
    const started = Date.now();
    const result = await inspectBytes(gzip === 'none' ? bytes : Buffer.from(bytes), { gzip: gzip !== 'none', chunks });
    outcomes[result]++;
    expect(Date.now() - started, 'one case took too long (a hang?)').toBeLessThan(CASE_BUDGET_MS);
    expect(grew(), 'memory kept growing').toBeLessThan(MEMORY_BUDGET);
  };

  it('every damaged snapshot ends in a valid result or one exit-2 line', async () => {
    // The undamaged seeds are valid: the damage is what the property is about.
    for (let s = 0; s < 5; s++) expect(await inspectBytes(Buffer.from(seedSnapshot(s)), { gzip: false, chunks: [] })).toBe('ok');
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 1000 }),
        fc.array(damage, { minLength: 1, maxLength: 3 }),
        // Through gzip one time in ten: reading a file costs more than parsing these few bytes.
        fc.constantFrom('none', 'none', 'none', 'none', 'none', 'none', 'none', 'none', 'intact', 'damaged'),
        damage,
        fc.array(fc.integer({ min: 1, max: 64 }), { maxLength: 40 }),
        async (seed, damages, gzip, gzDamage, chunks) => check(seedSnapshot(seed), damages, gzip as 'none' | 'intact' | 'damaged', gzDamage, chunks),
      ),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    // Both ends are exercised: some damage is harmless (a flipped digit), most is refused.
    expect(outcomes.ok).toBeGreaterThan(0);
    expect(outcomes.error).toBeGreaterThan(0);
  }, 600_000);
});
