import { growthSection, MIN_POINTS, MIN_SPAN_MS } from '../../analysis/growth.js';
import type { LoadProgress, ProfileEvent, RunPhase, RunStartEvent } from '../../model/events.js';
import type { GcEvent, MemorySample } from '../../model/recording.js';
import { Series } from './sparkline.js';

/** GC pauses of one kind: how many, the last one and the longest, ms. */
export interface PauseStats {
  count: number;
  lastMs: number;
  maxMs: number;
}

/** A snapshot being written (the target is frozen meanwhile). */
export interface SnapshotInProgress {
  index: number;
  of: number;
  label: string;
  startedAt: number;
  bytes: number;
  walked: { done: number; total: number } | null;
}

/** How the dashboard ends: the run's outcome, in a word. */
export type DashboardEnd = 'complete' | 'interrupted' | 'failed';

/** What the dashboard shows at one moment: plain data, rendered by Dashboard.tsx. */
export interface DashboardView {
  title: string;
  /** Seconds since the run started (null before). */
  elapsedSec: number | null;
  /** One line: the phase and where in it the run is (e.g. "ramp 2/3: 200 sessions"). */
  phase: string;
  /** Still true while a measurement can still change what is shown. */
  live: boolean;
  sessions: { open: number; opened: number; closed: number; failed: number } | null;
  requests: { perSec: number | null; p50Ms: number | null; p99Ms: number | null; errors: number } | null;
  memory: { heapUsed: number; rss: number; heapPeak: number; rssPeak: number; heapLine: number[]; rssLine: number[] } | null;
  /** Heap used after the last full GC memprof forced, and how long ago (s). */
  heapAfterGc: { bytes: number; agoSec: number } | null;
  /** Natural GC pauses by kind (minor, major, incremental, weak), in that order. */
  gc: Array<{ kind: GcEvent['kind'] } & PauseStats>;
  /** The full GCs memprof forced to measure (still points, steps). */
  forced: PauseStats | null;
  /** The live steady-growth estimate, or why there is none yet (null: no steady part in this run). */
  growth: { bytesPerHour: number; stdErrBytesPerHour: number | null; points: number } | { waiting: string } | null;
  snapshot: SnapshotInProgress | null;
  /** Snapshots written so far, and planned. */
  snapshots: { written: number; planned: number };
}

const KINDS: GcEvent['kind'][] = ['minor', 'major', 'incremental', 'weak'];
/** Re-fitting the steady growth costs a robust fit over the window's points: not more often than this. */
const GROWTH_EVERY_MS = 2000;

/**
 * The dashboard's state, fed the run's events in order (`apply`). It keeps what the view needs and
 * no more: the latest figures, bounded series for the sparklines, the steady samples for the live
 * growth fit (src/analysis/growth.ts, the report's own method), and computes a view on demand.
 */
export class DashboardModel {
  private plan: RunStartEvent | null = null;
  private phase: RunPhase | null = null;
  private phaseEvent: Extract<ProfileEvent, { type: 'phase' }> | null = null;
  private lastStep: { index: number; of: number; connections: number } | null = null;
  private holdStart: number | null = null;
  private load: LoadProgress | null = null;
  private loadAt = 0;
  private rate: number | null = null;
  private last: MemorySample | null = null;
  private heapPeak = 0;
  private rssPeak = 0;
  private readonly heapLine = new Series();
  private readonly rssLine = new Series();
  private afterGc: MemorySample | null = null;
  private readonly pauses = new Map<GcEvent['kind'], PauseStats>();
  private forced: PauseStats | null = null;
  private readonly steady: MemorySample[] = [];
  private readonly majors: GcEvent[] = [];
  private windowPoints = 0;
  private growth: DashboardView['growth'] = null;
  private growthDirty = false;
  private growthAt = 0;
  private snapshot: SnapshotInProgress | null = null;
  private written = 0;
  private planned = 0;
  private end: DashboardEnd | null = null;
  private endedAt = 0;

  constructor(private readonly title: string) {}

