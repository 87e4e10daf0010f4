/**
 * When the hold's measurements happen. A capacity study's steady state is the top step with the
 * traffic going on; its first moments are not: churn's first replacements, caches filling to their
 * bound and the first minutes of a pool are one-off steps a trend line must not span. So the growth
 * window starts after a settle period, and inside it the load is briefly stilled for each point
 * (forced full GC, then a sample), evenly spaced: enough points for a robust slope, few enough
 * that the pauses memprof adds stay a small share of the run.
 */
export interface SteadyPlan {
  /** From the hold's start to the window's first point, ms. */
  settleMs: number;
  /** Offsets from the hold's start of every measured point, ms; the first and last bound the window. */
  pointsMs: number[];
  /** Index in pointsMs of the point that also takes the mid-window snapshot. */
  midIndex: number;
}

/**
 * Points in the window: about this many, whatever its length (never closer than MIN_SPACING_MS).
 * A quiesced clean server's heap after GC still moves by a few KiB from point to point (Node's
 * free lists, timers, table capacities: a snapshot's exact count of the program's objects moves as
 * much), while the default limit of 1 MiB/h is 12 KiB over a 45 s window. The slope's band narrows
 * as 1/√n: with 16 points it was about ±0.7 MiB/h (2σ) and straddled the limit on about one clean
 * run in five; with a point a second, about ±0.4. The profiler thins them out when its forced GCs
 * would take more than a small share of the window (a big heap).
 */
const POINTS = 48;
/** Never closer than this: a full GC plus a sample takes tens of ms on a small heap, seconds on a big one. */
const MIN_SPACING_MS = 1000;

export function planSteadyWindow(holdMs: number, opts: { settleMs?: number; lifetimeMs?: number; churn?: boolean; intervalMs?: number } = {}): SteadyPlan {
  // Churn's first replacements take about one lifetime; a fifth of the hold covers caches and
  // JIT settling; never more than half the hold, so the window keeps most of it.
  const auto = Math.max(0.2 * holdMs, opts.churn ? (opts.lifetimeMs ?? 0) : 0, Math.min(3000, 0.2 * holdMs));
  const settleMs = Math.min(opts.settleMs ?? auto, 0.5 * holdMs);
  const windowMs = Math.max(0, holdMs - settleMs);
  const spacing = Math.max(MIN_SPACING_MS, opts.intervalMs ?? 0, windowMs / (POINTS - 1));
  const n = Math.max(2, Math.floor(windowMs / spacing) + 1);
  const pointsMs: number[] = [];
  for (let i = 0; i < n; i++) pointsMs.push(settleMs + (windowMs * i) / (n - 1));
  return { settleMs, pointsMs, midIndex: Math.floor((n - 1) / 2) };
}
