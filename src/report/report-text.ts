import type { GcKindStats, GrowthFitQuality, GrowthSection, LeakFigures, PoolFigures, Report, WindowProgram } from '../model/report.js';
import { renderChecksText } from './checks-text.js';
import { allocationSiteLeakText, sessionSitesText } from './sampled-text.js';
import { formatNumber } from '../util/format-figure.js';
import { burstText, projectedText } from './burst-text.js';
import { nonProtocolText } from './load-text.js';
import { textTable } from './table.js';
import { formatBytes, formatMs } from '../util/units.js';

export interface ReportTextOptions {
  color?: boolean;
}

/**
 * The human report for report.json, in the origin report's sections: target, memory per
 * connection at each step (and why heap / N misleads), retained per session, growth, GC, pools,
 * leaks, load, checklist. Every number has its unit; a null figure reads "not measured" with the
 * report's reason; a section the run did not measure says so.
 */
export function renderReport(report: Report, opts: ReportTextOptions = {}): string {
  const notes = report.notes ?? {};
  const why = (path: string, ...more: string[]): string => {
    for (const key of [path, ...more]) if (notes[key]) return `: ${notes[key]}`;
    return '';
  };
  /** A figure, or "not measured" with the reason recorded under `path`. */
  const fig = (value: number | null | undefined, format: (v: number) => string, path: string, ...more: string[]): string =>
    value === null || value === undefined || !Number.isFinite(value) ? `not measured${why(path, ...more)}` : format(value);
  const bytes = (v: number) => formatBytes(v);
  const perHour = (v: number) => `${v < 0 ? '-' : '+'}${formatBytes(Math.abs(v))}/h`;
  const out: string[] = [];
  const section = (title: string) => out.push('', title, '-'.repeat(title.length));

  // Target and environment.
  const t = report.target;
  out.push(`memprof report (${report.schema}, memprof ${report.tool.version})`);
  section('Target');
  out.push(
    `target: ${t.command ? `${t.command}, ` : ''}pid ${t.pid ?? 'unknown'}, Node.js ${t.nodeVersion ?? 'version unknown'}; run of ${report.durationSec.toFixed(1)} s`,
  );
  if (notes.warmup) out.push(`warm-up: ${notes.warmup}`);
  const mem = report.memory;
  out.push(
    ...textTable(
      ['', 'start', 'end', 'peak'],
      [
        ['heap used', ...(['start', 'end', 'peak'] as const).map((k) => fig(mem.heapUsedBytes[k], bytes, `memory.heapUsedBytes.${k}`))],
        ['RSS', ...(['start', 'end', 'peak'] as const).map((k) => fig(mem.rssBytes[k], bytes, `memory.rssBytes.${k}`))],
      ],
      ['l', 'r', 'r', 'r'],
    ),
  );

  // Memory per connection.
  section('Memory per connection');
  const c = report.connections;
  if (!c) {
    out.push(notes.connections ? `  not measured: ${notes.connections}` : `  not measured in this run (no --mcp load and no connection objects in the heap)`);
  } else {
    out.push('  heap and RSS after a forced full GC at each step');
    if (c.steps.length === 0) out.push(`  no step was measured${why('connections.steps')}`);
    out.push(
      ...textTable(
        ['connections', 'heap used', 'RSS', 'heap / connections (naive)'],
        c.steps.map((s, i) => [
          s.connections.toLocaleString('en-US'),
          fig(s.heapUsedBytes, bytes, `connections.steps.${i}.heapUsedBytes`),
          fig(s.rssBytes, bytes, `connections.steps.${i}.rssBytes`),
          fig(s.bytesPerConnection, bytes, `connections.steps.${i}.bytesPerConnection`),
        ]),
        ['r', 'r', 'r', 'r'],
      ),
    );
    const fitN = c.steps.filter((s) => s.heapUsedBytes !== null).length;
    out.push(`  least-squares fit of heap used against connections (${fitN} step${fitN === 1 ? '' : 's'}):`);
    out.push(`    marginal   ${fig(c.marginalBytesPerConnection, (v) => `${formatBytes(v)} per connection`, 'connections.marginalBytesPerConnection')}`);
    out.push(`    fixed      ${fig(c.fixedBytes, bytes, 'connections.fixedBytes')}`);
    out.push(
      `    R²         ${fig(c.r2, (v) => v.toFixed(4), 'connections.r2')}${fitN === 2 && c.r2 !== null ? ' (trivially: a line through 2 steps always fits; ramp over 3 or more)' : ''}`,
    );
    if (c.rss) {
      out.push(
        `  same fit over RSS (${c.rss.n} steps): ${formatBytes(c.rss.marginalBytesPerConnection)} per connection, fixed ${formatBytes(c.rss.fixedBytes)}, R² ${c.rss.r2 === null ? 'undefined' : c.rss.r2.toFixed(4)}`,
      );
    }
    out.push(...naiveExplanation(report));
    const r = c.retained;
    out.push('', '  retained size per session (from a heap snapshot):');
    if (r === undefined || r === null) {
      out.push(`    not measured${why('connections.retained') || (r === undefined ? ': no snapshot was taken at a step (--snapshots)' : '')}`);
    }
    else {
      out.push(`    ${r.class}: ${r.count.toLocaleString('en-US')} instance${r.count === 1 ? '' : 's'} (percentiles nearest-rank)`);
      out.push(
        ...textTable(
          ['mean', 'p50', 'p90', 'max'],
          [[r.meanBytes, r.p50Bytes, r.p90Bytes, r.maxBytes].map((v) => fig(v, bytes, 'connections.retained'))],
          ['r', 'r', 'r', 'r'],
          '    ',
        ),
      );
    }
    if (c.projected) out.push(projectedText(c.projected));
    const typical = (c as { typicalSession?: TypicalSession }).typicalSession;
    if (typical && Array.isArray(typical.holds)) {
      out.push(`  what one typical ${typical.class} (median, ${formatBytes(typical.retainedBytes)} retained) holds:`);
      out.push(
        ...textTable(
          ['class', 'count', 'retained'],
          typical.holds.slice(0, 12).map((h) => [h.name, h.count.toLocaleString('en-US'), formatBytes(h.retainedBytes)]),
          ['l', 'r', 'r'],
          '    ',
        ),
      );
    }
    if (c.sessionSites) out.push(...sessionSitesText(c.sessionSites));
    else if (c.sessionSites === null) out.push(`  by allocation site: not measured${why('connections.sessionSites')}`);
  }

  // Growth.
  section('Growth (heap used after GC, robust slope)');
  const g = report.growth;
  out.push(`  under load     ${fig(g.loadBytesPerHour, perHour, 'growth.loadBytesPerHour')}${fitText(g.loadFit, g.loadBytesPerHour)}`);
  if (g.steadyBytesPerHour === undefined) out.push(`  steady state   not set out to measure (no --hold)`);
  else out.push(`  steady state   ${fig(g.steadyBytesPerHour, perHour, 'growth.steadyBytesPerHour')}${fitText(g.steadyFit, g.steadyBytesPerHour)}`);
  if (g.bytesPerRequest !== undefined) out.push(`  per request    ${fig(g.bytesPerRequest, (v) => perRequestText(v, g), 'growth.bytesPerRequest')}`);
  if (g.program) out.push(`  program        ${programText(g.program)}`);
  out.push(...growthDetails(g, perHour));

  // GC.
  section('Garbage collection (pauses of the target)');
  const gc = report.gc;
  const forcedMajor = gc.major.source === 'forced';
  const kinds: Array<[string, GcKindStats | undefined, string]> = [
    ['minor (scavenge)', gc.minor, 'minor'],
    [forcedMajor ? 'major (mark-compact, forced)' : 'major (mark-compact)', gc.major, 'major'],
    ['incremental marking', gc.incremental, 'incremental'],
    ['weak callbacks', gc.weak, 'weak'],
  ];
  out.push(
    ...textTable(
      ['kind', 'count', 'mean', 'p99', 'max'],
      kinds
        .filter(([, s, k]) => s && (s.count > 0 || k === 'minor' || k === 'major'))
        .map(([label, s]) =>
          s!.count === 0
            ? [label, '0', 'none', 'none', 'none']
            : [label, s!.count.toLocaleString('en-US'), formatMs(s!.avgMs), formatMs(s!.p99Ms), formatMs(s!.maxMs)],
        ),
      ['l', 'r', 'r', 'r', 'r'],
    ),
  );
  for (const [label, s, k] of kinds) {
    if (s && s.count === 0 && (k === 'minor' || k === 'major')) out.push(`  ${notes[`gc.${k}.maxMs`] ?? `no ${label} GC during the run`}`);
  }
  if (forcedMajor) {
    out.push(
      "  no natural major GC during the run: the major row is memprof's forced full GCs (non-incremental",
      "  mark-compacts of the same heap), an upper bound of the target's atomic pause",
    );
  }
  out.push(
    `  total pause ${fig(gc.totalMs, formatMs, 'gc.totalMs')}, overhead ${fig(gc.overheadPct, (v) => `${v.toFixed(2)} % of ${report.durationSec.toFixed(1)} s wall time`, 'gc.overheadPct')}`,
  );
  const f = gc.forced;
  if (f && f.count > 0) {
    const longest = f.maxMs !== undefined && f.maxMs !== null ? `, longest ${formatMs(f.maxMs)}` : '';
    const share = f.overheadPct !== undefined && f.overheadPct !== null ? `, ${f.overheadPct.toFixed(2)} % of the run` : '';
    out.push(
      `  observer effect: memprof forced full GCs to measure; ${f.count.toLocaleString('en-US')} GC pause${f.count === 1 ? '' : 's'} froze the target ${formatMs(f.totalMs)} in all${longest}${share}`,
      `  (not counted in the totals above)`,
    );
  } else if (f) out.push('  observer effect: memprof forced no GC in this run');
  const o = gc.forcedByOthers;
  if (o && o.count > 0) {
    out.push(`  another memprof attached at the same time forced ${o.count.toLocaleString('en-US')} GC pause${o.count === 1 ? '' : 's'} (${formatMs(o.totalMs)}): not counted above`);
  }
  out.push('  p99 is nearest-rank: with fewer than 100 pauses it is the longest one');

  // Pools.
  section('Pools (reuse = reused / (created + reused))');
  if (report.pools.length === 0) out.push(notes.pools ? `  not measured: ${notes.pools}` : '  none published by the target');
  else {
    const windowed = report.pools.some((p) => p.windowed && p.total);
    const pct = (v: number) => `${(v * 100).toFixed(1)} %`;
    if (windowed) out.push('  created, reused and reuse over the measured window (counters read as it started and at the end); totals as read at the end');
    out.push(
      ...textTable(
        ['pool', 'created', 'reused', 'reuse', 'peak in use', ...(windowed ? ['total created', 'total reused', 'total reuse'] : [])],
        report.pools.map((p) => [
          p.name,
          fig(p.created, count, `pools[${p.name}].created`),
          fig(p.reused, count, `pools[${p.name}].reused`),
          fig(p.reuseRatio, pct, `pools[${p.name}].reuseRatio`),
          fig(p.peakInUse, count, `pools[${p.name}].peakInUse`),
          ...(windowed ? poolTotals(p, pct) : []),
        ]),
        ['l', 'r', 'r', 'r', 'r', ...(windowed ? (['r', 'r', 'r'] as const) : [])],
      ),
    );
    if (notes.pools) out.push(`  ${notes.pools}`);
  }

  // Leaks.
  section('Leaks');
  if (report.leaks === undefined) out.push('  not measured in this run (take 3 or more snapshots: --snapshots 3)');
  else if (report.leaks === null) out.push(`  not measured${why('leaks')}`);
  else if (report.leaks.length === 0) {
    out.push(
      notes.leaks?.startsWith('found without a heap snapshot')
        ? '  none found (sampling heap profiler: no allocation site whose live memory grew over the steady window)'
        : '  none found (three-snapshot method, and no class that grew in every snapshot)',
    );
  } else {
    report.leaks.forEach((l, i) => {
      if (l.kind === 'allocation-site') {
        out.push(...allocationSiteLeakText(l), ...leakDetails({ ...l, kind: undefined }, i, notes, perHour));
        return;
      }
      out.push(
        `  ${l.name}: ${l.count.toLocaleString('en-US')} object${l.count === 1 ? '' : 's'}, ${formatBytes(l.retainedSize)} retained, growth ${l.growthBytes === null ? 'not measured' : formatBytes(l.growthBytes)}`,
      );
      out.push(...leakDetails(l, i, notes, perHour));
      if (l.path.length) out.push(`    retained by: ${pathText(l.path)}`);
    });
  }

  // Load.
  section('Load');
  const ld = report.load;
  if (!ld) out.push('  no load driven by memprof in this run (use --mcp URL or --stdio)');
  else {
    if (ld.transport === 'stdio') out.push("  session           one per process, over the target's stdin/stdout (stdio)");
    else out.push(`  sessions opened   ${fig(ld.connectPerSec, (v) => `${formatNumber(v)} /s`, 'load.connectPerSec', 'load')}`);
    out.push(`  requests          ${fig(ld.msgPerSec, (v) => `${formatNumber(v)} /s`, 'load.msgPerSec', 'load')}`);
    out.push(
      `  latency           p50 ${fig(ld.latencyMs.p50, formatMs, 'load.latencyMs.p50', 'load.latencyMs', 'load')}, p99 ${fig(ld.latencyMs.p99, formatMs, 'load.latencyMs.p99', 'load.latencyMs', 'load')}`,
    );
    const byKind = (ld as { errorsByKind?: Record<string, number> }).errorsByKind ?? {};
    const kinds = Object.entries(byKind).sort((a, b) => b[1] - a[1]);
    out.push(`  errors            ${ld.errors.toLocaleString('en-US')}${kinds.length ? ` (${kinds.map(([k, n]) => `${k} ${n.toLocaleString('en-US')}`).join(', ')})` : ''}`);
    if (ld.nonProtocolLines) out.push(...nonProtocolText(ld.nonProtocolLines));
  }

  if (report.burst) {
    section('Burst and recovery');
    out.push(...burstText(report.burst, notes));
  }

  // Checklist.
  section('Checklist');
  if (report.checks.length === 0) out.push('  no checks were evaluated');
  else out.push(...renderChecksText(report.checks, { color: opts.color }).trimEnd().split('\n').map((l) => (l ? `  ${l}` : l)));

  return out.join('\n') + '\n';
}

