import type { MemorySample } from '../model/recording.js';
import { ensureAgent, evaluate } from './agent.js';
import type { CdpSession } from './session.js';

/**
 * One memory sample of the target (process.memoryUsage(), V8's heap spaces and code statistics),
 * timed by the target's own clock, through the agent's sampler (compiled once). Also refreshes the
 * run's heartbeat.
 */
export async function sampleMemory(session: CdpSession, opts: { timeoutMs?: number } = {}): Promise<MemorySample> {
  const agent = await ensureAgent(session);
  return evaluate<MemorySample>(session, `${agent}.sample(false)`, { timeoutMs: opts.timeoutMs ?? 30_000 });
}

/**
 * A full GC of the target and a sample read right after it, in one synchronous call in the target
 * (see SAMPLE_FUNCTION in agent.ts). Falls back to HeapProfiler.collectGarbage and a separate
 * reading when the target refuses to expose its GC function.
 */
export async function sampleAfterGc(session: CdpSession, opts: { timeoutMs?: number } = {}): Promise<MemorySample & { gcMs?: number }> {
  const agent = await ensureAgent(session);
  const timeoutMs = opts.timeoutMs ?? 120_000;
  let s: (MemorySample & { gcMs?: number }) | null = null;
  try {
    s = await evaluate<(MemorySample & { gcMs?: number }) | null>(session, `${agent}.sample(true)`, { timeoutMs });
  } catch (err) {
    if ((err as Error).name === 'SessionClosedError') throw err;
  }
  if (s) return s;
  const forced = await forceFullGc(session, { timeoutMs });
  return { ...(await sampleMemory(session, opts)), gcMs: forced.durationMs };
}

/**
 * A full GC of the target (HeapProfiler.collectGarbage: V8 collects all available garbage, which is
 * several mark-compacts). The window around it is recorded in the target, in the clock of the
 * GC observer, so the GC events it causes come out marked forced:true.
 */
export async function forceFullGc(session: CdpSession, opts: { timeoutMs?: number } = {}): Promise<{ durationMs: number }> {
  const agent = await ensureAgent(session);
  const timeoutMs = opts.timeoutMs ?? 120_000;
  await openForcedWindow(session, agent);
  const started = performance.now();
  try {
    await session.send('HeapProfiler.collectGarbage', {}, { timeoutMs });
  } finally {
    await closeForcedWindow(session, agent).catch(() => {});
  }
  return { durationMs: performance.now() - started };
}

/** Runs `fn` (something that makes V8 collect garbage) with its GCs marked forced. */
export async function withForcedGcWindow<T>(session: CdpSession, fn: () => Promise<T>): Promise<T> {
  const agent = await ensureAgent(session);
  await openForcedWindow(session, agent);
  try {
    return await fn();
  } finally {
    await closeForcedWindow(session, agent).catch(() => {});
  }
}

async function openForcedWindow(session: CdpSession, agent: string): Promise<void> {
  // Only the last windows matter: an entry is classified on the target's next tick at the latest.
  await evaluate(
    session,
    `(() => { const a = ${agent}; const now = a.perf.performance.now(); a.forced.push([now, Infinity]); if (a.forced.length > 16) a.forced.shift(); return true; })()`,
    { timeoutMs: 10_000 },
  );
}

async function closeForcedWindow(session: CdpSession, agent: string): Promise<void> {
  await evaluate(
    session,
    `(() => { const a = ${agent}; const w = a.forced[a.forced.length - 1]; if (w && w[1] === Infinity) w[1] = a.perf.performance.now(); return true; })()`,
    { timeoutMs: 10_000 },
  );
}

/**
 * process.memoryUsage() of the target without installing anything in it (no heap spaces): for
 * commands that only need a figure, such as snapshot's headroom check.
 */
export async function readMemoryUsage(session: CdpSession, opts: { timeoutMs?: number } = {}): Promise<MemorySample> {
  return evaluate<MemorySample>(
    session,
    `(() => { const m = process.memoryUsage(); return { t: Date.now(), heapUsed: m.heapUsed, heapTotal: m.heapTotal, rss: m.rss, external: m.external, arrayBuffers: m.arrayBuffers }; })()`,
    { timeoutMs: opts.timeoutMs ?? 30_000 },
  );
}