  apply(e: ProfileEvent): void {
    switch (e.type) {
      case 'start':
        this.plan = e;
        this.planned = e.snapshots;
        break;
      case 'phase':
        this.phase = e.phase;
        this.phaseEvent = e;
        if (e.phase === 'hold') this.holdStart = e.t;
        // The warm-up's sessions are closed: its counters are not the measured load's.
        if (e.phase === 'baseline') {
          this.load = null;
          this.rate = null;
        }
        break;
      case 'step':
        this.lastStep = { index: e.index, of: e.of, connections: e.connections };
        break;
      case 'sample':
        this.sample(e.sample);
        break;
      case 'gc':
        this.gc(e.event);
        break;
      case 'load':
        this.loadProgress(e.t, e.progress);
        break;
      case 'snapshot':
        this.snapshotEvent(e);
        break;
      case 'note':
        break;
    }
  }

  /** The run is over (the dashboard is about to be taken down): the view stops counting down. */
  finish(end: DashboardEnd, at = Date.now()): void {
    this.end = end;
    this.endedAt = at;
    this.snapshot = null;
  }

  view(now = Date.now()): DashboardView {
    const at = this.end ? this.endedAt : now;
    if (this.growthDirty && at - this.growthAt >= GROWTH_EVERY_MS) this.fitGrowth(at);
    const p = this.load;
    const last = this.last;
    return {
      title: this.plan?.pid ? `${this.title} · pid ${this.plan.pid}` : this.title,
      elapsedSec: this.plan ? Math.max(0, (at - this.plan.t) / 1000) : null,
      phase: this.phaseText(at),
      live: this.end === null,
      sessions: p ? { open: p.open, opened: p.opened, closed: p.closed, failed: p.failed ?? 0 } : null,
      requests: p ? { perSec: this.rate, p50Ms: p.latencyMs?.p50 ?? null, p99Ms: p.latencyMs?.p99 ?? null, errors: p.errors } : null,
      memory: last
        ? { heapUsed: last.heapUsed, rss: last.rss, heapPeak: this.heapPeak, rssPeak: this.rssPeak, heapLine: this.heapLine.points(), rssLine: this.rssLine.points() }
        : null,
      heapAfterGc: this.afterGc ? { bytes: this.afterGc.heapUsed, agoSec: Math.max(0, (at - this.afterGc.t) / 1000) } : null,
      gc: KINDS.filter((k) => this.pauses.has(k)).map((kind) => ({ kind, ...this.pauses.get(kind)! })),
      forced: this.forced,
      growth: this.growth ?? (this.expectsSteady() ? { waiting: 'waiting for the steady window' } : null),
      snapshot: this.snapshot,
      snapshots: { written: this.written, planned: Math.max(this.planned, this.written) },
    };
  }

  // ---- events ---------------------------------------------------------------------------------

  private sample(s: MemorySample): void {
    this.last = s;
    this.heapPeak = Math.max(this.heapPeak, s.heapUsed);
    this.rssPeak = Math.max(this.rssPeak, s.rss);
    this.heapLine.push(s.heapUsed);
    this.rssLine.push(s.rss);
    if (s.afterGc) this.afterGc = s;
    if (s.phase === 'steady') {
      this.steady.push(s);
      if (s.window && s.afterGc) this.windowPoints++;
      this.growthDirty = true;
    }
  }

  private gc(e: GcEvent): void {
    const add = (prev: PauseStats | null | undefined): PauseStats => ({
      count: (prev?.count ?? 0) + 1,
      lastMs: e.durationMs,
      maxMs: Math.max(prev?.maxMs ?? 0, e.durationMs),
    });
    if (e.forced) {
      this.forced = add(this.forced);
      return;
    }
    this.pauses.set(e.kind, add(this.pauses.get(e.kind)));
    if (e.kind === 'major') this.majors.push(e);
  }

  private loadProgress(t: number, p: LoadProgress): void {
    const prev = this.load;
    // The warm-up's load generator is a separate one whose counters restart from 0.
    if (prev && p.requests >= prev.requests && t > this.loadAt) this.rate = ((p.requests - prev.requests) * 1000) / (t - this.loadAt);
    else this.rate = null;
    this.load = p;
    this.loadAt = t;
  }

