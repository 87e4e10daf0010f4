import path from 'node:path';
import type { GcEvent, MemorySample } from '../model/recording.js';
import type { LiveTarget } from '../inspector/connect.js';
import { startGcRecorder } from '../inspector/gc-recorder.js';
import { countInstances } from '../inspector/instances.js';
import { readPools } from '../inspector/pools.js';
import { sampleAfterGc, sampleMemory } from '../inspector/sampler.js';
import type { LoadControl, LoadOptions, LoadStep } from '../load/types.js';
import { DEFAULT_RECOVERY_MS, measureRecovery } from './burst-recovery.js';
import { eventSink, finalLoadProgress, startEvent, type Emit } from './emitter.js';
import { sleep } from './interrupt.js';
import { JsonlWriter, makeOutDir } from './jsonl-writer.js';
import { OtherObservers } from './other-observers.js';
import { ForcedGcShare } from './forced-share.js';
import { PauseBudget } from './pause-budget.js';
import { compactSample, emptyRecording, type Recording, type SnapshotRole } from './recording.js';
import { message, RunControl, startSampler } from './run-control.js';
import { DEFAULT_SAMPLING_INTERVAL, SamplingCapture } from './sampling-capture.js';
import { planSnapshots, type SnapshotPlan } from './snapshot-plan.js';
import { Snapshotter } from './snapshotter.js';
import { planSteadyWindow } from './steady-plan.js';
import { warmUp } from './warmup.js';

export { message } from './run-control.js';

export { DEFAULT_CONNECTION_CLASSES, type ProfileIo, type ProfileOptions } from './run-options.js';
import type { ProfileIo, ProfileOptions } from './run-options.js';

type Phase = NonNullable<MemorySample['phase']>;

/** Still points closer than this add GC pauses without adding information. */
const MIN_POINT_SPACING_MS = 1000;
/** After the steady-start snapshot, traffic before the first point of the window. */
const RESUME_MS = 2000;

/**
 * One profiling run over one inspector session. Returns the recording; never throws for a target
 * that dies or a Ctrl-C: the recording says how the run ended. Snapshots are analysed later
 * (snapshot-analysis.ts), once memprof has detached.
 */
export async function runProfile(live: LiveTarget, opts: ProfileOptions, io: ProfileIo): Promise<Recording> {
  return new ProfileRun(live, opts, io).execute();
}

/**
 * The run's state and its steps. A driven run (--mcp) reads:
 *   warm up -> start recording -> baseline -> ramp (a still, GC-forced point per step)
 *   -> hold (settle, then the settled window: still points, steady snapshots) -> close -> final
 *   -> finish (pools, GC recorder off, how it ended).
 * A timed run (no --mcp) samples for --duration with snapshots spread over it. GC events and
 * samples go to DIR/gc.jsonl and DIR/samples.jsonl as they arrive, so nothing measured is lost.
 */
class ProfileRun {
  private readonly rec: Recording;
  private readonly run: RunControl;
  private readonly samplesOut: JsonlWriter;
  private readonly gcOut: JsonlWriter;
  private readonly snapshotter: Snapshotter;
  private readonly emit: Emit;
  private readonly others: OtherObservers;
  private phase: Phase = 'idle';
  private gcRecorder: { stop(): Promise<void> | void } | null = null;
  /** --max-pause: which still points can do without a forced GC. */
  private readonly budget: PauseBudget;
  private readonly sampling: SamplingCapture | null;

