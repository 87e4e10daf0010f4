import { describe, expect, it } from 'vitest';
import { linearFit, nearestRank } from '../../src/analysis/stats.js';

describe('linearFit', () => {
  it('recovers an exact line, with R² 1', () => {
    const f = linearFit([1, 2, 3, 4], [13, 15, 17, 19])!;
    expect(f.slope).toBeCloseTo(2, 12);
    expect(f.intercept).toBeCloseTo(11, 12);
    expect(f.r2).toBeCloseTo(1, 12);
    expect(f.n).toBe(4);
    expect(f.slopeStdErr).toBeCloseTo(0, 9);
  });
  it('keeps its precision on epoch-millisecond xs', () => {
    const t0 = 1_764_000_000_000;
    const xs = [0, 1000, 2000, 3000, 4000].map((d) => t0 + d);
    const ys = xs.map((x) => 5_000_000 + 0.25 * (x - t0));
    expect(linearFit(xs, ys)!.slope).toBeCloseTo(0.25, 9);
  });
  it('is null without two distinct xs, and R² is null when ys never vary', () => {
    expect(linearFit([5], [1])).toBeNull();
    expect(linearFit([5, 5, 5], [1, 2, 3])).toBeNull();
    expect(linearFit([], [])).toBeNull();
    const flat = linearFit([1, 2, 3], [7, 7, 7])!;
    expect(flat.slope).toBe(0);
    expect(flat.r2).toBeNull();
  });
  it('gives a slope standard error only from 3 points', () => {
    expect(linearFit([1, 2], [1, 3])!.slopeStdErr).toBeNull();
    expect(linearFit([1, 2, 3], [1, 3, 4])!.slopeStdErr).toBeGreaterThan(0);
  });
});

describe('nearestRank', () => {
  it('returns observed values: rank ceil(p·n)', () => {
    const s = Float64Array.from({ length: 10 }, (_, i) => (i + 1) * 10); // 10..100
    expect(nearestRank(s, 50)).toBe(50);
    expect(nearestRank(s, 90)).toBe(90);
    expect(nearestRank(s, 91)).toBe(100);
    expect(nearestRank(s, 99)).toBe(100);
    expect(nearestRank(s, 0)).toBe(10);
    expect(nearestRank([], 50)).toBeNull();
  });
});
