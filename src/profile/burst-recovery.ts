import type { LoadControl } from '../load/types.js';
import { sleep } from './interrupt.js';
import type { RunControl } from './run-control.js';

/** --recovery default: long enough for a clean server's sessions to be collected after their DELETE. */
export const DEFAULT_RECOVERY_MS = 30_000;
/** Recovery points: about this many over the window. */
const RECOVERY_POINTS = 20;
/** Points taken whatever the window (a slow first point may use it all). */
const MIN_POINTS = 2;
/** Never closer than this: each point is a forced full GC of the target. */
const MIN_SPACING_MS = 1000;
/** The load's 10 ms ticker ends the burst; this much later its sessions' DELETEs are on their way. */
const BURST_END_SLACK_MS = 50;

/**
 * The burst runs from the hold's start (the load generator opens its sessions and closes them when
 * it ends). From its end, for `recoveryMs`, still points (the base load quiet, a forced full GC,
 * a sample) measure whether heap comes back to the level of the top step; the first point waits
 * for the burst's DELETEs to be answered (LoadControl.still). At least MIN_POINTS are taken, the
 * last one past the window's end when the points are slow. Returns when the window ended (ms
 * since the epoch), or null when the run stopped first.
 */
export async function measureRecovery(args: {
  burst: { rate: number; durationMs: number };
  recoveryMs: number;
  intervalMs: number;
  control: LoadControl;
  run: RunControl;
  progress: (line: string) => void;
  measure: () => Promise<unknown>;
  /**
   * --max-pause: true when a forced GC now would freeze the target longer than the budget; the
   * points between the first and the last are then not taken (recovery is read at their coarser
   * resolution rather than paid for in pauses).
   */
  overBudget?: () => boolean;
}): Promise<number | null> {
  const { burst, recoveryMs, control, run, progress } = args;
  progress(`burst: ${burst.rate} sessions/s for ${(burst.durationMs / 1000).toFixed(1)} s on top of ${control.connections}`);
  await sleep(burst.durationMs + BURST_END_SLACK_MS, run.signal);
  if (run.stopped) return null;
  progress(`recovery: heap after GC for ${(recoveryMs / 1000).toFixed(1)} s after the burst (--recovery)`);
  const end = Date.now() + recoveryMs;
  const spacing = Math.max(MIN_SPACING_MS, args.intervalMs, recoveryMs / RECOVERY_POINTS);
  for (let taken = 1; !run.stopped; taken++) {
    const inner = taken > 1 && end - Date.now() > spacing / 2;
    if (inner && args.overBudget?.()) taken--;
    else await control.still(args.measure);
    const left = end - Date.now();
    // Two points at least: one alone cannot tell settled from still falling.
    if (left <= 0 && taken >= MIN_POINTS) break;
    await sleep(Math.max(0, Math.min(spacing, left)), run.signal);
  }
  return run.stopped ? null : Date.now();
}