  constructor(
    private readonly live: LiveTarget,
    private readonly opts: ProfileOptions,
    private readonly io: ProfileIo,
  ) {
    makeOutDir(opts.outDir);
    this.rec = emptyRecording(Date.now());
    this.rec.target = { pid: live.pid ?? null, nodeVersion: live.nodeVersion ?? null, command: live.command ?? null };
    this.rec.drivenLoad = Boolean(opts.load);
    this.rec.holdPlanned = Boolean(opts.load?.holdMs);
    this.rec.snapshotsRequested = opts.snapshots;
    this.rec.projectTo = opts.projectTo;
    if (opts.load?.burst) this.rec.burst = { ...opts.load.burst, recoveryMs: opts.recoveryMs ?? DEFAULT_RECOVERY_MS, windowEndT: null };
    this.run = new RunControl(io.signal);
    void live.session.closed.then(() => this.run.lose(`inspector connection lost: ${live.session.closeReason ?? 'unknown reason'}`));
    void io.targetGone?.then((why) => this.run.lose(why));
    this.samplesOut = new JsonlWriter(path.join(opts.outDir, 'samples.jsonl'));
    this.gcOut = new JsonlWriter(path.join(opts.outDir, 'gc.jsonl'));
    this.emit = eventSink(io);
    const samplingOn = Boolean(opts.load) && (opts.sampling ?? 'auto') !== 'off';
    this.sampling = samplingOn ? new SamplingCapture(live, this.rec, opts.samplingIntervalBytes ?? DEFAULT_SAMPLING_INTERVAL, io.progress) : null;
    // A snapshot that does not fit: from then on the sampling profiler answers what grows, and where.
    const onSkipped = (): Promise<void> => this.sampling?.start('a heap snapshot did not fit the target\'s free memory', false) ?? Promise.resolve();
    this.snapshotter = new Snapshotter(live, opts.outDir, this.rec, this.emit, opts.force ?? false, Boolean(io.onEvent), onSkipped, opts.snapshotLock);
    this.others = new OtherObservers(live, this.rec, io.progress);
    this.budget = new PauseBudget(opts.maxPauseMs);
  }

  async execute(): Promise<Recording> {
    const { opts, run } = this;
    this.emit(startEvent(opts, this.live.pid ?? null));
    // Before the GC recorder and the first sample: what memprof reports starts after the warm-up.
    if (opts.load && opts.warmup && !run.stopped) await warmUp(opts, opts.load, run, this.rec, this.emit);
    await this.startRecording();
    const sampler = startSampler(opts.intervalMs, run, () => this.periodicSample());
    try {
      if (opts.load) await this.drivenRun(opts.load);
      else await this.timedRun();
    } catch (err) {
      run.failed(err);
      // Anything else (the load generator cannot open a session, a file cannot be written) ends the
      // run: what was measured until then is still reported, and the command fails with this line.
      if (!run.lost) this.rec.failure = message(err);
    } finally {
      await sampler.stop();
    }
    await this.finish();
    return this.rec;
  }

  // ---- steps ----------------------------------------------------------------------------------

  private async startRecording(): Promise<void> {
    try {
      this.gcRecorder = await startGcRecorder(this.live.session, (e: GcEvent) => {
        this.rec.gcEvents.push(e);
        this.gcOut.append(e);
        this.emit({ type: 'gc', event: e });
      });
    } catch (err) {
      this.run.failed(err);
      this.rec.notes.gc = `GC events could not be recorded: ${message(err)}`;
    }
    if (this.opts.sampling === 'on') await this.sampling?.start('asked for (--sampling)', true);
    else if (this.opts.snapshots === 0) await this.sampling?.start('no full heap snapshot in this run (--snapshots 0)', false);
    this.rec.startedAt = Date.now();
    this.rec.endedAt = this.rec.startedAt;
    if (this.opts.load && !this.run.stopped) {
      // Reuse is measured from here: what the warm-up created and reused is not the run's.
      try {
        this.rec.poolsAtStart = await readPools(this.live.session, this.opts.poolExpr);
      } catch {
        // Read again at the end; without this reading the pools section gives the totals only.
      }
    }
  }

