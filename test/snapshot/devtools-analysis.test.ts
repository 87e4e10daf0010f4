import { spawnSync } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'heap-snapshot-toolkit';
import { analyzeSnapshot, instanceRetainedSizes, type HeapAnalysis } from '../../src/snapshot/analyze.js';
import { parseSnapshot } from '../../src/snapshot/parse/parser.js';
import { ROOT } from '../helpers.js';

/**
 * The contract: on real snapshots of real Node processes, every class's count, shallow size and
 * retained size, and the totals, equal what Chrome DevTools' own code (heap-snapshot-toolkit)
 * computes, to the byte.
 */

interface DevToolsAggregate {
  count: number;
  self: number;
  maxRet: number;
  name: string;
}
interface DevToolsSnapshot {
  nodeCount: number;
  totalSize: number;
  aggregatesWithFilter(filter: object): Record<string, DevToolsAggregate>;
}

let dir: string;

function snapshotOf(script: string, name: string): string {
  const file = join(dir, name);
  const r = spawnSync(process.execPath, [script, file], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`fixture failed: ${r.stderr}`);
  return file;
}

function snapshotOfCode(code: string, name: string): string {
  const file = join(dir, name);
  const r = spawnSync(process.execPath, ['-e', `${code}\nrequire('v8').writeHeapSnapshot(${JSON.stringify(file)});`], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`fixture failed: ${r.stderr}`);
  return file;
}

async function devtools(file: string): Promise<DevToolsSnapshot> {
  return (await parse(createReadStream(file))) as unknown as DevToolsSnapshot;
}

