import type { CheckResult } from '../model/report.js';
import { formatFigure } from '../util/format-figure.js';
import type { CheckConfig } from './config.js';
import { figureKind, type FigureKind } from './figures.js';
import { LOAD_FIGURES, type Direction } from './load-figures.js';
import { resolvePath } from './resolve.js';
import { SIGMAS, uncertaintyOf } from './uncertainty.js';
import type { Op, Tolerance } from './units.js';

/** The direction of "worse" for a figure: known for the load figures, else from the check's operator. */
export function directionOf(path: string, op: Op): Direction | null {
  const known = LOAD_FIGURES.find((f) => f.path === path);
  if (known) return known.worse;
  if (op === '<' || op === '<=') return 'bigger';
  if (op === '>' || op === '>=') return 'smaller';
  return null;
}

/**
 * The regression row: the figure must not be worse than the baseline's by more than the tolerance,
 * "worse" in the figure's direction. For the load figures, a difference beyond the tolerance but
 * within the two runs' own noise (2 standard errors of the difference, when both reports give
 * one) is not a regression: it passes and says so. No direction (`==`, `!=`): no row.
 */
export function baselineRow(
  path: string,
  worse: Direction | null,
  kind: FigureKind,
  row: Pick<CheckResult, 'id' | 'description' | 'measured'>,
  report: unknown,
  baseline: unknown,
  tol: Tolerance,
): CheckResult | null {
  if (!worse || row.measured === null) return null;
  const tolText = 'relative' in tol ? `${+(tol.relative * 100).toFixed(4)}%` : tol.text;
  const base = {
    id: `${row.id} vs baseline`,
    description: `${row.description}: no worse than the baseline by more than ${tolText}`,
    path,
    unit: kind,
    comparison: 'baseline' as const,
    measured: row.measured,
  };
  const match = resolvePath(baseline, path).find((b) => b.id === row.id);
  const bv = match?.value;
  if (typeof bv !== 'number' || !Number.isFinite(bv)) {
    return { ...base, limit: `baseline ± ${tolText}`, baseline: null, pass: true, status: 'n/a', reason: `the baseline has no measured '${row.id}'` };
  }
  const slack = 'relative' in tol ? Math.abs(bv) * tol.relative : tol.absolute;
  const bigger = worse === 'bigger';
  const allowed = bigger ? bv + slack : bv - slack;
  const beyond = bigger ? row.measured > allowed : row.measured < allowed;
  const noise = differenceStdErr(report, baseline, path);
  const worseBy = bigger ? row.measured - bv : bv - row.measured;
  const withinNoise = beyond && noise !== null && worseBy <= SIGMAS * noise;
  const pass = !beyond || withinNoise;
  const change = bv !== 0 ? ` (${row.measured >= bv ? '+' : ''}${(((row.measured - bv) / Math.abs(bv)) * 100).toFixed(1)}%)` : '';
  const noiseText = noise !== null ? `, noise ± ${formatFigure(SIGMAS * noise, kind)} (${SIGMAS}σ of the two runs)` : '';
  return {
    ...base,
    limit: `${bigger ? '<=' : '>='} ${formatFigure(allowed, kind)} (baseline ${formatFigure(bv, kind)} ${bigger ? '+' : '-'} ${tolText})`,
    op: bigger ? '<=' : '>=',
    limitValue: allowed,
    baseline: bv,
    ...(noise !== null ? { stdErr: noise } : {}),
    pass,
    status: pass ? 'pass' : 'fail',
    ...(withinNoise
      ? { reason: `${formatFigure(row.measured, kind)} against baseline ${formatFigure(bv, kind)}${change}: beyond ${tolText} but within the runs' own noise${noiseText}: not a regression` }
      : pass
        ? {}
        : { reason: `regressed: ${formatFigure(row.measured, kind)} against baseline ${formatFigure(bv, kind)}${change}, more than ${tolText} ${bigger ? 'higher' : 'lower'}${noiseText}` }),
  };
}

/**
 * sqrt(se² + se_baseline²) for a load figure when both reports give its standard error, else null.
 * Fitted memory figures keep the plain rule: their noise already makes a limit row inconclusive.
 */
function differenceStdErr(report: unknown, baseline: unknown, path: string): number | null {
  if (!LOAD_FIGURES.some((f) => f.path === path)) return null;
  const a = uncertaintyOf(report, path)?.stdErr;
  const b = uncertaintyOf(baseline, path)?.stdErr;
  if (a === undefined || b === undefined) return null;
  return Math.sqrt(a * a + b * b);
}

const LOAD_WORDS: Record<string, string> = {
  'load.msgPerSec': 'requests per second (higher is better)',
  'load.connectPerSec': 'connections opened per second (higher is better)',
  'load.latencyMs.p99': 'request latency p99 (lower is better)',
};

/** Baseline rows of the load figures no check names (those get theirs with the check). */
export function loadBaselineRows(
  report: unknown,
  baseline: unknown,
  config: CheckConfig,
  named: ReadonlySet<string>,
  toleranceFor: (config: CheckConfig, path: string) => Tolerance,
): CheckResult[] {
  const rows: CheckResult[] = [];
  for (const { path, worse } of LOAD_FIGURES) {
    if (named.has(path)) continue;
    const value = resolvePath(report, path)[0]?.value;
    if (typeof value !== 'number' || !Number.isFinite(value)) continue;
    const row = baselineRow(path, worse, figureKind(path), { id: path, description: LOAD_WORDS[path], measured: value }, report, baseline, toleranceFor(config, path));
    if (row) rows.push(row);
  }
  return rows;
}