  private async drivenRun(load: Omit<LoadOptions, 'signal'>): Promise<void> {
    const { opts, run, emit } = this;
    const runLoad = opts.runLoad ?? (await import('../load/run-load.js')).runLoad;
    const ramp = load.ramp.length ? load.ramp : [1];
    const hasHold = Boolean(load.holdMs);
    const plan = planSnapshots(opts.snapshots, hasHold, ramp.length);
    const top = ramp.length - 1;
    this.snapshotter.planned = plan.roles.size + plan.steps.size;

    this.phase = 'idle';
    emit({ type: 'phase', phase: 'baseline', t: Date.now() });
    await this.measure({ phase: 'idle', connections: 0, quiesced: true }, true);
    await this.snapshot(plan, 'baseline', 'baseline-before-load', { connections: 0, requests: 0 });
    await this.sampling?.point('baseline', { connections: 0 });
    this.phase = 'load';
    emit({ type: 'phase', phase: 'ramp', t: Date.now() });
    try {
      this.rec.load = await runLoad(
        { ...load, ramp, signal: run.signal },
        {
          onStep: async (step: LoadStep) => {
            if (run.stopped) return;
            const s = await this.measure({ phase: 'load', connections: step.connections, quiesced: true }, true);
            if (s) this.rec.steps.push({ connections: step.connections, heapUsedBytes: s.heapUsed, rssBytes: s.rss, t: s.t });
            await this.sampling?.point('step', { connections: step.connections });
            emit({ type: 'step', t: Date.now(), index: step.index, of: ramp.length, connections: step.connections, heapUsedBytes: s?.heapUsed ?? null });
            if (step.index === top && !hasHold) {
              await this.snapshot(plan, 'top', `top-${step.connections}-sessions`, { connections: step.connections, top: true });
            } else if (step.index !== top && plan.steps.has(step.index)) {
              await this.snapshotNow(`step-${step.connections}-sessions`, { role: 'step', connections: step.connections });
            }
          },
          onHoldStart: (connections: number) => {
            this.phase = 'steady';
            emit({ type: 'phase', phase: 'hold', t: Date.now(), connections, durationMs: load.holdMs ?? 0 });
          },
          duringHold: async (control) => {
            if (load.burst) await this.burstAndRecovery(load.burst, control);
            await this.hold(load, plan, control);
          },
          onHoldEnd: async () => {
            this.phase = 'idle';
            if (opts.idleHoldMs && !run.stopped) await this.idleHold(opts.idleHoldMs);
          },
          onProgress: (progress) => emit({ type: 'load', t: Date.now(), progress }),
        },
      );
    } finally {
      this.phase = 'idle';
    }
    if (this.rec.load) emit({ type: 'load', t: Date.now(), progress: finalLoadProgress(this.rec.load) });
    if (run.stopped) return;
    emit({ type: 'phase', phase: 'final', t: Date.now() });
    // The sessions are closed now: what is still alive of them in this snapshot was kept.
    await this.measure({ phase: 'idle', connections: 0, quiesced: true }, true);
    await this.sampling?.point('final', { connections: 0 });
    await this.snapshot(plan, 'final', 'final-after-load', { connections: 0, requests: this.rec.load?.requests });
  }

  /**
   * The hold: a settle period with the traffic going on, then the settled window, whose points are
   * each taken with the load briefly still (a full GC and a sample in one call in the target).
   * The window's snapshots freeze the target for seconds, so steady-start stands just before the
   * fitted span (the traffic then resumes for a moment before the first point); steady-mid and
   * steady-end are taken in the same still moments as the middle and last points, and points
   * that fall due while a snapshot freezes the target are dropped rather than taken back to back.
   */
  private async hold(load: Omit<LoadOptions, 'signal'>, plan: SnapshotPlan, control: LoadControl): Promise<void> {
    const { run, emit, opts } = this;
    const holdMs = load.holdMs ?? 0;
    const begin = Date.now();
    const settle = planSteadyWindow(holdMs, { settleMs: opts.settleMs, lifetimeMs: load.lifetimeMs, churn: load.churn, intervalMs: opts.intervalMs });
    emit({ type: 'phase', phase: 'settle', t: Date.now(), durationMs: settle.settleMs });
    await sleep(settle.settleMs, run.signal);
    if (run.stopped) return;
    if (plan.roles.has('steady-start')) {
      await control.still(() => this.snapshot(plan, 'steady-start', `steady-start-${control.connections}-sessions`, { connections: control.connections, requests: control.requests, closed: control.closed }));
      // The traffic picks up again before the first point: it must not measure the freeze.
      await sleep(Math.min(RESUME_MS, (begin + holdMs - Date.now()) / 4), run.signal);
    }
    const windowMs = Math.max(0, begin + holdMs - Date.now());
    const points = planSteadyWindow(windowMs, { settleMs: 0, intervalMs: opts.intervalMs }).pointsMs;
    const last = points.length - 1;
    const midIndex = Math.floor(last / 2);
    const start = Date.now();
    emit({ type: 'phase', phase: 'window', t: Date.now(), points: points.length, durationMs: windowMs });
    let first: { t: number; requests: number } | null = null;
    const share = new ForcedGcShare();
    for (let i = 0; i <= last && !run.stopped; i++) {
      const wait = start + points[i] - Date.now();
      // Behind (a slow point or snapshot): fewer points rather than points back to back.
      if (wait < -MIN_POINT_SPACING_MS / 2 && i > 0 && i < last && i !== midIndex) continue;
      if (wait > 0) await sleep(wait, run.signal);
      if (run.stopped) break;
      const role: SnapshotRole | null = i === last ? 'steady-end' : i === midIndex && i > 0 ? 'steady-mid' : null;
      const inner = i > 0 && i < last && !(role && plan.roles.has(role));
      if (inner && share.skip(Date.now() - start)) continue;
      if (inner && this.budget.skip()) continue;
      await control.still(async () => {
        const requests = control.requests;
        const connections = control.connections;
        const s = await this.measure({ phase: 'steady', connections, requests, quiesced: true, window: true }, true);
        share.add(s?.gcMs);
        if (s && !first) first = { t: s.t, requests };
        if (s && first) {
          this.rec.steadyWindow = { startT: first.t, endT: s.t, startRequests: first.requests, endRequests: requests, connections, settleMs: first.t - begin };
        }
        if (s) await this.sampling?.point('window', { connections, requests });
        if (role) await this.snapshot(plan, role, `${role}-${connections}-sessions`, { connections, requests, closed: control.closed, ...(role === 'steady-end' ? { top: true } : {}) });
      });
    }
    if (!first && !run.stopped) this.rec.steadyWindow = null;
    const thinned = share.note(points.length);
    if (thinned) this.rec.notes['growth.steadyFit.n'] = thinned;
  }

