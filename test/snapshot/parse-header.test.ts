import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeSnapshot } from '../../src/snapshot/analyze.js';
import { SnapshotFormatError, parseSnapshot } from '../../src/snapshot/parse/parser.js';
import { makeTempDir, readJson, writeRealSnapshot, type SnapshotJson } from './parser-fixture.js';

/**
 * The header as DevTools reads it: the field lists decide the layout and only the `type` entry of
 * node_types / edge_types is read, so surplus entries are tolerated (with a note); what would make
 * the numbers ambiguous is refused with one line.
 */
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

type Header = SnapshotJson['snapshot'] & { meta: { node_types: unknown[]; edge_types: unknown[] }; [key: string]: unknown };

function variant(change: (h: Header, j: SnapshotJson) => void): Buffer {
  const copy = JSON.parse(JSON.stringify(ref)) as SnapshotJson;
  change(copy.snapshot as Header, copy);
  return Buffer.from(JSON.stringify(copy));
}

function parseError(data: Buffer): string {
  try {
    parseSnapshot(data);
  } catch (err) {
    expect(err).toBeInstanceOf(SnapshotFormatError);
    expect((err as SnapshotFormatError).exitCode).toBe(2);
    expect((err as Error).message).not.toContain('\n');
    return (err as Error).message;
  }
  throw new Error('expected the parser to reject the input');
}

describe('snapshot header: tolerated as DevTools tolerates it', () => {
  it('reads a real snapshot with no notes', () => {
    expect(parseSnapshot(bytes).notes).toEqual([]);
  });

  it('surplus node_types and edge_types entries (as Node 24 writes): same layout, same figures, one note each', () => {
    const meta = ref.snapshot.meta as Header['meta'];
    const raw = parseSnapshot(
      variant((h) => {
        h.meta.node_types.push('number');
        h.meta.edge_types.push('string', ['a', 'b']);
      }),
    );
    expect(raw.meta.nodeTypes).toEqual(meta.node_types);
    expect(raw.meta.edgeTypes).toEqual(meta.edge_types);
    const n = meta.node_types.length;
    const e = meta.edge_types.length;
    expect(raw.notes).toEqual([
      `meta.node_types has ${n + 1} entries for ${n} node_fields; the 1 extra entry (["number"]) ignored, as DevTools does: the field list decides the layout`,
      `meta.edge_types has ${e + 2} entries for ${e} edge_fields; the 2 extra entries (["string",["a","b"]]) ignored, as DevTools does: the field list decides the layout`,
    ]);
    const summary = (data: Buffer) => analyzeSnapshot(parseSnapshot(data)).classSummary();
    expect(analyzeSnapshot(raw).classSummary()).toEqual(summary(bytes));
  });

  it('root_index 0 and extra_native_bytes 0 change nothing; other extra header keys are ignored', () => {
    const raw = parseSnapshot(
      variant((h) => {
        h.root_index = 0;
        h.extra_native_bytes = 0;
        h.title = 'Snapshot 1';
        h.meta.future_fields = ['x'];
      }),
    );
    expect(raw.rootOrdinal).toBe(0);
    expect(raw.extraNativeBytes).toBe(0);
    expect(raw.notes).toEqual([]);
  });

  it('root_index naming the last node makes it the root', () => {
    // Only the header is checked here; the figures on a real root-last file are compared with DevTools in devtools-analysis.
    const nf = ref.snapshot.meta.node_fields.length;
    const raw = parseSnapshot(variant((h) => (h.root_index = (h.node_count - 1) * nf)));
    expect(raw.rootOrdinal).toBe(ref.snapshot.node_count - 1);
  });
});

describe('snapshot header: what makes the numbers ambiguous is refused with one line', () => {
  const fields = (): { nf: number; ef: number } => ({ nf: ref.snapshot.meta.node_fields.length, ef: ref.snapshot.meta.edge_fields.length });

  it('fewer type entries than fields', () => {
    const { nf, ef } = fields();
    expect(parseError(variant((h) => h.meta.node_types.pop()))).toBe(
      `meta.node_types has ${nf - 1} entries for the ${nf} fields of meta.node_fields, so the fields' types are ambiguous (at byte 12, in the "snapshot" section)`,
    );
    expect(parseError(variant((h) => h.meta.edge_types.pop()))).toMatch(new RegExp(`^meta\\.edge_types has ${ef - 1} entries for the ${ef} fields of meta\\.edge_fields`));
    expect(parseError(variant((h) => (h.meta.node_types = 'x' as unknown as unknown[])))).toMatch(/^meta\.node_types is not a list/);
  });

  it('a type field without a list of type names, or entries that are not names', () => {
    const typeAt = ref.snapshot.meta.node_fields.indexOf('type');
    expect(parseError(variant((h) => (h.meta.node_types[typeAt] = 'string')))).toMatch(/^meta\.node_types has no list of node type names for the "type" field/);
    expect(parseError(variant((h) => (h.meta.edge_types[0] = 'string_or_number')))).toMatch(/^meta\.edge_types has no list of edge type names/);
    expect(parseError(variant((h) => (h.meta.node_types[1] = 7)))).toMatch(/^meta\.node_types holds something other than names/);
  });

  it('a required field missing, or a field named twice', () => {
    expect(parseError(variant((h) => (h.meta.node_fields = h.meta.node_fields.filter((f) => f !== 'name'))))).toMatch(/^meta\.node_fields lacks "name"/);
    expect(parseError(variant((h) => (h.meta.edge_fields = h.meta.edge_fields.filter((f) => f !== 'type'))))).toMatch(/^meta\.edge_fields lacks "type"/);
    expect(
      parseError(
        variant((h) => {
          h.meta.node_fields[h.meta.node_fields.length - 1] = 'id';
        }),
      ),
    ).toMatch(/^meta\.node_fields names "id" twice, so its values are ambiguous/);
  });

  it('root_index off a node start, outside the nodes, or neither first nor last (DevTools refuses that too)', () => {
    const { nf } = fields();
    const n = ref.snapshot.node_count;
    expect(parseError(variant((h) => (h.root_index = nf + 1)))).toMatch(new RegExp(`^root_index ${nf + 1} is not at the start of a node`));
    expect(parseError(variant((h) => (h.root_index = n * nf)))).toMatch(new RegExp(`^root_index ${n * nf} is outside the ${n} nodes`));
    expect(parseError(variant((h) => (h.root_index = 5 * nf)))).toMatch(/^root_index \d+ names node #5, but the root must be the first or the last node/);
    expect(parseError(variant((h) => (h.root_index = -1)))).toMatch(/^root_index is not a non-negative integer/);
  });

  it('extra_native_bytes that is not a byte count', () => {
    expect(parseError(variant((h) => (h.extra_native_bytes = '12')))).toMatch(/^extra_native_bytes is not a non-negative integer/);
  });
});
