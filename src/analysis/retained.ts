import type { RetainedPerConnection } from '../model/report.js';
import { mean, nearestRank, sortedCopy } from './stats.js';

/**
 * Distribution of the retained size of each connection object (one size per instance of
 * `className`). Percentiles are nearest-rank (stats.ts): each one is a session that exists.
 * With no instance every figure is null, not 0.
 */
export function retainedDistribution(sizes: Float64Array | number[], className: string): RetainedPerConnection {
  const sorted = sortedCopy(Array.from(sizes).filter((s) => Number.isFinite(s)));
  return {
    class: className,
    count: sorted.length,
    meanBytes: mean(sorted),
    p50Bytes: nearestRank(sorted, 50),
    p90Bytes: nearestRank(sorted, 90),
    maxBytes: sorted.length ? sorted[sorted.length - 1] : null,
  };
}