interface TypicalSession {
  class: string;
  retainedBytes: number;
  holds: Array<{ name: string; count: number; retainedBytes: number }>;
}

function count(v: number): string {
  return v.toLocaleString('en-US');
}

/** The origin report's trap, shown with this run's numbers: heap / N carries fixed / N. */
function naiveExplanation(report: Report): string[] {
  const c = report.connections;
  if (!c || c.fixedBytes === null || c.marginalBytesPerConnection === null) return [];
  const measured = c.steps.filter((s) => s.bytesPerConnection !== null && s.connections > 0);
  if (measured.length === 0) return [];
  const first = measured[0];
  const last = measured[measured.length - 1];
  const lines = [
    `  heap / connections misleads: it is marginal + fixed / N. At ${count(first.connections)} connections the fixed ${formatBytes(c.fixedBytes)}`,
    `  adds ${formatBytes(c.fixedBytes / first.connections)} to each, so the naive figure reads ${formatBytes(first.bytesPerConnection)}` +
      (last !== first ? `; at ${count(last.connections)} it reads ${formatBytes(last.bytesPerConnection)}.` : '.'),
    `  One more connection costs ${formatBytes(c.marginalBytesPerConnection)} at any N: use the marginal figure for capacity.`,
  ];
  return lines;
}

