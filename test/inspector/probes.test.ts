import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GcEvent } from '../../src/model/recording.js';
import { evaluate } from '../../src/inspector/agent.js';
import { connectTarget, type LiveTarget } from '../../src/inspector/connect.js';
import { startGcRecorder } from '../../src/inspector/gc-recorder.js';
import { takeHeapSnapshot } from '../../src/inspector/heap-snapshot.js';
import { countInstances } from '../../src/inspector/instances.js';
import { readPools } from '../../src/inspector/pools.js';
import { readMemoryUsage, sampleMemory } from '../../src/inspector/sampler.js';
import { parseSnapshot } from '../../src/snapshot/parse/parser.js';
import { MemprofError } from '../../src/util/errors.js';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTarget, stopAllTargets, type RunningTarget } from './targets.js';

describe('probes on one live target', () => {
  let target: RunningTarget;
  let live: LiveTarget;
  beforeAll(async () => {
    target = await startTarget('classes.mjs', { inspect: true });
    live = await connectTarget(`127.0.0.1:${target.port}`);
  });
  afterAll(async () => {
    await live?.close();
    await stopAllTargets();
  });

  it('sampleMemory: one sample with memoryUsage and every V8 heap space', async () => {
    const before = Date.now();
    const s = await sampleMemory(live.session);
    expect(s.t).toBeGreaterThanOrEqual(before - 1000);
    expect(s.heapUsed).toBeGreaterThan(1e6);
    expect(s.heapTotal).toBeGreaterThanOrEqual(s.heapUsed);
    expect(s.rss).toBeGreaterThan(s.heapTotal);
    expect(s.spaces!.map((x) => x.name)).toEqual(expect.arrayContaining(['new_space', 'old_space', 'code_space', 'large_object_space']));
    // The spaces add up to the heap V8 reports.
    expect(s.spaces!.reduce((a, x) => a + x.size, 0)).toBe(s.heapTotal);
    await evaluate(live.session, 'globalThis.big = new Array(2e6).fill(1.5); true');
    const after = await readMemoryUsage(live.session);
    expect(after.heapUsed - s.heapUsed).toBeGreaterThan(15e6);
    await evaluate(live.session, 'delete globalThis.big');
  });

  it('countInstances: live instances of module-scoped classes, without a snapshot; GCs it causes are forced', async () => {
    const events: GcEvent[] = [];
    const rec = await startGcRecorder(live.session, (e) => events.push(e));
    try {
      await evaluate(live.session, 'openSessions(7, 3)');
      expect(await countInstances(live.session, ['Session', 'TracedSession', 'Unused', 'NoSuchClass'])).toEqual({
        Session: 10, // subclass instances are sessions too
        TracedSession: 3,
        Unused: 0,
        NoSuchClass: 0,
      });
      await evaluate(live.session, 'closeSessions(4)');
      const after = await countInstances(live.session, ['Session']);
      expect(after).toEqual({ Session: 6 });
      await evaluate(live.session, 'new Promise((r) => setTimeout(r, 30))', { awaitPromise: true });
    } finally {
      await rec.stop();
    }
    expect(events.filter((e) => e.kind === 'major').length).toBeGreaterThan(0);
    expect(events.filter((e) => e.kind === 'major').every((e) => e.forced)).toBe(true);
  });

  it('readPools: the published Map, --pool-expr variants, and clear errors', async () => {
    expect(await readPools(live.session)).toEqual({});
    await evaluate(
      live.session,
      `(() => { let c = 0; globalThis[Symbol.for('memprof.pools')] = new Map([
        ['db', () => ({ created: 4, reused: 36, inUse: 1, peakInUse: 4 })],
        ['buffers', async () => ({ created: ++c, reused: 0 })],
      ]); return true; })()`,
    );
    expect(await readPools(live.session)).toEqual({ db: { created: 4, reused: 36, inUse: 1, peakInUse: 4 }, buffers: { created: 1, reused: 0 } });
    expect((await readPools(live.session)).buffers.created).toBe(2);
    await evaluate(live.session, 'globalThis.myPools = { a: { created: 1, reused: 2 } }; true');
    expect(await readPools(live.session, 'myPools')).toEqual({ a: { created: 1, reused: 2 } });
    expect(await readPools(live.session, '() => ({ b: () => ({ created: 0, reused: 5 }) })')).toEqual({ b: { created: 0, reused: 5 } });

    const bad = async (expr: string): Promise<string> => {
      const err = await readPools(live.session, expr).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(MemprofError);
      return (err as Error).message;
    };
    expect(await bad('noSuchVariable')).toMatch(/--pool-expr 'noSuchVariable'.*ReferenceError: noSuchVariable is not defined/);
    expect(await bad('42')).toMatch(/returned number, not a Map or an object/);
    expect(await bad('({ p: { created: "many" } })')).toMatch(/pool 'p' .*does not return \{ created, reused \}/);
    expect(await bad('({ p: () => { throw new Error("boom"); } })')).toMatch(/pool 'p' in the target threw when read: boom/);
  });

  it('takeHeapSnapshot: chunks decoded as bytes (no JSON.parse), file identical in content to what V8 sent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'memprof-probe-'));
    try {
      // Strings that need every kind of escape on the wire, to go through the byte decoder. (No
      // astral characters: V8's snapshot writer itself truncates them to 16 bits.)
      await evaluate(live.session, `globalThis.odd = ['quote " back \\\\ slash', 'tab\\t nl\\n', 'é€ü', '\\u0001', '\\ud800lone']; true`);
      const r = await takeHeapSnapshot(live.session, join(dir, 's.heapsnapshot'));
      expect(r.chunks).toBeGreaterThan(3);
      expect(r.chunksParsedAsJson).toBe(0);
      expect(statSync(r.path).size).toBe(r.rawBytes);
      const snap = parseSnapshot(readFileSync(r.path));
      for (const s of ['quote " back \\ slash', 'tab\t nl\n', 'é€ü']) expect(snap.strings.toArray()).toContain(s);
      expect(JSON.parse(readFileSync(r.path, 'utf8')).snapshot.node_count).toBe(snap.nodeCount);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