  /** --burst and its recovery window (burst-recovery.ts); the settled window comes after, without the burst. */
  private async burstAndRecovery(burst: { rate: number; durationMs: number }, control: LoadControl): Promise<void> {
    const recoveryMs = this.rec.burst?.recoveryMs ?? DEFAULT_RECOVERY_MS;
    const measure = () => this.measure({ phase: 'steady', connections: control.connections, requests: control.requests, quiesced: true }, true);
    const overBudget = () => this.budget.skip('recovery');
    const ended = await measureRecovery({ burst, recoveryMs, intervalMs: this.opts.intervalMs, control, run: this.run, progress: this.io.progress, measure, overBudget });
    if (this.rec.burst) this.rec.burst.windowEndT = ended;
  }

  /** --idle-hold: the sessions open with no traffic; still points extend the settled window. */
  private async idleHold(ms: number): Promise<void> {
    this.emit({ type: 'phase', phase: 'idle-hold', t: Date.now(), durationMs: ms });
    const end = Date.now() + ms;
    const spacing = Math.max(1000, this.opts.intervalMs);
    while (!this.run.stopped && Date.now() < end) {
      await sleep(Math.min(spacing, end - Date.now()), this.run.signal);
      if (this.run.stopped) break;
      // Over the pause budget only the idle hold's last point is forced: it ends the window.
      if (Date.now() + spacing / 2 < end && this.budget.skip()) continue;
      const win = this.rec.steadyWindow;
      const s = await this.measure({ phase: 'steady', connections: win?.connections, requests: win?.endRequests, quiesced: true, window: Boolean(win) }, true);
      if (s && win) win.endT = s.t;
    }
  }

  /**
   * Without --mcp, the run's two ends are measured after a forced full GC (clean endpoints for the
   * growth slope, only two GCs forced in the whole run) together with the instances of the
   * connection class, which fill `connections` when there are any.
   */
  private async timedRun(): Promise<void> {
    const { opts, run } = this;
    this.phase = 'steady';
    this.emit({ type: 'phase', phase: 'timed', t: Date.now(), ...(opts.durationMs !== undefined ? { durationMs: opts.durationMs } : {}) });
    await this.measureEnd();
    const start = Date.now();
    const k = opts.snapshots;
    const times: number[] = [];
    if (k > 0 && opts.durationMs !== undefined) {
      // K snapshots spread over the run, the first at the start and the last at the end.
      for (let i = 0; i < k; i++) times.push(k === 1 ? opts.durationMs : (opts.durationMs * i) / (k - 1));
    }
    this.snapshotter.planned = times.length;
    let next = 0;
    while (!run.stopped) {
      while (next < times.length && times[next] <= Date.now() - start && !run.stopped) {
        await this.snapshotNow(`at-${Math.round((Date.now() - start) / 1000)}s`, { role: 'timed' });
        next++;
      }
      // A snapshot may have taken past the end: the loop goes round again for those still due.
      if (opts.durationMs !== undefined && Date.now() - start >= opts.durationMs && next >= times.length) break;
      const wakeAt = Math.min(opts.durationMs ?? Infinity, times[next] ?? Infinity);
      await sleep(Number.isFinite(wakeAt) ? Math.max(0, wakeAt - (Date.now() - start)) : 3_600_000, run.signal);
    }
  }

