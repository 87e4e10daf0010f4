import type { GrowthFitQuality, Report } from '../../model/report.js';
import { formatBytes } from '../../util/units.js';
import { chartSlot, fig, figures, para, perHour, section } from './parts.js';
import type { ChartSpec } from './types.js';

const METHOD: Record<string, string> = {
  afterGc: 'heap after forced GCs',
  afterMajorGc: "heap after the target's own major GCs (forced ones at the window's edges)",
  gcMinima: 'heap minima between major GCs',
  windowMinima: 'per-window heap minima',
};

/** How a slope was fitted, in one line: method, points, span, R², standard error. */
function fitText(q: GrowthFitQuality | undefined): string {
  if (!q || !q.method) return q?.reason ?? '';
  const parts = [`${METHOD[q.method] ?? q.method}${q.quiesced ? ' (load quiesced)' : ''}`, `${q.n} points`];
  if (q.windowSec !== null) parts.push(`over ${q.windowSec.toFixed(1)} s`);
  parts.push(`R² ${q.r2 === null ? 'undefined' : q.r2.toFixed(2)}`);
  if (q.stdErrBytesPerHour !== null) parts.push(`± ${formatBytes(q.stdErrBytesPerHour)}/h standard error`);
  if (q.outliers) parts.push(`${q.outliers} outlier${q.outliers === 1 ? '' : 's'} set aside`);
  if (q.step) parts.push(`a one-off step of ${formatBytes(q.step.bytes)} at ${q.step.atSec.toFixed(0)} s (the slope is that of the two levels)`);
  if (q.settleSec !== undefined && q.settleSec !== null) parts.push(`after ${q.settleSec.toFixed(0)} s of settling`);
  return parts.join(', ');
}

/** Growth under load and at steady state, with the settled window's points, fit and band. */
export function growthSection(report: Report, steady: ChartSpec | null): string {
  const notes = report.notes ?? {};
  const g = report.growth;
  const pairs: Array<[string, string]> = [
    ['under load', fig(g.loadBytesPerHour, perHour, notes, 'growth.loadBytesPerHour')],
    ['how (load)', fitText(g.loadFit) || '–'],
    ['steady state', g.steadyBytesPerHour === undefined ? 'not set out to measure (no --hold)' : fig(g.steadyBytesPerHour, perHour, notes, 'growth.steadyBytesPerHour')],
    ['how (steady)', fitText(g.steadyFit) || '–'],
  ];
  if (g.bytesPerRequest !== undefined) {
    pairs.push(['per request', fig(g.bytesPerRequest, (v) => `${formatBytes(v)} kept per tool call (${g.requestsInWindow ?? '?'} answered in the window)`, notes, 'growth.bytesPerRequest')]);
  }
  if (g.program) {
    const p = g.program;
    const change = p.bytes[p.bytes.length - 1] - p.bytes[0];
    pairs.push([
      'program objects (snapshots)',
      `${change < 0 ? '-' : '+'}${formatBytes(Math.abs(change))} over ${p.atSec[p.atSec.length - 1].toFixed(1)} s (${perHour(p.bytesPerHour)}), counted in the window's ${p.bytes.length} snapshots, V8's code and shapes left out`,
    ]);
  }
  const a = g.attribution;
  if (a) {
    const share = a.share === null ? '' : ` (${(a.share * 100).toFixed(0)} %)`;
    pairs.push(['explained by leak groups', a.explainedBytesPerHour === null ? 'not measured' : `${perHour(a.explainedBytesPerHour)}${share}`]);
    pairs.push(['unexplained', a.unexplainedBytesPerHour === null ? 'not measured' : perHour(a.unexplainedBytesPerHour)]);
  }
  return section(
    'growth',
    'Growth (heap after GC)',
    [
      figures(pairs),
      chartSlot(
        steady,
        'The settled window: heap, the points fitted, the growth line and its ±2σ band',
        "The line has the report's steady slope, drawn through the centroid of the points fitted; the band widens with distance from it by 2 standard errors of the slope. A band that holds a flat line means growth indistinguishable from none.",
        g.steadyBytesPerHour === undefined ? 'No steady phase in this run (use --hold).' : `No steady slope to draw${notes['growth.steadyBytesPerHour'] ? `: ${notes['growth.steadyBytesPerHour']}` : '.'}`,
      ),
      g.steadyFit?.measure ? para(`What the steady points measure: ${g.steadyFit.measure}.`, 'muted') : '',
    ].join('\n'),
  );
}