  private snapshotEvent(e: Extract<ProfileEvent, { type: 'snapshot' }>): void {
    this.planned = Math.max(this.planned, e.of);
    if (e.stage === 'start') this.snapshot = { index: e.index, of: e.of, label: e.label, startedAt: e.t, bytes: 0, walked: null };
    else if (e.stage === 'progress' && this.snapshot?.index === e.index) {
      this.snapshot.bytes = e.bytes ?? this.snapshot.bytes;
      this.snapshot.walked = e.walked ?? this.snapshot.walked;
    } else if (e.stage === 'written' || e.stage === 'failed' || e.stage === 'skipped') {
      if (e.stage === 'written') this.written++;
      if (this.snapshot?.index === e.index) this.snapshot = null;
    }
  }

  // ---- derived --------------------------------------------------------------------------------

  /** The report's steady-growth method over the steady samples so far (window points flagged). */
  private fitGrowth(at: number): void {
    this.growthDirty = false;
    this.growthAt = at;
    const driven = Boolean(this.plan?.ramp.length);
    // A driven run's estimate is its settled window's, as in the report: the settle period before
    // the window is not fitted, and no slope is shown before the window has the points for one.
    const g = driven && this.windowPoints < MIN_POINTS ? null : growthSection(this.steady, { gcEvents: this.majors });
    if (g && g.steadyBytesPerHour !== null && g.steadyBytesPerHour !== undefined) {
      this.growth = { bytesPerHour: g.steadyBytesPerHour, stdErrBytesPerHour: g.steadyFit.stdErrBytesPerHour, points: g.steadyFit.n };
    } else if (this.phase === 'window' || this.phase === 'idle-hold' || this.phase === 'timed') {
      // A driven run fits the window's still points; a timed one, the minima of its samples.
      const [n, what] = driven ? [this.windowPoints, 'still point'] : [this.steady.length, 'sample'];
      this.growth = { waiting: `${n} ${what}${n === 1 ? '' : 's'} so far; a slope needs ${MIN_POINTS} points or more over ${MIN_SPAN_MS / 1000} s` };
    }
  }

  private expectsSteady(): boolean {
    return Boolean(this.plan && (this.plan.holdMs || this.plan.ramp.length === 0));
  }

  private phaseText(now: number): string {
    if (this.end === 'interrupted') return 'interrupted: closing what memprof opened, writing what was measured';
    if (this.end === 'failed') return 'stopped';
    if (this.end) return 'done: measuring over';
    const e = this.phaseEvent;
    if (!e) return this.load ? `driving load: ${this.load.open} sessions open` : this.plan ? 'starting' : 'waiting for the target';
    const left = (ms: number | undefined, from = e.t): string => (ms === undefined ? '' : `${fmtSec(Math.max(0, from + ms - now))} left`);
    const hold = this.plan?.holdMs ?? undefined;
    switch (e.phase) {
      case 'warmup':
        return e.stdio ? 'warm-up: tool calls over the stdio session' : `warm-up: opening ${e.connections} sessions${e.withCalls ? ' with tool calls' : ''}, then closing them`;
      case 'baseline':
        return 'baseline: measuring before the load';
      case 'ramp': {
        const of = this.plan?.ramp.length ?? 0;
        const done = this.lastStep ? this.lastStep.index + 1 : 0;
        if (done >= of) return `ramp ${of}/${of}: ${this.lastStep?.connections ?? 0} sessions, measured`;
        return `ramp ${done + 1}/${of}: opening to ${this.plan?.ramp[done]} sessions`;
      }
      case 'hold':
      case 'settle':
      case 'window': {
        const what = e.phase === 'window' ? `steady window, ${this.windowPoints}/${e.points} still points` : 'settling';
        return `hold ${this.lastStep?.connections ?? e.connections ?? ''} sessions: ${what}; ${left(hold, this.holdStart ?? e.t)}`;
      }
      case 'idle-hold':
        return `idle hold (no traffic): ${left(e.durationMs)}`;
      case 'final':
        return 'final: sessions closed, measuring what stayed';
      case 'timed':
        return e.durationMs === undefined ? 'sampling until Ctrl-C' : `sampling: ${left(e.durationMs)}`;
      case 'finishing':
        return 'finishing: reading pools, stopping the recorders';
    }
  }
}

function fmtSec(ms: number): string {
  return ms >= 120_000 ? `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s` : `${(ms / 1000).toFixed(0)} s`;
}
