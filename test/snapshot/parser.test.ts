import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SnapshotFormatError, SnapshotParser, parseSnapshot } from '../../src/snapshot/parse/parser.js';
import type { RawSnapshot } from '../../src/snapshot/types.js';
import { MemprofError } from '../../src/util/errors.js';
import { TRICKY_STRINGS, makeTempDir, prng, readJson, writeRealSnapshot, type SnapshotJson } from './parser-fixture.js';

let tmp: ReturnType<typeof makeTempDir>;
let bytes: Buffer;
let ref: SnapshotJson;

beforeAll(() => {
  tmp = makeTempDir();
  const file = writeRealSnapshot(tmp.dir);
  bytes = readFileSync(file);
  ref = readJson(file);
});
afterAll(() => tmp.cleanup());

/** Compares a typed array with JSON.parse's array, reporting the first difference (fast on 10^6 values). */
function expectSameNumbers(actual: Uint32Array, expected: number[] | undefined, label: string): void {
  const want = expected ?? [];
  expect(actual.length, `${label} length`).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    if (actual[i] !== want[i]) expect(actual[i], `${label}[${i}]`).toBe(want[i]);
  }
}

function expectMatchesJson(raw: RawSnapshot, json: SnapshotJson): void {
  const meta = json.snapshot.meta;
  expect(raw.meta.nodeFields).toEqual(meta.node_fields);
  expect(raw.meta.nodeTypes).toEqual(meta.node_types);
  expect(raw.meta.edgeFields).toEqual(meta.edge_fields);
  expect(raw.meta.edgeTypes).toEqual(meta.edge_types);
  expect(raw.meta.locationFields).toEqual(meta.location_fields ?? []);
  expect(raw.nodeCount).toBe(json.snapshot.node_count);
  expect(raw.edgeCount).toBe(json.snapshot.edge_count);
  expectSameNumbers(raw.nodes, json.nodes, 'nodes');
  expectSameNumbers(raw.edges, json.edges, 'edges');
  expectSameNumbers(raw.locations, json.locations, 'locations');
  expect(raw.strings.length).toBe(json.strings.length);
  expect(raw.strings.toArray()).toEqual(json.strings);
}

function parseInChunks(data: Uint8Array, sizes: (position: number) => number, sizeHint?: number): RawSnapshot {
  const parser = new SnapshotParser({ sizeHint });
  for (let i = 0; i < data.length; ) {
    const n = Math.max(1, sizes(i));
    parser.push(data.subarray(i, i + n));
    i += n;
  }
  return parser.finish();
}

/** Serialises strings with every escape form JSON allows, where V8 itself would write fewer. */
function escapeEverything(s: string): string {
  let out = '"';
  for (let k = 0; k < s.length; k++) {
    const u = s.charCodeAt(k);
    if (u === 0x2f) out += '\\/';
    else if (u === 0x08) out += '\\b';
    else if (u === 0x0c) out += '\\f';
    else if (u === 0x22) out += '\\"';
    else if (u === 0x5c) out += '\\\\';
    else if (u < 0x20 || u >= 0x7f) out += '\\u' + u.toString(16).padStart(4, '0')[k % 2 ? 'toUpperCase' : 'toLowerCase']();
    else out += s[k];
  }
  return out + '"';
}

/** The real snapshot with extra strings appended and the strings section written by `encode`. */
function withStrings(json: SnapshotJson, extra: string[], encode: (s: string) => string, indent?: number): Buffer {
  const { strings, ...rest } = json;
  const head = JSON.stringify(rest, null, indent);
  const body = [...strings, ...extra].map(encode).join(indent ? ',\n ' : ',');
  return Buffer.from(`${head.slice(0, head.lastIndexOf('}'))},"strings":[${body}]}\n`, 'utf8');
}

const EXTRA_STRINGS = [...TRICKY_STRINGS, 'bs\b ff\f', 'max \u{10FFFF} astral', '', ' ', '\u00ff\u0100\u07ff\u0800\uffff'];

