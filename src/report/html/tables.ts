import type { LatencyFigures, Report } from '../../model/report.js';
import { formatNumber } from '../../util/format-figure.js';
import { formatMs } from '../../util/units.js';
import { esc } from './escape.js';
import { fig, figures, para, section, table } from './parts.js';

const pct = (v: number): string => `${(v * 100).toFixed(1)} %`;
const count = (v: number): string => v.toLocaleString('en-US');

/** Pools the target publishes: created, reused, reuse ratio over the measured window. */
export function poolsSection(report: Report): string {
  const notes = report.notes ?? {};
  if (report.pools.length === 0) return section('pools', 'Pools', para(notes.pools ? `Not measured: ${notes.pools}` : 'None published by the target.', 'muted'));
  const rows = report.pools.map((p) => {
    const n = `pools[${p.name}]`;
    return [
      p.name,
      fig(p.created, count, notes, `${n}.created`),
      fig(p.reused, count, notes, `${n}.reused`),
      fig(p.reuseRatio, pct, notes, `${n}.reuseRatio`),
      fig(p.peakInUse, count, notes, `${n}.peakInUse`),
      p.total ? `${fig(p.total.created, count, notes)} / ${fig(p.total.reused, count, notes)} (${fig(p.total.reuseRatio, pct, notes)})` : '–',
    ];
  });
  return section(
    'pools',
    'Pools',
    table(['pool', 'created', 'reused', 'reuse', 'peak in use', 'totals: created / reused (reuse)'], rows, 'lrrrrr', 'reuse = reused / (created + reused), over the measured window') +
      (notes.pools ? para(notes.pools, 'muted') : ''),
  );
}

function latency(l: LatencyFigures): string {
  return ['p50', 'p90', 'p99', 'max'].map((k) => `${k} ${formatMs(l[k as keyof LatencyFigures])}`).join(', ');
}

/** What the load generator did. */
export function loadSection(report: Report): string {
  const notes = report.notes ?? {};
  const l = report.load;
  if (!l) return section('load', 'Load', para('No load driven by memprof in this run (use --mcp URL or --stdio).', 'muted'));
  const perSec = (v: number): string => `${formatNumber(v)} /s`;
  const pairs: Array<[string, string]> = [];
  if (l.transport === 'stdio') pairs.push(['transport', "one session over the target's stdin/stdout"]);
  else pairs.push(['sessions opened per second', fig(l.connectPerSec, perSec, notes, 'load.connectPerSec', 'load')]);
  pairs.push(['tool calls per second', fig(l.msgPerSec, perSec, notes, 'load.msgPerSec', 'load')]);
  pairs.push(['tool call latency', `p50 ${fig(l.latencyMs.p50, formatMs, notes, 'load.latencyMs.p50', 'load.latencyMs')}, p99 ${fig(l.latencyMs.p99, formatMs, notes, 'load.latencyMs.p99', 'load.latencyMs')}`]);
  if (l.initializeLatencyMs) pairs.push(['initialize latency', latency(l.initializeLatencyMs)]);
  const optional: Array<[string, number | undefined]> = [
    ['sessions opened', l.sessionsOpened],
    ['sessions closed', l.sessionsClosed],
    ['sessions failed', l.sessionsFailed],
    ['most sessions open at once', l.peakOpen],
    ['tool calls answered', l.requests],
    ['tool calls not sent (backpressure)', l.requestsMissed],
  ];
  for (const [k, v] of optional) if (typeof v === 'number') pairs.push([k, count(v)]);
  const kinds = Object.entries(l.errorsByKind ?? {}).sort((a, b) => b[1] - a[1]);
  pairs.push(['errors', `${count(l.errors)}${kinds.length ? ` (${kinds.map(([k, n]) => `${k} ${count(n)}`).join(', ')})` : ''}`]);
  if (l.tool !== undefined) pairs.push(['tool called', l.tool ?? 'none']);
  if (l.interrupted) pairs.push(['interrupted', 'yes: the load was cut short']);
  if (l.nonProtocolLines) pairs.push(['non-protocol stdout lines', `${count(l.nonProtocolLines.count)}${l.nonProtocolLines.first.length ? `, first: ${l.nonProtocolLines.first.join(' | ')}` : ''}`]);
  return section('load', 'Load', figures(pairs));
}

/** The report's notes: why a figure is null, and remarks on the run. */
export function notesSection(report: Report): string {
  const entries = Object.entries(report.notes ?? {});
  if (entries.length === 0) return section('notes', 'Notes', para('None.', 'muted'));
  return section('notes', 'Notes', `<dl class="notes">${entries.map(([k, v]) => `<dt><code>${esc(k)}</code></dt><dd>${esc(v)}</dd>`).join('')}</dl>`);
}
