import type { SampledHeap, SampledHeapPoint } from '../model/recording.js';
import type { LeakFigures, SessionSites } from '../model/report.js';
import { siteText } from './allocation-sites.js';
import { linearFit } from './stats.js';

const HOUR_MS = 3_600_000;
/** Below this, growth is too slow to call a leak (the default steady growth limit, as the snapshot method uses). */
const MIN_BYTES_PER_HOUR = 1024 * 1024;
/**
 * A site's sampled bytes are a Poisson count of samples, each standing for about one interval:
 * growth G is about G / interval new samples with a standard deviation of sqrt(G / interval).
 * Three deviations means G >= 9 intervals (288 KiB at 32 KiB).
 */
const MIN_SAMPLES = 9;
const MAX_SESSION_SITES = 15;

export interface SampledLeaks {
  /** Null when there was no settled window with two profiles to compare. */
  leaks: LeakFigures[] | null;
  notes: Record<string, string>;
}

/**
 * Allocation sites whose live sampled bytes grew over the settled steady window: from its first
 * profile to its last by at least MIN_SAMPLES intervals and MIN_BYTES_PER_HOUR, and in each half
 * (first to middle, middle to last) when there is a middle, so a cache that filled once and then
 * stayed at its bound is not called a leak. With a profile after every session closed, says
 * whether the site's bytes outlived the sessions. Pure.
 */
export function sampledLeaks(heap: SampledHeap): SampledLeaks {
  const notes: Record<string, string> = {};
  const window = heap.points.filter((p) => p.role === 'window');
  if (window.length < 2) {
    notes.leaks = 'the sampling heap profiler needs two points of the settled steady window (--hold long enough for two still points)';
    return { leaks: null, notes };
  }
  const first = window[0];
  const last = window[window.length - 1];
  const mid = window.length >= 3 ? window[Math.floor((window.length - 1) / 2)] : null;
  const final = heap.points.find((p) => p.role === 'final' && p.t > last.t) ?? null;
  const ms = last.t - first.t;
  const requests = typeof first.requests === 'number' && typeof last.requests === 'number' ? last.requests - first.requests : null;
  const minGrowth = MIN_SAMPLES * heap.intervalBytes;
  const leaks: LeakFigures[] = [];
  for (const key of Object.keys(last.bytes)) {
    const [b1, samples] = last.bytes[key];
    const [b0] = first.bytes[key] ?? [0, 0];
    const growth = b1 - b0;
    if (growth < minGrowth || ms <= 0) continue;
    const perHour = (growth / ms) * HOUR_MS;
    if (perHour < MIN_BYTES_PER_HOUR) continue;
    if (mid) {
      const bm = mid.bytes[key]?.[0] ?? 0;
      if (!(bm > b0 && b1 > bm)) continue;
    }
    const { site, stack } = heap.sites[key];
    leaks.push({
      name: site.functionName,
      count: samples,
      retainedSize: Math.round(b1),
      growthBytes: Math.round(growth),
      path: stack.map(siteText),
      kind: 'allocation-site',
      site,
      stack,
      outlivesSessions: final ? outlives(final, key, b0, growth) : null,
      bytesPerHour: Math.round(perHour),
      bytesPerRequest: requests ? growth / requests : null,
    });
  }
  leaks.sort((a, b) => (b.growthBytes ?? 0) - (a.growthBytes ?? 0));
  if (leaks.length > 0 && !requests) notes['leaks.bytesPerRequest'] = 'no tool call was answered in the steady window (--msg-rate 0)';
  if (leaks.length > 0 && !final) notes['leaks.outlivesSessions'] = 'no profile was read after the sessions closed';
  return { leaks, notes };
}

/** Most of what the site gained in the window is still there once every session closed. */
function outlives(final: SampledHeapPoint, key: string, startBytes: number, growth: number): boolean {
  return (final.bytes[key]?.[0] ?? 0) - startBytes >= growth / 2;
}

/**
 * Per-session bytes by allocation site: the least-squares slope of each site's live sampled bytes
 * against the sessions open, over the baseline (no session) and the ramp steps. Null with fewer
 * than two distinct session counts. Pure.
 */
export function sessionSites(heap: SampledHeap): { sites: SessionSites | null; note?: string } {
  const pts = heap.points.filter((p) => (p.role === 'baseline' || p.role === 'step') && typeof p.connections === 'number');
  if (new Set(pts.map((p) => p.connections)).size < 2) {
    return { sites: null, note: 'per-session allocation sites need the sampling heap profiler running from before the load to a ramp step (it started later, or the run had one session count)' };
  }
  const xs = pts.map((p) => p.connections!);
  const keys = new Set(pts.flatMap((p) => Object.keys(p.bytes)));
  const totals = pts.map((p) => Object.values(p.bytes).reduce((n, [b]) => n + b, 0));
  const total = slope(xs, totals);
  const maxConn = Math.max(...xs);
  const rows: SessionSites['sites'] = [];
  for (const key of keys) {
    const s = slope(
      xs,
      pts.map((p) => p.bytes[key]?.[0] ?? 0),
    );
    // Below a few samples' worth at the top step, a slope is noise.
    if (!(s > 0) || s * maxConn < 4 * heap.intervalBytes) continue;
    rows.push({ ...heap.sites[key], bytesPerSession: Math.round(s), share: total > 0 ? s / total : 0 });
  }
  rows.sort((a, b) => b.bytesPerSession - a.bytesPerSession);
  return {
    sites: { method: 'sampling', samplingIntervalBytes: heap.intervalBytes, bytesPerSession: Math.round(total), n: pts.length, sites: rows.slice(0, MAX_SESSION_SITES) },
  };
}

function slope(xs: number[], ys: number[]): number {
  return linearFit(xs, ys)?.slope ?? 0;
}