describe('SnapshotParser on a real Node heap snapshot', () => {
  it('gives exactly what JSON.parse gives: meta, counts, every array value and every string', () => {
    const raw = parseSnapshot(bytes);
    expectMatchesJson(raw, ref);
    expect(raw.traceFunctionCount).toBe(0);
    // The objects the child created are in there, so the comparison covered them.
    expect(raw.strings.toArray()).toContain('Session');
    expect(raw.strings.toArray()).toContain(TRICKY_STRINGS[1]);
    expect(raw.strings.toArray()).toContain(TRICKY_STRINGS[3]);
  });

  it('gives the same result whatever the chunk borders: 1-byte, odd-sized and random-sized chunks', () => {
    // Byte by byte through the header, the start of the nodes, the border of nodes and edges
    // and the whole strings section; larger steps elsewhere keep the test quick.
    const text = bytes.toString('latin1');
    const slow = [
      [0, text.indexOf('"nodes"') + 20_000],
      [text.indexOf('"edges"') - 5_000, text.indexOf('"edges"') + 5_000],
      [text.indexOf('"strings"') - 100, bytes.length],
    ];
    expectMatchesJson(
      parseInChunks(bytes, (at) => (slow.some(([from, to]) => at >= from && at < to) ? 1 : 997)),
      ref,
    );
    for (const size of [2, 3, 7, 4093, 65_537]) expectMatchesJson(parseInChunks(bytes, () => size), ref);
    const rnd = prng(42);
    expectMatchesJson(
      parseInChunks(bytes, () => Math.floor(rnd() * 300)),
      ref,
    );
  });

  it('decodes raw UTF-8 (split across chunks), escaped surrogate pairs, lone surrogates and every JSON escape', () => {
    const expected = { ...ref, strings: [...ref.strings, ...EXTRA_STRINGS] };
    // JSON.stringify writes non-ASCII as raw UTF-8 and lone surrogates as \udXXX.
    const rawUtf8 = withStrings(ref, EXTRA_STRINGS, (s) => JSON.stringify(s), 1);
    const escaped = withStrings(ref, EXTRA_STRINGS, escapeEverything);
    for (const data of [rawUtf8, escaped]) {
      expect(JSON.parse(data.toString('utf8')).strings).toEqual(expected.strings);
      expectMatchesJson(parseSnapshot(data), expected);
      const rnd = prng(7);
      expectMatchesJson(
        parseInChunks(data, () => 1 + Math.floor(rnd() * 5)),
        expected,
      );
    }
  });

  it('replaces invalid UTF-8 the way a UTF-8 decoder does', () => {
    const bad = Buffer.from([0xff, 0x41, 0xe2, 0x82, 0x42, 0xf0, 0x9f, 0x98, 0x80, 0xed, 0xa0, 0x80, 0xc0, 0xaf]);
    const head = JSON.stringify({ ...ref, strings: undefined }).slice(0, -1);
    const data = Buffer.concat([Buffer.from(`${head},"strings":[${ref.strings.map((s) => JSON.stringify(s)).join(',')},"`), bad, Buffer.from('"]}')]);
    const raw = parseSnapshot(data);
    expect(raw.strings.get(raw.strings.length - 1)).toBe(new TextDecoder().decode(bad));
  });

  it('reads the field layout from meta (an older layout without detachedness) and skips unknown sections', () => {
    const nodeFields = ref.snapshot.meta.node_fields;
    const drop = nodeFields.indexOf('detachedness');
    expect(drop).toBeGreaterThan(0);
    const n = nodeFields.length;
    const nodes = ref.nodes.filter((_, i) => i % n !== drop);
    const edgeFields = ref.snapshot.meta.edge_fields;
    const to = edgeFields.indexOf('to_node');
    const edges = ref.edges.map((v, i) => (i % edgeFields.length === to ? (v / n) * (n - 1) : v));
    const meta = {
      ...ref.snapshot.meta,
      node_fields: nodeFields.filter((_, i) => i !== drop),
      node_types: (ref.snapshot.meta.node_types as unknown[]).filter((_, i) => i !== drop),
    };
    const old = {
      future_section: { nested: ['a', ']', '}', { deep: [1, 2.5e3, -1, true, null] }], text: 'with "quotes" and [brackets]' },
      snapshot: { ...ref.snapshot, meta },
      nodes,
      edges,
      trace_function_infos: [1, 2, 3, 4, 5, 6],
      trace_tree: [1, 0, 0, 0, [2, 1, 0, 0, []]],
      samples: [100, 1],
      strings: ref.strings,
      locations: ref.locations,
      last_scalar: -12.5e-3,
    };
    const raw = parseSnapshot(Buffer.from(JSON.stringify(old)));
    expect(raw.meta.nodeFields).toEqual(meta.node_fields);
    expectSameNumbers(raw.nodes, nodes, 'nodes');
    expectSameNumbers(raw.edges, edges, 'edges');
    expect(raw.strings.toArray()).toEqual(ref.strings);
  });

  it('gives the same result when the size hint is far off (arrays grow; the string list is trimmed)', () => {
    for (const hint of [100, bytes.length * 10]) expectMatchesJson(parseInChunks(bytes, () => 65_536, hint), ref);
  });

  it('accepts a header without declared counts, taking them from the arrays', () => {
    const { node_count: _n, edge_count: _e, ...snapshot } = ref.snapshot;
    const raw = parseInChunks(Buffer.from(JSON.stringify({ ...ref, snapshot })), () => 100_000);
    expect(raw.nodeCount).toBe(ref.snapshot.node_count);
    expect(raw.edgeCount).toBe(ref.snapshot.edge_count);
    expectSameNumbers(raw.nodes, ref.nodes, 'nodes');
  });
});

