/**
 * --max-pause: once a full GC memprof forced has frozen the target longer than the budget, the
 * measurements that can do without one (the steady window's inner points, the idle hold's) are
 * not forced; the report says how many and why.
 */
export class PauseBudget {
  private last = 0;
  private longest = 0;
  private skipped = 0;
  private skippedRecovery = 0;

  constructor(private readonly maxPauseMs: number | undefined) {}

  /** A forced GC just froze the target this long. */
  observe(gcMs: number): void {
    this.last = gcMs;
    this.longest = Math.max(this.longest, gcMs);
  }

  /** True (and counted) when a forced GC now would likely exceed the budget: the last one did. */
  skip(what: 'window' | 'recovery' = 'window'): boolean {
    if (this.maxPauseMs === undefined || this.last <= this.maxPauseMs) return false;
    if (what === 'recovery') this.skippedRecovery++;
    else this.skipped++;
    return true;
  }

  /** The report's note, or null when nothing was skipped. */
  note(): string | null {
    if (this.skipped === 0 && this.skippedRecovery === 0) return null;
    const parts: string[] = [];
    if (this.skipped > 0) {
      parts.push(
        `${this.skipped} still point${this.skipped === 1 ? ' was' : 's were'} not forced, and steady growth between the window's forced edges ` +
          "is read from the target's own major GCs (growth.steadyFit.method afterMajorGc)",
      );
    }
    if (this.skippedRecovery > 0) {
      parts.push(`${this.skippedRecovery} burst recovery point${this.skippedRecovery === 1 ? ' was' : 's were'} not taken (burst.recoverySec is read at the coarser spacing)`);
    }
    return `memprof's forced full GCs froze the target up to ${ms(this.longest)}, more than --max-pause ${ms(this.maxPauseMs ?? 0)}: ${parts.join('; ')}`;
  }
}

function ms(value: number): string {
  return value >= 1000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
}
