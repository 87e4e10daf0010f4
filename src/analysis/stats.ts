import type { LinearFit } from '../model/recording.js';

/**
 * Ordinary least squares of ys on xs. Null when fewer than 2 distinct xs (no line is determined).
 * Computed on centred xs: epoch milliseconds squared would lose every significant digit.
 * `r2` is null when ys do not vary at all (R² is undefined there, and 1 or 0 would both mislead);
 * `slopeStdErr` is null below 3 points (two points always fit exactly, which says nothing).
 */
export function linearFit(xs: ArrayLike<number>, ys: ArrayLike<number>): LinearFit | null {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return null;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    sx += xs[i];
    sy += ys[i];
  }
  const mx = sx / n;
  const my = sy / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i] - mx;
    const dy = ys[i] - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (!(sxx > 0)) return null;
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  let ssRes = 0;
  for (let i = 0; i < n; i++) {
    const r = ys[i] - (intercept + slope * xs[i]);
    ssRes += r * r;
  }
  const r2 = syy > 0 ? Math.max(0, 1 - ssRes / syy) : null;
  const slopeStdErr = n > 2 ? Math.sqrt(ssRes / (n - 2) / sxx) : null;
  return { slope, intercept, r2, n, slopeStdErr };
}

/**
 * Percentile by the nearest-rank method: the smallest observed value with at least p% of the
 * values at or below it (rank ceil(p/100 × n)). Every result is a value that was measured, never
 * an interpolation; with fewer than 100 values p99 is the maximum. Null for an empty list.
 * `sorted` must be ascending.
 */
export function nearestRank(sorted: ArrayLike<number>, p: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * n));
  return sorted[Math.min(n, rank) - 1];
}

export function mean(values: ArrayLike<number>): number | null {
  if (values.length === 0) return null;
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return s / values.length;
}

/** Ascending copy as a Float64Array (numeric sort, unlike Array#sort's string order). */
export function sortedCopy(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values).sort();
}