/** Bytes per request with the fit's uncertainty carried over (the same window, the same divisor). */
function perRequestText(v: number, g: GrowthSection): string {
  const q = g.steadyFit;
  const n = g.requestsInWindow;
  const sign = v < 0 ? '-' : '+';
  const err = q && q.stdErrBytesPerHour !== null && q.windowSec !== null && n ? (q.stdErrBytesPerHour * q.windowSec) / 3600 / n : null;
  const within = err !== null ? ` ± ${formatBytes(err)}` : '';
  const flat = err !== null && Math.abs(v) < 2 * err ? ', flat within noise' : '';
  return `${sign}${formatBytes(Math.abs(v))}${within} kept per request   (steady growth over the window / ${n === null || n === undefined ? '?' : n.toLocaleString('en-US')} requests answered in it${flat})`;
}

/** The settled window, a one-off step, and how much of the growth the leak groups explain. */
function growthDetails(g: GrowthSection, perHour: (v: number) => string): string[] {
  const lines: string[] = [];
  const q = g.steadyFit;
  if (q && q.settleSec !== undefined && q.settleSec !== null && g.steadyBytesPerHour !== null) {
    const span = q.windowSec === null ? '' : ` of ${q.windowSec.toFixed(0)} s`;
    lines.push(`  steady state: fitted over a settled window${span} of the hold, after ${q.settleSec.toFixed(0)} s of settling that is not part of the fit`);
  }
  for (const [label, fit, slope] of [['under load', g.loadFit, g.loadBytesPerHour], ['steady state', g.steadyFit, g.steadyBytesPerHour]] as const) {
    if (!fit?.step || slope === null) continue;
    const size = `${fit.step.bytes < 0 ? '-' : '+'}${formatBytes(Math.abs(fit.step.bytes))}`;
    lines.push(`  ${label}: a one-off step of ${size} ${fit.step.atSec.toFixed(0)} s into the window, not a trend: the slope is that of the two levels`);
  }
  const a = g.attribution;
  if (a) {
    const share = a.share === null ? '' : ` (${(a.share * 100).toFixed(0)} %)`;
    const explained = a.explainedBytesPerHour === null ? 'not measured' : `${perHour(a.explainedBytesPerHour)}${share}`;
    const unexplained = a.unexplainedBytesPerHour === null ? 'not measured' : perHour(a.unexplainedBytesPerHour);
    lines.push(`  explained by the leak groups: ${explained}; unexplained: ${unexplained}`);
  }
  return lines;
}