  private async finish(): Promise<void> {
    const { rec, run, opts } = this;
    this.emit({ type: 'phase', phase: 'finishing', t: Date.now() });
    if (!run.lost) {
      this.phase = opts.load ? 'idle' : 'steady';
      if (!opts.load) await this.measureEnd();
      if (!run.lost) await this.measure({ phase: this.phase, ...(opts.load ? { connections: 0 } : {}) }, false);
    }
    if (!run.lost) {
      try {
        rec.pools = await readPools(this.live.session, opts.poolExpr);
      } catch (err) {
        rec.poolsError = run.lost ? 'the target was lost before pools were read' : message(err);
      }
    } else {
      rec.poolsError = 'the target was lost before pools were read';
    }
    if (!opts.load && rec.steps.length === 0 && !run.lost && !rec.notes.connections) {
      rec.notes.connections = `no instance of ${opts.connectionClasses.join(', ')} in the heap; connections left out (use --connection-class for another class)`;
    }
    await this.sampling?.stop(opts.outDir);
    try {
      await this.gcRecorder?.stop();
    } catch {
      // The session may be gone; the recorder removes its instrumentation when it can.
    }
    this.samplesOut.close();
    this.gcOut.close();
    const skipped = this.budget.note();
    if (skipped) rec.notes['gc.maxPause'] = skipped;
    // A full disk mid-run: the files end at their last whole line; the report says where and why.
    for (const w of [this.samplesOut, this.gcOut]) if (w.failure) rec.notes[`files.${path.basename(w.path)}`] = w.failure;
    rec.ended = run.lost ? 'target-lost' : this.io.signal.aborted ? 'interrupted' : 'complete';
    if (run.lostReason) rec.notes.run = run.lostReason;
    else if (rec.ended === 'interrupted') rec.notes.run = 'interrupted (Ctrl-C): the report covers the time measured until then';
    else if (rec.failure) rec.notes.run = `stopped by an error: ${rec.failure}`;
  }

  // ---- measurements ---------------------------------------------------------------------------

  /**
   * The periodic sample: never a forced GC (those are the still points' job), so the target's own
   * GC behaviour is what the samples show; it belongs to the phase it ended in.
   */
  private async periodicSample(): Promise<void> {
    await this.others.check();
    await this.measure({}, false, () => this.phase);
  }

  private async measure(extra: Partial<MemorySample>, forceGc: boolean, phaseAtEnd?: () => Phase): Promise<MemorySample | null> {
    try {
      const s = forceGc ? await sampleAfterGc(this.live.session) : await sampleMemory(this.live.session);
      if (forceGc && s.gcMs !== undefined) {
        this.budget.observe(s.gcMs);
      }
      const tagged = phaseAtEnd ? { phase: phaseAtEnd() } : {};
      return this.record({ ...s, ...extra, ...tagged, ...(forceGc ? { afterGc: true } : {}) });
    } catch (err) {
      this.run.failed(err);
      return null;
    }
  }

  private record(s: MemorySample): MemorySample {
    this.samplesOut.append(s);
    this.rec.samples.push(compactSample(s));
    this.emit({ type: 'sample', sample: s });
    this.rec.endedAt = Math.max(this.rec.endedAt, s.t);
    return s;
  }

  private async measureEnd(): Promise<void> {
    const { run, rec, opts } = this;
    if (opts.load || run.stopped) return;
    let best: { name: string; count: number } | null = null;
    try {
      const counts = await countInstances(this.live.session, opts.connectionClasses);
      best = counts ? pickClass(counts, rec.connectionClassCounted) : null;
    } catch (err) {
      run.failed(err);
      if (run.lost) return;
      rec.notes.connections = `connection instances could not be counted: ${message(err)}`;
    }
    const s = await this.measure({ phase: this.phase }, true);
    if (!s || !best) return;
    rec.connectionClassCounted = best.name;
    rec.steps.push({ connections: best.count, heapUsedBytes: s.heapUsed, rssBytes: s.rss, t: s.t });
  }

  private async snapshot(plan: SnapshotPlan, role: SnapshotRole, label: string, meta: { connections?: number; requests?: number; closed?: number; top?: boolean }): Promise<void> {
    if (!plan.roles.has(role) || this.run.stopped) return;
    await this.snapshotNow(label, { role, ...meta });
  }

  private async snapshotNow(label: string, meta: { role: SnapshotRole; connections?: number; requests?: number; closed?: number; top?: boolean }): Promise<void> {
    if (this.run.stopped) return;
    await this.snapshotter.take(label, this.run, meta);
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
