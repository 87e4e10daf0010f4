import type { CheckResult } from '../model/report.js';
import { formatFigure } from '../util/format-figure.js';
import { inputError } from '../util/errors.js';
import type { CheckConfig, CheckSpec } from './config.js';
import { figureKind, genericPath, KNOWN_FIGURES, type FigureKind } from './figures.js';
import { resolvePath, type Resolved } from './resolve.js';
import { SIGMAS, holdNeededSec, straddles, uncertaintyOf, type Uncertainty } from './uncertainty.js';
import { compare } from './units.js';
import { directionOf, baselineRow, loadBaselineRows } from './baseline.js';
import { type Op, type Tolerance } from './units.js';

interface ReportLike {
  notes?: Record<string, string>;
}

/**
 * Evaluates the checklist on a report (and, with a baseline, the regression gate). Pure: the
 * report and baseline are parsed JSON. A null figure fails (unmeasured is never a pass); an absent
 * one (section left out, wildcard over an empty list) is n/a unless the config requires it. A
 * figure with a standard error whose 2σ band straddles the limit is `inconclusive`: not a pass
 * (pass is false, the command exits 1), but worded as what it is, with the hold that would decide.
 * Throws an input error for a path that names nothing report.json defines (a typo) or names a
 * non-number.
 */
export function evaluateChecks(report: unknown, config: CheckConfig, baseline?: unknown): CheckResult[] {
  const results: CheckResult[] = [];
  for (const spec of config.checks) {
    const kind = figureKind(spec.path);
    const resolved = resolvePath(report, spec.path);
    for (const r of resolved) {
      const row = limitRow(spec, kind, r, report as ReportLike, config);
      results.push(row);
      if (baseline !== undefined) {
        const b = baselineRow(spec.path, directionOf(spec.path, spec.threshold.op), kind, row, report, baseline, toleranceFor(config, spec.path));
        if (b) results.push(b);
      }
    }
  }
  // The load figures are compared with the baseline whether or not a check names them.
  if (baseline !== undefined) results.push(...loadBaselineRows(report, baseline, config, new Set(config.checks.map((c) => c.path)), toleranceFor));
  return results;
}

function limitRow(spec: CheckSpec, kind: FigureKind, r: Resolved, report: ReportLike, config: CheckConfig): CheckResult {
  const { op, value: limit, text } = spec.threshold;
  const base = {
    id: r.id,
    description: describe(spec.path, r.id) + sourceNote(report, spec.path),
    limit: text,
    path: spec.path,
    unit: kind,
    op,
    limitValue: limit,
    comparison: 'limit' as const,
  };
  if (typeof r.value === 'number' && Number.isFinite(r.value)) {
    const u = uncertaintyOf(report, spec.path);
    const plain = compare(r.value, op, limit);
    if (u && straddles(r.value, op, limit, u.stdErr)) {
      // The noise reaches across the limit: the figure might be on either side of it.
      return { ...base, measured: r.value, stdErr: u.stdErr, pass: false, status: 'inconclusive', reason: inconclusive(r.value, op, limit, kind, u) };
    }
    return {
      ...base,
      measured: r.value,
      ...(u ? { stdErr: u.stdErr } : {}),
      pass: plain,
      status: plain ? 'pass' : 'fail',
      ...(plain ? {} : { reason: `${formatFigure(r.value, kind)} is not ${op} ${formatFigure(limit, kind)}` }),
    };
  }
  if (r.value === null || (typeof r.value === 'number' && !Number.isFinite(r.value))) {
    return { ...base, measured: null, pass: false, status: 'fail', reason: `not measured: ${nullReason(report, spec.path, r)}` };
  }
  if (r.value === undefined) {
    if (!KNOWN_FIGURES.has(genericPath(spec.path)) && !r.emptyWildcard) {
      throw inputError(
        `${config.source}: checks."${spec.path}": the report has no figure '${r.id}' and report.json defines none by that name (a typo?)`,
      );
    }
    const why = r.emptyWildcard
      ? `'${r.stoppedAt}' is empty in this report: nothing to check`
      : `'${r.stoppedAt || r.id}' is not in this report (the run did not set out to measure it)`;
    if (config.required.includes(spec.path)) {
      return { ...base, measured: null, pass: false, status: 'fail', reason: `required, but ${why}` };
    }
    return { ...base, measured: null, pass: true, status: 'n/a', reason: why };
  }
  throw inputError(
    `${config.source}: checks."${spec.path}": '${r.id}' is ${Array.isArray(r.value) ? 'a list' : `a${typeof r.value === 'object' ? 'n object' : ` ${typeof r.value}`}`} in the report, not a number` +
      (Array.isArray(r.value) ? ` (use '${spec.path}.length' to count it)` : ''),
  );
}

function inconclusive(measured: number, op: Op, limit: number, kind: FigureKind, u: Uncertainty): string {
  const over = u.spanSec !== null ? ` over ${formatFigure(u.spanSec, 'sec')}` : '';
  const needed = holdNeededSec(measured, op, limit, u);
  const head = needed !== null ? `a ${u.what} of about ${aboutDuration(needed)} decides at this noise` : `a longer ${u.what} decides`;
  return (
    `inconclusive: ${head} (${formatFigure(measured, kind)} ± ${formatFigure(SIGMAS * u.stdErr, kind)} (${SIGMAS}σ)${over}` +
    ` straddles ${op} ${formatFigure(limit, kind)})`
  );
}

