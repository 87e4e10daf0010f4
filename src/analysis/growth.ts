import type { GrowthFitQuality, GrowthSection } from '../model/report.js';
import type { GcEvent, MemorySample, SteadyWindow } from '../model/recording.js';
import { codeFactor } from './code-adjusted.js';
import { robustSlope } from './robust-fit.js';

const MS_PER_HOUR = 3_600_000;
/**
 * No slope from less: two points fit any line exactly (their "rate" is the last two readings'
 * noise over the time between them), and a rate per hour from a fraction of a second multiplies
 * that noise by thousands ("+46.2 GiB/h from 2 points over 0 s").
 */
export const MIN_POINTS = 3;
export const MIN_SPAN_MS = 1000;

export interface GrowthOptions {
  /**
   * GC events of the run. With 2+ major GCs in a phase, the lower envelope is the minimum heap
   * between consecutive major GCs (the heap right after each one).
   */
  gcEvents?: GcEvent[];
  /** Width of the windows whose minima form the lower envelope when GC events do not delimit it. */
  minimaWindowMs?: number;
  /**
   * The settled part of the hold: steady growth is fitted over it alone, so the settle period
   * before it (churn's first replacements, caches warming to their bound) is not read as a trend.
   * Absent: the samples flagged `window`, else the whole steady phase (`profile` without load).
   */
  steadyWindow?: SteadyWindow | null;
  /**
   * V8's object shapes and system objects (bytes) as heap snapshots counted them at moments of the
   * steady window, in time order. They grow while the JIT settles, which is V8's memory, not the
   * program's: interpolated between the snapshots and set apart from the steady points.
   */
  v8Metadata?: Array<{ t: number; bytes: number }>;
}

export type GrowthResult = GrowthSection & { loadFit: GrowthFitQuality; steadyFit: GrowthFitQuality };

/**
 * Heap growth as bytes/hour over the load phase and over the steady phase (its settled window).
 *
 * Garbage makes heap used a sawtooth: a fit over every sample measures where in the sawtooth the
 * run happened to start and stop, not growth. What survives a GC is what the program keeps, so the
 * points are, with 3 or more of a kind:
 * 1. `afterGc`: samples taken right after a forced full GC (the quiesced ones when there are
 *    enough: a GC forced amid traffic also measures the requests in flight);
 * 1b. `afterMajorGc`: else (forced GCs over the pause budget) the forced points there are, and
 *    between them the heap as each of the target's own major GCs left it (GcEvent.heapAfter);
 * 2. `gcMinima`: else the minimum sample between consecutive major GCs (the segment before the
 *    first one is dropped: its garbage was never collected);
 * 3. `windowMinima`: else the minimum of each fixed window (default: the span cut in up to 10
 *    windows of 3+ samples). Windows shorter than the GC period follow the sawtooth's slope in
 *    part; the fit's r2 and slope standard error show it.
 * The slope is robust to one stray point and to one level shift (robust-fit.ts). Fewer than 3
 * points, or a span under 1 s, give null with the reason.
 */
export function growthSection(samples: MemorySample[], opts: GrowthOptions = {}): GrowthResult {
  const load = phaseGrowth(samples, 'load', opts);
  const steady = phaseGrowth(samples, 'steady', opts);
  return {
    loadBytesPerHour: load.bytesPerHour,
    steadyBytesPerHour: steady.bytesPerHour,
    loadFit: load.quality,
    steadyFit: steady.quality,
  };
}

interface PhaseGrowth {
  bytesPerHour: number | null;
  quality: GrowthFitQuality;
}

