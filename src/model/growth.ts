/** Heap growth: slopes of heap used after GC, with how each was fitted. */
export interface GrowthSection {
  /** Slope of heap used after GC during the load phase (ramp), bytes per hour. */
  loadBytesPerHour: number | null;
  /**
   * The same once connections stop changing (the settled window of `--hold`), bytes per hour.
   * Absent when a run with load had no --hold (steady state not set out to measure).
   */
  steadyBytesPerHour?: number | null;
  /** How the load slope was fitted and how well. */
  loadFit?: GrowthFitQuality;
  /** How the steady slope was fitted and how well. */
  steadyFit?: GrowthFitQuality;
  /** How much of the steady growth the leak groups explain (from their bytesPerHour). */
  attribution?: GrowthAttribution;
  /**
   * Heap retained per tool call: the steady growth over the settled window divided by the calls
   * answered in it (runs with a hold); null with the reason when no call was answered or the
   * growth was not measured.
   */
  bytesPerRequest?: number | null;
  /** Tool calls answered in the settled window (the divisor of bytesPerRequest). */
  requestsInWindow?: number | null;
  /**
   * The program's own objects in the settled window's snapshots (runs that took them): exact counts
   * at two or three moments, a cross-check of steadyBytesPerHour free of its point-to-point noise
   * and of its model of V8's code, but not a fit (no standard error; a clean server's count moves
   * by a few KiB from one quiet moment to the next).
   */
  program?: WindowProgram;
}

/** The program's objects in the window's snapshots: every object but V8's code, shapes and system objects and what only they hold. */
export interface WindowProgram {
  /** Bytes of the program's objects in each of the window's snapshots, in time order. */
  bytes: number[];
  /** Seconds from the window's first snapshot to each. */
  atSec: number[];
  /** The last count less the first, over the time between them, bytes per hour. */
  bytesPerHour: number;
}

/** How much of the steady growth the leak groups explain. */
export interface GrowthAttribution {
  /** Sum of the leak groups' growth rates, bytes/hour. */
  explainedBytesPerHour: number | null;
  /** Steady growth minus what the groups explain, bytes/hour. */
  unexplainedBytesPerHour: number | null;
  /** explained / steady growth (0..1); null when the growth is flat or unmeasured. */
  share: number | null;
}

/** How a growth slope was fitted. */
export interface GrowthFitQuality {
  /**
   * afterGc: forced-GC samples; afterMajorGc: the heap as the target's own major GCs left it (with
   * forced points at the window's edges), when forcing more would exceed --max-pause; gcMinima:
   * heap minima between major GCs; windowMinima: per-window minima.
   */
  method: 'afterGc' | 'afterMajorGc' | 'gcMinima' | 'windowMinima' | null;
  /** Points in the fit. */
  n: number;
  /** Coefficient of determination of the fit (0..1). */
  r2: number | null;
  /** Time the fit spans, seconds. */
  windowSec: number | null;
  /**
   * Standard error of the slope, bytes/hour: a slope within ±2 of these is indistinguishable from
   * flat. Widened by t(0.975, dof)/2, so ±2 of them is a 95 % interval also with few points.
   */
  stdErrBytesPerHour: number | null;
  /** Width of each minima window (windowMinima only), seconds. */
  minimaWindowSec: number | null;
  /** Why the slope is null. */
  reason: string | null;
  /**
   * How the slope was fitted through the points: `robustLine` least squares after setting aside
   * outliers (beyond 3.5 robust SDs of a Theil–Sen line); `robustStep` the same with one level
   * shift, when two levels fit far better than a line (the slope is then that of the levels).
   */
  estimator?: 'robustLine' | 'robustStep';
  /** Points set aside as outliers (not in the fit; `n` counts them). */
  outliers?: number;
  /** The one-off level shift of `robustStep`; null with `robustLine`. */
  step?: {
    /** Seconds from the first point to the first at the new level. */
    atSec: number;
    /** Size of the shift, bytes. */
    bytes: number;
  } | null;
  /** What the afterGc points measure (steady: heap after GC less what is V8's own, see analysis/code-adjusted.ts). */
  measure?: string;
  /** Bytes of heap per byte of V8 code statistics, fitted (null: code did not vary enough to fit it). */
  codeFactor?: number | null;
  /** Steady fit: seconds from the start of the steady phase to the settled window; null when fitted over the whole phase. */
  settleSec?: number | null;
  /** The afterGc points were all taken with the load quiesced. */
  quiesced?: boolean;
}
