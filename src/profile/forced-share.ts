/**
 * Most of the settled window memprof's forced GCs may freeze the target for: past it, inner points
 * are skipped until the share is back under it (a point a second costs about 3 % at a 30 ms GC;
 * on a big heap, where each full GC takes longer, the points thin out).
 */
const MAX_SHARE = 0.05;

/** The forced GCs of the window's points so far, and the points skipped to keep their share. */
export class ForcedGcShare {
  private forcedMs = 0;
  private skipped = 0;

  /** True (and counted) when another forced GC now would put the share over the limit. */
  skip(elapsedMs: number): boolean {
    if (this.forcedMs <= MAX_SHARE * elapsedMs) return false;
    this.skipped++;
    return true;
  }

  /** A point forced a GC this long. */
  add(gcMs: number | undefined): void {
    this.forcedMs += gcMs ?? 0;
  }

  /** The report's note (growth.steadyFit.n), or null when no point was skipped. */
  note(planned: number): string | null {
    if (this.skipped === 0) return null;
    return (
      `${this.skipped} of the window's ${planned} planned still points were skipped: memprof's forced GCs ` +
      `(${Math.round(this.forcedMs)} ms in all) would otherwise have frozen the target more than ${MAX_SHARE * 100} % of the window`
    );
  }
}
