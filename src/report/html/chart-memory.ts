import type { GcEvent, MemorySample } from '../../model/recording.js';
import type { GrowthSection } from '../../model/report.js';
import type { ChartSpec } from './types.js';
import { byteUnit, round, scaled, timeUnit, type Unit } from './units.js';

/** Colours of the run's phases, shared by the shading and the legend under the chart. */
export const PHASE_COLORS: Record<string, string> = {
  idle: 'rgba(120,120,120,0.10)',
  load: 'rgba(255,170,0,0.13)',
  steady: 'rgba(0,140,255,0.10)',
  window: 'rgba(0,140,255,0.16)',
};

/** The samples in time order, and the clock every time chart of the page starts from. */
export function timeline(samples: MemorySample[], gcTimes: number[]): { sorted: MemorySample[]; t0: number; unit: Unit } {
  const sorted = samples.filter((s) => Number.isFinite(s.t)).sort((a, b) => a.t - b.t);
  let t0 = sorted.length ? sorted[0].t : Infinity;
  let tEnd = sorted.length ? sorted[sorted.length - 1].t : -Infinity;
  for (const t of gcTimes) {
    if (!Number.isFinite(t)) continue;
    t0 = Math.min(t0, t);
    tEnd = Math.max(tEnd, t);
  }
  if (!Number.isFinite(t0)) return { sorted, t0: 0, unit: timeUnit(0) };
  return { sorted, t0, unit: timeUnit((tEnd - t0) / 1000) };
}

/**
 * Heap used, RSS and heap after each forced GC over time, sessions open on the right axis, the
 * phases shaded (idle, load, steady, and the settled window the steady growth is fitted over).
 */
export function memoryChart(sorted: MemorySample[], t0: number, tu: Unit): ChartSpec {
  const bu = byteUnit(sorted.flatMap((s) => [s.heapUsed, s.rss]));
  const x = sorted.map((s) => round((s.t - t0) / 1000 / tu.div, 3));
  const hasSessions = sorted.some((s) => typeof s.connections === 'number');
  const spec: ChartSpec = {
    id: 'memory',
    x: { label: `time since start (${tu.name})` },
    y: { label: `memory (${bu.name})` },
    series: [
      { label: `heap used (${bu.name})`, color: '#1f77b4', style: 'line' },
      { label: `heap after forced GC (${bu.name})`, color: '#d62728', style: 'points' },
      { label: `RSS (${bu.name})`, color: '#7f7f7f', style: 'line' },
    ],
    data: [
      x,
      sorted.map((s) => scaled(s.heapUsed, bu)),
      sorted.map((s) => (s.afterGc ? scaled(s.heapUsed, bu) : null)),
      sorted.map((s) => scaled(s.rss, bu)),
    ],
    shades: phaseShades(sorted, x),
  };
  if (hasSessions) {
    spec.y2 = { label: 'sessions open' };
    spec.series.push({ label: 'sessions open', color: '#2ca02c', style: 'step', axis: 'y2' });
    spec.data.push(sorted.map((s) => (typeof s.connections === 'number' ? s.connections : null)));
  }
  return spec;
}

/** Consecutive samples of one phase form one shaded span; the settled window is shaded over it. */
function phaseShades(sorted: MemorySample[], x: number[]): NonNullable<ChartSpec['shades']> {
  const shades: NonNullable<ChartSpec['shades']> = [];
  const spans = (key: (s: MemorySample) => string | null): void => {
    let start = -1;
    for (let i = 0; i <= sorted.length; i++) {
      const k = i < sorted.length ? key(sorted[i]) : null;
      const prev = start >= 0 ? key(sorted[start]) : null;
      if (start >= 0 && k !== prev) {
        // A span runs to the next phase's first sample, so the shading has no gaps.
        const to = i < sorted.length ? x[i] : x[i - 1];
        if (prev && PHASE_COLORS[prev]) shades.push({ from: x[start], to, color: PHASE_COLORS[prev] });
        start = -1;
      }
      if (start < 0 && k !== null) start = i;
    }
  };
  spans((s) => s.phase ?? null);
  spans((s) => (s.window ? 'window' : null));
  return shades;
}

/**
 * The settled window of the hold: heap used in it, the points a growth fit rests on (heap after
 * forced GCs, with the target's own major GCs for `afterMajorGc`, else per-window minima) and the
 * report's steady slope drawn through their centroid, with its band of ±2 standard errors. The
 * report keeps the slope, not the intercept (its fit may subtract V8's code from the points), so
 * the line is placed through the points' centroid.
 */
