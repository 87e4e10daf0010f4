import { afterEach, describe, expect, it } from 'vitest';
import type { GcEvent } from '../../src/model/recording.js';
import { AGENT_SYMBOL, BINDING_PREFIX, evaluate } from '../../src/inspector/agent.js';
import { connectTarget } from '../../src/inspector/connect.js';
import { startGcRecorder } from '../../src/inspector/gc-recorder.js';
import { forceFullGc } from '../../src/inspector/sampler.js';
import { CdpSession } from '../../src/inspector/session.js';
import { startTarget, stopAllTargets, waitFor } from './targets.js';

afterEach(stopAllTargets);

interface TraceLine {
  kind: 'minor' | 'major';
  pauseMs: number;
}

/**
 * V8's --trace-gc lines between the fixture's markers: `... ms: Scavenge 4.1 (4.2) -> 3.8 (5.2) MB,
 * 4.90 / 0.00 ms ...`. Full GCs print as Mark-Compact (V8 11, Node 20) or Mark-sweep (V8 10, Node 18).
 */
function traceBetweenMarkers(stdout: string): TraceLine[] {
  const begin = stdout.indexOf('MEMPROF-TEST-BEGIN');
  const end = stdout.indexOf('MEMPROF-TEST-END');
  expect(begin).toBeGreaterThanOrEqual(0);
  expect(end).toBeGreaterThan(begin);
  const out: TraceLine[] = [];
  for (const line of stdout.slice(begin, end).split('\n')) {
    const m = /\d+ ms: (Scavenge|Minor Mark-Sweep|Mark-Compact|Mark-sweep)\b.*?MB, ([\d.]+) \/ [\d.]+ ms/.exec(line);
    if (m) out.push({ kind: m[1] === 'Scavenge' || m[1] === 'Minor Mark-Sweep' ? 'minor' : 'major', pauseMs: Number(m[2]) });
  }
  return out;
}

async function agentLeftovers(port: number): Promise<{ registry: boolean; bindings: string[] }> {
  // A fresh session that installs nothing: what is left in the target after memprof detached.
  const list = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as Array<{ webSocketDebuggerUrl: string }>;
  const s = await CdpSession.connect(list[0].webSocketDebuggerUrl);
  try {
    return await evaluate(
      s,
      `({ registry: globalThis[Symbol.for(${JSON.stringify(AGENT_SYMBOL)})] !== undefined,
          bindings: Object.getOwnPropertyNames(globalThis).filter((n) => n.startsWith(${JSON.stringify(BINDING_PREFIX)})) })`,
    );
  } finally {
    await s.close();
  }
}

