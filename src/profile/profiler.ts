import { chmodSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { GcEvent, MemorySample } from '../analysis/types.js';
import type { LiveTarget } from '../inspector/connect.js';
import { startGcRecorder } from '../inspector/gc-recorder.js';
import { takeHeapSnapshot } from '../inspector/heap-snapshot.js';
import { readHeadroom } from '../inspector/headroom.js';
import { assessSnapshotRisk, type SnapshotRisk } from '../inspector/snapshot-risk.js';
import { isLoopbackAddress } from '../inspector/target.js';
import { countInstances } from '../inspector/instances.js';
import { readPools } from '../inspector/pools.js';
import { forceFullGc, sampleMemory } from '../inspector/sampler.js';
import type { LoadOptions, LoadStep } from '../load/types.js';
import { sleep } from './interrupt.js';
import { JsonlWriter } from './jsonl-writer.js';
import { emptyRecording, type Recording } from './recording.js';

/** The MCP SDK's server transports: one instance per open session. */
export const DEFAULT_CONNECTION_CLASSES = ['StreamableHTTPServerTransport', 'SSEServerTransport', 'StdioServerTransport'];

export interface ProfileOptions {
  outDir: string;
  intervalMs: number;
  /** Without load: how long to run (undefined: until interrupted). */
  durationMs?: number;
  /** Heap snapshots to take (0: none; they freeze the target). */
  snapshots: number;
  connectionClasses: string[];
  poolExpr?: string;
  /** Drive MCP load (--mcp); `signal` is supplied by the profiler. */
  load?: Omit<LoadOptions, 'signal'>;
  /** Take snapshots even when the target looks short of memory for them. */
  force?: boolean;
  /**
   * With load: before measuring, open the top step of sessions (with tool calls) and close them
   * once, so first-use allocations (JIT, pools, caches, lazily created module state) are not taken
   * for per-connection memory or leaks.
   */
  warmup?: boolean;
  /** With a hold: after it, keep the sessions open this long with no traffic (steady phase, forced-GC samples). */
  idleHoldMs?: number;
  /** The load generator; injected so the profiler does not depend on how it is built. */
  runLoad?: typeof import('../load/run-load.js').runLoad;
  /** --debug: what the snapshot parser tolerated goes to the progress lines. */
  debug?: boolean;
}

export interface ProfileIo {
  /** Ctrl-C. */
  signal: AbortSignal;
  /** Progress lines for the user (stderr); never the target's stdout. */
  progress(line: string): void;
  /** Resolves when the target is known to be gone by other means (run: the child exited). */
  targetGone?: Promise<string>;
}

type Phase = NonNullable<MemorySample['phase']>;

/**
 * One profiling run over one inspector session: GC events and periodic samples recorded to
 * DIR/gc.jsonl and DIR/samples.jsonl as they arrive; either a timed run (snapshots spread over it)
 * or a driven MCP load (forced GC + sample at each step, steady-state samples during the hold);
 * pools and connection counts read at the end. Returns the recording; never throws for a target
 * that dies or a Ctrl-C — the recording says how the run ended. Snapshots are analysed later
 * (snapshot-analysis.ts), once memprof has detached.
 */
export async function runProfile(live: LiveTarget, opts: ProfileOptions, io: ProfileIo): Promise<Recording> {
  mkdirSync(opts.outDir, { recursive: true });
  const rec = emptyRecording(Date.now());
  rec.target = { pid: live.pid ?? null, nodeVersion: live.nodeVersion ?? null, command: live.command ?? null };
  rec.drivenLoad = Boolean(opts.load);
  rec.snapshotsRequested = opts.snapshots;

  const run = new RunControl(io);
  void live.session.closed.then(() => run.lose(`inspector connection lost: ${live.session.closeReason ?? 'unknown reason'}`));
  void io.targetGone?.then((why) => run.lose(why));

  const samplesOut = new JsonlWriter(path.join(opts.outDir, 'samples.jsonl'));
  const gcOut = new JsonlWriter(path.join(opts.outDir, 'gc.jsonl'));
  let phase: Phase = 'idle';
  /** In the --idle-hold tail: sessions open, no traffic. */
  let quiet = false;
  const record = (s: MemorySample): MemorySample => {
    rec.samples.push(s);
    samplesOut.append(s);
    rec.endedAt = Math.max(rec.endedAt, s.t);
    return s;
  };
  const measure = async (extra: Partial<MemorySample>, forceGc: boolean, phaseAtEnd?: () => Phase): Promise<MemorySample | null> => {
    try {
      if (forceGc) await forceFullGc(live.session);
      const s = await sampleMemory(live.session);
      // A periodic sample belongs to the phase it ended in: one begun in the hold but finished
      // while the sessions were already closing measures the closing, not the steady state.
      const tagged = phaseAtEnd ? { phase: phaseAtEnd() } : {};
      return record({ ...s, ...extra, ...tagged, ...(forceGc ? { afterGc: true } : {}) });
    } catch (err) {
      run.failed(err);
      return null;
    }
  };

  // Before the GC recorder and the first sample: what memprof reports starts after the warm-up.
  if (opts.load && opts.warmup && !run.stopped) await warmUp(live, opts, opts.load, run, rec, io);

  let gcRecorder: { stop(): Promise<void> | void } | null = null;
  try {
    gcRecorder = await startGcRecorder(live.session, (e: GcEvent) => {
      rec.gcEvents.push(e);
      gcOut.append(e);
    });
  } catch (err) {
    run.failed(err);
    rec.notes.gc = `GC events could not be recorded: ${message(err)}`;
  }

  rec.startedAt = Date.now();
  rec.endedAt = rec.startedAt;
  const snapshotter = new Snapshotter(live, opts.outDir, rec, io, opts.force ?? false);

  // Without --mcp, the run's two ends are measured after a forced full GC (clean endpoints for the
  // growth slope, only two GCs forced in the whole run) together with the instances of the
  // connection class, which fill `connections` when there are any.
  const measureEnd = async (): Promise<void> => {
    if (opts.load || run.stopped) return;
    let best: { name: string; count: number } | null = null;
    try {
      const counts = await countInstances(live.session, opts.connectionClasses);
      best = counts ? pickClass(counts, rec.connectionClassCounted) : null;
    } catch (err) {
      run.failed(err);
      if (run.lost) return;
      rec.notes.connections = `connection instances could not be counted: ${message(err)}`;
    }
    const s = await measure({ phase }, true);
    if (!s || !best) return;
    rec.connectionClassCounted = best.name;
    rec.steps.push({ connections: best.count, heapUsedBytes: s.heapUsed, rssBytes: s.rss, t: s.t });
  };

  const sampler = startSampler(opts.intervalMs, run, async () => {
    // During a hold (--mcp), a full GC before each sample gives the clean figure the steady-state slope
    // needs; GCs memprof forces are counted apart (gc.forced), so the gc figures stay the target's own.
    // With --idle-hold the clean figures come from the quiet ends of the hold instead (at rest, no
    // traffic in flight): GCs forced amid churn would measure where the traffic happened to be.
    const forceGc = Boolean(opts.load) && phase === 'steady' && (!opts.idleHoldMs || quiet);
    await measure({}, forceGc, () => phase);
  });

  try {
    if (!opts.load) {
      phase = 'steady';
      await measureEnd();
      await timedRun(opts, run, snapshotter);
    } else {
      phase = 'idle';
      await measure({ phase, connections: 0 }, true);
      await drivenRun(opts, opts.load, run, snapshotter, rec, io, measure, (p, q = false) => {
        phase = p;
        quiet = q;
      });
    }
  } catch (err) {
    run.failed(err);
    // Anything else (the load generator cannot open a session, a file cannot be written) ends the
    // run: what was measured until then is still reported, and the command fails with this line.
    if (!run.lost) rec.failure = message(err);
  } finally {
    await sampler.stop();
  }

  if (!run.lost) {
    phase = opts.load ? 'idle' : 'steady';
    await measureEnd();
    if (!run.lost) await measure({ phase, ...(opts.load ? { connections: 0 } : {}) }, false);
    if (!run.lost) {
      try {
        rec.pools = await readPools(live.session, opts.poolExpr);
        warmupPoolNote(rec);
      } catch (err) {
        if (run.lost) rec.poolsError = 'the target was lost before pools were read';
        else rec.poolsError = message(err);
      }
    } else rec.poolsError = 'the target was lost before pools were read';
  } else {
    rec.poolsError = 'the target was lost before pools were read';
  }
  if (!opts.load && rec.steps.length === 0 && !run.lost && !rec.notes.connections) {
    rec.notes.connections = `no instance of ${opts.connectionClasses.join(', ')} in the heap; connections left out (use --connection-class for another class)`;
  }

  try {
    await gcRecorder?.stop();
  } catch {
    // The session may be gone; the recorder removes its instrumentation when it can.
  }
  samplesOut.close();
  gcOut.close();

  rec.ended = run.lost ? 'target-lost' : io.signal.aborted ? 'interrupted' : 'complete';
  if (run.lostReason) rec.notes.run = run.lostReason;
  else if (rec.ended === 'interrupted') rec.notes.run = 'interrupted (Ctrl-C): the report covers the time measured until then';
  else if (rec.failure) rec.notes.run = `stopped by an error: ${rec.failure}`;

  return rec;
}

/** Who stops the run and why: Ctrl-C, the target's death, or a fatal measurement error. */
class RunControl {
  private readonly controller = new AbortController();
  lost = false;
  lostReason: string | null = null;

  constructor(io: ProfileIo) {
    if (io.signal.aborted) this.controller.abort();
    else io.signal.addEventListener('abort', () => this.controller.abort(), { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get stopped(): boolean {
    return this.controller.signal.aborted;
  }

  lose(why: string): void {
    if (this.lost) return;
    this.lost = true;
    this.lostReason = why;
    this.controller.abort();
  }

  /** A measurement failed; if the session is gone that is the target's death, else it is noted. */
  failed(err: unknown): void {
    if (err && typeof err === 'object' && (err as Error).name === 'SessionClosedError') {
      this.lose(message(err));
    }
  }
}

function startSampler(intervalMs: number, run: RunControl, take: () => Promise<void>): { stop(): Promise<void> } {
  let stopping = false;
  const stopper = new AbortController();
  const signal = AbortSignal.any([stopper.signal, run.signal]);
  const loop = (async () => {
    // Fixed rate: a slow sample (a forced GC on a big heap) shortens the wait after it instead of
    // stretching the period; a sample that overran its slot skips the slots it covered.
    let due = Date.now();
    while (!stopping && !run.stopped) {
      await take();
      due += intervalMs;
      const now = Date.now();
      if (due < now) due = now + intervalMs - ((now - due) % intervalMs);
      await sleep(due - now, signal);
    }
  })();
  return {
    async stop() {
      stopping = true;
      stopper.abort();
      await loop;
    },
  };
}

async function timedRun(opts: ProfileOptions, run: RunControl, snap: Snapshotter): Promise<void> {
  const start = Date.now();
  const k = opts.snapshots;
  const times: number[] = [];
  if (k > 0 && opts.durationMs !== undefined) {
    // K snapshots spread over the run, the first at the start and the last at the end.
    for (let i = 0; i < k; i++) times.push(k === 1 ? opts.durationMs : (opts.durationMs * i) / (k - 1));
  }
  let next = 0;
  while (!run.stopped) {
    while (next < times.length && times[next] <= Date.now() - start && !run.stopped) {
      await snap.take(`at-${Math.round((Date.now() - start) / 1000)}s`, run);
      next++;
    }
    // A snapshot may have taken past the end: the loop goes round again for those still due.
    if (opts.durationMs !== undefined && Date.now() - start >= opts.durationMs && next >= times.length) break;
    const wakeAt = Math.min(opts.durationMs ?? Infinity, times[next] ?? Infinity);
    await sleep(Number.isFinite(wakeAt) ? Math.max(0, wakeAt - (Date.now() - start)) : 3_600_000, run.signal);
  }
}

async function drivenRun(
  opts: ProfileOptions,
  load: Omit<LoadOptions, 'signal'>,
  run: RunControl,
  snap: Snapshotter,
  rec: Recording,
  io: ProfileIo,
  measure: (extra: Partial<MemorySample>, forceGc: boolean) => Promise<MemorySample | null>,
  setPhase: (p: Phase, quiet?: boolean) => void,
): Promise<void> {
  const runLoad = opts.runLoad ?? (await import('../load/run-load.js')).runLoad;
  const ramp = load.ramp.length ? load.ramp : [1];
  const k = opts.snapshots;
  // Where the snapshots go: with 3 or more, before the load (baseline), at the top step (target)
  // and after the sessions closed (final) — the three-snapshot leak method — and any extra at the
  // lower steps; with 1, the top step (retained size per session); with 2, top and after.
  // With a hold, the top snapshot waits for the end of the hold: its freeze would otherwise stall
  // the steady-state window it is supposed to leave undisturbed.
  const topAfterHold = Boolean(load.holdMs || load.burst);
  const atSteps = new Set<number>();
  if (k >= 1) atSteps.add(ramp.length - 1);
  for (let i = ramp.length - 2; i >= 0 && atSteps.size < k - 2; i--) atSteps.add(i);
  let topTaken = false;
  const takeTop = async (): Promise<void> => {
    if (topTaken || k < 1 || run.stopped) return;
    topTaken = true;
    await snap.take(`top-${ramp[ramp.length - 1]}-sessions`, run, true);
  };
  const before = k >= 3;
  const after = k >= 2;

  if (before && !run.stopped) await snap.take('baseline-before-load', run);
  setPhase('load');
  try {
    rec.load = await runLoad(
      { ...load, ramp, signal: run.signal },
      {
        onStep: async (step: LoadStep) => {
          if (run.stopped) return;
          const top = step.index === ramp.length - 1;
          const s = await measure({ phase: 'load', connections: step.connections }, true);
          if (s) rec.steps.push({ connections: step.connections, heapUsedBytes: s.heapUsed, rssBytes: s.rss, t: s.t });
          io.progress(`step ${step.index + 1}/${ramp.length}: ${step.connections} sessions open, heap ${mib(s?.heapUsed)} after GC`);
          if (top && !topAfterHold) await takeTop();
          else if (!top && atSteps.has(step.index) && !run.stopped) await snap.take(`step-${step.connections}-sessions`, run);
        },
        onHoldStart: async (connections: number) => {
          // With --idle-hold, the steady fit runs from here (sessions at rest) to the quiet tail.
          if (opts.idleHoldMs && !run.stopped) await measure({ phase: 'steady', connections }, true);
          setPhase('steady');
          io.progress(`holding ${connections} sessions for ${((load.holdMs ?? 0) / 1000).toFixed(1)} s (steady state)`);
        },
        onHoldEnd: async () => {
          // The load stands still while this hook runs: sessions open, no tool calls, no churn.
          // The samples stay in the steady phase (forced GC each), a quiet tail for the growth fit.
          if (opts.idleHoldMs && !run.stopped) {
            io.progress(`holding the sessions ${(opts.idleHoldMs / 1000).toFixed(1)} s more with no traffic (--idle-hold)`);
            setPhase('steady', true);
            await sleep(opts.idleHoldMs, run.signal);
          }
          setPhase('idle');
          await takeTop();
        },
        onProgress: () => {},
      },
    );
  } finally {
    setPhase('idle');
  }
  if (after && !run.stopped) {
    // The sessions are closed now: what is still alive of them in this snapshot was kept.
    await measure({ phase: 'idle', connections: 0 }, true);
    await snap.take('final-after-load', run);
  }
}

/**
 * --warmup: the top step once, opened and closed, before anything is measured. Tool calls run at
 * --msg-rate for a short hold so their code paths are warm too; no churn, no burst. A failed
 * warm-up is noted and the run goes on (the measured load will meet the same problem and say so).
 */
async function warmUp(
  live: LiveTarget,
  opts: ProfileOptions,
  load: Omit<LoadOptions, 'signal'>,
  run: RunControl,
  rec: Recording,
  io: ProfileIo,
): Promise<void> {
  const runLoad = opts.runLoad ?? (await import('../load/run-load.js')).runLoad;
  const top = load.ramp.length ? load.ramp[load.ramp.length - 1] : 1;
  io.progress(`warming up: opening ${top} sessions${load.msgRate > 0 ? ' with tool calls' : ''}, then closing them (--warmup)`);
  try {
    const summary = await runLoad(
      { ...load, ramp: [top], holdMs: load.msgRate > 0 ? WARMUP_CALLS_MS : undefined, churn: false, churnRate: undefined, burst: undefined, signal: run.signal },
      {},
    );
    const what = `${summary.sessionsOpened} sessions opened and closed and ${summary.requests} tool calls sent`;
    rec.notes.warmup = `before measuring (--warmup): ${what}; samples, GC figures, steps and snapshots start after it`;
    rec.warmupDone = what;
    io.progress(`warm-up done: ${what}`);
    try {
      rec.poolsAfterWarmup = await readPools(live.session, opts.poolExpr);
    } catch {
      // Pools are read again at the end; without this reading the note gives the totals only.
    }
  } catch (err) {
    if (run.stopped) return;
    rec.notes.warmup = `warm-up failed, measured without it: ${message(err)}`;
    io.progress(rec.notes.warmup);
  }
}

/**
 * notes.pools after --warmup: the counters are the pool's totals (the contract), warm-up included;
 * the note says so and gives each pool's counters over the measured part alone.
 */
function warmupPoolNote(rec: Recording): void {
  if (!rec.warmupDone || !rec.pools || Object.keys(rec.pools).length === 0) return;
  let note = `pool counters are as read at the end of the run: they include the warm-up traffic (${rec.warmupDone})`;
  const before = rec.poolsAfterWarmup;
  const parts: string[] = [];
  for (const [name, end] of Object.entries(rec.pools)) {
    const start = before?.[name];
    if (!start) continue;
    const created = end.created - start.created;
    const reused = end.reused - start.reused;
    const ratio = created + reused > 0 ? `${((reused / (created + reused)) * 100).toFixed(1)} % reuse` : 'no use';
    parts.push(`'${name}' created ${created}, reused ${reused} (${ratio})`);
  }
  if (parts.length) note += `; after the warm-up alone: ${parts.join('; ')}`;
  rec.notes.pools = note;
}

/** How long warm-up sessions exchange tool calls before they close. */
const WARMUP_CALLS_MS = 2000;

/** Takes snapshots into DIR (mode 0600: they hold the target's heap content). */
class Snapshotter {
  private attempts = 0;
  private warned = false;

  constructor(
    private readonly live: LiveTarget,
    private readonly dir: string,
    private readonly rec: Recording,
    private readonly io: ProfileIo,
    private readonly force: boolean,
  ) {}

  async take(label: string, run: RunControl, top = false): Promise<void> {
    const index = ++this.attempts;
    const file = path.join(this.dir, `snapshot-${index}-${label}.heapsnapshot`);
    try {
      // A snapshot briefly needs several times heap used of native memory: on a target that does
      // not have it, skip the snapshot (the run goes on) rather than get the target killed.
      const risk = await this.risk();
      if (risk && risk.verdict === 'refuse' && !this.force) {
        this.rec.notes[`snapshots.${index}`] = `snapshot '${label}' skipped: ${risk.message}; pass --force to take it anyway`;
        this.io.progress(`snapshot ${index} (${label}) skipped: ${risk.message}; pass --force to take it anyway`);
        return;
      }
      if (risk && !this.warned) {
        this.warned = true;
        this.io.progress(`note: ${risk.message}`);
      }
      this.io.progress(`snapshot ${index} (${label}): the target is frozen while it is written...`);
      await takeHeapSnapshot(this.live.session, file, {});
      chmodSync(file, 0o600);
      this.rec.snapshots.push({ path: file, label, t: Date.now(), ...(top ? { top: true } : {}) });
      this.io.progress(`snapshot ${index} written: ${file}`);
    } catch (err) {
      run.failed(err);
      this.rec.notes[`snapshots.${index}`] = `snapshot '${label}' failed: ${message(err)}`;
    }
  }

  private async risk(): Promise<SnapshotRisk | null> {
    const host = new URL(this.live.url).hostname.replace(/^\[|\]$/g, '');
    const local = host === 'localhost' || isLoopbackAddress(host);
    const heapUsed = (await sampleMemory(this.live.session)).heapUsed;
    const headroom = local ? await readHeadroom(this.live.pid) : { bytes: null, source: 'not local' };
    return assessSnapshotRisk(heapUsed, headroom);
  }
}

function pickClass(counts: Record<string, number>, preferred: string | null): { name: string; count: number } | null {
  if (preferred && counts[preferred] !== undefined) return { name: preferred, count: counts[preferred] };
  let best: { name: string; count: number } | null = null;
  for (const [name, count] of Object.entries(counts)) {
    if (count > 0 && (!best || count > best.count)) best = { name, count };
  }
  return best;
}

function mib(bytes: number | undefined): string {
  return bytes === undefined ? 'not measured' : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export function message(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0];
}