export function steadyChart(sorted: MemorySample[], gcEvents: GcEvent[], growth: GrowthSection): ChartSpec | null {
  const slopePerHour = growth.steadyBytesPerHour;
  if (typeof slopePerHour !== 'number' || !Number.isFinite(slopePerHour)) return null;
  let inWindow = sorted.filter((s) => s.window === true);
  if (inWindow.length < 2) inWindow = sorted.filter((s) => s.phase === 'steady');
  if (inWindow.length < 2) return null;
  const w0 = inWindow[0].t;
  const wEnd = inWindow[inWindow.length - 1].t;
  const q = growth.steadyFit;
  // Rows: the window's samples, and for afterMajorGc the heap each natural major GC left.
  const rows: Array<{ t: number; heap: number | null; point: number | null }> = [];
  const afterGc = q?.method === 'afterGc' || q?.method === 'afterMajorGc';
  const forced = inWindow.filter((s) => s.afterGc);
  const anchors = afterGc && forced.length > 0 ? forced : minima(inWindow, q?.minimaWindowSec ?? null);
  const anchorSet = new Set(anchors);
  for (const s of inWindow) rows.push({ t: s.t, heap: s.heapUsed, point: anchorSet.has(s) ? s.heapUsed : null });
  if (q?.method === 'afterMajorGc') {
    for (const e of gcEvents) {
      if (e.kind === 'major' && !e.forced && typeof e.heapAfter === 'number' && e.t >= w0 && e.t <= wEnd) rows.push({ t: e.t, heap: null, point: e.heapAfter });
    }
    rows.sort((a, b) => a.t - b.t);
  }
  const points = rows.filter((r) => r.point !== null);
  if (points.length === 0) return null;
  const mx = points.reduce((a, r) => a + (r.t - w0) / 1000, 0) / points.length;
  const my = points.reduce((a, r) => a + r.point!, 0) / points.length;
  const perSec = slopePerHour / 3600;
  const err = q?.stdErrBytesPerHour != null ? (2 * q.stdErrBytesPerHour) / 3600 : null;
  const bu = byteUnit(rows.flatMap((r) => [r.heap, r.point]));
  const x = rows.map((r) => round((r.t - w0) / 1000, 3));
  const line = x.map((t) => my + perSec * (t - mx));
  const spec: ChartSpec = {
    id: 'steady',
    x: { label: 'time into the settled window (s)' },
    y: { label: `heap (${bu.name})` },
    series: [
      { label: `heap used (${bu.name})`, color: '#9ecae1', style: 'line' },
      { label: `points fitted (${bu.name})`, color: '#d62728', style: 'points' },
      { label: `growth fit (${bu.name})`, color: '#000000', style: 'line' },
    ],
    data: [x, rows.map((r) => scaled(r.heap, bu)), rows.map((r) => scaled(r.point, bu)), line.map((v) => scaled(v, bu))],
  };
  if (err !== null && Number.isFinite(err)) {
    spec.series.push({ label: '+2σ', color: 'rgba(0,0,0,0.35)', style: 'edge' }, { label: '−2σ', color: 'rgba(0,0,0,0.35)', style: 'edge' });
    spec.data.push(
      x.map((t, i) => scaled(line[i] + err * Math.abs(t - mx), bu)),
      x.map((t, i) => scaled(line[i] - err * Math.abs(t - mx), bu)),
    );
    spec.fill = { upper: 4, lower: 5, color: 'rgba(0,0,0,0.08)' };
  }
  return spec;
}

/** The lowest sample of each window (the growth fit's fallback when no forced GC was taken). */
function minima(samples: MemorySample[], windowSec: number | null): MemorySample[] {
  const span = samples[samples.length - 1].t - samples[0].t;
  const ms = windowSec && windowSec > 0 ? windowSec * 1000 : span / Math.max(1, Math.min(10, Math.floor(samples.length / 3)));
  const out = new Map<number, MemorySample>();
  for (const s of samples) {
    const w = ms > 0 ? Math.floor((s.t - samples[0].t) / ms) : 0;
    const best = out.get(w);
    if (!best || s.heapUsed < best.heapUsed) out.set(w, s);
  }
  return [...out.values()];
}
