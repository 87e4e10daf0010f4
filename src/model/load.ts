import type { GcKindStats } from './gc.js';

/** Latency percentiles of one kind of request, ms; null when no request of the kind completed. */
export interface LatencyFigures {
  /** Median, ms. */
  p50: number | null;
  /** 90th percentile, ms. */
  p90: number | null;
  /** 99th percentile, ms. */
  p99: number | null;
  /** Slowest, ms. */
  max: number | null;
}

/** Standard errors of the load figures: the run's own noise. */
export interface LoadStdErr {
  /** Of connectPerSec: counting noise, sqrt(sessions opened) / seconds spent opening. */
  connectPerSec: number | null;
  /** Of msgPerSec: counting noise, sqrt(tool calls answered) / seconds they were sent over. */
  msgPerSec: number | null;
  /** Of latencyMs.p99, ms: a quarter of the order-statistics 95 % band of the p99; null below 20 calls. */
  latencyP99Ms: number | null;
}

/** What a `--burst` did: memory before, during and after it, how long the heap took to come back, and the load around it. */
export interface BurstSection {
  /** Extra sessions opened per second during the burst (`--burst RATE:...`). */
  rate: number;
  /** How long the burst lasted as asked (`--burst ...:DURATION`), seconds. */
  durationSec: number;
  /** When the burst began, seconds from the start of the run (the start of the hold). */
  startSec: number;
  /** The window after the burst in which recovery is measured (`--recovery`), seconds. */
  recoveryWindowSec: number;
  /** Heap after GC within this of the level before counts as recovered, bytes: the larger of 1 MiB and 10 % of the burst's rise. */
  toleranceBytes: number | null;
  /** Heap used after a forced full GC and RSS, with the base sessions open just before the burst (the top step). */
  before: BurstMemory;
  /** The highest heap used and RSS of the periodic samples during the burst (not after GC: what the process needed). */
  peak: BurstMemory;
  /** Heap used after a forced full GC and RSS at the end of the recovery window, the burst's sessions closed. */
  after: BurstMemory;
  /**
   * From the burst's end to the first point of the window from which heap after GC stays within
   * toleranceBytes of the level before, seconds (measured on the window's points); null when it
   * never came back within the window (notes say whether the window was too short to decide).
   */
  recoverySec: number | null;
  /** What the burst left behind: heap after GC at the end of the window minus before, bytes (negative: less than before). */
  retainedBytes: number | null;
  /** True when the window ended with heap after GC still falling (a longer `--recovery` may see it come back). */
  stillFalling?: boolean;
  /** The burst's sessions. */
  sessions: {
    /** Burst sessions opened (initialize answered). */
    opened: number;
    /** Burst opens that failed. */
    failed: number;
    /** Burst sessions closed (DELETE answered) when it ended. */
    closed: number;
  };
  /** The target's own GC pauses while the burst was on, by kind (memprof's forced GCs left out). */
  gc: {
    /** Scavenges. */
    minor: GcKindStats;
    /** Mark-compacts. */
    major: GcKindStats;
    /** Incremental-marking steps. */
    incremental: GcKindStats;
    /** Weak-callback passes. */
    weak: GcKindStats;
  };
  /** Tool-call latency before the burst (the ramp) and while it was on, ms (null without `--msg-rate`). */
  latencyMs: {
    /** Before the burst. */
    before: LatencyPair;
    /** During the burst. */
    during: LatencyPair;
  };
  /** The recovery window's points: heap after GC (and RSS) at seconds after the burst's end. */
  points: Array<{
    /** Seconds after the burst's end. */
    sec: number;
    /** Heap used after a forced full GC, bytes. */
    heapUsedBytes: number;
    /** RSS at the same moment, bytes. */
    rssBytes: number;
  }>;
}

/** Heap used and RSS at one moment of a burst, bytes; null when not measured. */
export interface BurstMemory {
  /** V8 heap used, bytes. */
  heapUsedBytes: number | null;
  /** Resident set size, bytes. */
  rssBytes: number | null;
}

/** Median and 99th percentile latency, ms; null when no call completed. */
export interface LatencyPair {
  /** Median, ms. */
  p50: number | null;
  /** 99th percentile, ms. */
  p99: number | null;
}

/** What memprof's load generator did and measured. */
export interface LoadSection {
  /** Sessions opened per second while opening (hold time excluded). */
  connectPerSec: number | null;
  /** Tool calls per second over the time they were sent; null with `--msg-rate 0`. */
  msgPerSec: number | null;
  /** Latency of the tool calls, ms. */
  latencyMs: {
    /** Median, ms. */
    p50: number | null;
    /** 99th percentile, ms. */
    p99: number | null;
  };
  /** Requests that failed, of every kind (see errorsByKind). */
  errors: number;
  /** `stdio`: one session over the target's stdin/stdout (run --stdio); absent for Streamable HTTP. */
  transport?: 'stdio';
  /** stdio: non-blank stdout lines that were not JSON-RPC, and the first few of them. */
  nonProtocolLines?: {
    /** Lines counted. */
    count: number;
    /** The first few, 200 characters each. */
    first: string[];
  };
  /** Sessions opened (initialize answered). */
  sessionsOpened?: number;
  /** Sessions closed (DELETE sent). */
  sessionsClosed?: number;
  /** Tool calls answered. */
  requests?: number;
  /** Most sessions open at once. */
  peakOpen?: number;
  /** Opens that failed (initialize or notifications/initialized). */
  sessionsFailed?: number;
  /** Tool calls `--msg-rate` asked for but not sent because too many were in flight (client-side backpressure). */
  requestsMissed?: number;
  /** Latency of initialize (session open), ms. */
  initializeLatencyMs?: LatencyFigures;
  /**
   * Errors by kind (e.g. `http_503`, `econnreset`, `jsonrpc_error`, `timeout`; a hostile or broken
   * server also shows as `malformed_reply`, `slow_reply`, `sse_unended`, `reply_too_large`,
   * `truncated_reply`): the full list is LoadSummary.errorsByKind's (docs/formats.md, memprof load --json).
   */
  errorsByKind?: Record<string, number>;
  /** The tool that was called; null when none was. */
  tool?: string | null;
  /** The load was cut short (Ctrl-C, or the target went away). */
  interrupted?: boolean;
  /** Standard errors of connectPerSec, msgPerSec and latencyMs.p99 (the run's own noise; the baseline comparison weighs differences against them). */
  stdErr?: LoadStdErr;
}