function phaseGrowth(all: MemorySample[], phase: 'load' | 'steady', opts: GrowthOptions): PhaseGrowth {
  const inPhase = all
    .filter((s) => s.phase === phase && Number.isFinite(s.t) && Number.isFinite(s.heapUsed))
    .sort((a, b) => a.t - b.t);
  const window = phase === 'steady' ? settledWindow(inPhase, opts.steadyWindow) : null;
  const settleSec = window && inPhase.length ? Math.max(0, window.startT - inPhase[0].t) / 1000 : null;
  const empty = (reason: string, method: GrowthFitQuality['method'] = null): PhaseGrowth => ({
    bytesPerHour: null,
    quality: { method, n: 0, r2: null, windowSec: null, stdErrBytesPerHour: null, minimaWindowSec: null, reason, ...(phase === 'steady' ? { settleSec } : {}) },
  });
  if (inPhase.length === 0) {
    return empty(phase === 'steady' ? 'no steady-state phase in the run (use --hold)' : 'no samples during the load phase');
  }
  const samples = window ? inPhase.filter((s) => s.window === true || (s.t >= window.startT && s.t <= window.endT)) : inPhase;
  const where = window ? 'in the settled window of the hold' : `in the ${phase} phase`;
  if (samples.length === 0) return empty(`no sample ${where} (use a longer --hold)`);

  const { points, method, minimaWindowSec, quiesced } = choosePoints(samples, opts);
  const spanMs = points.length ? points[points.length - 1].t - points[0].t : 0;
  const hint = phase === 'steady' ? ' (use a longer --hold)' : ' (ramp over 3 or more steps)';
  const need = `a slope needs ${MIN_POINTS} or more over at least ${MIN_SPAN_MS / 1000} s`;
  if (points.length < MIN_POINTS) {
    const over = points.length >= 2 ? ` over ${(spanMs / 1000).toFixed(1)} s` : '';
    return empty(`only ${points.length} heap point${points.length === 1 ? '' : 's'} after GC ${where}${over}; ${need}${hint}`, method);
  }
  if (spanMs < MIN_SPAN_MS) {
    return empty(`the ${points.length} heap points after GC ${where} span only ${(spanMs / 1000).toFixed(1)} s; ${need}${hint}`, method);
  }

  // After a full GC the young generation holds only what the sampler itself allocated: left out.
  // V8's code (and, from snapshots, its shapes) are set apart: see code-adjusted.ts.
  const afterGc = method === 'afterGc' || method === 'afterMajorGc';
  const metadata = phase === 'steady' && afterGc ? interpolator(opts.v8Metadata) : null;
  const ys = points.map((p) => (afterGc ? programHeap(p) : p.heapUsed) - (metadata ? metadata(p.t) : 0));
  const codes = points.map((p) => (p.code ? p.code.code + p.code.bytecode : NaN));
  const adjust = afterGc && codes.every(Number.isFinite) ? codeFactor(points.map((p) => p.t), ys, codes) : null;
  const fit = robustSlope(
    points.map((p) => p.t),
    adjust ? ys.map((y, i) => y - adjust.factor * codes[i]) : ys,
    { resolution: 1, minSpan: MIN_SPAN_MS },
  );
  if (!fit) return empty(`the heap points after GC ${where} do not determine a slope; ${need}${hint}`, method);
  return {
    bytesPerHour: fit.slope * MS_PER_HOUR,
    quality: {
      method,
      n: fit.n,
      r2: fit.r2,
      windowSec: spanMs / 1000,
      stdErrBytesPerHour: fit.slopeStdErr == null ? null : fit.slopeStdErr * MS_PER_HOUR,
      minimaWindowSec,
      reason: null,
      estimator: fit.step ? 'robustStep' : 'robustLine',
      outliers: fit.outliers,
      step: fit.step ? { atSec: (fit.step.x - points[0].t) / 1000, bytes: fit.step.size } : null,
      quiesced,
      ...(afterGc ? { measure: measureOf(method, adjust !== null, metadata !== null), codeFactor: adjust ? adjust.factor : null } : {}),
      ...(phase === 'steady' ? { settleSec } : {}),
    },
  };
}

/** Heap used less the young generation (what the sampler allocated since the GC it forced). */
function programHeap(s: MemorySample): number {
  let young = 0;
  for (const sp of s.spaces ?? []) if (sp.name === 'new_space' || sp.name === 'new_large_object_space') young += sp.used;
  return s.heapUsed - young;
}

function measureOf(method: string, code: boolean, metadata: boolean): string {
  const head = method === 'afterMajorGc' ? "heap used after the target's own major GCs and memprof's forced ones at the window's edges" : 'heap used after GC';
  return [`${head}, less the young generation`, code ? "V8's code (fitted as a covariate)" : null, metadata ? "V8's object shapes (from the window's snapshots)" : null]
    .filter(Boolean)
    .join(', less ');
}

/** Piecewise-linear through the readings, constant beyond them; null with fewer than 2. */
function interpolator(points: Array<{ t: number; bytes: number }> | undefined): ((t: number) => number) | null {
  const ps = (points ?? []).filter((p) => Number.isFinite(p.t) && Number.isFinite(p.bytes)).sort((a, b) => a.t - b.t);
  if (ps.length < 2) return null;
  const base = ps[0].bytes;
  return (t) => {
    if (t <= ps[0].t) return 0;
    for (let i = 1; i < ps.length; i++) {
      if (t <= ps[i].t) return ps[i - 1].bytes - base + ((ps[i].bytes - ps[i - 1].bytes) * (t - ps[i - 1].t)) / (ps[i].t - ps[i - 1].t || 1);
    }
    return ps[ps.length - 1].bytes - base;
  };
}

/** The window given, else the span of the samples flagged `window`, else none (the whole phase). */
function settledWindow(samples: MemorySample[], given: SteadyWindow | null | undefined): { startT: number; endT: number } | null {
  if (given && Number.isFinite(given.startT) && Number.isFinite(given.endT) && given.endT >= given.startT) return given;
  const flagged = samples.filter((s) => s.window === true);
  return flagged.length ? { startT: flagged[0].t, endT: flagged[flagged.length - 1].t } : null;
}

