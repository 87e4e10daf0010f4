/**
 * A slope that one-off steps and stray points do not bend, with a standard error a 2σ gate can
 * trust.
 *
 * Why this estimator: plain least squares moves by the full size of one stray point or one-off
 * step (churn's first replacements, a code path compiled late) spread over the window, and reads
 * that as a trend. Theil–Sen (median of pairwise slopes) shrugs off outliers, but its uncertainty
 * (a rank-based interval over the pairwise slopes) is coarse with the 10–20 points a short hold
 * gives, and it has no notion of a step: a step in the middle of a flat window still tilts it. So:
 * 1. points further than 3.5 robust standard deviations (1.4826 × MAD) from a Theil–Sen line are
 *    set aside, at most a quarter of them (a step near either end is set aside this way too);
 * 2. over the rest, a line with one level shift (two levels, a common slope) replaces the line
 *    when it fits far better by least squares: F = (SSR_line − SSR_step) / (SSR_step / dof) over
 *    a threshold calibrated by simulation, so that fewer than 1 in 1000 flat or trending series
 *    with Gaussian or uniform noise show a step (the best of n possible splits beats the line by
 *    chance more often than one fixed split would). A trend is the common slope of both models,
 *    so it never looks like a step. Needs 3 points a side;
 * 3. with a step, the outliers are looked for again around it (the step hid them from the line);
 * 4. least squares of the chosen model gives the slope (with a step: that of the levels) and its
 *    textbook standard error, widened by t(0.975, dof) / 2: ±2 of them is then a 95 % interval
 *    also with few points (with 3 points one degree of freedom is left, where ±2 plain standard
 *    errors cover only 70 %).
 */

export interface RobustFitOptions {
  /** Smallest meaningful difference in y (1 byte for heap sizes): a floor for the noise scale. */
  resolution?: number;
  /** Setting points aside never shrinks the span of x below this. */
  minSpan?: number;
}

export interface RobustFit {
  /** y per unit of x. With a step: the common slope of the two levels. */
  slope: number;
  /** Standard error of the slope widened by t(0.975, dof)/2 (see above); null with no degree of freedom left. */
  slopeStdErr: number | null;
  /** Of the chosen model over the points kept; null when they do not vary. */
  r2: number | null;
  /** Points given. */
  n: number;
  /** Points set aside as outliers. */
  outliers: number;
  /** One level shift, when the step model was chosen: where (x of the first point at the new level) and how much. */
  step: { x: number; size: number } | null;
}

/** Above this many points, contiguous groups are fitted by their median (pairwise slopes are quadratic). */
const MAX_POINTS = 120;
const MAD_TO_SD = 1.4826;
const OUTLIER_SDS = 3.5;
/** Points on each side of a step. */
const STEP_SIDE = 3;

/** The F a step must beat with `m` points: the 99.9th percentile of the best split in flat noise (simulated), rounded up. */
function stepThreshold(m: number): number {
  return 20 + 400 / Math.pow(m - 3, 1.2);
}

/** Null with fewer than 3 points or fewer than 2 distinct x. */
export function robustSlope(xsIn: ArrayLike<number>, ysIn: ArrayLike<number>, opts: RobustFitOptions = {}): RobustFit | null {
  const n = Math.min(xsIn.length, ysIn.length);
  if (n < 3) return null;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => xsIn[a] - xsIn[b]);
  let xs = order.map((i) => xsIn[i]);
  let ys = order.map((i) => ysIn[i]);
  if (!(xs[n - 1] > xs[0])) return null;
  if (n > MAX_POINTS) ({ xs, ys } = groupMedians(xs, ys, MAX_POINTS));

  // Centred x: epoch milliseconds squared would lose every significant digit.
  const x0 = mean(xs);
  const x = xs.map((v) => v - x0);
  const y = ys;
  let maxAbsY = 0;
  for (const v of y) maxAbsY = Math.max(maxAbsY, Math.abs(v));
  const floor = Math.max(opts.resolution ?? 0, 1e-12 * maxAbsY, Number.MIN_VALUE);
  const minSpan = opts.minSpan ?? 0;
  const all = x.map((_, i) => i);

  const lineResiduals = theilSenResiduals(x, y);
  let keep = screen(x, all, lineResiduals, Math.max(robustScale(lineResiduals), floor), null, minSpan);
  let fit = ols(x, y, keep, null);
  if (!fit) return null;
  const step = bestStep(x, y, keep);
  const split = step?.split ?? null;
  if (step && split !== null && fit.ssRes > keep.length * floor * floor && f(fit.ssRes, step.ssRes, step.dof) > stepThreshold(keep.length)) {
    const residuals = all.map((i) => y[i] - (i < split ? step.levels[0] : step.levels[1]) - step.slope * x[i]);
    const kept = new Set(keep);
    const scale = Math.max(robustScale(residuals.filter((_, i) => kept.has(i))), floor);
    keep = screen(x, all, residuals, scale, split, minSpan);
    fit = ols(x, y, keep, split) ?? ols(x, y, keep, null)!;
  }
  return {
    slope: fit.slope,
    slopeStdErr: fit.dof >= 1 ? (fit.stdErr * tQuantile975(fit.dof)) / 2 : null,
    r2: fit.r2,
    n,
    outliers: x.length - keep.length,
    step: fit.split !== null ? { x: xs[fit.split], size: fit.levels[1] - fit.levels[0] } : null,
  };
}

