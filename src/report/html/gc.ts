import type { GcKindStats, Report } from '../../model/report.js';
import { formatMs } from '../../util/units.js';
import { chartSlot, fig, figures, para, section, table } from './parts.js';
import type { ChartSpec } from './types.js';

/** GC pauses by kind (table), over time and their distribution (charts), and memprof's own GCs. */
export function gcSection(report: Report, overTime: ChartSpec | null, distribution: ChartSpec | null): string {
  const notes = report.notes ?? {};
  const gc = report.gc;
  const kinds: Array<[string, GcKindStats | undefined]> = [
    ['minor (scavenge)', gc.minor],
    [gc.major.source === 'forced' ? 'major (mark-compact), from forced GCs' : 'major (mark-compact)', gc.major],
    ['incremental marking', gc.incremental],
    ['weak callbacks', gc.weak],
  ];
  const rows = kinds
    .filter(([, s]) => s !== undefined)
    .map(([label, s]) => [label, s!.count.toLocaleString('en-US'), ...[s!.avgMs, s!.p99Ms, s!.maxMs].map((v) => (s!.count === 0 ? 'none' : formatMs(v)))]);
  const f = gc.forced;
  const pairs: Array<[string, string]> = [
    ['total pause', fig(gc.totalMs, formatMs, notes, 'gc.totalMs')],
    ['overhead', fig(gc.overheadPct, (v) => `${v.toFixed(2)} % of ${report.durationSec.toFixed(1)} s`, notes, 'gc.overheadPct')],
  ];
  if (f) {
    pairs.push([
      'forced by memprof (not in the figures above)',
      f.count === 0 ? 'none' : `${f.count.toLocaleString('en-US')} pauses, ${formatMs(f.totalMs)} in all${f.maxMs != null ? `, longest ${formatMs(f.maxMs)}` : ''}`,
    ]);
  }
  return section(
    'gc',
    'Garbage collection pauses',
    [
      table(['kind', 'count', 'mean', 'p99', 'max'], rows, 'lrrrr', 'Pauses of the target by kind (p99 nearest-rank)'),
      figures(pairs),
      gc.major.source === 'forced' ? para("No natural major GC during the run: the major row is memprof's forced full GCs, an upper bound of the atomic pause.", 'muted') : '',
      `<div class="pair">${chartSlot(overTime, 'GC pauses over time, by kind', 'One point per pause; log scale.', 'No GC event was recorded (gc.jsonl is empty).')}` +
        `${chartSlot(distribution, 'Distribution of pauses, by kind', 'Share of pauses of each kind at or under x ms: read percentiles off the curve.', 'No GC event was recorded.')}</div>`,
    ].join('\n'),
  );
}
