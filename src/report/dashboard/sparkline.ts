const BARS = '▁▂▃▄▅▆▇█';

/**
 * A series of values over the run, kept to a bounded number of points: when full, neighbours are
 * merged by their maximum (a memory peak must not vanish from the line), so hours of 1 s samples
 * cost a few KiB and the line still spans the whole run.
 */
export class Series {
  private values: number[] = [];
  /** Samples each stored point covers. */
  private per = 1;
  private pending: number | null = null;
  private pendingCount = 0;

  constructor(private readonly capacity = 512) {}

  push(v: number): void {
    this.pending = this.pending === null ? v : Math.max(this.pending, v);
    if (++this.pendingCount < this.per) return;
    this.values.push(this.pending);
    this.pending = null;
    this.pendingCount = 0;
    if (this.values.length >= this.capacity) {
      const merged: number[] = [];
      for (let i = 0; i < this.values.length; i += 2) merged.push(Math.max(this.values[i], this.values[i + 1] ?? this.values[i]));
      this.values = merged;
      this.per *= 2;
    }
  }

  /** The points so far, the one being filled included. */
  points(): number[] {
    return this.pending === null ? this.values.slice() : [...this.values, this.pending];
  }
}

/**
 * The series as `width` bars (block characters), each the maximum of its share of the points,
 * scaled from the series' minimum to its maximum; a flat series is a row of the lowest bar.
 */
export function sparkline(points: readonly number[], width: number): string {
  if (points.length === 0 || width <= 0) return '';
  const n = Math.min(width, points.length);
  const buckets: number[] = [];
  for (let b = 0; b < n; b++) {
    const from = Math.floor((b * points.length) / n);
    const to = Math.max(from + 1, Math.floor(((b + 1) * points.length) / n));
    let m = -Infinity;
    for (let i = from; i < to; i++) m = Math.max(m, points[i]);
    buckets.push(m);
  }
  const lo = Math.min(...buckets);
  const hi = Math.max(...buckets);
  return buckets.map((v) => BARS[hi > lo ? Math.round(((v - lo) / (hi - lo)) * (BARS.length - 1)) : 0]).join('');
}