function compare(mine: HeapAnalysis, theirs: DevToolsSnapshot): void {
  const summary = mine.classSummary();
  expect(summary.nodeCount).toBe(theirs.nodeCount);
  expect(summary.totalSize).toBe(theirs.totalSize);
  const expected = Object.entries(theirs.aggregatesWithFilter({}))
    .map(([key, a]) => ({ key, name: a.name, count: a.count, selfSize: a.self, retainedSize: a.maxRet }))
    .sort((a, b) => (a.key < b.key ? -1 : 1));
  const actual = summary.classes
    .map(({ key, name, count, selfSize, retainedSize }) => ({ key, name, count, selfSize, retainedSize }))
    .sort((a, b) => (a.key < b.key ? -1 : 1));
  expect(actual).toEqual(expected);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'memprof-devtools-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('analysis equals Chrome DevTools to the byte', () => {
  it('user classes, two classes named Server, closures, Maps, WeakMaps, strings, plain-object interfaces', async () => {
    const file = snapshotOf(join(ROOT, 'fixtures/heap/classes.mjs'), 'classes.heapsnapshot');
    const mine = analyzeSnapshot(parseSnapshot(readFileSync(file)));
    compare(mine, await devtools(file));

    const summary = mine.classSummary();
    const servers = summary.classes.filter((c) => c.name === 'Server');
    expect(servers).toHaveLength(2);
    expect(servers.map((s) => s.count).sort()).toEqual([3, 3]);
    expect(summary.classes.find((c) => c.name === 'Session')?.count).toBe(200);
    expect(summary.classes.some((c) => c.name === '{transport, state}')).toBe(true);
    expect(summary.classes.some((c) => c.name === 'system / Context')).toBe(true);
    // Largest retained size first.
    for (let i = 1; i < summary.classes.length; i++) expect(summary.classes[i - 1].retainedSize).toBeGreaterThanOrEqual(summary.classes[i].retainedSize);

    const sessions = instanceRetainedSizes(mine, 'Session');
    expect(sessions).toHaveLength(200);
    // Each Session owns its log strings, buffer and state objects: more than its own shallow size.
    for (const size of sessions) expect(size).toBeGreaterThan(200);
  });

  it('a heap dominated by one big Map of small objects, with cycles and weakly held values', async () => {
    const file = snapshotOfCode(
      `const m = new Map(); const ws = new WeakSet(); const refs = [];
       for (let i = 0; i < 10000; i++) { const o = { id: i, name: 'n' + i, tags: [i, i + 1] }; m.set(i, o); if (i % 10 === 0) ws.add(o); }
       for (let i = 0; i < 100; i++) { const a = { i }; const b = { a }; a.b = b; refs.push(new WeakRef(a)); }
       const fr = new FinalizationRegistry(() => {}); fr.register({ gone: 1 }, 'x');
       globalThis.keep = { m, ws, refs, fr };`,
      'map.heapsnapshot',
    );
    compare(analyzeSnapshot(parseSnapshot(readFileSync(file))), await devtools(file));
  });

  it('a snapshot taken over the inspector with internals exposed and numbers captured', async () => {
    const file = join(dir, 'internals.heapsnapshot');
    const code = `
      const { Session } = require('node:inspector');
      const fs = require('node:fs');
      class Pool { constructor() { this.free = []; this.busy = new Set(); } }
      const pools = [new Pool(), new Pool()];
      for (let i = 0; i < 500; i++) pools[i % 2].free.push({ n: i, x: i * 1.5, label: 'item ' + i });
      globalThis.keep = pools;
      const s = new Session();
      s.connect();
      const fd = fs.openSync(${JSON.stringify(file)}, 'w');
      s.on('HeapProfiler.addHeapSnapshotChunk', (m) => fs.writeSync(fd, m.params.chunk));
      s.post('HeapProfiler.takeHeapSnapshot', { exposeInternals: true, captureNumericValue: true }, (err) => {
        fs.closeSync(fd);
        s.disconnect();
        if (err) { console.error(err); process.exit(1); }
      });`;
    const r = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8', timeout: 60_000 });
    if (r.status !== 0) throw new Error(`fixture failed: ${r.stderr}`);
    compare(analyzeSnapshot(parseSnapshot(readFileSync(file))), await devtools(file));
  });

  it('a snapshot whose header puts the root last (root_index) and declares extra_native_bytes', async () => {
    const source = snapshotOf(join(ROOT, 'fixtures/heap/classes.mjs'), 'root-first.heapsnapshot');
    const file = join(dir, 'root-last.heapsnapshot');
    writeFileSync(file, JSON.stringify(rootLast(JSON.parse(readFileSync(source, 'utf8')) as SnapshotJson, 123_456)));
    const mine = analyzeSnapshot(parseSnapshot(readFileSync(file)));
    expect(mine.graph.rootOrdinal).toBe(mine.nodeCount - 1);
    compare(mine, await devtools(file));
    // The same heap as the original: the total gains the extra bytes, and every class keeps its
    // figures, except plain objects: DevTools names no {a, b} interface when the root is last.
    const original = analyzeSnapshot(parseSnapshot(readFileSync(source))).classSummary();
    expect(mine.classSummary().totalSize).toBe(original.totalSize + 123_456);
    const figures = (s: typeof original): unknown[] =>
      s.classes.filter((c) => c.name !== 'Object' && !c.name.startsWith('{')).map((c) => [c.key, c.count, c.selfSize, c.retainedSize]);
    expect(figures(mine.classSummary())).toEqual(figures(original));
    expect(mine.classSummary().classes.some((c) => c.name.startsWith('{'))).toBe(false);
    expect(original.classes.some((c) => c.name === '{transport, state}')).toBe(true);
  });
});

interface SnapshotJson {
  snapshot: { meta: { node_fields: string[]; edge_fields: string[]; location_fields: string[] }; root_index?: number; extra_native_bytes?: number };
  nodes: number[];
  edges: number[];
  locations: number[];
}

/** The same heap with V8's first node (the root) moved to the end, as `root_index` allows; every node reference rewritten. */
function rootLast(j: SnapshotJson, extraNativeBytes: number): SnapshotJson {
  const { node_fields, edge_fields, location_fields } = j.snapshot.meta;
  const nf = node_fields.length;
  const ef = edge_fields.length;
  const n = j.nodes.length / nf;
  const moved = (index: number): number => ((index / nf + n - 1) % n) * nf;
  const rootEdges = j.nodes[node_fields.indexOf('edge_count')] * ef;
  const edges = [...j.edges.slice(rootEdges), ...j.edges.slice(0, rootEdges)];
  const to = edge_fields.indexOf('to_node');
  for (let i = to; i < edges.length; i += ef) edges[i] = moved(edges[i]);
  const locations = [...j.locations];
  const lf = location_fields.length;
  for (let i = location_fields.indexOf('object_index'); i < locations.length; i += lf) locations[i] = moved(locations[i]);
  return {
    ...j,
    snapshot: { ...j.snapshot, root_index: (n - 1) * nf, extra_native_bytes: extraNativeBytes },
    nodes: [...j.nodes.slice(nf), ...j.nodes.slice(0, nf)],
    edges,
    locations,
  };
}
