import type { LatencyFigures } from './report.js';

/**
 * Measurements as the live capture records them; the pure analysis turns them into report figures.
 * Shared by src/inspector (producer), src/analysis (consumer) and the profile orchestration.
 */
import type { AllocationSite } from './report.js';

/** One GC of the target, as observed in the target (PerformanceObserver 'gc' or trace): one line of DIR/gc.jsonl. */
export interface GcEvent {
  /** Start time, ms since the epoch. */
  t: number;
  /** minor = scavenge, major = mark-compact, incremental = an incremental-marking step, weak = weak-callback processing. */
  kind: 'minor' | 'major' | 'incremental' | 'weak';
  /** How long the pause lasted, ms. */
  durationMs: number;
  /** A full GC memprof itself forced to measure at a step: left out of the gc figures, counted in gc.forced. */
  forced?: boolean;
  /**
   * Of a major GC the target ran on its own: its heap used less the young generation, bytes, read
   * in the target as the GC's entry arrived (the next tick). A heap-after-GC point that costs no
   * forced pause (growth.steadyFit.method `afterMajorGc`).
   */
  heapAfter?: number;
  /**
   * A GC another memprof run, attached to the same target at the same time (--force), forced: it
   * falls in that run's forced windows. Not the target's own: left out of the gc figures and of
   * gc.forced, counted in gc.forcedByOthers.
   */
  forcedByOther?: boolean;
}

/** One memory sample of the target (process.memoryUsage() plus V8 heap spaces): one line of DIR/samples.jsonl. */
export interface MemorySample {
  /** ms since the epoch. */
  t: number;
  /** V8 heap used, bytes (`process.memoryUsage().heapUsed`). */
  heapUsed: number;
  /** V8 heap reserved, bytes. */
  heapTotal: number;
  /** Resident set size of the process, bytes. */
  rss: number;
  /** Memory of C++ objects bound to JS objects, bytes. */
  external: number;
  /** Memory of ArrayBuffers and SharedArrayBuffers (part of external), bytes. */
  arrayBuffers: number;
  /** Taken right after a forced full GC (a clean figure for growth and per-connection fits). */
  afterGc?: boolean;
  /** Open sessions at that moment, when memprof drives the load. */
  connections?: number;
  /** Which phase of the run the sample belongs to. */
  phase?: 'idle' | 'load' | 'steady';
  /** Taken with the load paused (no new calls, churn or opens; in-flight ones answered). */
  quiesced?: boolean;
  /** Inside the settled steady window, the part of the hold the steady growth is fitted over. */
  window?: boolean;
  /** Tool calls the load generator had seen answered when the sample was taken. */
  requests?: number;
  /** V8's heap spaces (`v8.getHeapSpaceStatistics()`), bytes. */
  spaces?: Array<{
    /** The space, e.g. `old_space`, `new_space`, `code_space`. */
    name: string;
    /** Reserved for the space, bytes. */
    size: number;
    /** Used in the space, bytes. */
    used: number;
    /** Still available in the space, bytes. */
    available: number;
  }>;
  /**
   * V8's code statistics (v8.getHeapCodeStatistics()): machine code and bytecode with their
   * metadata, bytes. V8 flushes bytecode of functions not run lately and recompiles hot ones, so
   * this part of heap used moves by hundreds of KiB with no change in what the program keeps.
   * Read after a forced GC only (afterGc): V8 walks the old generation to count it.
   */
  code?: {
    /** Machine code and its metadata, bytes. */
    code: number;
    /** Bytecode and its metadata, bytes. */
    bytecode: number;
  };
  /** With afterGc: how long the forced GC froze the target, ms. */
  gcMs?: number;
}

/**
 * The settled part of the hold (after the settle period): steady growth is fitted over it alone.
 * Times are ms since the epoch; requests are tool calls answered so far at either end.
 */
export interface SteadyWindow {
  startT: number;
  endT: number;
  startRequests?: number;
  endRequests?: number;
  /** Open sessions throughout the window. */
  connections?: number;
  /** From the hold's start to startT, ms. */
  settleMs?: number;
}

/** Counters a pool publishes under globalThis[Symbol.for('memprof.pools')] (docs/cli.md). */
export interface RawPoolCounters {
  created: number;
  reused: number;
  inUse?: number;
  peakInUse?: number;
}

/** A least-squares line and its quality. */
export interface LinearFit {
  slope: number;
  intercept: number;
  r2: number | null;
  n: number;
  /** Standard error of the slope; null with fewer than 3 points. */
  slopeStdErr?: number | null;
}

/** What the load generator saw of a `--burst`: its times, its sessions, and tool-call latency around it. */
export interface BurstLoad {
  /** When the burst began (the start of the hold), ms since the epoch. */
  startT: number;
  /** When it ended and its sessions were closed, ms since the epoch; null when the run stopped first. */
  endT: number | null;
  /** Burst sessions opened (initialize answered). */
  opened: number;
  /** Burst opens that failed. */
  failed: number;
  /** Burst sessions closed (DELETE answered 2xx) when the burst ended. */
  closed: number;
  /** Tool-call latency before the burst (ramp and anything before the hold), ms. */
  latencyBeforeMs: LatencyFigures;
  /** Tool-call latency of calls sent while the burst was on, ms. */
  latencyDuringMs: LatencyFigures;
}

/**
 * Live bytes of V8's sampling heap profiler at one moment, summed by allocation site (see
 * analysis/allocation-sites.ts). Keys index `SampledHeap.sites`.
 */
export interface SampledHeapPoint {
  /** ms since the epoch. */
  t: number;
  /** 'baseline': before the load; 'step': a ramp step; 'window': a point of the settled window; 'final': sessions closed. */
  role: 'baseline' | 'step' | 'window' | 'final';
  /** Sessions open. */
  connections?: number;
  /** Tool calls answered so far. */
  requests?: number;
  /** Site key -> [estimated live bytes (as V8 scales its samples), live samples]. */
  bytes: Record<string, [number, number]>;
}

/** What the sampling heap profiler recorded over a run. */
export interface SampledHeap {
  /** Mean bytes between samples. */
  intervalBytes: number;
  /** Why it ran: asked for (--sampling), or by default because no full snapshot was taken. */
  reason: string;
  /** Were its figures asked for (--sampling) even where snapshots answer too? */
  explicit: boolean;
  /** The profiles read, in order. */
  points: SampledHeapPoint[];
  /** Site key -> the site (the first frame that is neither Node's nor memprof's) and its stack, innermost first. */
  sites: Record<string, { site: AllocationSite; stack: AllocationSite[] }>;
}

