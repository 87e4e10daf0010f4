import type { BurstLoad, GcEvent, MemorySample } from '../model/recording.js';
import type { BurstMemory, BurstSection, GcKindStats, LatencyPair } from '../model/report.js';
import { kindStats } from './gc.js';

/** What the run recorded around a `--burst` besides the samples and GC events. */
export interface BurstInput {
  /** --burst RATE:DURATION as asked. */
  rate: number;
  durationMs: number;
  /** The load generator's marks and counters (null: it did not report, e.g. the run stopped first). */
  load: BurstLoad | null;
  /** The recovery window asked for (--recovery), ms. */
  recoveryMs: number;
  /** ms since the epoch the run started (startSec is counted from it). */
  runStartT: number;
  /** Heap after GC and RSS just before the burst (the top step's still point); null if not measured. */
  before: MemorySample | null;
  /** Last moment of the recovery window, ms since the epoch (null: the run stopped before it ended). */
  windowEndT: number | null;
}

/** Recovered means back within the larger of this and TOLERANCE_SHARE of the burst's rise. */
export const MIN_TOLERANCE_BYTES = 1024 * 1024;
export const TOLERANCE_SHARE = 0.1;

/**
 * What a burst did to memory, from the samples, GC events and the load generator's marks. Pure.
 *
 * Recovery is measured, not assumed: the window's points are heap used after a forced full GC
 * with the load still (so garbage and in-flight work are not in them); the burst has recovered at
 * the first point from which every later point is within the tolerance of the level before. A
 * single dip followed by a rise is not recovery. Without such a point recoverySec is null, and the
 * note says whether the heap was still falling when the window ended (too short to decide) or had
 * settled above the level before (the burst left memory behind).
 */
export function burstSection(samples: MemorySample[], gcEvents: GcEvent[], input: BurstInput): { section: BurstSection; notes: Record<string, string> } {
  const notes: Record<string, string> = {};
  const load = input.load;
  const startT = load?.startT ?? null;
  const endT = load?.endT ?? null;
  const before: BurstMemory = { heapUsedBytes: input.before?.heapUsed ?? null, rssBytes: input.before?.rss ?? null };

  const during = startT !== null ? samples.filter((s) => s.t >= startT && s.t <= (endT ?? Infinity) && !s.afterGc) : [];
  const peak: BurstMemory = { heapUsedBytes: maxOf(during.map((s) => s.heapUsed)), rssBytes: maxOf(during.map((s) => s.rss)) };

  const windowPoints =
    endT !== null ? samples.filter((s) => s.afterGc && s.t >= endT && (input.windowEndT === null || s.t <= input.windowEndT)).sort((a, b) => a.t - b.t) : [];
  const last = windowPoints[windowPoints.length - 1];
  const after: BurstMemory = { heapUsedBytes: last?.heapUsed ?? null, rssBytes: last?.rss ?? null };

  const rise = peak.heapUsedBytes !== null && before.heapUsedBytes !== null ? Math.max(0, peak.heapUsedBytes - before.heapUsedBytes) : null;
  const toleranceBytes = rise !== null ? Math.max(MIN_TOLERANCE_BYTES, TOLERANCE_SHARE * rise) : before.heapUsedBytes !== null ? MIN_TOLERANCE_BYTES : null;

  let recoverySec: number | null = null;
  let stillFalling: boolean | undefined;
  const retainedBytes = after.heapUsedBytes !== null && before.heapUsedBytes !== null ? after.heapUsedBytes - before.heapUsedBytes : null;
  if (before.heapUsedBytes === null || toleranceBytes === null) {
    notes['burst.recoverySec'] = 'the heap was not measured before the burst, so there is no level to come back to';
  } else if (endT === null) {
    notes['burst.recoverySec'] = 'the run stopped before the burst ended';
  } else if (windowPoints.length === 0) {
    notes['burst.recoverySec'] = 'no heap was measured after the burst (the run stopped first)';
  } else {
    const level = before.heapUsedBytes;
    let from = windowPoints.length;
    while (from > 0 && Math.abs(windowPoints[from - 1].heapUsed - level) <= toleranceBytes) from--;
    if (from < windowPoints.length) recoverySec = (windowPoints[from].t - endT) / 1000;
    else {
      stillFalling = falling(windowPoints, toleranceBytes);
      const above = formatMiB(last.heapUsed - level);
      const windowSec = (last.t - endT) / 1000;
      notes['burst.recoverySec'] = stillFalling
        ? `the window was too short to decide: heap after GC was still falling ${windowSec.toFixed(1)} s after the burst, ${above} above the level before (use a longer --recovery)`
        : `not back within the ${windowSec.toFixed(1)} s window: heap after GC settled ${above} above the level before (tolerance ${formatMiB(toleranceBytes)}): the burst left memory behind`;
    }
  }
  if (retainedBytes === null) notes['burst.retainedBytes'] = notes['burst.recoverySec'] ?? 'not measured';
  if (peak.heapUsedBytes === null) notes['burst.peak'] = 'no periodic sample fell inside the burst (use a shorter --interval)';

  const section: BurstSection = {
    rate: input.rate,
    durationSec: input.durationMs / 1000,
    startSec: startT !== null ? (startT - input.runStartT) / 1000 : 0,
    recoveryWindowSec: input.recoveryMs / 1000,
    toleranceBytes,
    before,
    peak,
    after,
    recoverySec,
    retainedBytes,
    ...(stillFalling !== undefined ? { stillFalling } : {}),
    sessions: { opened: load?.opened ?? 0, failed: load?.failed ?? 0, closed: load?.closed ?? 0 },
    gc: burstGc(gcEvents, startT, endT),
    latencyMs: { before: pair(load?.latencyBeforeMs), during: pair(load?.latencyDuringMs) },
    points: endT !== null ? windowPoints.map((s) => ({ sec: (s.t - endT) / 1000, heapUsedBytes: s.heapUsed, rssBytes: s.rss })) : [],
  };
  if (!load) notes.burst = 'the load generator did not report the burst (the run stopped before the hold)';
  return { section, notes };
}

/** The target's own pauses while the burst was on, by kind. */
function burstGc(events: GcEvent[], startT: number | null, endT: number | null): BurstSection['gc'] {
  const by: Record<GcEvent['kind'], number[]> = { minor: [], major: [], incremental: [], weak: [] };
  if (startT !== null) {
    for (const e of events) {
      if (e.forced || e.t < startT || e.t > (endT ?? Infinity) || !Number.isFinite(e.durationMs)) continue;
      by[e.kind]?.push(e.durationMs);
    }
  }
  const stats = (d: number[]): GcKindStats => kindStats(d);
  return { minor: stats(by.minor), major: stats(by.major), incremental: stats(by.incremental), weak: stats(by.weak) };
}

/** Still falling: the last point is below the first by more than the tolerance, and below the one before it. */
function falling(points: MemorySample[], tolerance: number): boolean {
  if (points.length < 2) return true;
  const first = points[0].heapUsed;
  const last = points[points.length - 1].heapUsed;
  const prev = points[points.length - 2].heapUsed;
  return first - last > tolerance && last < prev;
}

function pair(l: { p50: number | null; p99: number | null } | undefined): LatencyPair {
  return { p50: l?.p50 ?? null, p99: l?.p99 ?? null };
}

function maxOf(values: number[]): number | null {
  let m: number | null = null;
  for (const v of values) if (Number.isFinite(v) && (m === null || v > m)) m = v;
  return m;
}

function formatMiB(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