function f(ssLine: number, ssStep: number, dof: number): number {
  if (!(ssStep > 0)) return ssLine > 0 ? Infinity : 0;
  return ((ssLine - ssStep) * dof) / ssStep;
}

function theilSenResiduals(x: number[], y: number[]): number[] {
  const slopes: number[] = [];
  for (let i = 0; i < x.length; i++) {
    for (let j = i + 1; j < x.length; j++) if (x[j] > x[i]) slopes.push((y[j] - y[i]) / (x[j] - x[i]));
  }
  const b = median(slopes);
  const a = median(y.map((v, i) => v - b * x[i]));
  return y.map((v, i) => v - a - b * x[i]);
}

/** The least-squares step model over `keep` with the smallest residuals, 3+ points a side. */
function bestStep(x: number[], y: number[], keep: number[]): OlsFit | null {
  let best: OlsFit | null = null;
  for (let j = STEP_SIDE; j <= keep.length - STEP_SIDE; j++) {
    const fit = ols(x, y, keep, keep[j]);
    if (fit && (!best || fit.ssRes < best.ssRes)) best = fit;
  }
  return best;
}

/**
 * `candidates` but the worst outliers: beyond OUTLIER_SDS·scale, worst first, at most a quarter,
 * never leaving fewer than 3 points, a span under minSpan, or a level with fewer than 3.
 */
function screen(x: number[], candidates: number[], residuals: number[], scale: number, split: number | null, minSpan: number): number[] {
  const limit = Math.floor((candidates.length - 1) / 4);
  const suspects = candidates
    .filter((i) => Math.abs(residuals[i]) > OUTLIER_SDS * scale)
    .sort((a, b) => Math.abs(residuals[b]) - Math.abs(residuals[a]));
  const out = new Set<number>();
  for (const i of suspects) {
    if (out.size >= limit) break;
    out.add(i);
    const kept = candidates.filter((k) => !out.has(k));
    const sidesOk = split === null || (kept.filter((k) => k < split).length >= STEP_SIDE && kept.filter((k) => k >= split).length >= STEP_SIDE);
    if (!sidesOk || kept.length < 3 || x[kept[kept.length - 1]] - x[kept[0]] < minSpan) out.delete(i);
  }
  return candidates.filter((i) => !out.has(i));
}

interface OlsFit {
  slope: number;
  /** Intercept of each level (one without a split). */
  levels: number[];
  ssRes: number;
  stdErr: number;
  dof: number;
  r2: number | null;
  split: number | null;
}

/**
 * Least squares over the kept points: a line, or (split given: the first index at the second
 * level) two levels with a common slope, the pooled within-level one. Null when x does not vary
 * within the levels.
 */
function ols(x: number[], y: number[], keep: number[], split: number | null): OlsFit | null {
  const groups = split === null ? [keep] : [keep.filter((i) => i < split), keep.filter((i) => i >= split)];
  if (groups.some((g) => g.length === 0)) return null;
  let sxx = 0;
  let sxy = 0;
  const centres = groups.map((g) => ({ mx: mean(g.map((i) => x[i])), my: mean(g.map((i) => y[i])) }));
  groups.forEach((g, s) => {
    for (const i of g) {
      const dx = x[i] - centres[s].mx;
      sxx += dx * dx;
      sxy += dx * (y[i] - centres[s].my);
    }
  });
  if (!(sxx > 0)) return null;
  const slope = sxy / sxx;
  const levels = centres.map((c) => c.my - slope * c.mx);
  const myAll = mean(keep.map((i) => y[i]));
  let ssRes = 0;
  let ssTot = 0;
  groups.forEach((g, s) => {
    for (const i of g) {
      const r = y[i] - levels[s] - slope * x[i];
      ssRes += r * r;
      ssTot += (y[i] - myAll) ** 2;
    }
  });
  const dof = keep.length - (split === null ? 2 : 3);
  return {
    slope,
    levels,
    ssRes,
    stdErr: dof >= 1 ? Math.sqrt(ssRes / dof / sxx) : 0,
    dof,
    r2: ssTot > 0 ? Math.max(0, 1 - ssRes / ssTot) : null,
    split,
  };
}

/** Contiguous groups of about equal size, each as (mean x, median y). */
function groupMedians(xs: number[], ys: number[], groups: number): { xs: number[]; ys: number[] } {
  const gx: number[] = [];
  const gy: number[] = [];
  for (let g = 0; g < groups; g++) {
    const from = Math.floor((g * xs.length) / groups);
    const to = Math.floor(((g + 1) * xs.length) / groups);
    gx.push(mean(xs.slice(from, to)));
    gy.push(median(ys.slice(from, to)));
  }
  return { xs: gx, ys: gy };
}

function robustScale(residuals: number[]): number {
  return MAD_TO_SD * median(residuals.map(Math.abs));
}

function median(values: number[]): number {
  const s = Float64Array.from(values).sort();
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

function mean(values: number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093,
  2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** The 97.5 % quantile of Student's t: tabled to 30 degrees of freedom, Cornish–Fisher beyond. */
export function tQuantile975(dof: number): number {
  if (dof < 1) return Infinity;
  if (dof <= T975.length) return T975[Math.floor(dof) - 1];
  const z = 1.959964;
  return z + (z ** 3 + z) / (4 * dof) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * dof * dof);
}