describe('GC recorder', () => {
  it("records every GC the target's own --trace-gc reports, with the same kinds and close pauses", async () => {
    const t = await startTarget('gc-churn.cjs', { inspect: true, nodeArgs: ['--trace-gc', '--expose-gc'] });
    const live = await connectTarget(`127.0.0.1:${t.port}`);
    const events: GcEvent[] = [];
    let beginAt = 0;
    let endAt = 0;
    try {
      const rec = await startGcRecorder(live.session, (e) => events.push(e));
      beginAt = (await evaluate<number>(live.session, 'Date.now()')) - 1;
      await evaluate(live.session, 'churn(250)', { timeoutMs: 60_000 });
      await evaluate(live.session, 'endMarker()', { awaitPromise: true });
      endAt = await evaluate<number>(live.session, 'Date.now()');
      await rec.stop();
    } finally {
      await live.close();
    }
    await waitFor(() => t.stdout().includes('MEMPROF-TEST-END'), 5000, 'the end marker');
    const trace = traceBetweenMarkers(t.stdout());
    const inWindow = events.filter((e) => e.t >= beginAt && e.t <= endAt);
    const minor = inWindow.filter((e) => e.kind === 'minor');
    const major = inWindow.filter((e) => e.kind === 'major');
    const traceMinor = trace.filter((l) => l.kind === 'minor');
    const traceMajor = trace.filter((l) => l.kind === 'major');

    expect(traceMinor.length).toBeGreaterThan(10);
    expect(traceMajor.length).toBeGreaterThanOrEqual(1);
    expect(minor.length).toBe(traceMinor.length);
    expect(major.length).toBe(traceMajor.length);
    // Same GCs in the same order. The observer's pause spans V8's GC callbacks too, so it is never
    // shorter than the trace's figure; on a loaded machine a few are longer (preemption), the bulk agree.
    const pairs = [...minor.map((e, i) => [e.durationMs, traceMinor[i].pauseMs]), ...major.map((e, i) => [e.durationMs, traceMajor[i].pauseMs])];
    for (const [observed, traced] of pairs) expect(observed).toBeGreaterThanOrEqual(traced - 0.1);
    const diffs = pairs.map(([o, tr]) => o - tr).sort((a, b) => a - b);
    expect(diffs[Math.floor(diffs.length / 2)]).toBeLessThan(0.5);
    const sum = (i: number): number => pairs.reduce((acc, p) => acc + p[i], 0);
    expect(sum(0)).toBeLessThan(sum(1) * 1.15 + 2);
    expect(inWindow.every((e) => !e.forced)).toBe(true);
  });

  it('marks the GCs of forceFullGc as forced, and only those', async () => {
    const t = await startTarget('gc-churn.cjs', { inspect: true });
    const live = await connectTarget(`127.0.0.1:${t.port}`);
    const events: GcEvent[] = [];
    try {
      const rec = await startGcRecorder(live.session, (e) => events.push(e));
      await evaluate(live.session, 'churn(20)');
      const natural = await evaluate<number>(live.session, 'new Promise((r) => setTimeout(() => r(Date.now()), 30))', { awaitPromise: true });
      const { durationMs } = await forceFullGc(live.session);
      expect(durationMs).toBeGreaterThan(0);
      await evaluate(live.session, 'churn(20)');
      await rec.stop();
      expect(rec.count).toBe(events.length);
      const forced = events.filter((e) => e.forced);
      expect(forced.length).toBeGreaterThanOrEqual(1);
      expect(forced.every((e) => e.kind === 'major' && e.t >= natural)).toBe(true);
      expect(events.filter((e) => !e.forced && e.kind === 'minor').length).toBeGreaterThan(0);
    } finally {
      await live.close();
    }
  });

  it('runs two recorders on one session independently', async () => {
    const t = await startTarget('gc-churn.cjs', { inspect: true });
    const live = await connectTarget(`127.0.0.1:${t.port}`);
    try {
      const a: GcEvent[] = [];
      const b: GcEvent[] = [];
      const ra = await startGcRecorder(live.session, (e) => a.push(e));
      const rb = await startGcRecorder(live.session, (e) => b.push(e));
      await evaluate(live.session, 'churn(10)');
      await ra.stop();
      const seenByA = a.length;
      expect(seenByA).toBeGreaterThan(0);
      expect(b.length).toBe(seenByA);
      await evaluate(live.session, 'churn(10)');
      await rb.stop();
      expect(a.length).toBe(seenByA);
      expect(b.length).toBeGreaterThan(seenByA);
    } finally {
      await live.close();
    }
  });

  it('removes every piece of instrumentation on close', async () => {
    const t = await startTarget('idle.cjs', { inspect: true });
    const live = await connectTarget(`127.0.0.1:${t.port}`);
    const rec = await startGcRecorder(live.session, () => {});
    live.onClose(() => rec.stop());
    const during = await agentLeftovers(t.port!);
    expect(during.registry).toBe(true);
    expect(during.bindings.map((b) => b.split('_').slice(0, 4).join('_'))).toEqual(['__memprof_exit', '__memprof_gc']);
    await live.close();
    expect(await agentLeftovers(t.port!)).toEqual({ registry: false, bindings: [] });
  });

  it('cleans the left-overs of a run that died without detaching, and keeps a live run', async () => {
    const t = await startTarget('idle.cjs', { inspect: true });
    // Run 1 "crashes": its socket drops without any cleanup.
    const crashed = await connectTarget(`127.0.0.1:${t.port}`);
    await startGcRecorder(crashed.session, () => {});
    crashed.session.terminate();
    await crashed.session.closed;
    const crashedBindings = (await agentLeftovers(t.port!)).bindings;
    expect(crashedBindings).toHaveLength(2);

    // Run 2 is alive and recording; its attach kept run 1's entry (its heartbeat is recent, so
    // run 1 still holds the target: run 2 attaches alongside it, as --force does).
    const alive = await connectTarget(`127.0.0.1:${t.port}`, { force: true });
    const events: GcEvent[] = [];
    const rec = await startGcRecorder(alive.session, (e) => events.push(e));
    try {
      const both = (await agentLeftovers(t.port!)).bindings;
      expect(both).toHaveLength(4);
      const liveBindings = both.filter((b) => !crashedBindings.includes(b));
      // Time passes without a heartbeat from run 1: its entry is made to look a minute old.
      await evaluate(
        alive.session,
        `(() => { for (const a of globalThis[Symbol.for(${JSON.stringify(AGENT_SYMBOL)})].runs.values()) if (a.bindings.includes(${JSON.stringify(crashedBindings[0])})) a.seen -= 60000; return true; })()`,
      );
      // Run 3 attaches: it removes run 1's observer and binding, not run 2's.
      const next = await connectTarget(`127.0.0.1:${t.port}`, { force: true });
      await next.close();
      expect((await agentLeftovers(t.port!)).bindings).toEqual(liveBindings);
      await forceFullGc(alive.session);
      await waitFor(() => events.some((e) => e.forced), 3000, 'run 2 to keep recording');
    } finally {
      await rec.stop();
      await alive.close();
    }
    expect(await agentLeftovers(t.port!)).toEqual({ registry: false, bindings: [] });
  });
});
