import type { StepMeasurement } from '../analysis/connections.js';
import type { GcEvent, MemorySample, RawPoolCounters, SampledHeap, SteadyWindow } from '../model/recording.js';

export type { SteadyWindow } from '../model/recording.js';
import type { LoadSummary } from '../load/types.js';
import type { GrowingClass, LeakFigures, RetainedPerConnection, SessionBreakdown } from '../model/report.js';

export type { GrowingClass, SessionBreakdown } from '../model/report.js';

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
  /** With load: did the run set out to hold the top step (--hold), where steady growth is measured? */
  holdPlanned?: boolean;
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
  /** V8's object shapes and system objects in each steady snapshot (see snapshot/analyze.ts v8MetadataBytes). */
  v8Metadata?: Array<{ t: number; bytes: number }>;
  /** The program's own objects in each steady snapshot (see snapshot/analyze.ts programBytes). */
  programMemory?: Array<{ t: number; bytes: number }>;
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
  /** V8's sampling heap profiler, summed by allocation site at each still point, when it ran. */
  sampling?: SampledHeap;
  /** What one typical session holds, by class (from the snapshot at the top step). */
  sessionBreakdown: SessionBreakdown | null | undefined;
  load: LoadSummary | null | undefined;
  /** Why a figure is null or a step was skipped, keyed by report path. */
  notes: Record<string, string>;
  /** Why the run stopped early on an error of its own (not Ctrl-C, not the target's death). */
  failure?: string;
  /** With --burst: the burst and recovery window asked for, and when the window ended (null: the run stopped before). */
  burst?: { rate: number; durationMs: number; recoveryMs: number; windowEndT: number | null };
  /** --connections N: where connections.projected is computed (undefined: the top step). */
  projectTo?: number;
  /** How the run ended. */
  ended: 'complete' | 'interrupted' | 'target-lost';
}

/**
 * What a snapshot was taken for. The leak method reads them by role: 'baseline' (before the load,
 * no session open), 'steady-start' / 'steady-mid' / 'steady-end' (the settled window of the hold,
 * same number of sessions, load paused), 'final' (every session closed); 'step' at a ramp step,
 * 'top' at the top step of a run without a hold, 'timed' in a run without load.
 */
export type SnapshotRole = 'baseline' | 'step' | 'top' | 'steady-start' | 'steady-mid' | 'steady-end' | 'final' | 'timed';

export interface SnapshotRecord {
  path: string;
  label: string;
  /** ms since the epoch. */
  t: number;
  /** The snapshot at the top step (retained size per session). */
  top?: boolean;
  role?: SnapshotRole;
  /** Sessions open when it was taken. */
  connections?: number;
  /** Tool calls answered by the load generator so far. */
  requests?: number;
  /** Sessions the load generator had closed by then (driven runs). */
  closed?: number;
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

/** The heap spaces the analysis reads from a sample (growth less the young generation). */
const KEPT_SPACES = new Set(['new_space', 'new_large_object_space']);

/**
 * The sample as the run keeps it in memory: samples.jsonl has every field, but a day-long run at
 * one sample a second holds 86,400 of them, and the nine-odd heap spaces V8 reports per sample
 * would be most of memprof's own memory. Only the spaces the analysis reads are kept.
 */
export function compactSample(s: MemorySample): MemorySample {
  if (!s.spaces) return s;
  return { ...s, spaces: s.spaces.filter((sp) => KEPT_SPACES.has(sp.name)) };
}