const LEAK_KIND: Record<string, string> = {
  'outlives-sessions': 'outlives the sessions: still alive after every session closed',
  'grows-with-live-sessions': 'grows with live sessions: accumulates while they are open, freed when they close',
};

/** A leak group's kind and rates, for the fields the report has (other helpers fill them). */
function leakDetails(l: LeakFigures, index: number, notes: Record<string, string>, perHour: (v: number) => string): string[] {
  const lines: string[] = [];
  if (l.kind) lines.push(`    ${LEAK_KIND[l.kind] ?? l.kind}`);
  const measured = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);
  const why = (...fields: string[]): string => {
    for (const f of fields) {
      const note = notes[`leaks[${l.name}].${f}`] ?? notes[`leaks.${index}.${f}`];
      if (note) return ` (${note})`;
    }
    return '';
  };
  const parts: string[] = [];
  if (l.bytesPerHour !== undefined || l.objectsPerHour !== undefined) {
    const objects = measured(l.objectsPerHour) ? ` (${formatNumber(l.objectsPerHour)} objects/h)` : '';
    parts.push(measured(l.bytesPerHour) ? `${perHour(l.bytesPerHour)}${objects}` : `per hour: not measured${why('bytesPerHour')}`);
  }
  if (l.bytesPerRequest !== undefined || l.objectsPerRequest !== undefined) {
    const each = [
      measured(l.bytesPerRequest) ? formatBytes(l.bytesPerRequest) : null,
      measured(l.objectsPerRequest) ? `${formatNumber(l.objectsPerRequest)} objects` : null,
    ].filter((p) => p !== null);
    parts.push(each.length ? `${each.join(' and ')} per request` : `per request: not measured${why('bytesPerRequest', 'objectsPerRequest')}`);
  }
  if (parts.length) lines.push(`    rate over the steady window: ${parts.join('; ')}`);
  return lines;
}

