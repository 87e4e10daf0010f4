import type { GcEvent } from '../../model/recording.js';
import type { ChartSpec, SeriesSpec } from './types.js';
import { round, type Unit } from './units.js';

type PauseKind = 'minor' | 'major' | 'incremental' | 'weak' | 'forced';

const KINDS: Array<{ kind: PauseKind; label: string; color: string }> = [
  { kind: 'minor', label: 'minor (scavenge)', color: '#1f77b4' },
  { kind: 'major', label: 'major (mark-compact)', color: '#d62728' },
  { kind: 'incremental', label: 'incremental marking', color: '#9467bd' },
  { kind: 'weak', label: 'weak callbacks', color: '#8c564b' },
  { kind: 'forced', label: 'forced by memprof', color: '#7f7f7f' },
];

/** memprof's own full GCs are a kind of their own here, as the report keeps them apart. */
function kindOf(e: GcEvent): PauseKind {
  return e.forced ? 'forced' : e.kind;
}

/** A pause drawn on a log axis: V8 reports some as 0 ms, which a log axis cannot place. */
const MIN_MS = 0.001;

function pauses(events: GcEvent[]): GcEvent[] {
  return events.filter((e) => Number.isFinite(e.t) && Number.isFinite(e.durationMs)).sort((a, b) => a.t - b.t);
}

function presentKinds(events: GcEvent[]): typeof KINDS {
  const seen = new Set(events.map(kindOf));
  return KINDS.filter((k) => seen.has(k.kind));
}

/** Every GC pause over time, one series per kind, on a log axis (pauses span 0.1 to 100s of ms). */
export function gcTimeChart(events: GcEvent[], t0: number, tu: Unit): ChartSpec | null {
  const all = pauses(events);
  if (all.length === 0) return null;
  const kinds = presentKinds(all);
  return {
    id: 'gc-time',
    x: { label: `time since start (${tu.name})` },
    y: { label: 'pause (ms, log scale)', log: true },
    series: kinds.map((k): SeriesSpec => ({ label: k.label, color: k.color, style: 'points' })),
    data: [
      all.map((e) => round((e.t - t0) / 1000 / tu.div, 3)),
      ...kinds.map((k) => all.map((e) => (kindOf(e) === k.kind ? round(Math.max(MIN_MS, e.durationMs), 3) : null))),
    ],
  };
}

/**
 * The distribution of pauses by kind, as cumulative curves (the share of pauses of a kind at or
 * under x ms): percentiles read straight off it, and kinds with few pauses stay comparable.
 */
export function gcDistributionChart(events: GcEvent[]): ChartSpec | null {
  const all = pauses(events)
    .map((e) => ({ kind: kindOf(e), ms: round(Math.max(MIN_MS, e.durationMs), 3) }))
    .sort((a, b) => a.ms - b.ms);
  if (all.length === 0) return null;
  const kinds = KINDS.filter((k) => all.some((e) => e.kind === k.kind));
  const totals = new Map(kinds.map((k) => [k.kind, all.filter((e) => e.kind === k.kind).length]));
  const seen = new Map<PauseKind, number>();
  const columns = kinds.map(() => [] as Array<number | null>);
  for (const e of all) {
    const n = (seen.get(e.kind) ?? 0) + 1;
    seen.set(e.kind, n);
    kinds.forEach((k, i) => columns[i].push(k.kind === e.kind ? round((100 * n) / totals.get(k.kind)!, 2) : null));
  }
  return {
    id: 'gc-dist',
    x: { label: 'pause (ms, log scale)', log: true },
    y: { label: 'pauses at or under x (%)' },
    series: kinds.map((k): SeriesSpec => ({ label: k.label, color: k.color, style: 'cdf' })),
    data: [all.map((e) => e.ms), ...columns],
  };
}
