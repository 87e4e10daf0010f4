import type { ForcedGcStats, GcKindStats, GcSection } from '../model/report.js';
import type { GcEvent } from '../model/recording.js';
import { mean, nearestRank, sortedCopy } from './stats.js';

/**
 * GC figures of the target over a run.
 *
 * Kinds (docs/report.md, gc): minor = scavenge, major = mark-compact. V8 also reports incremental-marking
 * steps and weak-callback processing as separate pauses. They are neither a scavenge nor the
 * mark-compact pause, so they do not enter minor/major (a 0.2 ms marking step must not lower the
 * major average), but they do stop the main thread, so they count in `totalMs` and `overheadPct`,
 * and get their own stats under `incremental` and `weak`.
 *
 * GCs another memprof run attached at the same time forced (--force) are nobody's figure here:
 * they are counted apart, in `forcedByOthers`, present only when there were some.
 *
 * GCs memprof forced itself are left out of everything above and counted in `forced`, with the
 * share of the run they froze the target for (the observer effect). When the run saw no natural
 * major GC, `major` is measured from the forced mark-compacts instead (`source: 'forced'`): a full
 * non-incremental mark-compact of the same heap, so an upper bound of the atomic pause a natural
 * one would take; with no natural major GC the pause figure is otherwise unknowable, not absent.
 * p99 is nearest-rank (see stats.ts): with fewer than 100 pauses it is the longest one.
 * A kind with no pause has null avg/p99/max ("no major GC during the run"), never 0 ms.
 */
export function gcSection(events: GcEvent[], wallMs: number): GcSection {
  const byKind: Record<GcEvent['kind'], number[]> = { minor: [], major: [], incremental: [], weak: [] };
  const forced: number[] = [];
  const forcedMajor: number[] = [];
  const others: number[] = [];
  for (const e of events) {
    if (!Number.isFinite(e.durationMs) || e.durationMs < 0) continue;
    if (e.forcedByOther) others.push(e.durationMs);
    else if (e.forced) {
      forced.push(e.durationMs);
      if (e.kind === 'major') forcedMajor.push(e.durationMs);
    } else byKind[e.kind]?.push(e.durationMs);
  }
  let totalMs = 0;
  for (const kind of Object.keys(byKind) as Array<GcEvent['kind']>) {
    for (const d of byKind[kind]) totalMs += d;
  }
  const pctOfRun = (ms: number): number | null => (Number.isFinite(wallMs) && wallMs > 0 ? (ms / wallMs) * 100 : null);
  const fromForced = byKind.major.length === 0 && forcedMajor.length > 0;
  const forcedMs = sum(forced);
  const forcedStats: ForcedGcStats = {
    count: forced.length,
    totalMs: forcedMs,
    maxMs: forced.length ? forced.reduce((a, b) => Math.max(a, b)) : null,
    overheadPct: pctOfRun(forcedMs),
  };
  const section: GcSection = {
    minor: kindStats(byKind.minor),
    major: { ...kindStats(fromForced ? forcedMajor : byKind.major), source: fromForced ? 'forced' : 'natural' },
    totalMs,
    overheadPct: pctOfRun(totalMs),
    forced: forcedStats,
    incremental: kindStats(byKind.incremental),
    weak: kindStats(byKind.weak),
  };
  if (others.length > 0) {
    const ms = sum(others);
    section.forcedByOthers = { count: others.length, totalMs: ms, maxMs: others.reduce((a, b) => Math.max(a, b)), overheadPct: pctOfRun(ms) };
  }
  return section;
}

export function kindStats(durations: number[]): GcKindStats {
  const sorted = sortedCopy(durations);
  return {
    count: sorted.length,
    avgMs: mean(sorted),
    p99Ms: nearestRank(sorted, 99),
    maxMs: sorted.length ? sorted[sorted.length - 1] : null,
  };
}

const KIND_WORDS = {
  minor: 'minor GC (scavenge)',
  major: 'major GC (mark-compact)',
  incremental: 'incremental marking step',
  weak: 'weak-callback pass',
} as const;

/** Why GC figures are null, keyed by report path (for report.notes). */
export function gcNotes(gc: GcSection): Record<string, string> {
  const notes: Record<string, string> = {};
  for (const kind of ['minor', 'major', 'incremental', 'weak'] as const) {
    const stats = gc[kind];
    if (stats && stats.count === 0) {
      // A major figure can come from memprof's own full GCs; with none of those either, say so.
      const either = kind === 'major' && gc.forced !== undefined ? ', natural or forced by memprof' : '';
      for (const f of ['avgMs', 'p99Ms', 'maxMs']) notes[`gc.${kind}.${f}`] = `no ${KIND_WORDS[kind]} during the run${either}`;
    }
  }
  if (gc.overheadPct === null) notes['gc.overheadPct'] = 'wall time of the run unknown';
  if (gc.forced && gc.forced.count > 0 && gc.forced.overheadPct === null) notes['gc.forced.overheadPct'] = 'wall time of the run unknown';
  return notes;
}

function sum(values: number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}
