import type { StepMeasurement } from '../analysis/connections.js';
import type { GcEvent, MemorySample, RawPoolCounters, SteadyWindow } from '../analysis/types.js';

export type { SteadyWindow } from '../analysis/types.js';
import type { LoadSummary } from '../load/types.js';
import type { LeakFigures, RetainedPerConnection } from '../report/types.js';

/**
 * Everything one profiling run measured, as plain data. The orchestration fills it while the run
 * goes; the report is computed from it afterwards (assemble.ts), so a run cut short by Ctrl-C or by
 * the target's death still yields a report of what was measured.
 */
export interface Recording {
  target: { pid: number | null; nodeVersion: string | null; command: string | null };
  /** ms since the epoch: first and last moment the target was measured. */
  startedAt: number;
  endedAt: number;
  samples: MemorySample[];
  gcEvents: GcEvent[];
  /** Did the run drive MCP load (--mcp)? Decides which sections the report has. */
  drivenLoad: boolean;
  /** `stdio`: the load was one session over the target's stdin/stdout (run --stdio): no per-connection figures. */
  transport?: 'stdio';
  /** One row per load step (--mcp), or per heap count of the connection class (without --mcp). */
  steps: Array<StepMeasurement & { t: number }>;
  /** Class counted for the steps without --mcp (null: no connection instances were found). */
  connectionClassCounted: string | null;
  /** Counters the target published; null when they could not be read. */
  pools: Record<string, RawPoolCounters> | null;
  poolsError: string | null;
  /** Pool counters when measurement starts (after any warm-up): reuse is measured from here. */
  poolsAtStart?: Record<string, RawPoolCounters>;
  /** The settled steady window of the hold (driven runs with --hold); null when it was not reached. */
  steadyWindow?: SteadyWindow | null;
  /** What --warmup did ("N sessions opened and closed and M tool calls sent"), if it ran. */
  warmupDone?: string;
  /** Snapshot files taken, in order. */
  snapshots: SnapshotRecord[];
  /** Did the run set out to take snapshots (--snapshots K > 0)? */
  snapshotsRequested: number;
  leaks: LeakFigures[] | null | undefined;
  /** Classes whose count and size grew from every snapshot to the next (timed runs, 3+ snapshots). */
  growingClasses?: GrowingClass[];
  retained: RetainedPerConnection | null | undefined;
  /** What one typical session holds, by class (from the snapshot at the top step). */
  sessionBreakdown: SessionBreakdown | null | undefined;
  load: LoadSummary | null | undefined;
  /** Why a figure is null or a step was skipped, keyed by report path. */
  notes: Record<string, string>;
  /** Why the run stopped early on an error of its own (not Ctrl-C, not the target's death). */
  failure?: string;
  /** How the run ended. */
  ended: 'complete' | 'interrupted' | 'target-lost';
}

export type SnapshotRole = 'baseline' | 'step' | 'top' | 'steady-start' | 'steady-mid' | 'steady-end' | 'final' | 'timed';

export interface SnapshotRecord {
  path: string;
  label: string;
  /** ms since the epoch, when it was taken. */
  t: number;
  /** Taken at the top step with the sessions open (retained size per session comes from it). */
  top?: boolean;
  role?: SnapshotRole;
  /** Sessions open when it was taken (driven runs). */
  connections?: number;
  /** Tool calls answered by then (driven runs). */
  requests?: number;
}

export interface GrowingClass {
  name: string;
  /** Per snapshot, in order. */
  counts: number[];
  selfSizes: number[];
  /** Shallow size in the last snapshot minus the first. */
  growthBytes: number;
}

export interface SessionBreakdown {
  class: string;
  /** The instance chosen: the one whose retained size is the median. */
  retainedBytes: number;
  /** Retained size of what this session alone keeps alive, grouped by class, largest first. */
  holds: Array<{ name: string; count: number; retainedBytes: number }>;
}

export function emptyRecording(now: number): Recording {
  return {
    target: { pid: null, nodeVersion: null, command: null },
    startedAt: now,
    endedAt: now,
    samples: [],
    gcEvents: [],
    drivenLoad: false,
    steps: [],
    connectionClassCounted: null,
    pools: null,
    poolsError: null,
    snapshots: [],
    snapshotsRequested: 0,
    leaks: undefined,
    retained: undefined,
    sessionBreakdown: undefined,
    load: undefined,
    notes: {},
    ended: 'complete',
  };
}
