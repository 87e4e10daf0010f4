/**
 * Latency samples in a growable Float64Array: a million samples is 8 MB and no per-sample
 * object, and percentiles are exact (nearest rank), which a load test of this size can afford.
 */
export class LatencyRecorder {
  private samples = new Float64Array(1024);
  private n = 0;
  private maxMs = 0;

  record(ms: number): void {
    if (this.n === this.samples.length) {
      const bigger = new Float64Array(this.samples.length * 2);
      bigger.set(this.samples);
      this.samples = bigger;
    }
    this.samples[this.n++] = ms;
    if (ms > this.maxMs) this.maxMs = ms;
  }

  get count(): number {
    return this.n;
  }

  /**
   * p50 and p99 of the samples recorded from index `from` on (a live report's recent calls, so
   * the sort is over a second's worth, not the run's); null when there are none.
   */
  since(from: number): { p50: number; p99: number } | null {
    const n = this.n - from;
    if (n <= 0) return null;
    const sorted = this.samples.slice(from, this.n).sort();
    const at = (q: number) => round3(sorted[Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))]);
    return { p50: at(0.5), p99: at(0.99) };
  }

  /** p50/p90/p99/max in ms; null when nothing was measured. */
  summary(): { p50: number | null; p90: number | null; p99: number | null; max: number | null } {
    if (this.n === 0) return { p50: null, p90: null, p99: null, max: null };
    const sorted = this.samples.slice(0, this.n).sort();
    const at = (q: number) => round3(sorted[Math.min(this.n - 1, Math.max(0, Math.ceil(q * this.n) - 1))]);
    return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: round3(this.maxMs) };
  }

  /**
   * Standard error of the q-quantile, ms, distribution-free: the ranks n·q ± 2·sqrt(n·q·(1−q))
   * bound a 95 % interval of the quantile (order statistics), and a quarter of the values' spread
   * between them is one standard error. Null below 20 samples (the interval is then the whole tail).
   */
  quantileStdErr(q: number): number | null {
    if (this.n < 20) return null;
    const sorted = this.samples.slice(0, this.n).sort();
    const half = 2 * Math.sqrt(this.n * q * (1 - q));
    const lo = sorted[Math.max(0, Math.floor(this.n * q - half) - 1)];
    const hi = sorted[Math.min(this.n - 1, Math.ceil(this.n * q + half) - 1)];
    return round3((hi - lo) / 4);
  }
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
