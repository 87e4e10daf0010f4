import type { GrowthFitQuality, GrowthSection } from '../report/types.js';
import type { GcEvent, MemorySample } from './types.js';
import { linearFit } from './stats.js';

const MS_PER_HOUR = 3_600_000;

export interface GrowthOptions {
  /**
   * GC events of the run. With 2+ major GCs in a phase, the lower envelope is the minimum heap
   * between consecutive major GCs (the heap right after each one).
   */
  gcEvents?: GcEvent[];
  /** Width of the windows whose minima form the lower envelope when GC events do not delimit it. */
  minimaWindowMs?: number;
}

export type GrowthResult = GrowthSection & { loadFit: GrowthFitQuality; steadyFit: GrowthFitQuality };

/**
 * Heap growth as bytes/hour: the least-squares slope of heap used after GC, over the load phase and
 * over the steady phase (samples tagged `phase: 'steady'`, once connections stop changing).
 *
 * Garbage makes heap used a sawtooth: a fit over every sample measures where in the sawtooth the
 * run happened to start and stop, not growth. What survives a GC is what the program keeps, so:
 * 1. `afterGc`: samples taken right after a forced full GC, when the phase has 2 or more;
 * 2. `gcMinima`: else, with 2+ major GCs in the phase, the minimum sample between consecutive major
 *    GCs (the segment before the first one is dropped: its garbage was never collected);
 * 3. `windowMinima`: else the minimum of each fixed window (default: the phase cut in up to 10
 *    windows of 3+ samples). Windows shorter than the GC period follow the sawtooth's slope in
 *    part; the fit's r2 and slope standard error show it.
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
  const samples = all
    .filter((s) => s.phase === phase && Number.isFinite(s.t) && Number.isFinite(s.heapUsed))
    .sort((a, b) => a.t - b.t);
  const empty = (reason: string, method: GrowthFitQuality['method'] = null): PhaseGrowth => ({
    bytesPerHour: null,
    quality: { method, n: 0, r2: null, windowSec: null, stdErrBytesPerHour: null, minimaWindowSec: null, reason },
  });
  if (samples.length === 0) {
    return empty(phase === 'steady' ? 'no steady-state phase in the run (use --hold)' : 'no samples during the load phase');
  }

  let points: MemorySample[];
  let method: NonNullable<GrowthFitQuality['method']>;
  let minimaWindowSec: number | null = null;
  const afterGc = samples.filter((s) => s.afterGc);
  const majors = majorGcTimes(opts.gcEvents, samples[0].t, samples[samples.length - 1].t);
  if (afterGc.length >= 2) {
    points = afterGc;
    method = 'afterGc';
  } else if (majors.length >= 2) {
    points = minimaBetween(samples, majors);
    method = 'gcMinima';
  } else {
    const span = samples[samples.length - 1].t - samples[0].t;
    const windowMs = opts.minimaWindowMs ?? span / Math.max(1, Math.min(10, Math.floor(samples.length / 3)));
    points = windowMinima(samples, windowMs);
    method = 'windowMinima';
    minimaWindowSec = windowMs / 1000;
  }

  const fit = linearFit(
    points.map((p) => p.t),
    points.map((p) => p.heapUsed),
  );
  if (!fit) {
    return empty(
      `only ${points.length} heap point(s) after GC in the ${phase} phase; a slope needs 2 at different times` +
        (phase === 'steady' ? ' (use a longer --hold)' : ''),
      method,
    );
  }
  return {
    bytesPerHour: fit.slope * MS_PER_HOUR,
    quality: {
      method,
      n: fit.n,
      r2: fit.r2,
      windowSec: (points[points.length - 1].t - points[0].t) / 1000,
      stdErrBytesPerHour: fit.slopeStdErr == null ? null : fit.slopeStdErr * MS_PER_HOUR,
      minimaWindowSec,
      reason: null,
    },
  };
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
