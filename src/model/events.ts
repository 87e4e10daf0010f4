/**
 * What a profiling run tells the person watching it, as it happens: typed events the profiler
 * (src/profile) and the load generator (src/load) emit, and that two consumers read: the plain
 * progress lines (src/report/progress-lines.ts, what a log or CI sees) and the live terminal
 * dashboard (src/report/dashboard). Times are ms since the epoch.
 */
import type { GcEvent, MemorySample } from './recording.js';

/** The load generator's counters, reported about once a second (`LoadHooks.onProgress`). */
export interface LoadProgress {
  /** Sessions open now. */
  open: number;
  /** Sessions opened so far (initialize answered). */
  opened: number;
  /** Sessions closed so far. */
  closed: number;
  /** Tool calls answered so far. */
  requests: number;
  /** Requests that failed so far, of every kind. */
  errors: number;
  /** Session opens that failed so far. */
  failed?: number;
  /** Tool-call latency of the calls answered since the previous report, ms; absent when none were. */
  latencyMs?: {
    /** Median, ms. */
    p50: number;
    /** 99th percentile, ms. */
    p99: number;
  };
}

/**
 * The parts of a run, in the order a driven run (--mcp) goes through them: `warmup` (the top step
 * opened and closed once), `baseline` (measured before the load), `ramp` (steps), `hold` (the top
 * step kept open with its traffic), `settle` (the start of the hold, not fitted), `window` (the
 * settled window: still points for steady growth), `idle-hold` (--idle-hold: sessions open, no
 * traffic), `final` (sessions closed, measured again). A run without --mcp is one `timed` part.
 * `finishing`: pools read, recorders stopped; the measuring is over.
 */
export type RunPhase = 'warmup' | 'baseline' | 'ramp' | 'hold' | 'settle' | 'window' | 'idle-hold' | 'final' | 'timed' | 'finishing';

/** The run starts: what it is going to do. */
export interface RunStartEvent {
  type: 'start';
  /** When, ms since the epoch. */
  t: number;
  /** The target's pid, when known. */
  pid: number | null;
  /** Where the run writes (--out). */
  outDir: string;
  /** Session counts of the ramp steps ([] without --mcp). */
  ramp: number[];
  /** --hold, ms (null: none). */
  holdMs: number | null;
  /** --idle-hold, ms (null: none). */
  idleHoldMs: number | null;
  /** --duration without --mcp, ms (null: until Ctrl-C, or a driven run). */
  durationMs: number | null;
  /** Heap snapshots asked for. */
  snapshots: number;
  /** The sampling period, ms. */
  intervalMs: number;
}

/** A part of the run begins (see RunPhase); the fields say what that part will do. */
export interface PhaseEvent {
  type: 'phase';
  /** Which part. */
  phase: RunPhase;
  /** When, ms since the epoch. */
  t: number;
  /** How long the part is planned to last, ms (hold, settle, window, idle-hold, timed). */
  durationMs?: number;
  /** Sessions the part keeps open (hold), or opens (warmup). */
  connections?: number;
  /** Still points planned in the window. */
  points?: number;
  /** warmup: tool calls are sent (--msg-rate), not only sessions opened. */
  withCalls?: boolean;
  /** warmup: over a stdio session (one per process), not Streamable HTTP sessions. */
  stdio?: boolean;
}

/** A ramp step measured: sessions open, heap after a forced full GC. */
export interface StepEvent {
  type: 'step';
  /** When, ms since the epoch. */
  t: number;
  /** Position in --ramp, from 0. */
  index: number;
  /** Steps in the ramp. */
  of: number;
  /** Sessions open when it was measured. */
  connections: number;
  /** Heap used after the forced GC, bytes (null: the measurement failed). */
  heapUsedBytes: number | null;
}

/** A memory sample of the target (periodic, or a still point after a forced GC). */
export interface SampleEvent {
  type: 'sample';
  /** The sample, as written to DIR/samples.jsonl. */
  sample: MemorySample;
}

/** A GC of the target, as written to DIR/gc.jsonl (forced ones flagged). */
export interface GcLiveEvent {
  type: 'gc';
  /** The GC. */
  event: GcEvent;
}

/**
 * A heap snapshot, which freezes the target while V8 walks the heap and sends it: `start`, then
 * `progress` a few times a second, then `written`, `skipped` (not enough memory for it) or `failed`.
 */
export interface SnapshotEvent {
  type: 'snapshot';
  /** Which moment of the snapshot. */
  stage: 'start' | 'progress' | 'written' | 'skipped' | 'failed';
  /** When, ms since the epoch. */
  t: number;
  /** Its number in the run, from 1. */
  index: number;
  /** Snapshots the run plans (at least `index`). */
  of: number;
  /** What it is for, e.g. `steady-end-10-sessions`. */
  label: string;
  /** Bytes of snapshot received so far (progress, written). */
  bytes?: number;
  /** V8's walk of the heap: objects done of total (progress, before bytes flow). */
  walked?: {
    /** Done so far. */
    done: number;
    /** Total. */
    total: number;
  };
  /** The file (written). */
  path?: string;
  /** Why it was skipped or failed. */
  reason?: string;
}

/** The load generator's counters (about once a second while it runs, warm-up included). */
export interface LoadEvent {
  type: 'load';
  /** When, ms since the epoch. */
  t: number;
  /** The counters. */
  progress: LoadProgress;
}

/** Something to tell the user in words (a warm-up's outcome, a snapshot risk). */
export interface NoteEvent {
  type: 'note';
  /** The line, without the `memprof: ` prefix. */
  text: string;
}

/** Every event of a run; `type` tells them apart. */
export type ProfileEvent = RunStartEvent | PhaseEvent | StepEvent | SampleEvent | GcLiveEvent | SnapshotEvent | LoadEvent | NoteEvent;
