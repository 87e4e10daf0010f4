import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSnapshotFile } from '../../src/io/read-snapshot.js';
import { analyzeSnapshot } from '../../src/snapshot/analyze.js';
import { findLeaks, type LeakGroup, type LeakOptions } from '../../src/snapshot/leaks/leaks.js';
import { sortedIds } from '../../src/snapshot/snapshot-ids.js';
import { ROOT } from '../helpers.js';

/**
 * Leaks of several shapes in a real HTTP server that drives itself (fixtures/heap/leak-patterns.mjs):
 * the engine must find each one with a path through the user code that holds it, and nothing on the
 * same server doing the same work without keeping it, although Node's own caches fill meanwhile.
 */
type Mode = 'listener' | 'closure' | 'export' | 'archive' | 'server' | 'interval' | 'clean';

let dir: string;
const runs = new Map<Mode, { files: [string, string, string]; counts: { warmup: number; leaked: number; after: number } }>();

function runPattern(mode: Mode): Promise<void> {
  const out = join(dir, mode);
  mkdirSync(out);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', join(ROOT, 'fixtures/heap/leak-patterns.mjs'), mode, out], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`leak-patterns ${mode} exited ${code}: ${stderr}`));
      const files = ['baseline', 'target', 'final'].map((n) => join(out, `${n}.heapsnapshot`)) as [string, string, string];
      runs.set(mode, { files, counts: JSON.parse(stdout) });
      resolve();
    });
  });
}

async function leaksOf(mode: Mode, opts: LeakOptions = {}): Promise<LeakGroup[]> {
  const [b, t, f] = runs.get(mode)!.files;
  const ids = async (file: string) => sortedIds(analyzeSnapshot(await readSnapshotFile(file)));
  return findLeaks(await ids(b), await ids(t), analyzeSnapshot(await readSnapshotFile(f)), opts);
}

const describeGroups = (leaks: LeakGroup[]) => JSON.stringify(leaks.map((l) => [l.name, l.count, l.retainedSize, l.path.join(' > ')]));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'memprof-leak-patterns-'));
  // Two at a time: the machine has two cores.
  await Promise.all([runPattern('listener'), runPattern('closure')]);
  await Promise.all([runPattern('export'), runPattern('archive')]);
  await Promise.all([runPattern('server'), runPattern('interval')]);
  await runPattern('clean');
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('three-snapshot leak detection on leaks of different shapes', () => {
  it('a listener per request on a module-level EventEmitter', async () => {
    const leaks = await leaksOf('listener');
    const { leaked, after } = runs.get('listener')!.counts;
    expect(leaks, describeGroups(leaks)).toHaveLength(1);
    const [l] = leaks;
    expect(l.count).toBe(leaked);
    expect(l.path.join(' > ')).toContain('bus > EventEmitter > _events > Object > shutdown > Array');
    expect(l.path.at(-1)).toBe('(anonymous function)');
    // Each listener holds its request's state: ~250 bytes of body alone.
    expect(l.retainedSize).toBeGreaterThan(leaked * 250);
    // The AFTER requests added listeners of the same kind: the leak is still growing, in proportion.
    expect(l.growthBytes / l.retainedSize).toBeCloseTo(after / leaked, 1);
  });

  it('a callback per request pushed onto a global array', async () => {
    const leaks = await leaksOf('closure');
    expect(leaks, describeGroups(leaks)).toHaveLength(1);
    expect(leaks[0].count).toBe(runs.get('closure')!.counts.leaked);
    expect(leaks[0].path.join(' > ')).toMatch(/^global > callbacks > Array > \[\d+\] > \(anonymous function\)$/);
  });

  it('objects added to a Set exported by an ES module', async () => {
    const leaks = await leaksOf('export');
    expect(leaks, describeGroups(leaks)).toHaveLength(1);
    const [l] = leaks;
    expect(l.name).toBe('RequestState');
    expect(l.count).toBe(runs.get('export')!.counts.leaked);
    expect(l.path.join(' > ')).toMatch(/system \/ Cell > value > Set > table > \(array\) > \[\d+\] > RequestState$/);
  });

  it('leaked objects wrapped after TARGET in newer archive entries are still found', async () => {
    const leaks = await leaksOf('archive');
    expect(leaks, describeGroups(leaks)).toHaveLength(1);
    const [l] = leaks;
    expect(l.name).toBe('RequestState');
    expect(l.count).toBe(runs.get('archive')!.counts.leaked);
    expect(l.path.join(' > ')).toMatch(/archive > Array > \[\d+\] > \{state[^}]*\} > state > RequestState$/);
    expect(l.retainedSize).toBeGreaterThan(l.count * 250);
  });

  it('a listener per request on the HTTP server, which only its listening handle holds', async () => {
    const leaks = await leaksOf('server');
    expect(leaks, describeGroups(leaks)).toHaveLength(1);
    expect(leaks[0].count).toBe(runs.get('server')!.counts.leaked);
    expect(leaks[0].path.join(' > ')).toMatch(/Server > _events > Object > drain-all > Array > \[\d+\] > \(anonymous function\)$/);
  });

  it('an interval per request never cleared, its callback holding the request state', async () => {
    const leaks = await leaksOf('interval');
    expect(leaks, describeGroups(leaks)).toHaveLength(1);
    const [l] = leaks;
    expect(l.name).toBe('Timeout');
    expect(l.count).toBe(runs.get('interval')!.counts.leaked);
    expect(l.path.join(' > ')).toMatch(/TimersList > _idle(Next|Prev) > .*Timeout$/);
    expect(l.retainedSize).toBeGreaterThan(l.count * 250);
  });

  it('reports nothing for the same work when nothing is kept, though Node internals grew and validators were built lazily', async () => {
    expect(await leaksOf('clean')).toEqual([]);
    // Without the filters the internals allocated between the snapshots are there: the filter is what hides them.
    const all = await leaksOf('clean', { all: true });
    expect(all.length).toBeGreaterThan(0);
  });
});
