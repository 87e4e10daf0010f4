import type { CheckResult } from '../model/report.js';
import { formatFigure } from '../util/format-figure.js';
import { paint } from '../util/color.js';

export interface ChecksTextOptions {
  color?: boolean;
  /** A line above the table, e.g. which report and config were checked. */
  header?: string;
}

const MARK = { pass: '✓', fail: '✗', 'n/a': '–', inconclusive: '?' } as const;

/** The ✓/✗ table: one row per check (and per baseline comparison), measured against the limit. */
export function renderChecksText(results: CheckResult[], opts: ChecksTextOptions = {}): string {
  const color = opts.color ?? false;
  const rows = results.map((r) => {
    const status = statusOf(r);
    return {
      status,
      cells: [MARK[status], r.id, measuredText(r), limitText(r), noteText(r)],
    };
  });
  const head = ['', 'check', 'measured', 'limit', 'note'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r.cells[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const out: string[] = [];
  if (opts.header) out.push(opts.header, '');
  out.push(paint('bold', line(head), color));
  for (const r of rows) {
    const style = r.status === 'pass' ? 'green' : r.status === 'fail' ? 'red' : r.status === 'inconclusive' ? 'yellow' : 'gray';
    out.push(paint(style, line(r.cells), color));
  }
  out.push('', summaryLine(results));
  return out.join('\n') + '\n';
}

export type CheckStatus = NonNullable<CheckResult['status']>;

export function statusOf(r: CheckResult): CheckStatus {
  return r.status ?? (r.pass ? 'pass' : 'fail');
}

/** Fails the gate (exit 1): a failed check, or one the noise left undecided. */
export function failing(r: CheckResult): boolean {
  const s = statusOf(r);
  return s === 'fail' || s === 'inconclusive';
}

export function measuredText(r: CheckResult): string {
  if (statusOf(r) === 'n/a' && r.comparison !== 'baseline') return 'n/a';
  const value = formatFigure(r.measured, r.unit ?? 'number');
  // A fitted figure shows its noise: the check is decided on the 2σ band, not the value alone.
  if (r.stdErr !== undefined && r.measured !== null && r.comparison !== 'baseline') {
    return `${value} ± ${formatFigure(2 * r.stdErr, r.unit ?? 'number')} (2σ)`;
  }
  return value;
}

export function limitText(r: CheckResult): string {
  if (r.comparison === 'baseline' || r.op === undefined || r.limitValue === undefined) return r.limit;
  return `${r.op} ${formatFigure(r.limitValue, r.unit ?? 'number')}`;
}

/** What the reader needs next to the numbers: why it failed or was not applicable, else what it is. */
export function noteText(r: CheckResult): string {
  return statusOf(r) === 'pass' || !r.reason ? r.description : r.reason;
}

export function summaryLine(results: CheckResult[]): string {
  const count = (s: CheckStatus) => results.filter((r) => statusOf(r) === s).length;
  const failed = count('fail');
  const undecided = count('inconclusive');
  const na = count('n/a');
  const parts = [`${count('pass')} passed`, `${failed} failed`];
  if (undecided) parts.push(`${undecided} inconclusive (not a pass: hold longer)`);
  if (na) parts.push(`${na} not applicable`);
  return `${results.length} check${results.length === 1 ? '' : 's'}: ${parts.join(', ')}${failed || undecided ? '' : ' — all pass'}`;
}

/** A baseline row as before → after: the baseline's figure, this run's, and the change in %. */
export function beforeAfter(r: CheckResult): { before: string; after: string; change: string; noise: string } | null {
  if (r.comparison !== 'baseline' || r.baseline === undefined || r.baseline === null || r.measured === null) return null;
  const unit = r.unit ?? 'number';
  const change = r.baseline !== 0 ? `${r.measured >= r.baseline ? '+' : ''}${(((r.measured - r.baseline) / Math.abs(r.baseline)) * 100).toFixed(1)}%` : '';
  return {
    before: formatFigure(r.baseline, unit),
    after: formatFigure(r.measured, unit),
    change,
    noise: r.stdErr !== undefined ? `± ${formatFigure(2 * r.stdErr, unit)}` : '',
  };
}