describe('SnapshotParser rejects bad input with the section and byte offset', () => {
  function parseError(data: Uint8Array | string): SnapshotFormatError {
    try {
      parseSnapshot(typeof data === 'string' ? Buffer.from(data) : data);
    } catch (err) {
      expect(err).toBeInstanceOf(SnapshotFormatError);
      expect(err).toBeInstanceOf(MemprofError);
      expect((err as MemprofError).exitCode).toBe(2);
      expect((err as Error).message).not.toContain('\n');
      return err as SnapshotFormatError;
    }
    throw new Error('expected the parser to reject the input');
  }
  const variant = (change: (j: SnapshotJson) => void): Buffer => {
    const copy = JSON.parse(JSON.stringify(ref)) as SnapshotJson;
    change(copy);
    return Buffer.from(JSON.stringify(copy));
  };

  it('names the section where the data ends when truncated anywhere', () => {
    const text = bytes.toString('latin1');
    const cuts: Array<[number, string]> = [
      [text.indexOf('"meta"') + 20, 'snapshot'],
      [text.indexOf('"nodes"') + 5000, 'nodes'],
      [text.indexOf('"edges"') + 5001, 'edges'],
      [text.indexOf('"strings"') + 333, 'strings'],
      [text.indexOf('"locations"') + 50, 'locations'],
    ];
    for (const [cut, section] of cuts) {
      const err = parseError(bytes.subarray(0, cut));
      expect(err.message).toMatch(new RegExp(`^truncated heap snapshot: the data ends at byte ${cut}, inside the "${section}" section`));
    }
    expect(parseError(bytes.subarray(0, bytes.length - 2)).message).toMatch(/^truncated heap snapshot/);
    expect(parseError(bytes.subarray(0, text.lastIndexOf('"'))).message).toMatch(/inside the "strings" section after \d+ strings/);
  });

  it('rejects empty input, random bytes, gzip bytes and JSON that is not a heap snapshot', () => {
    expect(parseError('').message).toMatch(/^empty input/);
    const rnd = prng(1);
    const noise = Buffer.from(Array.from({ length: 4096 }, () => Math.floor(rnd() * 256)));
    noise[0] = 0x9a;
    expect(parseError(noise).message).toBe("not a heap snapshot: expected '{' at the start of the JSON, found byte 0x9a (at byte 0)");
    expect(parseError(gzipSync(bytes.subarray(0, 1000))).message).toMatch(/gzip-compressed/);
    expect(parseError('[1,2,3]').message).toMatch(/expected '\{' at the start/);
    expect(parseError('{"name":"my-package","version":"1.0.0"}').message).toMatch(/^not a V8 heap snapshot: the JSON object has no "snapshot" header/);
    expect(parseError('{"snapshot":{"title":"x"},"nodes":[]}').message).toMatch(/no "meta" object/);
    expect(parseError('{"snapshot": {"meta": {}} ').message).toMatch(/node_fields/);
    expect(parseError('{"snapshot":' + JSON.stringify(ref.snapshot) + ',"nodes":[1,2,x]}').message).toMatch(
      /^unexpected 'x' in a number array \(at byte \d+, in the "nodes" section\)$/,
    );
    const header = '{"snapshot":' + JSON.stringify(ref.snapshot) + ',"nodes":';
    expect(parseError(header + '[1 2]}').message).toMatch(/^numbers and commas do not alternate \(2 numbers, 0 commas\)/);
    expect(parseError(header + '[1,,2]}').message).toMatch(/^numbers and commas do not alternate \(2 numbers, 2 commas\): a missing or extra comma \(at byte \d+, in the "nodes" section\)$/);
    expect(parseError(header + '[,]}').message).toMatch(/^numbers and commas do not alternate/);
    expect(parseError(header + '[1,-2]}').message).toMatch(/^unexpected '-': only non-negative integers are valid here/);
    expect(parseError(variant(() => undefined).toString() + ' trailing').message).toMatch(/after the end of the snapshot's JSON object/);
  });

  it('rejects arrays shorter or longer than the header declares', () => {
    expect(parseError(variant((j) => j.nodes.splice(-7))).message).toMatch(/^the nodes array is short: \d+ values, but node_count \d+ × 7 fields needs \d+/);
    expect(parseError(variant((j) => (j.snapshot.edge_count += 10))).message).toMatch(/^the edges array is short/);
    expect(parseError(variant((j) => j.edges.push(0, 0, 0))).message).toMatch(/^the edges array is too long/);
  });

  it('rejects edges that point outside the node array or into the middle of a node, at the byte of the bad value', () => {
    const to = ref.snapshot.meta.edge_fields.indexOf('to_node');
    const cases: Array<[number, (j: SnapshotJson) => number, RegExp]> = [
      [1, (j) => (j.edges[3 + to] = j.nodes.length), /outside the \d+ nodes/],
      [5, (j) => (j.edges[3 * 5 + to] += 1), /not at the start of a node/],
      [ref.edges.length / 3 - 1, (j) => (j.edges[j.edges.length - 3 + to] = 4_000_000_000), /outside the \d+ nodes/],
    ];
    for (const [edge, change, why] of cases) {
      let bad = 0;
      const data = variant((j) => void (bad = change(j)));
      for (const chunk of [data.length, 1000, 7]) {
        let err: SnapshotFormatError | undefined;
        try {
          parseInChunks(data, () => chunk);
        } catch (e) {
          err = e as SnapshotFormatError;
        }
        expect(err?.message).toMatch(new RegExp(`^edge #${edge} has to_node ${bad}, ${why.source}.* \\(at byte \\d+, in the "edges" section\\)$`));
        // The offset points at the bad number itself.
        const at = err!.offset!;
        expect(data.toString('latin1', at, at + String(bad).length + 1)).toMatch(new RegExp(`^${bad}[,\\]\n]`));
      }
    }
  });

  it('rejects a snapshot whose edge_count fields do not add up to the edges', () => {
    const ec = ref.snapshot.meta.node_fields.indexOf('edge_count');
    const err = parseError(variant((j) => (j.nodes[7 * 3 + ec] += 1)));
    expect(err.message).toMatch(/^the nodes' edge_count fields add up to \d+ edges, but the edges section holds \d+/);
  });

  it('rejects names that point outside the strings', () => {
    const name = ref.snapshot.meta.node_fields.indexOf('name');
    expect(parseError(variant((j) => (j.nodes[name] = j.strings.length))).message).toMatch(/^node #0 names string \d+, but there are only \d+ strings/);
  });
});
