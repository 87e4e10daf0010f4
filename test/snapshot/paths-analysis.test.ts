import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeSnapshot, type HeapAnalysis } from '../../src/snapshot/analyze.js';
import { retainedBreakdown, retainerPath } from '../../src/snapshot/graph/retainer-path.js';
import { findLeaks } from '../../src/snapshot/leaks/leaks.js';
import { parseSnapshot } from '../../src/snapshot/parse/parser.js';
import { ROOT } from '../helpers.js';

let dir: string;
let analysis: HeapAnalysis;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'memprof-paths-'));
  const file = join(dir, 'classes.heapsnapshot');
  const r = spawnSync(process.execPath, [join(ROOT, 'fixtures/heap/classes.mjs'), file], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(r.stderr);
  analysis = analyzeSnapshot(parseSnapshot(readFileSync(file)));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function instancesOf(name: string): number[] {
  const out: number[] = [];
  for (let v = 0; v < analysis.nodeCount; v++) if (analysis.className(v) === name && analysis.graph.selfSize[v] > 0) out.push(v);
  return out;
}

describe('retainer paths and what an object retains', () => {
  it('a Session is reached through the global variable, the server, its sessions Map', () => {
    const [session] = instancesOf('Session');
    const path = retainerPath(analysis, session);
    expect(path.at(-1)).toBe('Session');
    // Node names and edge names alternate: odd length, starting and ending at a node.
    expect(path.length % 2).toBe(1);
    const text = path.join(' > ');
    expect(text).toContain('__keep > Object > server > Server > sessions > Map > table');
  });

  it('the main Server retains its handlers (closures over each session) and its sessions Map', () => {
    const servers = instancesOf('Server');
    const main = servers.reduce((a, b) => (analysis.retainedSize[a] >= analysis.retainedSize[b] ? a : b));
    const parts = retainedBreakdown(analysis, main, 3);
    // Each Session is held both by the Map and by a closure in `handlers`, so the Server (not
    // either of them) dominates the sessions; each still retains its own part.
    expect(parts.map((p) => `${p.edge}:${p.name}`)).toEqual(expect.arrayContaining(['handlers:Array', 'sessions:Map']));
    expect(parts[0].retainedSize).toBeGreaterThan(200 * 50);
    for (let i = 1; i < parts.length; i++) expect(parts[i - 1].retainedSize).toBeGreaterThanOrEqual(parts[i].retainedSize);
    // What the parts retain is part of what the server retains.
    expect(parts.reduce((s, p) => s + p.retainedSize, 0)).toBeLessThanOrEqual(analysis.retainedSize[main]);
  });

  it('a snapshot compared with itself has no leaks', () => {
    expect(findLeaks(analysis, analysis, analysis)).toEqual([]);
  });
});