function poolTotals(p: PoolFigures, pct: (v: number) => string): string[] {
  const t = p.total;
  if (!t) return ['', '', ''];
  const or = (v: number | null, f: (v: number) => string) => (v === null ? 'not measured' : f(v));
  return [or(t.created, count), or(t.reused, count), or(t.reuseRatio, pct)];
}

const METHOD: Record<string, string> = {
  afterGc: 'samples after a forced GC',
  afterMajorGc: "the heap after the target's own major GCs, between forced edges",
  gcMinima: 'heap minima between major GCs',
  windowMinima: 'per-window heap minima',
};

function fitText(q: GrowthFitQuality | undefined, slope: number | null): string {
  if (!q || !q.method || slope === null) return '';
  const method = `${METHOD[q.method] ?? q.method}${q.quiesced ? ' with the load quiesced' : ''}`;
  const parts = [`${method}: ${q.n} points over ${q.windowSec === null ? '?' : q.windowSec.toFixed(0)} s`];
  if (q.minimaWindowSec !== null) parts.push(`windows of ${q.minimaWindowSec.toFixed(0)} s`);
  parts.push(`R² ${q.r2 === null ? 'undefined' : q.r2.toFixed(2)}`);
  if (q.stdErrBytesPerHour !== null) {
    parts.push(`± ${formatBytes(q.stdErrBytesPerHour)}/h standard error`);
    if (Math.abs(slope) < 2 * q.stdErrBytesPerHour) parts.push('flat within noise');
  }
  // A per-hour rate from seconds of data is an extrapolation the reader must see.
  if (q.windowSec !== null && q.windowSec < 60) parts.push('short window: hold longer for a steadier rate');
  if (q.outliers) parts.push(`${q.outliers} outlier${q.outliers === 1 ? '' : 's'} set aside`);
  if (q.estimator === 'robustStep') parts.push('two levels around a step');
  return `   (${parts.join(', ')})`;
}

/** node, edge, node, ...: `(GC roots) -[sessions]-> Map -[table]-> Session`. */
function pathText(path: string[]): string {
  let s = path[0] ?? '';
  for (let i = 1; i + 1 < path.length; i += 2) s += ` -[${path[i]}]-> ${path[i + 1]}`;
  if (path.length % 2 === 0) s += ` -[${path[path.length - 1]}]->`;
  return s;
}

/** The window snapshots' count of the program's own objects, as a cross-check line. */
function programText(p: WindowProgram): string {
  const change = p.bytes[p.bytes.length - 1] - p.bytes[0];
  const signed = (v: number): string => `${v < 0 ? '-' : '+'}${formatBytes(Math.abs(v))}`;
  const span = p.atSec[p.atSec.length - 1];
  return `${signed(change)} over ${span.toFixed(1)} s between the window's ${p.bytes.length} snapshots (${signed(p.bytesPerHour)}/h): its own objects counted, V8's code and shapes left out`;
}
