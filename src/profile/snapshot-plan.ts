import type { SnapshotRole } from './recording.js';

/**
 * Which snapshots a driven run takes, by what each one is for, most useful first. With a hold:
 * - `steady-end`: at the top step after the settled window, sessions open (retained size per
 *   session; the TARGET of the leak method);
 * - `final`: after every session closed (what outlives the sessions);
 * - `baseline`: before the load (what existed already);
 * - `steady-start`: the settled window's start, at the same session count as `steady-end`: memory
 *   that grows while sessions live, and containers that stay bounded;
 * - `steady-mid`: a third point for telling bounded from growing (growth in each half).
 * Without a hold the top step stands in for the window (`top`). K beyond the plan adds snapshots at
 * the lower ramp steps, highest first.
 */
export interface SnapshotPlan {
  roles: Set<SnapshotRole>;
  /** Ramp step indexes (not the top) that get a snapshot. */
  steps: Set<number>;
}

const WITH_HOLD: SnapshotRole[] = ['steady-end', 'final', 'baseline', 'steady-start', 'steady-mid'];
/**
 * All of them by default: with only the window's two ends, a container that changed once (a Map
 * rehashed to a bigger table, a lazily added property store) cannot be told from one that grows;
 * the middle snapshot's freeze is a gap in the traffic the robust growth fit tolerates.
 */
const DEFAULT_WITH_HOLD = WITH_HOLD.length;
const WITHOUT_HOLD: SnapshotRole[] = ['top', 'final', 'baseline'];

/** The snapshots a driven run takes when --snapshots is not given: all the leak method uses. */
export function defaultSnapshotCount(hasHold: boolean): number {
  return hasHold ? DEFAULT_WITH_HOLD : WITHOUT_HOLD.length;
}

export function planSnapshots(k: number, hasHold: boolean, rampSteps: number): SnapshotPlan {
  const order = hasHold ? WITH_HOLD : WITHOUT_HOLD;
  const roles = new Set(order.slice(0, Math.max(0, k)));
  const steps = new Set<number>();
  for (let i = rampSteps - 2, extra = k - order.length; i >= 0 && extra > 0; i--, extra--) steps.add(i);
  return { roles, steps };
}