interface Points {
  points: MemorySample[];
  method: NonNullable<GrowthFitQuality['method']>;
  minimaWindowSec: number | null;
  quiesced: boolean;
}

function choosePoints(samples: MemorySample[], opts: GrowthOptions): Points {
  const afterGc = samples.filter((s) => s.afterGc);
  const quiet = afterGc.filter((s) => s.quiesced);
  if (quiet.length >= MIN_POINTS) return { points: quiet, method: 'afterGc', minimaWindowSec: null, quiesced: true };
  // Forced GCs over the pause budget (--max-pause): the edges were forced, the points between them
  // are the target's own major GCs, read as each ended.
  const natural = naturalGcPoints(opts.gcEvents, samples[0].t, samples[samples.length - 1].t);
  if (natural.length > 0 && quiet.length + natural.length >= MIN_POINTS) {
    return { points: [...quiet, ...natural].sort((a, b) => a.t - b.t), method: 'afterMajorGc', minimaWindowSec: null, quiesced: false };
  }
  if (afterGc.length >= MIN_POINTS) return { points: afterGc, method: 'afterGc', minimaWindowSec: null, quiesced: false };
  const majors = majorGcTimes(opts.gcEvents, samples[0].t, samples[samples.length - 1].t);
  if (majors.length >= 2) {
    const minima = minimaBetween(samples, majors);
    if (minima.length >= MIN_POINTS) return { points: minima, method: 'gcMinima', minimaWindowSec: null, quiesced: false };
  }
  const span = samples[samples.length - 1].t - samples[0].t;
  const windowMs = opts.minimaWindowMs ?? span / Math.max(1, Math.min(10, Math.floor(samples.length / 3)));
  return { points: windowMinima(samples, windowMs), method: 'windowMinima', minimaWindowSec: windowMs / 1000, quiesced: false };
}

/** The target's own major GCs between `from` and `to` that carry the heap they left, as points. */
function naturalGcPoints(events: GcEvent[] | undefined, from: number, to: number): MemorySample[] {
  const out: MemorySample[] = [];
  for (const e of events ?? []) {
    if (e.kind !== 'major' || e.forced || e.heapAfter === undefined || !Number.isFinite(e.heapAfter)) continue;
    const t = e.t + (Number.isFinite(e.durationMs) ? e.durationMs : 0);
    if (t < from || t > to) continue;
    // The young generation is already left out of heapAfter: no spaces, so programHeap keeps it as is.
    out.push({ t, heapUsed: e.heapAfter, heapTotal: 0, rss: 0, external: 0, arrayBuffers: 0, afterGc: true });
  }
  return out;
}

function majorGcTimes(events: GcEvent[] | undefined, from: number, to: number): number[] {
  if (!events) return [];
  // A forced GC is a full GC too: the heap after it is as clean as after any other.
  return events
    .filter((e) => e.kind === 'major' && e.t >= from && e.t <= to)
    .map((e) => e.t + (Number.isFinite(e.durationMs) ? e.durationMs : 0))
    .sort((a, b) => a - b);
}

/** The lowest sample after each major GC and before the next one (or the end of the phase). */
function minimaBetween(samples: MemorySample[], gcEnds: number[]): MemorySample[] {
  const out: MemorySample[] = [];
  let i = 0;
  for (let g = 0; g < gcEnds.length; g++) {
    const end = g + 1 < gcEnds.length ? gcEnds[g + 1] : Infinity;
    while (i < samples.length && samples[i].t < gcEnds[g]) i++;
    let best: MemorySample | null = null;
    for (let j = i; j < samples.length && samples[j].t < end; j++) {
      if (!best || samples[j].heapUsed < best.heapUsed) best = samples[j];
    }
    if (best) out.push(best);
  }
  return out;
}

function windowMinima(samples: MemorySample[], windowMs: number): MemorySample[] {
  if (!(windowMs > 0)) return samples.slice();
  const t0 = samples[0].t;
  const out: MemorySample[] = [];
  let current = -1;
  let best: MemorySample | null = null;
  for (const s of samples) {
    const w = Math.min(Math.floor((s.t - t0) / windowMs), Number.MAX_SAFE_INTEGER);
    if (w !== current) {
      if (best) out.push(best);
      current = w;
      best = s;
    } else if (best && s.heapUsed < best.heapUsed) {
      best = s;
    }
  }
  if (best) out.push(best);
  return out;
}

/** Why growth figures are null, keyed by report path (for report.notes). */
export function growthNotes(g: GrowthResult): Record<string, string> {
  const notes: Record<string, string> = {};
  if (g.loadBytesPerHour === null && g.loadFit.reason) notes['growth.loadBytesPerHour'] = g.loadFit.reason;
  if (g.steadyBytesPerHour === null && g.steadyFit.reason) notes['growth.steadyBytesPerHour'] = g.steadyFit.reason;
  return notes;
}