/** Rounded up to two significant digits, in the unit a person would set a hold in. */
export function aboutDuration(sec: number): string {
  if (sec < 100) return `${Math.ceil(sec)} s`;
  if (sec < 600) return `${Math.ceil(sec / 10) * 10} s`;
  if (sec < 3 * 3600) return `${Math.ceil(sec / 60)} min`;
  return `${(Math.ceil(sec / 360) / 10).toFixed(1)} h`;
}

/** gc.major figures measured on memprof's own full GCs say so next to the check. */
function sourceNote(report: ReportLike, path: string): string {
  if (!path.startsWith('gc.major.')) return '';
  const source = resolvePath(report, 'gc.major.source')[0]?.value;
  return source === 'forced' ? ", from memprof's forced full GCs (no natural one): an upper bound" : '';
}

function nullReason(report: ReportLike, path: string, r: Resolved): string {
  const notes = report && typeof report === 'object' && report.notes && typeof report.notes === 'object' ? report.notes : {};
  const candidates = [r.id, path];
  // A note on an enclosing section explains every figure inside it (e.g. notes.leaks).
  if (r.stoppedAt) {
    const parts = r.stoppedAt.split('.');
    for (let i = parts.length; i > 0; i--) candidates.push(parts.slice(0, i).join('.'));
  }
  for (const key of candidates) {
    if (typeof notes[key] === 'string') return notes[key];
  }
  return 'the report gives no reason';
}

function toleranceFor(config: CheckConfig, path: string): Tolerance {
  return config.tolerances[path] ?? config.tolerance;
}

const DESCRIPTIONS: Record<string, string> = {
  'connections.marginalBytesPerConnection': 'heap per additional connection (least-squares slope)',
  'connections.fixedBytes': 'fixed heap overhead (fit intercept)',
  'connections.r2': 'fit quality of heap vs connections (R²)',
  'connections.retained.meanBytes': 'mean retained size per session',
  'connections.retained.p90Bytes': 'p90 retained size per session',
  'connections.retained.maxBytes': 'largest retained size of a session',
  'growth.steadyBytesPerHour': 'heap growth at steady state',
  'growth.loadBytesPerHour': 'heap growth under load',
  'gc.totalMs': 'total GC pause time',
  'gc.forced.totalMs': 'pause time of the full GCs memprof forced (observer effect)',
  'gc.forced.overheadPct': 'pause time of the full GCs memprof forced, as % of wall time',
  'growth.attribution.explainedBytesPerHour': 'steady growth the leak groups explain',
  'growth.attribution.unexplainedBytesPerHour': 'steady growth no leak group explains',
  'growth.attribution.share': 'share of the steady growth the leak groups explain',
  'gc.overheadPct': 'GC pause time as % of wall time',
  'leaks.length': 'leaks found',
  'pools.length': 'pools published',
  'load.errors': 'load errors',
  'load.connectPerSec': 'connections opened per second',
  'load.msgPerSec': 'requests per second',
  'load.latencyMs.p50': 'request latency p50',
  'load.latencyMs.p99': 'request latency p99',
  'burst.recoverySec': 'time for heap after GC to come back after the burst',
  'burst.retainedBytes': 'heap the burst left behind (after GC, end of the recovery window)',
  'burst.peak.heapUsedBytes': 'peak heap during the burst',
  'burst.peak.rssBytes': 'peak RSS during the burst',
  'connections.projectedBytes': 'memory projected to the target connection count',
};

const GC_STAT: Record<string, string> = { count: 'count', avgMs: 'mean pause', p99Ms: 'p99 pause', maxMs: 'longest pause' };
const GC_KIND: Record<string, string> = {
  minor: 'minor GC (scavenge)',
  major: 'major GC (mark-compact)',
  incremental: 'incremental marking',
  weak: 'weak callbacks',
  forced: 'forced GC',
};
const POOL_FIELD: Record<string, string> = {
  reuseRatio: 'reuse ratio reused / (created + reused)',
  created: 'objects created',
  reused: 'objects reused',
  peakInUse: 'peak in use',
  inUse: 'in use',
};

const LEAK_FIELD: Record<string, string> = {
  bytesPerHour: 'growth per hour',
  bytesPerRequest: 'bytes kept per request',
  objectsPerRequest: 'objects kept per request',
  objectsPerHour: 'objects kept per hour',
  retainedSize: 'retained size',
  count: 'objects',
  growthBytes: 'growth',
};

export function describe(path: string, id: string): string {
  if (DESCRIPTIONS[path]) return DESCRIPTIONS[path];
  const leak = /^leaks(?:\[(.*)\]|\.(\d+))\.(\w+)$/.exec(id);
  if (leak && LEAK_FIELD[leak[3]]) return `leak ${leak[1] !== undefined ? `'${leak[1]}'` : `#${leak[2]}`}: ${LEAK_FIELD[leak[3]]}`;
  const gc = /^gc\.(\w+)\.(\w+)$/.exec(path);
  if (gc && GC_KIND[gc[1]] && GC_STAT[gc[2]]) return `${GC_KIND[gc[1]]}: ${GC_STAT[gc[2]]}`;
  const pool = /^pools\[(.*)\]\.(total\.)?(\w+)$/.exec(id);
  if (pool && POOL_FIELD[pool[3]]) return `pool '${pool[1]}': ${POOL_FIELD[pool[3]]}${pool[2] ? ' (totals as read at the end)' : ''}`;
  return id;
}
